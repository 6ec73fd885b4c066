"""Reading a C file: gcc's preprocessor, the GNU constructs pass (`preprocess`) and pycparser, giving the
parsed program with its functions, globals, typedefs and enumerators. Separate from the lowering, which
reads a `CProgram` and never runs gcc or the parser."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass

from pycparser import c_ast, c_generator, c_parser

from solomonic.reason.frontends.c.preprocess import (
    GNU_KEYWORD_SPELLINGS,
    LINE_MARKER,
    SystemFiles,
    Taint,
    Unmodelled,
    compilation_dependent,
    prepare,
    walk,
)
from solomonic.reason.frontends.c.types import CTypes
from solomonic.reason.ir import BadInput

# gcc's preprocessor in GNU C mode, but without __GNUC__, so that glibc's headers fall back to plain C
# (and `assert` expands to a conditional expression, not a statement expression). The defines only
# give GNU spellings their standard names; every other GNU construct reaches `preprocess.py`, which
# drops what changes nothing and marks what is not modelled. include/ keeps glibc from erasing
# `__attribute__` (see include/sys/cdefs.h).
CINCLUDE = os.path.join(os.path.dirname(__file__), "include")
GNU_FLAGS = [
    # __NO_CTYPE: ctype.h declares isdigit and the rest as functions (library.py lowers them) instead of
    # defining them as lookups in glibc's locale tables
    "-std=gnu11", "-U__GNUC__", "-D__STRICT_ANSI__", "-D__NO_CTYPE", f"-I{CINCLUDE}",
    *[f"-D{gnu}={standard}" for gnu, standard in GNU_KEYWORD_SPELLINGS.items()],
]
NONDET_PREFIX = "__VERIFIER_nondet_"
NONDET_NAMES = {
    "int": "int", "uint": "unsigned int", "unsigned": "unsigned int", "unsigned_int": "unsigned int",
    "char": "char", "uchar": "unsigned char", "unsigned_char": "unsigned char", "short": "short",
    "ushort": "unsigned short", "unsigned_short": "unsigned short", "long": "long", "ulong": "unsigned long",
    "unsigned_long": "unsigned long", "longlong": "long long", "long_long": "long long",
    "ulonglong": "unsigned long long", "bool": "_Bool", "_Bool": "_Bool", "u32": "unsigned int",
    "u16": "unsigned short", "u8": "unsigned char", "s32": "int", "size_t": "unsigned long",
}


@dataclass
class CProgram:
    path: str
    ast: c_ast.FileAST
    types: CTypes
    functions: dict[str, c_ast.FuncDef]
    prototypes: dict[str, c_ast.FuncDecl]
    globals: dict[str, c_ast.Decl]
    typedefs: dict[str, c_ast.Node]
    enumerators: dict[str, c_ast.Node | None]
    nondet_functions: dict[str, str]  # __VERIFIER_nondet_* used or declared -> C return type, as written
    taint: Taint  # declarations that hold constructs the lowering does not model
    include_dirs: tuple[str, ...] = ()
    defines: tuple[str, ...] = ()

    def function_line(self, name: str) -> int:
        return self.functions[name].coord.line if self.functions[name].coord else 0

    def own_functions(self) -> list[str]:
        """Functions defined in the analysed file itself (not in included headers)."""
        real = os.path.realpath(self.path)
        return [n for n, f in self.functions.items()
                if f.coord is None or os.path.realpath(f.coord.file or "") == real]


def preprocess(path: str, include_dirs=(), defines=(), data_model: str = "LP64") -> str:
    """gcc -E for the target of the data model: the headers' types (int64_t, size_t, ...) are those of
    i386 under ILP32 and of x86-64 under LP64, as in the gcc build that replays a witness."""
    source_path = path
    tmp = None
    if path.endswith(".i"):  # already preprocessed: drop line markers so lines refer to the .i itself
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", errors="replace")
        text = re.sub(r"(?m)^#\s*\d+\s+\"[^\"]*\".*$", "", text)
        # `#pragma pack` stays: it changes struct layout, and `preprocess.py` must see it
        text = re.sub(r"(?m)^#\s*(line|ident|pragma(?!\s+(GCC\s+)?pack\b))\b.*$", "", text)
        import tempfile

        fd, tmp = tempfile.mkstemp(suffix=".c", prefix="solomonic-")
        with os.fdopen(fd, "w") as f:
            f.write(text)
        source_path = tmp
    command = ["gcc", "-E", "-m32" if data_model == "ILP32" else "-m64", *GNU_FLAGS,
               *[f"-I{d}" for d in include_dirs], *[f"-D{d}" for d in defines], "-x", "c", source_path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise BadInput("gcc is needed to preprocess C files and was not found") from None
    except subprocess.TimeoutExpired:
        raise BadInput(f"{path}: the preprocessor did not finish within 60 s") from None
    finally:
        if tmp is not None:
            os.unlink(tmp)
    if done.returncode != 0:
        first = next((ln for ln in done.stderr.decode(errors="replace").splitlines() if "error" in ln), "")
        raise BadInput(f"{path}: preprocessing failed: {first.replace(source_path, path).strip()}")
    text = done.stdout.decode("utf-8", errors="replace")
    if tmp is not None:
        text = text.replace(tmp, path)
    return text


def selected_lines(path: str, include_dirs=(), defines=(), data_model: str = "LP64",
                   analysis: bool = True) -> dict[str, set[int]] | None:
    """The lines of the program's own files (not system headers) that the preprocessor keeps, macro
    definitions included (`-dD`): under the analysis's flags, or (`analysis=False`) as the replay's gcc
    compiles (-std=gnu11, GNU mode). None where the preprocessor fails."""
    flags = GNU_FLAGS if analysis else ["-std=gnu11"]
    command = ["gcc", "-E", "-dD", "-m32" if data_model == "ILP32" else "-m64", *flags,
               *[f"-I{d}" for d in include_dirs], *[f"-D{d}" for d in defines], "-x", "c", path]
    try:
        done = subprocess.run(command, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    kept: dict[str, set[int]] = {}
    file, line, system = "", 0, True
    systems = SystemFiles()
    for row in done.stdout.decode("utf-8", errors="replace").split("\n"):
        marker = LINE_MARKER.match(row)
        if marker:
            file, line = marker.group(2), int(marker.group(1))
            system = systems.system(marker.group(3))
            continue
        if row.strip() and not system and not file.startswith("<"):
            kept.setdefault(file, set()).add(line)
        line += 1
    return kept


def mode_dependent(path: str, include_dirs=(), defines=(), data_model: str = "LP64") -> list[Unmodelled]:
    """The analysis preprocesses without GNU mode's identity (`GNU_FLAGS`), and glibc's headers then
    declare and define less (no POSIX without GNU mode: `PATH_MAX`, `SSIZE_MAX`, ...): a conditional of
    the program's own (`#ifndef PATH_MAX`) may keep other lines than gcc's compilation keeps. The first
    line kept by one and not the other, if any."""
    if path.endswith(".i"):
        return []
    ours = selected_lines(path, include_dirs, defines, data_model)
    gccs = selected_lines(path, include_dirs, defines, data_model, analysis=False)
    if ours is None or gccs is None:
        return []
    for file in sorted(ours.keys() | gccs.keys()):
        differ = ours.get(file, set()) ^ gccs.get(file, set())
        if differ:
            return [Unmodelled("a preprocessor conditional that keeps other lines under gcc's GNU mode than "
                               "under the analysis's", file, min(differ))]
    return []


class StatementExpression(c_ast.Compound):
    """GNU C's statement expression `({ ... })`. pycparser parses it as a block standing in an expression,
    the same node as a block statement; this class tells the lowering which one it reads (a jump into
    a statement expression is an error in gcc, into a block it is not)."""

    __slots__ = ()


class GnuParser(c_parser.CParser):
    def _parse_primary_expression(self) -> c_ast.Node:
        node = super()._parse_primary_expression()
        if type(node) is c_ast.Compound:  # only `( { ... } )` gives a block here
            return StatementExpression(node.block_items, node.coord)
        return node


class Generator(c_generator.CGenerator):
    """C text of a node, statement expressions included."""

    def visit_StatementExpression(self, n: StatementExpression) -> str:
        return "(" + " ".join(self.visit_Compound(n).split()) + ")"


def parse_c(path: str, include_dirs=(), defines=(), data_model: str = "LP64") -> CProgram:
    prepared = prepare(preprocess(path, include_dirs, defines, data_model))
    parser = GnuParser()
    try:
        tree = parser.parse(prepared.text, path)
    except RecursionError:  # pycparser builds its tree recursively: a limit of this tool, not a fault
        line = getattr(parser.clex, "_lineno", None)
        raise BadInput(f"{path}:{line or 0}: syntax nested too deeply for the C parser (pycparser's "
                       "recursion limit)") from None
    except Exception as err:  # pycparser raises ParseError, and AssertionError on some malformed input
        message = str(err)
        match = re.match(r"(.*?):(\d+):(?:\d+:)?\s*(.*)", message)
        if match:
            where, what = f"{match.group(1)}:{match.group(2)}", match.group(3)
        else:  # pycparser 3 names only the file for some errors; its lexer knows the line
            line = getattr(parser.clex, "_lineno", None)
            where = f"{getattr(parser.clex, '_filename', path)}:{line}" if line else path
            what = message.split(": ", 1)[-1]
        raise BadInput(f"{where}: syntax error: {what}") from None
    functions: dict[str, c_ast.FuncDef] = {}
    prototypes: dict[str, c_ast.FuncDecl] = {}
    variables: dict[str, c_ast.Decl] = {}
    typedefs: dict[str, c_ast.Node] = {}
    enumerators: dict[str, c_ast.Node | None] = {}
    for ext in tree.ext:
        if isinstance(ext, c_ast.FuncDef):
            functions[ext.decl.name] = ext
        elif isinstance(ext, c_ast.Typedef):
            typedefs[ext.name] = ext.type
        elif isinstance(ext, c_ast.Decl):
            if isinstance(ext.type, c_ast.FuncDecl):
                prototypes[ext.name] = ext.type
            elif ext.name is not None and _defines_more(ext, variables.get(ext.name)):
                variables[ext.name] = ext
    nondet: dict[str, str] = {}
    for node in walk(tree):
        if isinstance(node, c_ast.Enumerator):  # a name declared twice (scopes) is not resolved: None
            enumerators[node.name] = None if node.name in enumerators else node
        elif isinstance(node, c_ast.FuncCall) and isinstance(node.name, c_ast.ID) \
                and node.name.name.startswith(NONDET_PREFIX):
            nondet.setdefault(node.name.name, NONDET_NAMES.get(node.name.name[len(NONDET_PREFIX):], ""))
    for name, proto in prototypes.items():
        ret = proto.type
        while isinstance(ret, c_ast.TypeDecl):
            ret = ret.type
        if name.startswith(NONDET_PREFIX) and isinstance(ret, c_ast.IdentifierType):
            nondet[name] = " ".join(ret.names)
    nondet = {n: t for n, t in nondet.items() if t}
    taint = Taint.of(tree, prepared, compilation_dependent(prepared.user_files, _read_source)
                     + mode_dependent(path, include_dirs, defines, data_model))
    return CProgram(path, tree, CTypes(data_model), functions, prototypes, variables, typedefs, enumerators,
                    nondet, taint, tuple(include_dirs), tuple(defines))


def _read_source(name: str) -> str | None:
    try:
        with open(name, "rb") as f:
            return f.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def _defines_more(decl: c_ast.Decl, earlier: c_ast.Decl | None) -> bool:
    """Whether a file-scope declaration says more about its variable than an earlier one: a definition
    with an initialiser wins over a tentative one (`int g;`), which wins over `extern int g;`."""
    def weight(d: c_ast.Decl) -> int:
        return 2 if d.init is not None else 0 if "extern" in (d.storage or []) else 1
    return earlier is None or weight(decl) > weight(earlier)
