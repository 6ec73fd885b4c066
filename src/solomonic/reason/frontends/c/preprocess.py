"""GNU C in gcc's preprocessed output: dropped where it changes nothing, marked where it is not modelled.

pycparser parses C11 (with `__int128`, `offsetof`, `_Alignof` and C23 attributes), not GNU C. The C
front end once erased GNU constructs with preprocessor flags (`-D__attribute__(x)=`, `-D__int128=long`,
`-D__builtin_offsetof(t,m)=0`, `-D__asm__(x)=`), and so analysed a packed struct, a 128-bit product or
an `asm` statement as some other program, and proved false claims about it. This pass reads gcc's
output token by token instead, and for each GNU construct does one of three things:

* **drop** it when it cannot change what the program computes: attributes such as `unused`, `format`
  or `nothrow`, and asm labels, which only rename a symbol for the linker;
* **rename** it when pycparser knows the same construct by another name (`__builtin_offsetof` is
  `offsetof`, `__complex__` is `_Complex`) or when it is gcc's own typedef (`__uint128_t`);
* otherwise **mark** it: it is recorded as an `Unmodelled` with its file and line, replaced by text
  of the same shape that pycparser can parse, and the top-level declaration that holds it is tainted.
  The lowering refuses to use a tainted declaration (a function, a typedef, a global, a tag), so an
  answer about code that touches it is unknown and names the construct. Constructs that act on the
  whole program (constructors, destructors, sections, file-scope asm, a macro whose value the
  analysis's preprocessing or the replay's compilation changes, such as `__GNUC__`, which the analysis
  leaves undefined) taint every function.

Replacements keep every newline where it was, so line numbers stay those of the source; columns on a
line after a replacement may shift, and `Prepared.spans` are given in the output's columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pycparser import c_ast

# Attributes that cannot change the value, the termination or the undefined behaviour of an execution:
# optimisation hints, diagnostics, linkage and visibility. Every other attribute is not modelled.
HARMLESS_ATTRIBUTES = frozenset({
    "access", "always_inline", "artificial", "cdecl", "cold", "deprecated", "designated_init",
    "externally_visible", "fallthrough", "flatten", "format", "format_arg", "gnu_inline", "hot", "leaf",
    "maybe_unused", "no_instrument_function", "no_profile_instrument_function", "no_reorder",
    "no_split_stack", "no_stack_protector", "noclone", "nodiscard", "noinline", "noipa", "noplt",
    "nonstring", "nothrow", "retain", "stack_protect", "unavailable", "unused", "used", "visibility",
    "warn_unused_result", "warning",
})
# Attributes that make code run outside the functions' own control flow (before main, after it).
WHOLE_PROGRAM_ATTRIBUTES = frozenset({"constructor", "destructor", "section", "init_priority"})

ASM = {"asm", "__asm", "__asm__"}
ASM_QUALIFIERS = {"volatile", "__volatile", "__volatile__", "goto", "inline", "__inline", "__inline__"}
ATTRIBUTE = {"__attribute__", "__attribute"}
TYPEOF = {"typeof", "__typeof", "__typeof__"}
GNU_ALIGNOF = {"__alignof__", "__alignof"}  # gcc's preferred alignment, not C11's _Alignof
UNMODELLED_FLOATS = {"__float128", "__float80", "__ibm128", "__bf16", "__fp16", "_Float16", "_Float32",
                     "_Float64", "_Float128", "_Float32x", "_Float64x", "_Float128x", "_Decimal32",
                     "_Decimal64", "_Decimal128"}
# Builtins whose arguments include types, which pycparser cannot parse as a call.
TYPE_BUILTINS = {"__builtin_types_compatible_p", "__builtin_choose_expr", "__builtin_convertvector",
                 "__builtin_shuffle", "__builtin_shufflevector", "__builtin_has_attribute",
                 "__builtin_complex", "__builtin_tgmath", "__builtin_call_with_static_chain",
                 "__builtin_speculation_safe_value", "__builtin_classify_type"}
RENAMES = {"__builtin_offsetof": "offsetof", "__complex__": "_Complex", "__complex": "_Complex"}
VA_LIST_TAG = "__solomonic_va_list"  # va_list as an opaque struct: any use of it is refused
GCC_TYPEDEFS = {  # declared by gcc itself, not by a header
    "__int128_t": "typedef __int128 __int128_t;",
    "__uint128_t": "typedef unsigned __int128 __uint128_t;",
    "__builtin_va_list": f"typedef struct {VA_LIST_TAG} __builtin_va_list;",
}
# Macros whose value differs between the analysis's preprocessing (GNU mode off) and gcc's compilation,
# -> why: a test of one, or a use, may choose other code, or give another value, than the analysis read.
# The replay compiles the file included from a harness that defines `main` as a macro, at another time.
_GCC_IDENTITY = "the analysis preprocesses without gcc's identity, so it may read other code than gcc compiles"
_REPLAY = "the replay's compilation, which includes the file from a harness, gives it another value"
COMPILATION_MACROS = {
    **dict.fromkeys(("__GNUC__", "__GNUC_MINOR__", "__GNUC_PATCHLEVEL__", "__GNUC_PREREQ", "__GNUC_STDC_INLINE__",
                     "__STRICT_ANSI__", "__clang__", "__VERSION__"), _GCC_IDENTITY),
    **dict.fromkeys(("__INCLUDE_LEVEL__", "__BASE_FILE__", "__FILE_NAME__"), _REPLAY),
    **dict.fromkeys(("__TIME__", "__DATE__", "__TIMESTAMP__"), "the time of compilation: another value in each"),
    **dict.fromkeys(("__OPTIMIZE__", "__OPTIMIZE_SIZE__", "__NO_INLINE__"),
                    "gcc defines it by the optimisation level, so -O0 and -O2 may compile other code"),
    "__COUNTER__": "it counts its uses in the whole translation unit, so a file compiled after other code "
                   "(a harness, a batch of files) sees other values",
}
# GNU spellings of keywords, which the analysis's preprocessing defines as macros for their standard
# names (parse.GNU_FLAGS) and gcc keeps as keywords: a directive that tests one (`#ifdef __const`) reads
# another branch than gcc compiles.
GNU_KEYWORD_SPELLINGS = {"__restrict": "restrict", "__restrict__": "restrict", "__inline": "inline",
                         "__inline__": "inline", "__volatile__": "volatile", "__volatile": "volatile",
                         "__signed__": "signed", "__signed": "signed", "__const": "const"}
_TESTING_DIRECTIVE = re.compile(r"^\s*#\s*(?:if|ifdef|ifndef|elif|elifdef|elifndef|undef)\b|\bdefined\b")
# Comments and literals, which the compilation-dependent scan blanks out (keeping their newlines).
_COMMENT_OR_LITERAL = re.compile(r"""/\*.*?\*/|//[^\n]*|(?:u8|[uUL])?"(?:[^"\\\n]|\\.)*"|[uUL]?'(?:[^'\\\n]|\\.)*'""",
                                 re.DOTALL)
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
KEYWORDS_BEFORE_STATEMENT = {"else", "do", "return", "case", "default"}
C_KEYWORDS = {"auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
              "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
              "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
              "volatile", "while", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic",
              "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "__int128"}

_TOKEN = re.compile(r"""
    (?P<marker>^\#[^\n]*)
  | (?P<string>(?:u8|[uUL])?"(?:[^"\\\n]|\\.)*")
  | (?P<char>[uUL]?'(?:[^'\\\n]|\\.)*')
  | (?P<ident>[A-Za-z_$][A-Za-z0-9_$]*)
  | (?P<number>\.?[0-9](?:[eEpP][+-]|[0-9A-Za-z_.'])*)
  | (?P<punct>\.\.\.|->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^]=|\#\#|[^\s])
  | (?P<space>\s+)
""", re.VERBOSE | re.MULTILINE)
_PACK = re.compile(r"^#\s*pragma\s+(?:GCC\s+)?pack\b")
# `#pragma weak w`: an undefined weak object's address is null, which the model never gives `&w`
_WEAK = re.compile(r"^#\s*pragma\s+weak\b")
LINE_MARKER = re.compile(r'^#\s*(?:line\s+)?(\d+)\s+"((?:[^"\\]|\\.)*)"(.*)$')


class SystemFiles:
    """Whether the text after each of gcc's line markers comes from a system header. That is decided
    where gcc enters a file (flag 1): a header found in a system directory is entered with flag 3. The
    markers inside an entered file keep its answer: a flag 3 that appears there later comes from
    `#pragma GCC system_header` in the program's own header, which only stops gcc's warnings, and a
    `#line` that names a system header changes only the name (flag 2 returns to the includer)."""

    def __init__(self) -> None:
        self.stack = [False]  # the main file, then each file entered and not yet left

    def system(self, flags: str) -> bool:
        f = flags.split()
        if "1" in f:
            self.stack.append("3" in f)
        elif "2" in f and len(self.stack) > 1:
            self.stack.pop()
        return self.stack[-1]


@dataclass(frozen=True)
class Unmodelled:
    """A construct the analysis does not model, where it is in the source."""

    construct: str
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.construct} (not modelled) at {self.file}:{self.line}"


@dataclass
class Token:
    kind: str
    text: str
    start: int  # offset in the input text
    end: int
    file: str
    line: int
    column: int  # 1-based, as pycparser counts
    system: bool


@dataclass
class Span:
    """A top-level declaration (or function definition) that holds unmodelled constructs."""

    file: str
    first: tuple[int, int]  # (line, column) in the output text
    last: tuple[int, int]
    constructs: list[Unmodelled]

    def holds(self, coord) -> bool:
        return coord is not None and coord.file == self.file and \
            self.first <= (coord.line, coord.column or 0) <= self.last


@dataclass
class Prepared:
    text: str  # what pycparser parses
    spans: list[Span] = field(default_factory=list)
    everywhere: list[Unmodelled] = field(default_factory=list)
    user_files: list[str] = field(default_factory=list)
    layout: list[Unmodelled] = field(default_factory=list)  # what changes struct layout: #pragma pack


def tokenize(text: str, pragmas: list[Unmodelled] | None = None) -> list[Token]:
    """C tokens of gcc's output, each with the source file and line that gcc's line markers give it.
    `#pragma pack` lines, which change struct layout, and `#pragma weak` ones are appended to `pragmas`."""
    tokens: list[Token] = []
    file, line, system = "", 1, False
    systems = SystemFiles()
    line_start = 0
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "punct"
        if kind == "marker":
            marker = LINE_MARKER.match(m.group())
            if marker:
                # the marker names the line that follows it
                file, line = marker.group(2), int(marker.group(1)) - 1
                system = systems.system(marker.group(3))
            elif pragmas is not None and (_PACK.match(m.group()) or _WEAK.match(m.group())):
                pragmas.append(Unmodelled(" ".join(m.group().split()), file, line))
            continue  # #pragma and #ident lines pass through to pycparser untouched
        if kind == "space":
            newlines = m.group().count("\n")
            if newlines:
                line += newlines
                line_start = m.start() + m.group().rfind("\n") + 1
            continue
        tokens.append(Token(kind, m.group(), m.start(), m.end(), file, line, m.start() - line_start + 1, system))
    return tokens


class _Pass:
    def __init__(self, text: str):
        self.text = text
        self.pragmas: list[Unmodelled] = []
        self.tokens = tokenize(text, self.pragmas)
        self.edits: list[tuple[int, int, str]] = []  # (start, end, replacement), non-overlapping
        self.everywhere: list[Unmodelled] = []
        self.pending: list[Unmodelled] = []  # constructs of the top-level declaration being read
        self.spans: list[tuple[int, int, list[Unmodelled]]] = []  # token indices of tainted declarations
        self.typedefs_needed: set[str] = set()

    # ------------------------------------------------------------------------------------------ helpers

    def close(self, i: int) -> int:
        """The index of the token that closes the bracket at token i."""
        opening = self.tokens[i].text
        closing = {"(": ")", "[": "]", "{": "}"}[opening]
        depth = 0
        for j in range(i, len(self.tokens)):
            t = self.tokens[j].text
            if t == opening:
                depth += 1
            elif t == closing:
                depth -= 1
                if depth == 0:
                    return j
        return len(self.tokens) - 1

    def replace(self, first: int, last: int, replacement: str) -> None:
        self.edits.append((self.tokens[first].start, self.tokens[last].end, replacement))

    def mark(self, what: str, at: Token) -> None:
        self.pending.append(Unmodelled(what, at.file, at.line))

    def text_of(self, first: int, last: int) -> str:
        return " ".join(" ".join(t.text for t in self.tokens[first:last + 1]).split())

    # ---------------------------------------------------------------------------------------- the pass

    def run(self) -> None:
        tokens = self.tokens
        braces = 0
        declaration_start = 0
        function_body = False  # the top-level braces being read are a function's body
        i = 0
        while i < len(tokens):
            t = tokens[i]
            nxt = tokens[i + 1].text if i + 1 < len(tokens) else ""
            if t.kind == "ident" and t.text in ATTRIBUTE and nxt == "(":
                i = self.attribute(i)
                continue
            if t.kind == "ident" and t.text in ASM:
                i = self.asm(i, braces)
                continue
            if t.kind == "ident":
                i = self.identifier(i)
                continue
            if t.text == "[" and nxt == "[":
                self.mark("C23 attribute `[[...]]`", t)
            elif t.text == "..." and 0 < i < len(tokens) - 1 and tokens[i - 1].text not in (",", "("):
                self.mark(f"GNU range `{self.text_of(i - 1, i + 1)}`", t)
                self.replace(i, i + 1, "")
                i += 2
                continue
            elif t.text == "?" and nxt == ":":
                self.mark("conditional with an omitted operand `?:`", t)
                self.replace(i, i, "? 0")
            elif t.text == "{":
                if braces == 0:
                    function_body = i > 0 and tokens[i - 1].text == ")"
                braces += 1
            elif t.text == "}":
                braces = max(0, braces - 1)
                if braces == 0 and function_body:
                    self.end_declaration(declaration_start, i)
                    declaration_start, function_body = i + 1, False
            elif t.text == ";" and braces == 0:
                self.end_declaration(declaration_start, i)
                declaration_start = i + 1
            i += 1
        self.end_declaration(declaration_start, len(tokens) - 1)

    def end_declaration(self, first: int, last: int) -> None:
        if self.pending:
            self.spans.append((first, last, self.pending))
            self.pending = []

    def identifier(self, i: int) -> int:
        t = self.tokens[i]
        nxt = self.tokens[i + 1].text if i + 1 < len(self.tokens) else ""
        name = t.text
        if name in RENAMES:
            self.replace(i, i, RENAMES[name])
        elif name in GCC_TYPEDEFS:
            self.typedefs_needed.add(name)
        elif name == "__extension__":
            self.replace(i, i, "")  # only silences -pedantic warnings
        elif name in TYPEOF and nxt == "(":
            last = self.close(i + 1)
            self.mark(f"`{self.text_of(i, last)}`", t)
            self.replace(i, last, "int")
            return last + 1
        elif name in GNU_ALIGNOF:
            self.mark(f"`{name}` (gcc's preferred alignment)", t)
            self.replace(i, i, "sizeof")
        elif name in TYPE_BUILTINS and nxt == "(":
            last = self.close(i + 1)
            self.mark(f"GNU builtin `{name}`", t)
            self.replace(i, last, "0")
            return last + 1
        elif name in UNMODELLED_FLOATS and nxt != ";":  # not glibc's own `typedef float _Float32;`
            self.mark(f"floating-point type `{name}`", t)
            self.replace(i, i, "double")
        elif name in ("__auto_type", "__label__"):
            self.mark(f"`{name}`", t)
            self.replace(i, i, "int")
        elif name in ("__real__", "__imag__", "__real", "__imag"):
            self.mark(f"`{name}`", t)
            self.replace(i, i, "")
        elif "$" in name:  # the lowering names the variables it makes so (`s$x` for `s.x`): no source name may
            self.mark(f"'$' in the identifier '{name}'", t)
        return i + 1

    def attribute(self, i: int) -> int:
        """`__attribute__((a, b(args)))`: dropped when every attribute in it is harmless."""
        last = self.close(i + 1)
        inner = self.tokens[i + 2:last]  # `( a , b ( args ) )` without the outer parentheses
        depth, names, expect_name = 0, [], True
        for tok in inner[1:-1] if inner and inner[0].text == "(" else inner:
            if tok.text == "(":
                depth += 1
            elif tok.text == ")":
                depth -= 1
            elif tok.text == "," and depth == 0:
                expect_name = True
            elif expect_name and depth == 0 and tok.kind == "ident":
                names.append(tok.text.strip("_") or tok.text)
                expect_name = False
        at = self.tokens[i]
        for name in names:
            if name in WHOLE_PROGRAM_ATTRIBUTES:
                self.everywhere.append(Unmodelled(f"__attribute__(({name})), which runs code outside main",
                                                  at.file, at.line))
            elif name not in HARMLESS_ATTRIBUTES:
                self.mark(f"__attribute__(({name}))", at)
        self.replace(i, last, "")
        return last + 1

    def asm(self, i: int, braces: int) -> int:
        """At file scope after a function's declarator, `asm("name")` only names the symbol for the
        linker; after a variable's, it may make the variable another name of an object defined here
        (`extern int x asm("y"); int y;`), which the lowering would take for two objects: marked.
        Elsewhere it is inline assembly, which can do anything."""
        j = i + 1
        while j < len(self.tokens) and self.tokens[j].text in ASM_QUALIFIERS:
            j += 1
        if j >= len(self.tokens) or self.tokens[j].text != "(":
            return i + 1
        last = self.close(j)
        before = self.tokens[i - 1] if i > 0 else None
        after_declarator = before is not None and (before.text in (")", "]") or (
            before.kind == "ident" and before.text not in KEYWORDS_BEFORE_STATEMENT))
        at = self.tokens[i]
        if braces == 0 and after_declarator:
            if not self.function_declarator_before(i):
                self.mark("an asm label on a variable (another name for a symbol)", at)
            self.replace(i, last, "")
        elif braces == 0:
            self.everywhere.append(Unmodelled("file-scope inline assembly", at.file, at.line))
            self.replace(i, last + (1 if last + 1 < len(self.tokens) and self.tokens[last + 1].text == ";"
                                    else 0), "")
        else:
            self.mark("inline assembly", at)
            self.replace(i, last, "0")
        return last + 1

    def function_declarator_before(self, i: int) -> bool:
        """Whether the tokens before i end a function's declarator `name(...)`."""
        if i == 0 or self.tokens[i - 1].text != ")":
            return False
        depth = 0
        for j in range(i - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(self.tokens[j].text, 0)
            if depth == 0:
                name = self.tokens[j - 1] if j > 0 else None
                tag = self.tokens[j - 2].text if j > 1 else ""
                return (name is not None and name.kind == "ident" and name.text not in C_KEYWORDS
                        and tag not in ("struct", "union", "enum"))
        return False

    # ---------------------------------------------------------------------------------------- output

    def output(self) -> Prepared:
        """The edited text, and the tainted declarations' extents in the edited text's columns."""
        pieces, position = [], 0
        shifts: dict[tuple[str, int], list[tuple[int, int]]] = {}  # (file, line) -> (column, delta)
        token_at = {t.start: t for t in self.tokens}
        for start, end, replacement in sorted(self.edits):
            if start < position:
                continue  # inside an earlier, larger edit
            pieces.append(self.text[position:start])
            # keep every line break and every column: the removed text becomes blanks, the replacement
            # stands at its start (a longer one shifts the rest of its line, which `where` accounts for)
            blank = "".join(c if c == "\n" else " " for c in self.text[start:end])
            room = blank.find("\n") if "\n" in blank else len(blank)
            pieces.append(replacement + blank[min(len(replacement), room):])
            if len(replacement) > room:
                first = token_at[start]
                shifts.setdefault((first.file, first.line), []).append((first.column, len(replacement) - room))
            position = end
        pieces.append(self.text[position:])

        def where(t: Token) -> tuple[int, int]:
            delta = sum(d for column, d in shifts.get((t.file, t.line), []) if column < t.column)
            return t.line, t.column + delta

        spans = [Span(self.tokens[a].file, where(self.tokens[a]), where(self.tokens[b]), constructs)
                 for a, b, constructs in self.spans]
        prelude = " ".join(GCC_TYPEDEFS[n] for n in sorted(self.typedefs_needed))
        weak = [u for u in self.pragmas if _WEAK.match(u.construct)]
        return Prepared(prelude + "\n" + "".join(pieces), spans, [*self.everywhere, *weak],
                        layout=[u for u in self.pragmas if u not in weak])


def prepare(text: str) -> Prepared:
    """gcc's preprocessed output made parseable by pycparser, with what is not modelled marked."""
    p = _Pass(text)
    p.run()
    prepared = p.output()
    prepared.user_files = sorted({t.file for t in p.tokens if not t.system and t.file and not t.file.startswith("<")})
    return prepared


def compilation_dependent(files: list[str], read) -> list[Unmodelled]:
    """What in the user's own files may choose other code, or give another value, than the analysis
    read: the macros of `COMPILATION_MACROS`, anywhere outside comments and literals; GNU keyword
    spellings (`GNU_KEYWORD_SPELLINGS`) in a directive that tests or undefines them; and `main` in a
    directive (`#ifdef main`), which the replay's harness defines to call the program's own `main`."""
    found = []
    for name in files:
        text = read(name)
        if text is None:
            continue
        code = _COMMENT_OR_LITERAL.sub(lambda blank: "\n" * blank.group().count("\n"), text)
        for number, row in enumerate(code.split("\n"), start=1):
            names = set(_IDENTIFIER.findall(row))
            if names & COMPILATION_MACROS.keys():
                macro = min(names & COMPILATION_MACROS.keys())
                found.append(Unmodelled(f"`{macro}` ({COMPILATION_MACROS[macro]})", name, number))
            elif row.lstrip().startswith("#") and _TESTING_DIRECTIVE.search(row) and \
                    names & GNU_KEYWORD_SPELLINGS.keys():
                spelling = min(names & GNU_KEYWORD_SPELLINGS.keys())
                found.append(Unmodelled(f"`{spelling}` in a preprocessor test (a macro for the analysis, a "
                                        "keyword for gcc)", name, number))
            elif row.lstrip().startswith("#") and "main" in names:
                found.append(Unmodelled("`main` in a preprocessor directive (the replay's harness defines it as a "
                                        "macro)", name, number))
    return found


@dataclass
class Taint:
    """What the lowering must refuse: names declared by tainted declarations, and whole-program findings."""

    names: dict[str, Unmodelled] = field(default_factory=dict)  # functions, typedefs, globals
    # every construct of every declaration of a name (`names` keeps the first): what a declaration of a
    # C library function adds to it (library.py) is judged construct by construct
    constructs: dict[str, list[Unmodelled]] = field(default_factory=dict)
    tags: dict[str, Unmodelled] = field(default_factory=dict)  # struct, union and enum tags
    everywhere: list[Unmodelled] = field(default_factory=list)
    layout: list[Unmodelled] = field(default_factory=list)  # no struct layout can be computed

    @classmethod
    def of(cls, tree: c_ast.FileAST, prepared: Prepared, extra: list[Unmodelled]) -> Taint:
        taint = cls(everywhere=[*prepared.everywhere, *extra], layout=prepared.layout)
        for ext in tree.ext:
            span = next((s for s in prepared.spans if s.holds(ext.coord)), None)
            if span is None:
                continue
            construct = span.constructs[0]
            decl = ext.decl if isinstance(ext, c_ast.FuncDef) else ext
            name = getattr(decl, "name", None)
            if name:
                taint.names.setdefault(name, construct)
                taint.constructs.setdefault(name, []).extend(span.constructs)
            for node in walk(ext):
                if isinstance(node, (c_ast.Struct, c_ast.Union, c_ast.Enum)) and node.name:
                    taint.tags.setdefault(node.name, construct)
        return taint


def walk(node: c_ast.Node):
    """Every node below `node` (itself included), in no particular order."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(child for _, child in n.children())
