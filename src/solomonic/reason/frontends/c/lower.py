"""C frontend: gcc's preprocessor, pycparser, and a lowering to the IR with C's exact integer semantics.

Integer types are bit-vectors under the data model; promotions and the usual arithmetic conversions
follow C11 as gcc implements it (plain char signed, out-of-range conversions to signed types wrap).
Undefined behaviour becomes explicit events: signed overflow ("overflow"); division by zero, bad shift
amounts, left shifts of negative values, out-of-bounds array indices and non-positive VLA sizes ("ub").
SV-COMP conventions are built in (`__VERIFIER_nondet_*`, `__VERIFIER_assume`, `__VERIFIER_assert`,
`reach_error`, `abort`, `exit`). Calls are inlined, except calls into recursion (procedures); pointers
are objects fixed at lowering time plus an offset (see `cpointers.py`). Structs, floats and calls to
functions without a body raise `Unsupported` with the construct and line.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from pycparser import c_ast, c_generator, c_parser

from solomonic.reason.frontends.c.pointers import PointerLowering
from solomonic.reason.frontends.c.preprocess import (
    VA_LIST_TAG,
    Taint,
    Unmodelled,
    gnu_predicates,
    prepare,
    walk,
)
from solomonic.reason.frontends.c.symbols import (
    Array,
    ArraySym,
    CType,
    CVal,
    Layout,
    MemObject,
    Other,
    Pointer,
    PtrSym,
    PtrVal,
    Scalar,
    VarSym,
    Void,
)
from solomonic.reason.frontends.c.types import MODEL_DEPENDENT, CInt, CTypes, char_literal, integer_literal
from solomonic.reason.frontends.calls import on_cycles
from solomonic.reason.frontends.cfg import Builder, Loop
from solomonic.reason.ir import (
    BOOL,
    TRUE,
    App,
    ArrayType,
    BadInput,
    Call,
    Const,
    Edge,
    Event,
    Expr,
    Function,
    Input,
    Procedure,
    Unsupported,
    Var,
    app,
    arith,
    cast,
    compare,
    conj,
    const,
    disj,
    ite,
    negate,
)
from solomonic.reason.ir.evaluate import EvaluationError, evaluate

# gcc's preprocessor in GNU C mode, but without __GNUC__, so that glibc's headers fall back to plain C
# (and `assert` expands to a conditional expression, not a statement expression). The defines only
# give GNU spellings their standard names; every other GNU construct reaches `cextensions`, which
# drops what changes nothing and marks what is not modelled. include/ keeps glibc from erasing
# `__attribute__` (see include/sys/cdefs.h).
CINCLUDE = os.path.join(os.path.dirname(__file__), "include")
GNU_FLAGS = [
    "-std=gnu11", "-U__GNUC__", "-D__STRICT_ANSI__", f"-I{CINCLUDE}",
    "-D__restrict=restrict", "-D__restrict__=restrict", "-D__inline=inline", "-D__inline__=inline",
    "-D__volatile__=volatile", "-D__volatile=volatile", "-D__signed__=signed", "-D__signed=signed",
    "-D__const=const",
]
ERROR_FUNCTIONS = {"reach_error", "__VERIFIER_error", "__assert_fail", "__assert_perror_fail", "__assert"}
STOP_FUNCTIONS = {"abort", "exit", "_Exit", "_exit"}
NONDET_PREFIX = "__VERIFIER_nondet_"
NONDET_NAMES = {
    "int": "int", "uint": "unsigned int", "unsigned": "unsigned int", "unsigned_int": "unsigned int",
    "char": "char", "uchar": "unsigned char", "unsigned_char": "unsigned char", "short": "short",
    "ushort": "unsigned short", "unsigned_short": "unsigned short", "long": "long", "ulong": "unsigned long",
    "unsigned_long": "unsigned long", "longlong": "long long", "long_long": "long long",
    "ulonglong": "unsigned long long", "bool": "_Bool", "_Bool": "_Bool", "u32": "unsigned int",
    "u16": "unsigned short", "u8": "unsigned char", "s32": "int", "size_t": "unsigned long",
}


# ------------------------------------------------------------------------------------------ program


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
        # `#pragma pack` stays: it changes struct layout, and cextensions must see it
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


def parse_c(path: str, include_dirs=(), defines=(), data_model: str = "LP64") -> CProgram:
    prepared = prepare(preprocess(path, include_dirs, defines, data_model))
    parser = c_parser.CParser()
    try:
        tree = parser.parse(prepared.text, path)
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
    taint = Taint.of(tree, prepared, gnu_predicates(prepared.user_files, _read_source))
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


@dataclass
class Frame:
    function: str
    prefix: str
    scopes: list[dict[str, VarSym | ArraySym]]
    return_type: CType
    result: Var | None = None
    join: int | None = None
    loops: list[Loop] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    switch_cases: list[dict[int, int]] = field(default_factory=list)
    procedure: bool = False  # the body of a function on a recursive cycle, lowered on its own
    pointer_result: PtrSym | None = None  # an inlined function that returns a pointer


def lower_c(program: CProgram, name: str) -> Function:
    return _Lowering(program, name).lower()


class _Lowering(PointerLowering):
    def __init__(self, program: CProgram, name: str):
        self.p = program
        self.t = program.types
        self.name = name
        self.fdef = program.functions[name]
        self.b = Builder(self._line(self.fdef))
        self.frames: list[Frame] = []
        self.call_sites: list[tuple[str, c_ast.Node]] = []  # inlined calls, outermost first
        self.globals: dict[str, VarSym | ArraySym] = {}
        self.global_order: list[str] = []
        self.calls = 0
        self.model_dependent = False
        self.gen = c_generator.CGenerator()
        self.recursive = recursive_functions(program)
        self.procedures: dict[str, Procedure] = {}
        self.objects: dict[int, MemObject] = {}  # id of a variable's symbol -> the object its address names
        self.allocations = 0
        self.has_goto = any(isinstance(n, c_ast.Goto) for f in program.functions.values() for n in walk(f.body))
        self.impure = impure_functions(program)

    # --------------------------------------------------------------------------------------- helpers

    def _line(self, node: c_ast.Node | None) -> int:
        return node.coord.line if node is not None and node.coord is not None else 0

    def unsupported(self, what: str, node: c_ast.Node | None) -> Unsupported:
        return Unsupported(what, self.p.path, self._line(node) or self._line(self.fdef))

    def refuse_tainted(self, found: Unmodelled | None, declaration: str) -> None:
        """Stop at a declaration that holds a construct the lowering does not model (see cextensions)."""
        if found is not None:
            raise Unsupported(f"{found.construct} is not modelled ({declaration})", found.file, found.line)

    def enter_function(self, name: str, fdef: c_ast.FuncDef) -> None:
        """Checks every function body must pass before it is lowered (analysed, inlined or called)."""
        self.refuse_tainted(self.p.taint.names.get(name), f"in `{name}`")
        if "_Noreturn" in (fdef.decl.funcspec or []):
            raise self.unsupported(f"_Noreturn function `{name}` (returning from it is undefined)", fdef)

    def text(self, node: c_ast.Node) -> str:
        return " ".join(self.gen.visit(node).split())

    def event(self, kind: str, node: c_ast.Node, message: str) -> Event:
        """An event at node; assertion failures inside inlined helpers (`__VERIFIER_assert`) are
        attributed to the call in the analysed function."""
        if self.call_sites and kind == "assert":
            _, call = self.call_sites[0]
            return Event(kind, self._line(call), f"`{self.text(call)}` fails ({message})")
        where = f" in {self.frames[-1].function}()" if self.frames[-1].function != self.name else ""
        return Event(kind, self._line(node), message + where)

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    def c_int(self, name: str) -> CInt:
        if name in MODEL_DEPENDENT:
            self.model_dependent = True
        return self.t.get(name)

    # ------------------------------------------------------------------------------------------ types

    def resolve(self, node: c_ast.Node) -> CType:
        if isinstance(node, c_ast.TypeDecl):
            if "_Atomic" in (node.quals or []):
                return Other("_Atomic type")
            return self.resolve(node.type)
        if isinstance(node, c_ast.Typename):
            return self.resolve(node.type)
        if isinstance(node, c_ast.IdentifierType):
            names = node.names
            if len(names) == 1 and names[0] in self.p.typedefs:
                self.refuse_tainted(self.p.taint.names.get(names[0]), f"the typedef '{names[0]}'")
                if names[0] in ("size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t"):
                    self.model_dependent = True
                return self.resolve(self.p.typedefs[names[0]])
            if names == ["void"]:
                return Void()
            if any(n in ("float", "double") for n in names):
                return Other("floating point")
            canonical = self.t.canonical(names)
            if canonical is None:
                return Other(f"type {' '.join(names)}")
            if not self.t.available(canonical):
                return Other(f"{canonical}, which gcc does not offer under {self.t.data_model}")
            return Scalar(self.c_int(canonical))
        if isinstance(node, (c_ast.Struct, c_ast.Union, c_ast.Enum)) and node.name:
            self.refuse_tainted(self.p.taint.tags.get(node.name), f"the type '{node.name}'")
        if isinstance(node, c_ast.Struct) and node.name == VA_LIST_TAG:
            return Other("va_list (variadic arguments)")
        if isinstance(node, c_ast.Enum):
            return Scalar(self.enum_type(node))
        if isinstance(node, c_ast.ArrayDecl):
            elem = self.resolve(node.type)
            if not isinstance(elem, (Scalar, Array)):
                return Other("array of non-integers")
            return Array(elem, node.dim)
        if isinstance(node, c_ast.PtrDecl):
            if "restrict" in (node.quals or []):  # aliasing through it would be undefined, and is not checked
                return Other("restrict-qualified pointer")
            if "_Atomic" in (node.quals or []):
                return Other("_Atomic type")
            return Pointer(self.resolve(node.type))
        if isinstance(node, (c_ast.Struct, c_ast.Union)):
            return Other("struct or union", node)
        if isinstance(node, c_ast.FuncDecl):
            return Other("function")
        return Other(type(node).__name__)

    def scalar(self, node: c_ast.Node, what: str, at: c_ast.Node) -> CInt:
        t = self.resolve(node)
        if not isinstance(t, Scalar):
            raise self.unsupported(f"{what} of {self.describe(t)}", at)
        return t.c

    def describe(self, t: CType) -> str:
        if isinstance(t, Other):
            return t.what
        if isinstance(t, Void):
            return "type void"
        if isinstance(t, Array):
            return "array type"
        if isinstance(t, Pointer):
            return "pointer"
        return t.c.name

    def sizeof(self, t: CType, at: c_ast.Node) -> int:
        self.model_dependent = True  # sizeof yields size_t
        if isinstance(t, Scalar):
            return t.c.size
        if isinstance(t, Array) and t.dim is not None:
            return self.constant(t.dim) * self.sizeof(t.elem, at)
        if isinstance(t, Pointer):
            return self.t.pointer_bytes
        if isinstance(t, Other) and t.record is not None:
            return self.layout(t.record, at).size
        raise self.unsupported(f"sizeof of {self.describe(t)}", at)

    def definition(self, record: c_ast.Struct | c_ast.Union, at: c_ast.Node) -> c_ast.Struct | c_ast.Union:
        """The members of a struct or union named by its tag: its one definition in the file (a tag defined
        twice, in different scopes, is not resolved)."""
        if record.decls is not None:
            return record
        found = [n for n in walk(self.p.ast) if type(n) is type(record) and n.name == record.name
                 and n.decls is not None]
        if len(found) != 1:
            what = "without a definition" if not found else "defined more than once"
            raise self.unsupported(f"{type(record).__name__.lower()} {record.name} {what}", at)
        return found[0]

    def layout(self, record: c_ast.Struct | c_ast.Union, at: c_ast.Node) -> Layout:
        """Member offsets, size and alignment as gcc lays them out: each member at the next multiple of
        its alignment, the whole padded to the largest alignment (a union: every member at 0). Bitfields,
        members with _Alignas, anonymous members and floating-point members are not modelled."""
        if self.p.taint.layout:
            self.refuse_tainted(self.p.taint.layout[0],
                                f"the layout of {type(record).__name__.lower()} {record.name or ''}")
        record = self.definition(record, at)
        kind = "union" if isinstance(record, c_ast.Union) else "struct"
        offset = size = 0
        align = 1
        members: dict[str, tuple[int, CType]] = {}
        for i, m in enumerate(record.decls or []):
            if m.bitsize is not None:
                raise self.unsupported(f"bitfield '{m.name}' in {kind} {record.name or ''}", m)
            if m.align or m.name is None:
                raise self.unsupported(f"_Alignas or an anonymous member in {kind} {record.name or ''}", m)
            t = self.resolve(m.type)
            flexible = isinstance(t, Array) and t.dim is None and i == len(record.decls) - 1 and kind == "struct"
            m_size = 0 if flexible else self.sizeof(t, m)
            m_align = self.alignment(t, m)
            if kind == "struct":
                offset = -(-offset // m_align) * m_align
                members[m.name] = (offset, t)
                offset += m_size
            else:
                members[m.name] = (0, t)
                size = max(size, m_size)
            align = max(align, m_align)
        end = offset if kind == "struct" else size
        return Layout(-(-end // align) * align, align, members)

    def offsetof(self, e: c_ast.FuncCall) -> CVal:
        """offsetof(type, member.member[index]...) from the layout."""
        args = e.args.exprs if e.args is not None else []
        if len(args) != 2 or not isinstance(args[0], c_ast.Typename):
            raise self.unsupported(f"`{self.text(e)}`", e)
        steps: list[c_ast.Node] = []
        node = args[1]
        while isinstance(node, (c_ast.StructRef, c_ast.ArrayRef)):
            steps.append(node)
            node = node.name
        if not isinstance(node, c_ast.ID):
            raise self.unsupported(f"`{self.text(e)}`", e)
        t = self.resolve(args[0].type)
        offset = 0
        for step in [node, *reversed(steps)]:
            if isinstance(step, c_ast.ArrayRef):
                if not isinstance(t, Array):
                    raise self.unsupported(f"`{self.text(e)}` indexes a non-array", e)
                t = t.elem
                offset += self.constant(step.subscript) * self.sizeof(t, e)
                continue
            if isinstance(step, c_ast.StructRef) and step.type != ".":
                raise self.unsupported(f"`{self.text(e)}`", e)
            name = step.name if isinstance(step, c_ast.ID) else step.field.name
            if not (isinstance(t, Other) and t.record is not None):
                raise self.unsupported(f"`{self.text(e)}`: '{name}' is not a member of a struct or union", e)
            members = self.layout(t.record, e).members
            if name not in members:
                raise self.unsupported(f"`{self.text(e)}`: no member '{name}'", e)
            where, t = members[name]
            offset += where
        self.model_dependent = True  # yields size_t
        return CVal(const(offset, self.t.size_t.bv), self.t.size_t)

    # ------------------------------------------------------------------------------------ conversions

    def value(self, v: CVal) -> Expr:
        if v.expr.type == BOOL:
            return ite(v.expr, const(1, v.type.bv), const(0, v.type.bv))
        return v.expr

    def cond(self, v: CVal) -> Expr:
        if v.expr.type == BOOL:
            return v.expr
        return compare("ne", v.expr, const(0, v.type.bv))

    def convert(self, v: CVal, target: CInt) -> Expr:
        if target.name == "_Bool":
            return ite(self.cond(v), const(1, target.bv), const(0, target.bv))
        return cast(self.value(v), target.bv)

    def to(self, v: CVal, target: CInt) -> CVal:
        return CVal(self.convert(v, target), target)

    def promoted(self, v: CVal) -> CVal:
        return self.to(v, self.t.promote(v.type))

    def full(self, node: c_ast.Node | None) -> None:
        """A full expression is lowered in one order of evaluation; refuse one whose outcome depends on
        the order C leaves open (undefined or unspecified)."""
        clash = unsequenced(node, self.p.globals.keys(), self.impure) if node is not None else None
        if clash is not None:
            raise self.unsupported(f"`{self.text(clash)}`: side effects whose order C leaves open", clash)

    def check(self, ok: Expr, kind: str, node: c_ast.Node, message: str) -> None:
        self.b.fail_unless(ok, self.event(kind, node, message))

    # ------------------------------------------------------------------------------------------ entry

    def lower(self) -> Function:
        if self.p.taint.everywhere:
            found = self.p.taint.everywhere[0]
            raise Unsupported(f"{found.construct} is not modelled (it affects every function)", found.file,
                              found.line)
        self.enter_function(self.name, self.fdef)
        fdecl = self.fdef.decl.type
        frame = Frame(self.name, "", [{}], self.resolve(fdecl.type))
        self.frames.append(frame)
        inputs = []
        for param in self.parameters(fdecl):
            ctype = self.scalar(param.type, f"parameter '{param.name}'", param)
            var = Var(param.name, ctype.bv)
            frame.scopes[-1][param.name] = VarSym(var, ctype)
            inputs.append(Input(var, param.name, ctype.name))
            if ctype.name == "_Bool":
                self.b.assume(compare("le", var, const(1, ctype.bv)), self._line(param))
        returns_value = not isinstance(frame.return_type, Void)
        if returns_value:
            rtype = frame.return_type
            if not isinstance(rtype, Scalar):
                raise self.unsupported(f"return type {self.describe(rtype)}", self.fdef)
            frame.result = Var("$return", rtype.c.bv)
        self.statement(self.fdef.body)
        if self.b.current is not None:
            self.finish(None, self.fdef.body)
        if self.name == "main":
            self.initialise_globals()
        else:
            for n in self.global_order:
                sym = self.globals[n]
                if isinstance(sym, VarSym):
                    inputs.append(Input(sym.var, n, sym.type.name, kind="global"))
                else:
                    raise self.unsupported(f"global array '{n}' read by a function other than main", self.fdef)
        context = {"nondet_functions": self.p.nondet_functions, "defined_functions": sorted(self.p.functions),
                   "include_dirs": list(self.p.include_dirs), "defines": list(self.p.defines)}
        return Function(self.name, "c", self.p.path, self._line(self.fdef), inputs, self.b.cfg, returns_value,
                        data_model=self.t.data_model, data_model_dependent=self.model_dependent,
                        replay_context=context, procedures=self.procedures)

    def parameters(self, fdecl: c_ast.FuncDecl) -> list[c_ast.Decl]:
        params = fdecl.args.params if fdecl.args is not None else []
        out = []
        for p in params:
            if isinstance(p, c_ast.EllipsisParam):
                raise self.unsupported("variadic function", p)
            if isinstance(p, c_ast.Typename) and isinstance(self.resolve(p.type), Void):
                continue  # f(void)
            if isinstance(p, c_ast.ID):
                raise self.unsupported("old-style (K&R) parameter list", p)
            out.append(p)
        return out

    def finish(self, value: CVal | None, node: c_ast.Node) -> None:
        """Leave the function being lowered (return statement or the end of its body)."""
        frame = self.frame
        line = self._line(node)
        if frame.result is not None:
            rtype = frame.return_type.c  # type: ignore[union-attr]
            if value is None and frame.function == "main":
                value = CVal(const(0, self.t.int.bv), self.t.int)  # C99 5.1.2.2.3: main returns 0
            if value is not None:
                self.b.assign(frame.result, self.convert(value, rtype), line)
            else:
                self.b.havoc(frame.result, f"missing return value of {frame.function}()", line)
        if frame.procedure:
            self.b.end(Event("return", line, f"{frame.function}() returns"))
            return
        if len(self.frames) > 1:
            self.b.jump(frame.join, line)
            return
        if frame.result is None:
            self.b.end(Event("return", line, "returns"))
            return
        yes, no = self.b.branch(compare("ne", frame.result, const(0, frame.result.type)), line)
        if yes is not None:
            self.b.place(yes)
            self.b.end(Event("return", line, "returns a non-zero value"))
        if no is not None:
            self.b.place(no)
            self.b.end(Event("return-false", line, "returns 0"))

    def initialise_globals(self) -> None:
        """main starts with the globals it uses at their initial values (prepended to the graph)."""
        saved = self.b.current
        first = self.b.cfg.edges[0]
        start = self.b.location(first.line)
        self.b.place(start)
        for n in self.global_order:
            self.initialise(self.globals[n], self.p.globals[n], static=True)
        self.b.jump(first.dst, first.line)
        self.b.cfg.edges[0] = Edge(first.src, start, None, first.line)
        self.b.current = saved

    # ------------------------------------------------------------------------------------------ names

    def lookup(self, name: str, node: c_ast.Node) -> VarSym | ArraySym | CVal:
        for scope in reversed(self.frame.scopes):
            if name in scope:
                return scope[name]
        if name in self.p.globals and self.frames[0].procedure:
            raise self.unsupported(f"global variable '{name}' used in the recursive function "
                                   f"`{self.frames[0].function}`", node)
        if name in self.globals:
            return self.globals[name]
        if name in self.p.globals:
            self.refuse_tainted(self.p.taint.names.get(name), f"the declaration of '{name}'")
            decl = self.p.globals[name]
            sym = self.declare(decl, Var(name, BOOL), is_global=True)
            self.globals[name] = sym
            self.global_order.append(name)
            return sym
        if name in self.p.enumerators:
            value = self.enumerator(name)
            if not self.t.int.bv.min <= value <= self.t.int.bv.max:  # gcc then gives it a wider type
                raise self.unsupported(f"enumerator '{name}' = {value}, outside int's range", node)
            return CVal(const(value, self.t.int.bv), self.t.int)
        if name in self.p.functions or name in self.p.prototypes:
            raise self.unsupported(f"function '{name}' used as a value", node)
        raise self.unsupported(f"undeclared identifier '{name}'", node)

    def enum_type(self, node: c_ast.Enum) -> CInt:
        """gcc's type for an enum: unsigned int when no enumerator is negative, else int (no -fshort-enums)."""
        values = node.values
        if values is None:
            values = next((n.values for n in walk(self.p.ast)
                           if isinstance(n, c_ast.Enum) and n.name == node.name and n.values is not None), None)
        if values is None:
            raise self.unsupported(f"enum {node.name} without a visible definition", node)
        numbers = [self.enumerator(e.name) for e in values.enumerators]
        if any(not self.t.int.bv.min <= v <= self.t.int.bv.max for v in numbers):
            raise self.unsupported(f"enum {node.name or ''} with an enumerator outside int's range", node)
        return self.t.int if any(v < 0 for v in numbers) else self.t.get("unsigned int")

    def enumerator(self, name: str) -> int:
        node = self.p.enumerators[name]
        value = None
        # an enumerator without a value is one more than the previous one in its list
        for parent in walk(self.p.ast):
            if isinstance(parent, c_ast.EnumeratorList) and node in parent.enumerators:
                for e in parent.enumerators:
                    value = self.constant(e.value) if e.value is not None else (0 if value is None else value + 1)
                    if e is node:
                        return value
        raise self.unsupported(f"enumerator '{name}'", node)

    def declare(self, decl: c_ast.Decl, template: Var, is_global: bool = False,
                outermost: bool = False) -> VarSym | ArraySym | PtrSym:
        """A symbol for decl (its IR variable is named like `template`), without initialising it.
        `outermost`: declared in the analysed function's outermost block."""
        t = self.resolve(decl.type)
        if isinstance(t, Scalar):
            return VarSym(Var(template.name, t.c.bv), t.c, outermost or is_global)
        if isinstance(t, Pointer) and not is_global:
            return self.pointer_symbol(decl.name, template, t, decl)
        if isinstance(t, Array):
            dims_nodes = []
            inner: CType = t
            while isinstance(inner, Array):
                dims_nodes.append(inner.dim)
                inner = inner.elem
            assert isinstance(inner, Scalar)
            dims: list[Expr] = []
            for i, d in enumerate(dims_nodes):
                if d is None:
                    if i == 0 and isinstance(decl.init, c_ast.InitList):
                        dims.append(const(len(decl.init.exprs), self.t.index))
                        continue
                    raise self.unsupported(f"array '{decl.name}' without a size", decl)
                try:
                    dims.append(const(self.constant(d), self.t.index))
                except Unsupported:
                    if is_global:
                        raise
                    size = self.expression(d)
                    dim_var = Var(f"{template.name}$size{i}", self.t.index)
                    # Zero-length arrays are a GNU extension gcc accepts (no element is then valid);
                    # a negative size is undefined.
                    wide = self.t.get("long long")
                    self.check(compare("ge", self.convert(size, wide), const(0, wide.bv)),
                               "ub", d, f"variable-length array '{decl.name}' with a negative size")
                    self.b.assign(dim_var, cast(self.value(size), self.t.index), self._line(d))
                    dims.append(dim_var)
            return ArraySym(Var(template.name, ArrayType(self.t.index, inner.c.bv)), inner.c, dims,
                            outermost or is_global)
        raise self.unsupported(f"variable '{decl.name}' of {self.describe(t)}", decl)

    def initialise(self, sym: VarSym | ArraySym | PtrSym, decl: c_ast.Decl, static: bool) -> None:
        line = self._line(decl)
        init = decl.init
        self.full(init)
        if static and init is None and "extern" in (decl.storage or []):
            raise self.unsupported(f"extern variable '{decl.name}' defined elsewhere", decl)
        if isinstance(sym, PtrSym):
            if init is None:
                self.uninitialised(sym, line)
            else:
                self.bind(sym, self.pointer(init, sym.pointee), decl)
            return
        if isinstance(sym, VarSym):
            if init is None:
                if static:
                    self.b.assign(sym.var, const(0, sym.var.type), line)
                else:
                    self.b.havoc(sym.var, f"uninitialised '{decl.name}'", line)
                return
            if isinstance(init, c_ast.InitList):
                if len(init.exprs) != 1:
                    raise self.unsupported("scalar initialised with a list", init)
                init = init.exprs[0]
            self.b.assign(sym.var, self.convert(self.expression(init), sym.type), line)
            return
        if init is None and not static:
            self.b.havoc(sym.var, f"uninitialised '{decl.name}'", line)
            return
        array = App("constarray", (const(0, sym.elem.bv),), sym.var.type)
        if init is not None:
            if not isinstance(init, c_ast.InitList) or len(sym.dims) != 1:
                raise self.unsupported("array initialiser other than a flat list", init)
            if any(isinstance(x, c_ast.NamedInitializer) for x in init.exprs):
                raise self.unsupported("designated initialiser", init)
            values = [self.convert(self.expression(x), sym.elem) for x in init.exprs]
            for i, v in enumerate(values):
                array = App("store", (array, const(i, self.t.index), v), sym.var.type)
        self.b.assign(sym.var, array, line)

    def constant(self, node: c_ast.Node) -> int:
        """The value of an integer constant expression (array sizes, case labels, enumerators)."""
        snapshot = self.b.snapshot()
        try:
            v = self.expression(node)
            if self.b.changed_since(snapshot):
                raise self.unsupported(f"`{self.text(node)}` is not a constant expression", node)
            return evaluate(self.value(v), {})
        except (KeyError, EvaluationError):
            raise self.unsupported(f"`{self.text(node)}` is not a constant expression", node) from None
        finally:
            self.b.rollback(snapshot)

    # ------------------------------------------------------------------------------------- statements

    def statement(self, s: c_ast.Node) -> None:
        entries = (c_ast.Label, c_ast.Case, c_ast.Default)
        if self.b.current is None and not isinstance(s, c_ast.Compound) and not any(
                isinstance(n, entries) for n in walk(s)):
            return  # dead code without a way in
        line = self._line(s)
        if isinstance(s, c_ast.Compound):
            self.frame.scopes.append({})
            for item in s.block_items or []:
                self.statement(item)
            self.frame.scopes.pop()
        elif isinstance(s, c_ast.Decl):
            self.local_declaration(s)
        elif isinstance(s, c_ast.DeclList):
            for d in s.decls:
                self.local_declaration(d)
        elif isinstance(s, (c_ast.Typedef, c_ast.Pragma, c_ast.EmptyStatement)):
            if isinstance(s, c_ast.Typedef):
                self.p.typedefs[s.name] = s.type
        elif isinstance(s, c_ast.If):
            self.full(s.cond)
            cond = self.truth(s.cond)
            yes, no = self.b.branch(cond, line)
            join = self.b.location(line)
            for loc, body in ((yes, s.iftrue), (no, s.iffalse)):
                if loc is None and not _has_label(body):
                    continue
                self.b.place(loc)
                if body is not None:
                    self.statement(body)
                self.b.jump(join, line)
            self.b.place_if_reached(join)
        elif isinstance(s, c_ast.While):
            self.loop(s, s.cond, s.stmt, None, test_first=True)
        elif isinstance(s, c_ast.DoWhile):
            self.loop(s, s.cond, s.stmt, None, test_first=False)
        elif isinstance(s, c_ast.For):
            self.frame.scopes.append({})
            if s.init is not None:
                if isinstance(s.init, c_ast.DeclList):
                    for d in s.init.decls:
                        self.local_declaration(d)
                else:
                    self.full(s.init)
                    self.effect(s.init)
            self.loop(s, s.cond, s.stmt, s.next, test_first=True)
            self.frame.scopes.pop()
        elif isinstance(s, c_ast.Break):
            if not self.frame.loops:
                raise self.unsupported("break outside a loop or switch", s)
            self.b.jump(self.frame.loops[-1].break_to, line)
        elif isinstance(s, c_ast.Continue):
            loops = [lp for lp in self.frame.loops if lp.continue_to >= 0]
            if not loops:
                raise self.unsupported("continue outside a loop", s)
            self.b.jump(loops[-1].continue_to, line)
        elif isinstance(s, c_ast.Return):
            self.full(s.expr)
            if self.frame.pointer_result is not None and s.expr is not None:
                self.bind(self.frame.pointer_result, self.pointer(s.expr, self.frame.pointer_result.pointee), s)
                self.finish(None, s)
                return
            value = self.expression(s.expr) if s.expr is not None else None
            self.finish(value, s)
        elif isinstance(s, c_ast.Label):
            loc = self.label(s.name, line)
            self.b.jump(loc, line)
            self.b.place(loc)
            self.statement(s.stmt)
        elif isinstance(s, c_ast.Goto):
            self.b.jump(self.label(s.name, line), line)
        elif isinstance(s, c_ast.Switch):
            self.switch(s)
        elif isinstance(s, (c_ast.Case, c_ast.Default)):
            if not self.frame.switch_cases:
                raise self.unsupported("case label outside a switch", s)
            loc = self.frame.switch_cases[-1][id(s)]
            self.b.jump(loc, line)
            self.b.place(loc)
            for item in s.stmts or []:
                self.statement(item)
        else:
            self.full(s)
            self.effect(s)  # an expression statement

    def label(self, name: str, line: int) -> int:
        labels = self.frame.labels
        if name not in labels:
            labels[name] = self.b.location(line)
        return labels[name]

    def loop(self, s, cond_node, body, step, test_first: bool) -> None:
        """while, for (test first) and do-while: `continue` goes to the step, then the test."""
        line = self._line(s)
        self.full(cond_node)
        self.full(step)
        test, after, step_loc, body_start = (self.b.location(line) for _ in range(4))
        self.b.jump(test if test_first else body_start, line)
        self.b.place(step_loc)
        if step is not None:
            self.effect(step)
        self.b.jump(test, line)
        self.b.place(test)
        cond = self.truth(cond_node) if cond_node is not None else TRUE
        yes, no = self.b.branch(cond, line)
        if yes is not None:
            self.b.place(yes)
            self.b.jump(body_start, line)
        if no is not None:
            self.b.place(no)
            self.b.jump(after, line)
        self.b.place(body_start)
        self.frame.loops.append(Loop(after, step_loc))
        self.statement(body)
        self.frame.loops.pop()
        self.b.jump(step_loc, line)
        self.b.place_if_reached(after)

    def switch(self, s: c_ast.Switch) -> None:
        line = self._line(s)
        self.full(s.cond)
        subject = self.promoted(self.expression(s.cond))
        after = self.b.location(line)
        cases: dict[int, int] = {}
        order: list[tuple[c_ast.Node, int]] = []
        for node in _switch_labels(s.stmt):
            cases[id(node)] = self.b.location(self._line(node))
            order.append((node, cases[id(node)]))
        default = next((loc for node, loc in order if isinstance(node, c_ast.Default)), after)
        for node, loc in order:
            if isinstance(node, c_ast.Case):
                value = const(self.constant(node.expr), subject.type.bv)
                yes, no = self.b.branch(compare("eq", subject.expr, value), self._line(node))
                if yes is not None:
                    self.b.place(yes)
                    self.b.jump(loc, line)
                self.b.place(no)
        self.b.jump(default, line)
        self.frame.loops.append(Loop(after, -1))
        self.frame.switch_cases.append(cases)
        self.statement(s.stmt)
        self.frame.switch_cases.pop()
        self.frame.loops.pop()
        self.b.jump(after, line)
        self.b.place_if_reached(after)

    def local_declaration(self, d: c_ast.Decl) -> None:
        if isinstance(d.type, c_ast.FuncDecl) or d.name is None:
            return  # a local prototype, or a struct/enum tag declaration
        if "static" in (d.storage or []):
            raise self.unsupported(f"static local variable '{d.name}'", d)
        if "extern" in (d.storage or []):
            raise self.unsupported(f"local extern declaration '{d.name}'", d)
        frame = self.frame
        taken = {v.base if isinstance(v, PtrSym) else v.var.name for sc in frame.scopes for v in sc.values()}
        base = frame.prefix + d.name
        name, k = base, 1
        while name in taken or name in self.p.globals:
            k += 1
            name = f"{base}#{k}"
        outermost = not frame.procedure and len(frame.scopes) == 2
        sym = self.declare(d, Var(name, BOOL), outermost=outermost)
        frame.scopes[-1][d.name] = sym
        self.initialise(sym, d, static=False)

    # ------------------------------------------------------------------------------------ expressions

    def effect(self, e: c_ast.Node) -> None:
        """Evaluate e for its effects only (an expression statement, a `for` step)."""
        if isinstance(e, c_ast.ExprList):
            for x in e.exprs:
                self.effect(x)
        elif self.points(e):
            self.pointer_or_allocation(e)
        else:
            self.expression(e)

    def truth(self, e: c_ast.Node) -> Expr:
        """e as a condition: non-zero, or for a pointer non-null."""
        if self.points(e):
            return negate(self.pointer(e).null)
        return self.cond(self.expression(e))

    def expression(self, e: c_ast.Node) -> CVal:
        if self.points(e):
            raise self.unsupported(f"pointer `{self.text(e)}` used as a number or a condition", e)
        if isinstance(e, c_ast.Constant):
            return self.literal(e)
        if isinstance(e, c_ast.ID):
            sym = self.lookup(e.name, e)
            if isinstance(sym, CVal):
                return sym
            return CVal(sym.var, sym.type)
        if isinstance(e, c_ast.ArrayRef):
            sym, index = self.element(e)
            return CVal(App("select", (sym.var, index), sym.elem.bv), sym.elem)
        if isinstance(e, c_ast.BinaryOp):
            return self.binary(e)
        if isinstance(e, c_ast.UnaryOp):
            return self.unary(e)
        if isinstance(e, c_ast.Assignment):
            return self.assignment(e)
        if isinstance(e, c_ast.TernaryOp):
            cond = self.truth(e.cond)
            return self.choose(cond, e.iftrue, e.iffalse, e)
        if isinstance(e, c_ast.Cast):
            target = self.resolve(e.to_type)
            v = self.expression(e.expr)
            if isinstance(target, Void):
                return CVal(const(0, self.t.int.bv), self.t.int)
            if not isinstance(target, Scalar):
                raise self.unsupported(f"cast to {self.describe(target)}", e)
            return self.to(v, target.c)
        if isinstance(e, c_ast.ExprList):
            for x in e.exprs[:-1]:
                self.effect(x)
            return self.expression(e.exprs[-1])
        if isinstance(e, c_ast.FuncCall):
            return self.call(e)
        raise self.unsupported(f"expression `{type(e).__name__}`", e)

    def literal(self, e: c_ast.Constant) -> CVal:
        try:
            if e.type == "char":
                return CVal(const(char_literal(e.value), self.t.int.bv), self.t.int)
            if e.type in ("int", "unsigned int", "long int", "unsigned long int", "long long int",
                          "unsigned long long int"):
                value, ctype = integer_literal(e.value, self.t)
                if ctype.name in MODEL_DEPENDENT:
                    self.model_dependent = True
                return CVal(const(value, ctype.bv), ctype)
        except ValueError as err:
            raise self.unsupported(str(err), e) from None
        raise self.unsupported(f"{e.type} constant {e.value}", e)

    def element(self, e: c_ast.ArrayRef) -> tuple[ArraySym, Expr]:
        """The array and the checked, flattened index of `a[i][j]...`."""
        indices = []
        node: c_ast.Node = e
        while isinstance(node, c_ast.ArrayRef):
            indices.append(node.subscript)
            node = node.name
        indices.reverse()
        if not isinstance(node, c_ast.ID) or isinstance(self.lookup(node.name, node), PtrSym):
            if len(indices) != 1 or not self.points(node):
                raise self.unsupported(f"indexing `{self.text(node)}`, which is not an array or a pointer", e)
            target = self.deref(self.step(self.pointer(node), self.expression(indices[0]), "+", e), e, writes=True)
            if isinstance(target, VarSym):  # p[0] for p into a single object
                raise self.unsupported(f"`{self.text(e)}` indexes a single object", e)
            return target
        sym = self.lookup(node.name, node)
        if not isinstance(sym, ArraySym):
            raise self.unsupported(f"indexing '{node.name}', which is not an array", e)
        if len(indices) != len(sym.dims):
            raise self.unsupported(f"partial indexing of array '{node.name}'", e)
        flat: Expr = const(0, self.t.index)
        for sub, dim in zip(indices, sym.dims):
            i = self.to_index(self.expression(sub))
            ok = conj(compare("ge", i, const(0, self.t.index)), compare("lt", i, dim))
            self.check(ok, "ub", e, f"array index out of bounds in `{self.text(e)}`")
            flat = arith("add", arith("mul", flat, dim), i) if flat != const(0, self.t.index) else i
        return sym, flat

    def to_index(self, v: CVal) -> Expr:
        """The index as a signed 64-bit value (an unsigned one above 2**63 turns negative: out of bounds)."""
        return cast(self.value(self.promoted(v)), self.t.index)

    def choose(self, cond: Expr, a_node, b_node, node) -> CVal:
        """cond ? a : b, evaluating only the chosen operand when evaluating it has effects."""
        a = self.b.speculate(lambda: self.expression(a_node))
        b = self.b.speculate(lambda: self.expression(b_node)) if a is not None else None
        if a is not None and b is not None:
            common = self.t.common(a.type, b.type)
            return CVal(ite(cond, self.convert(a, common), self.convert(b, common)), common)
        line = self._line(node)
        yes, no = self.b.branch(cond, line)
        join = self.b.location(line)
        arrivals: list[tuple[int, CVal]] = []
        for loc, sub in ((yes, a_node), (no, b_node)):
            if loc is None:
                continue
            self.b.place(loc)
            value = self.expression(sub)
            if self.b.current is not None:
                arrivals.append((self.b.current, value))
            self.b.current = None
        if not arrivals:
            return CVal(const(0, self.t.int.bv), self.t.int)
        types = [v.type for _, v in arrivals]
        common = types[0] if len(types) == 1 else self.t.common(*types)
        tmp = self.b.temp("cond", common.bv)
        for end, value in arrivals:
            self.b.place(end)
            self.b.assign(tmp, self.convert(value, common), line)
            self.b.jump(join, line)
        self.b.place(join)
        return CVal(tmp, common)

    def binary(self, e: c_ast.BinaryOp) -> CVal:
        op = e.op
        if op in ("&&", "||"):
            left = self.truth(e.left)
            right = self.b.speculate(lambda: self.truth(e.right))
            if right is not None:
                return CVal(conj(left, right) if op == "&&" else disj(left, right), self.t.int)
            go_on = left if op == "&&" else negate(left)
            tmp = self.b.temp("logic", self.t.int.bv)
            line = self._line(e)
            self.b.assign(tmp, const(0 if op == "&&" else 1, self.t.int.bv), line)
            join = self.b.location(line)
            yes, no = self.b.branch(go_on, line)
            if yes is not None:
                self.b.place(yes)
                r = self.truth(e.right)
                self.b.assign(tmp, ite(r, const(1, self.t.int.bv), const(0, self.t.int.bv)), line)
                self.b.jump(join, line)
            if no is not None:
                self.b.place(no)
                self.b.jump(join, line)
            self.b.place(join)
            return CVal(tmp, self.t.int)
        if self.points(e.left) or self.points(e.right):
            if op == "-" and self.points(e.left) and self.points(e.right):
                return self.difference(e)
            return self.compare_pointers(op, e)
        left = self.expression(e.left)
        right = self.expression(e.right)
        return self.arithmetic(op, left, right, e)

    def arithmetic(self, op: str, left: CVal, right: CVal, e: c_ast.Node) -> CVal:
        if op in ("<<", ">>"):
            return self.shift(op, self.promoted(left), self.promoted(right), e)
        common = self.t.common(left.type, right.type)
        a, b = self.convert(left, common), self.convert(right, common)
        compares = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}
        if op in compares:
            return CVal(compare(compares[op], a, b), self.t.int)
        text = self.text(e)
        signed = common.signed
        if op in ("+", "-", "*"):
            name = {"+": "add", "-": "sub", "*": "mul"}[op]
            if signed:
                self.check(app(f"noovf_{name}", (a, b), BOOL), "overflow", e, f"signed overflow in `{text}`")
                name += "_nsw"  # used only past the check
            return CVal(arith(name, a, b), common)
        if op in ("/", "%"):
            self.check(compare("ne", b, const(0, common.bv)), "ub", e, f"division by zero in `{text}`")
            if signed:
                self.check(app("noovf_div", (a, b), BOOL), "overflow", e, f"signed overflow in `{text}`")
            return CVal(arith("div_nsw" if op == "/" and signed else "div" if op == "/" else "rem", a, b), common)
        bitwise = {"&": "bitand", "|": "bitor", "^": "bitxor"}
        if op in bitwise:
            return CVal(arith(bitwise[op], a, b), common)
        raise self.unsupported(f"operator `{op}`", e)

    def shift(self, op: str, left: CVal, right: CVal, e: c_ast.Node) -> CVal:
        width = left.type.bv.width
        amount = self.value(right)
        text = self.text(e)
        in_range = compare("lt", amount, const(width, right.type.bv))
        if right.type.signed:
            in_range = conj(compare("ge", amount, const(0, right.type.bv)), in_range)
        self.check(in_range, "ub", e, f"shift amount out of range in `{text}`")
        a = self.value(left)
        n = cast(amount, left.type.bv)
        if op == ">>":
            return CVal(arith("shr", a, n), left.type)
        if left.type.signed:
            self.check(compare("ge", a, const(0, left.type.bv)), "ub", e, f"left shift of a negative value in `{text}`")
            self.check(app("noovf_shl", (a, n), BOOL), "overflow", e, f"signed overflow in `{text}`")
        return CVal(arith("shl", a, n), left.type)

    def unary(self, e: c_ast.UnaryOp) -> CVal:
        op = e.op
        if op == "sizeof":
            if isinstance(e.expr, c_ast.Typename):
                size = self.sizeof(self.resolve(e.expr.type), e)
            else:
                size = self.sizeof_expression(e.expr)
            return CVal(const(size, self.t.size_t.bv), self.t.size_t)
        if op == "_Alignof":
            if not isinstance(e.expr, c_ast.Typename):  # a GNU extension: the object's own alignment
                raise self.unsupported(f"`{self.text(e)}` of an expression", e)
            self.model_dependent = True  # yields size_t
            return CVal(const(self.alignment(self.resolve(e.expr.type), e), self.t.size_t.bv), self.t.size_t)
        if op in ("++", "--", "p++", "p--"):
            target = self.lvalue(e.expr)
            old = self.read(target)
            if op.startswith("p"):  # postfix: the value before the update
                saved = self.b.temp("old", old.type.bv)
                self.b.assign(saved, self.value(old), self._line(e))
                old = CVal(saved, old.type)
            one = CVal(const(1, self.t.int.bv), self.t.int)
            new = self.arithmetic("+" if "+" in op else "-", old, one, e)
            stored = self.write(target, new, e)
            return old if op.startswith("p") else stored
        if op == "*":
            return self.read_through(self.pointer(e.expr), e)
        if op == "!":
            return CVal(negate(self.truth(e.expr)), self.t.int)
        v = self.expression(e.expr)
        v = self.promoted(v)
        if op == "+":
            return v
        if op == "-":
            if v.type.signed:
                self.check(app("noovf_neg", (v.expr,), BOOL), "overflow", e, f"signed overflow in `{self.text(e)}`")
                return CVal(arith("neg_nsw", v.expr), v.type)
            return CVal(arith("neg", v.expr), v.type)
        if op == "~":
            return CVal(arith("bitnot", v.expr), v.type)
        raise self.unsupported(f"operator `{op}`", e)

    def alignment(self, t: CType, at: c_ast.Node) -> int:
        if isinstance(t, Scalar):
            return self.t.alignment(t.c)
        if isinstance(t, Array):
            return self.alignment(t.elem, at)
        if isinstance(t, Pointer):
            return self.t.pointer_bytes  # pointers are aligned to their size in both data models
        if isinstance(t, Other) and t.record is not None:
            return self.layout(t.record, at).align
        raise self.unsupported(f"_Alignof of {self.describe(t)}", at)

    def sizeof_expression(self, node: c_ast.Node) -> int:
        if isinstance(node, c_ast.ID):
            sym = self.lookup(node.name, node)
            if isinstance(sym, PtrSym):
                self.model_dependent = True
                return self.t.pointer_bytes
            if isinstance(sym, ArraySym):
                count = 1
                for d in sym.dims:
                    if not isinstance(d, Const):
                        raise self.unsupported("sizeof of a variable-length array", node)
                    count *= d.value
                return count * sym.elem.size
        snapshot = self.b.snapshot()
        try:
            v = self.expression(node)  # evaluated for its type only
        finally:
            self.b.rollback(snapshot)
        self.model_dependent = True
        return v.type.size

    def lvalue(self, node: c_ast.Node):
        if isinstance(node, c_ast.ID):
            sym = self.lookup(node.name, node)
            if isinstance(sym, VarSym):
                return sym
            raise self.unsupported(f"assignment to '{node.name}'", node)
        if isinstance(node, c_ast.ArrayRef):
            return self.element(node)
        if isinstance(node, c_ast.UnaryOp) and node.op == "*":
            return self.deref(self.pointer(node.expr), node, writes=True)
        raise self.unsupported(f"assignment to `{self.text(node)}`", node)

    def read(self, target) -> CVal:
        if isinstance(target, VarSym):
            return CVal(target.var, target.type)
        sym, index = target
        return CVal(App("select", (sym.var, index), sym.elem.bv), sym.elem)

    def write(self, target, value: CVal, node: c_ast.Node) -> CVal:
        line = self._line(node)
        if isinstance(target, VarSym):
            self.b.assign(target.var, self.convert(value, target.type), line)
            return CVal(target.var, target.type)
        sym, index = target
        if not isinstance(index, (Const, Var)):  # evaluate the index once
            tmp = self.b.temp("index", self.t.index)
            self.b.assign(tmp, index, line)
            index = tmp
        self.b.assign(sym.var, App("store", (sym.var, index, self.convert(value, sym.elem)), sym.var.type), line)
        return CVal(App("select", (sym.var, index), sym.elem.bv), sym.elem)

    def assignment(self, e: c_ast.Assignment) -> CVal:
        target = self.lvalue(e.lvalue)
        if e.op == "=":
            value = self.expression(e.rvalue)
        else:
            rhs = self.expression(e.rvalue)
            value = self.arithmetic(e.op[:-1], self.read(target), rhs, e)
        return self.write(target, value, e)

    # ------------------------------------------------------------------------------------------ calls

    def call(self, e: c_ast.FuncCall) -> CVal:
        if not isinstance(e.name, c_ast.ID):
            raise self.unsupported("call through a function pointer", e)
        name = e.name.name
        args = e.args.exprs if e.args is not None else []
        line = self._line(e)
        void = CVal(const(0, self.t.int.bv), self.t.int)
        if name in ERROR_FUNCTIONS:
            if name in ("__assert_fail", "__assert") and args and isinstance(args[0], c_ast.Constant):
                message = f"assertion `{args[0].value.strip(chr(34))}` fails"
            else:
                message = f"{name}() is called"
            self.b.end(self.event("assert", e, message))
            return void
        if name in STOP_FUNCTIONS:
            for a in args:
                self.expression(a)
            self.b.end(Event("stop", line, f"{name}() stops the program"))
            return void
        if name == "__VERIFIER_assume" or (name == "assume_abort_if_not" and name not in self.p.functions):
            self.b.assume(self.truth(args[0]), line)
            return void
        if name == "__VERIFIER_assert" and name not in self.p.functions:
            ok = self.truth(args[0])
            self.b.fail_unless(ok, self.event("assert", e, f"`{self.text(e)}` fails"))
            return void
        if name.startswith(NONDET_PREFIX):
            return self.nondet(name, e)
        if name == "free" and name not in self.p.functions:
            self.free(e)
            return void
        if name in self.p.functions:
            return self.inline(name, args, e)
        if name == "__builtin_expect" and len(args) == 2:  # long __builtin_expect(long e, long c): e
            long = self.c_int("long")
            value = self.to(self.expression(args[0]), long)
            self.expression(args[1])
            return value
        if name == "offsetof":
            return self.offsetof(e)
        if name.startswith("__builtin_"):
            raise self.unsupported(f"GNU builtin `{name}` (not modelled)", e)
        raise self.unsupported(f"call to external function `{name}` (no body to analyse)", e)

    def nondet(self, name: str, e: c_ast.FuncCall) -> CVal:
        proto = self.p.prototypes.get(name)
        self.refuse_tainted(self.p.taint.names.get(name), f"the declaration of `{name}`")
        if proto is not None:
            rtype = self.resolve(proto.type)
            if not isinstance(rtype, Scalar):
                raise self.unsupported(f"{name}() returning {self.describe(rtype)}", e)
            ctype = rtype.c
        else:
            suffix = name[len(NONDET_PREFIX):]
            if suffix not in NONDET_NAMES:
                raise self.unsupported(f"nondeterministic value of unknown type from {name}()", e)
            ctype = self.c_int(NONDET_NAMES[suffix])
        tmp = self.b.temp("nondet", ctype.bv)
        self.b.havoc(tmp, f"{name}()", self._line(e))
        if ctype.name == "_Bool":
            self.b.assume(compare("le", tmp, const(1, ctype.bv)), self._line(e))
        return CVal(tmp, ctype)

    def inline(self, name: str, args: list[c_ast.Node], e: c_ast.FuncCall) -> CVal:
        fdef = self.p.functions[name]
        self.enter_function(name, fdef)
        params = self.parameters(fdef.decl.type)
        if len(params) != len(args):
            raise self.unsupported(f"call to `{name}` with {len(args)} arguments for {len(params)} parameters", e)
        types = [self.resolve(p.type) for p in params]
        if name in self.recursive:
            return self.recursive_call(name, [self.expression(a) for a in args], e)
        values = [self.pointer(a, self.pointee(t, f"parameter '{p.name}' of `{name}`", p))
                  if isinstance(t, Pointer) else self.expression(a) for a, p, t in zip(args, params, types)]
        self.calls += 1
        frame = Frame(name, f"{name}#{self.calls}.", [{}], self.resolve(fdef.decl.type.type))
        line = self._line(e)
        frame.join = self.b.location(line)
        if isinstance(frame.return_type, Pointer):
            frame.pointer_result = self.pointer_symbol(f"the result of `{name}`", Var(frame.prefix + "$return", BOOL),
                                                       frame.return_type, e)
            self.uninitialised(frame.pointer_result, line)
        elif not isinstance(frame.return_type, Void):
            if not isinstance(frame.return_type, Scalar):
                raise self.unsupported(f"`{name}` returns {self.describe(frame.return_type)}", e)
            frame.result = Var(frame.prefix + "$return", frame.return_type.c.bv)
        bound = []
        for p, t, v in zip(params, types, values):
            if isinstance(v, PtrVal):
                sym = self.pointer_symbol(p.name, Var(frame.prefix + p.name, BOOL), t, p)
            else:
                ctype = self.scalar(p.type, f"parameter '{p.name}' of `{name}`", p)
                sym = VarSym(Var(frame.prefix + p.name, ctype.bv), ctype)
            bound.append((p.name, sym, v))
        for pname, sym, v in bound:
            if isinstance(sym, PtrSym):
                self.bind(sym, v, e)
            else:
                self.b.assign(sym.var, self.convert(v, sym.type), line)
            frame.scopes[-1][pname] = sym
        self.frames.append(frame)
        self.call_sites.append((name, e))
        self.statement(fdef.body)
        if self.b.current is not None:
            self.finish(None, fdef.body)
        self.call_sites.pop()
        self.frames.pop()
        self.b.place(frame.join)
        if frame.pointer_result is not None:
            result = frame.pointer_result
            if result.obj is None:
                raise self.unsupported(f"`{name}` never returns a pointer into an object", e)
            if result.obj.owner is frame:
                raise self.unsupported(f"`{name}` returns a pointer into its own {result.obj.name}", e)
            self.check(compare("ne", result.initialised, const(0, self.t.int.bv)), "ub", e,
                       f"`{name}` ends without returning a pointer")
            return self.held(result)
        if frame.result is None:
            return CVal(const(0, self.t.int.bv), self.t.int)
        return CVal(frame.result, frame.return_type.c)  # type: ignore[union-attr]


    def recursive_call(self, name: str, values: list[CVal], e: c_ast.FuncCall) -> CVal:
        """A call into a recursive cycle stays a call, to the callee's body lowered once."""
        proc = self.procedure(name)
        types = [self.scalar(p.type, f"parameter '{p.name}' of `{name}`", p)
                 for p in self.parameters(self.p.functions[name].decl.type)]
        args = tuple(self.convert(v, t) for v, t in zip(values, types))
        rtype = self.resolve(self.p.functions[name].decl.type.type)
        target = self.b.temp(f"{name}.result", proc.result.type) if proc.result is not None else None
        self.b.emit(Call(name, args, target), self._line(e))
        if target is None:
            return CVal(const(0, self.t.int.bv), self.t.int)
        return CVal(target, rtype.c)  # type: ignore[union-attr]

    def procedure(self, name: str) -> Procedure:
        """The body of `name` as a procedure of its own (variables `name.x`), lowered on first use."""
        if name in self.procedures:
            return self.procedures[name]
        fdef = self.p.functions[name]
        self.enter_function(name, fdef)
        return_type = self.resolve(fdef.decl.type.type)
        if not isinstance(return_type, (Scalar, Void)):
            raise self.unsupported(f"`{name}` returns {self.describe(return_type)}", fdef)
        saved = self.b, self.frames, self.call_sites
        self.b = Builder(self._line(fdef), prefix=f"{name}.")
        frame = Frame(name, f"{name}.", [{}], return_type, procedure=True)
        if isinstance(return_type, Scalar):
            frame.result = Var(f"{name}.$return", return_type.c.bv)
        params = []
        for p in self.parameters(fdef.decl.type):
            ctype = self.scalar(p.type, f"parameter '{p.name}' of `{name}`", p)
            sym = VarSym(Var(f"{name}.{p.name}", ctype.bv), ctype)
            frame.scopes[-1][p.name] = sym
            params.append(sym.var)
        self.procedures[name] = Procedure(name, self._line(fdef), params, frame.result, self.b.cfg)
        self.frames, self.call_sites = [frame], []
        self.statement(fdef.body)
        if self.b.current is not None:
            self.finish(None, fdef.body)
        self.b, self.frames, self.call_sites = saved
        return self.procedures[name]


@dataclass
class Effects:
    """What evaluating an expression reads and writes, by variable name. MEMORY stands for objects
    reached through a pointer (or an array that may be one); CALL for what a call to a function that
    writes globals or memory may touch."""

    reads: set[str] = field(default_factory=set)
    writes: set[str] = field(default_factory=set)

    def __or__(self, other: Effects) -> Effects:
        return Effects(self.reads | other.reads, self.writes | other.writes)


MEMORY, CALL = "*memory", "*call"


def unsequenced(node: c_ast.Node, globals_: AbstractSet[str], impure: set[str]) -> c_ast.Node | None:
    """The first subexpression of a full expression whose side effect is unsequenced (C11 6.5p2:
    undefined) or indeterminately sequenced (a call: unspecified order) against another access to the
    same object: `i = i++`, `a[i] = i++`, `f(i++, i)`, `g + h()` where h writes g. None when every
    order gives the same result. `impure`: the defined functions that may write a global or through a
    pointer. Conservative: a write through a pointer clashes with every other access, and a read through
    one with every write."""
    found: list[c_ast.Node] = []

    def overlap(writes: set[str], other: set[str]) -> bool:
        if not writes or not other:
            return False
        return bool(writes & other) or MEMORY in writes or MEMORY in other

    def hits(writes: set[str], other: Effects) -> bool:
        touched = other.reads | other.writes
        if CALL in writes and touched & (globals_ | {MEMORY, CALL}):
            return True
        if CALL in touched and writes & (globals_ | {MEMORY, CALL}):
            return True
        plain = writes - {CALL}
        return overlap(plain, touched - {CALL}) or (MEMORY in other.reads and bool(plain))

    def clash(a: Effects, b: Effects) -> bool:
        return hits(a.writes, b) or hits(b.writes, a)

    def note(at: c_ast.Node) -> None:
        if not found:
            found.append(at)

    def siblings(parts: list[c_ast.Node], at: c_ast.Node) -> Effects:
        effects = [visit(p) for p in parts]
        total = Effects()
        for i, e in enumerate(effects):
            if any(clash(e, f) for f in effects[i + 1:]):
                note(at)
            total = total | e
        return total

    def target(lvalue: c_ast.Node) -> tuple[set[str], Effects]:
        """The objects an lvalue designates, and what computing which object it is reads."""
        if isinstance(lvalue, c_ast.ID):
            return {lvalue.name}, Effects()
        if isinstance(lvalue, c_ast.ArrayRef):
            address = Effects()
            while isinstance(lvalue, c_ast.ArrayRef):
                address = address | visit(lvalue.subscript)
                lvalue = lvalue.name
            if isinstance(lvalue, c_ast.ID):
                return {lvalue.name, MEMORY}, address | Effects({lvalue.name})
            return {MEMORY}, address | visit(lvalue)
        if isinstance(lvalue, c_ast.UnaryOp) and lvalue.op == "*":
            return {MEMORY}, visit(lvalue.expr)
        return {MEMORY}, visit(lvalue)

    def visit(n: c_ast.Node | None) -> Effects:
        if n is None or isinstance(n, (c_ast.Constant, c_ast.Typename)):
            return Effects()
        if isinstance(n, c_ast.ID):
            return Effects({n.name})
        if isinstance(n, c_ast.Assignment):
            names, address = target(n.lvalue)
            value = visit(n.rvalue)
            # the store is sequenced after both operands' value computations (a call's body included),
            # not after their side effects; the operands are unsequenced against each other
            if overlap(names, value.writes - {CALL}) or clash(address, value):
                note(n)
            reads = names - {MEMORY} if n.op != "=" else set()
            return address | value | Effects(reads, names)
        if isinstance(n, c_ast.UnaryOp):
            if n.op in ("++", "--", "p++", "p--"):
                names, address = target(n.expr)
                return address | Effects(names - {MEMORY}, names)
            if n.op in ("sizeof", "_Alignof"):
                return Effects()  # the operand is not evaluated
            if n.op in ("&", "*"):
                return visit(n.expr) | Effects({MEMORY})
            return visit(n.expr)
        if isinstance(n, c_ast.BinaryOp):
            if n.op in ("&&", "||"):  # a sequence point between the operands
                return visit(n.left) | visit(n.right)
            return siblings([n.left, n.right], n)
        if isinstance(n, c_ast.TernaryOp):  # a sequence point after the condition; one branch runs
            return visit(n.cond) | visit(n.iftrue) | visit(n.iffalse)
        if isinstance(n, c_ast.ExprList):  # the comma operator: in order
            total = Effects()
            for x in n.exprs:
                total = total | visit(x)
            return total
        if isinstance(n, c_ast.FuncCall):
            args = siblings(list(n.args.exprs) if n.args is not None else [], n)
            name = n.name.name if isinstance(n.name, c_ast.ID) else None
            if name is None or name in impure:
                return args | Effects({CALL}, {CALL})
            return args
        if isinstance(n, c_ast.ArrayRef):
            return siblings([n.name, n.subscript], n) | Effects({MEMORY})
        total = Effects()
        for _, child in n.children():
            total = total | visit(child)
        return total

    visit(node)
    return found[0] if found else None


def call_graph(program: CProgram) -> dict[str, set[str]]:
    """Each defined function -> the defined functions its body calls by name."""
    return {name: {n.name.name for n in walk(f.body) if isinstance(n, c_ast.FuncCall)
                   and isinstance(n.name, c_ast.ID) and n.name.name in program.functions}
            for name, f in program.functions.items()}


def impure_functions(program: CProgram) -> set[str]:
    """The defined functions that may write a global, or an object through a pointer or an array
    parameter, themselves or through the functions they call: calls to them are not reorderable."""
    direct: set[str] = set()
    calls = call_graph(program)
    for name, f in program.functions.items():
        local = {n.name for n in walk(f) if isinstance(n, c_ast.Decl) and n.name and n is not f.decl}
        for n in walk(f.body):
            lvalue = n.lvalue if isinstance(n, c_ast.Assignment) else \
                n.expr if isinstance(n, c_ast.UnaryOp) and n.op in ("++", "--", "p++", "p--") else None
            if lvalue is None:
                continue
            while isinstance(lvalue, c_ast.ArrayRef):
                lvalue = lvalue.name
            if not isinstance(lvalue, c_ast.ID) or lvalue.name not in local or lvalue.name in program.globals:
                direct.add(name)
    impure = set(direct)
    changed = True
    while changed:
        changed = False
        for name, callees in calls.items():
            if name not in impure and callees & impure:
                impure.add(name)
                changed = True
    return impure


def recursive_functions(program: CProgram) -> set[str]:
    """The functions on a cycle of the call graph: these are lowered once each and called, not inlined."""
    return on_cycles(call_graph(program))


def _has_label(node: c_ast.Node | None) -> bool:
    return node is not None and any(isinstance(n, c_ast.Label) for n in walk(node))


def _switch_labels(body: c_ast.Node) -> list[c_ast.Node]:
    """The case and default labels of a switch body, in source order, not entering nested switches."""
    out: list[c_ast.Node] = []

    def visit(n: c_ast.Node) -> None:
        if isinstance(n, (c_ast.Case, c_ast.Default)):
            out.append(n)
        for _, child in n.children():
            if not isinstance(child, c_ast.Switch):
                visit(child)

    visit(body)
    return out

