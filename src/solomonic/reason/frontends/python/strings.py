"""Python strs, exactly: a str is an immutable sequence of code points, in the IR an int array indexed
from 0 and an int, its length (state.Text), like a list of ints (lists.py); a str of one character (an
item, a loop's character, `chr(n)`) is its code point alone. Made by literals (in the function, or a
module-level constant), `str` parameters (parameters.py), items, slices, `s + t` and `chr(n)`; used by
`len`, indexing (negative indices, IndexError), slices `s[a:b]` (bounds clamped as Python clamps them),
`for c in s`, `for i, c in enumerate(s)`, `ord(c)`, `==`/`!=` (unrolled against a literal, else item by
item), orderings between characters, `x in s` (a disjunction over a literal's substrings, else a search),
`s.startswith(...)`/`s.endswith(...)` of literals and characters, and truth (not empty).

Why it is exact, and simpler than lists: strs cannot change, so two names may share one freely (`t = s`
copies the pair, which is what sharing an immutable value means). A variable holds strs only if every
value it is given is one (found per variable, flow-insensitively, like the opaque ones: state.py); a
variable given a str and another value is a value of unknown type, as every str was before strs were
modelled. Every str value is opaque too, so code that does not model strs (a method like `s.upper()`,
`s * n`, an ordering of long strs, a str stored into a tuple) takes it as a value of unknown type, whose
operations return something or raise: over-approximated, never given another meaning. Each character
read is assumed a code point (0 to 0x10FFFF), as every str's are, which keeps a parameter's array to
what a real str can hold; the replay builds the str from it (replay/python.py). bytes stay values of
unknown type. In a recursive function's body (a procedure) strs are values of unknown type, as lists are.
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.expressions import rebinds
from solomonic.reason.frontends.python.generators import GeneratorLowering
from solomonic.reason.frontends.python.state import ELEMENTS, PyValue, Text, _code, raises, text_elements
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    App,
    Const,
    Expr,
    Var,
    arith,
    cast,
    compare,
    conj,
    const,
    disj,
    ite,
    negate,
)

MAX_CODE_POINT = 0x10FFFF
MAX_UNROLLED = 24  # the longest str literal whose substrings `x in "..."` spells out for a str x
MAX_LITERAL = 256  # a longer literal (a help text, a table) stays a value of unknown type, as before
ORDERINGS = {ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
# The methods of str that return a str (or raise), and the builtins that make one of anything: what they
# return is a str whose characters are not kept (strcalls.py).
STR_RESULTS = frozenset({"capitalize", "casefold", "center", "expandtabs", "format", "format_map", "join", "ljust",
                         "lower", "lstrip", "removeprefix", "removesuffix", "replace", "rjust", "rstrip", "strip",
                         "swapcase", "title", "translate", "upper", "zfill"})
STR_BUILTINS = ("str", "repr", "ascii")
CANNOT_RAISE = frozenset({"capitalize", "casefold", "lower", "lstrip", "rstrip", "strip", "swapcase", "title",
                          "upper"})  # called without arguments on a str


def _eq(a: Expr, b: Expr) -> Expr:
    return compare("eq", a, b)


class StringLowering(GeneratorLowering):
    """strs: literals, what reads them, comparisons, concatenation, slices and iteration."""

    # -------------------------------------------------------------------------------------- values

    def literal(self, value: str) -> PyValue:
        """A str written in the source (at most MAX_LITERAL characters)."""
        codes = [ord(c) for c in value]
        array: Expr = App("constarray", (const(0, INT),), ELEMENTS)
        for k, code in enumerate(codes):
            array = App("store", (array, const(k, INT), const(code, INT)), ELEMENTS)
        char = const(codes[0], INT) if len(codes) == 1 else None
        return self.text_value(Text(const(len(codes), INT), array, char, value))

    @staticmethod
    def text_value(text: Text) -> PyValue:
        return PyValue(text.char if text.char is not None else text.length, opaque=True, text=text)

    def character(self, code: Expr) -> PyValue:
        return self.text_value(Text(const(1, INT), char=code))

    def module_text(self, name: str) -> str | None:
        """The value of a module-level str constant `name` refers to here, if it does."""
        if self.is_local(name) or self.closure_frame(name) is not None or name not in self.module.constants or \
                name not in self.module.always_bound or self.module.star_import:
            return None
        value = self.module.constants[name]
        if isinstance(value, ast.Constant) and isinstance(value.value, str) and len(value.value) <= MAX_LITERAL:
            return value.value
        return None

    def is_text(self, node: ast.expr) -> bool:
        """Whether node, as written, gives a str the model keeps (known before it is evaluated)."""
        if self.in_procedure():
            return False
        if isinstance(node, ast.Constant):
            return isinstance(node.value, str) and len(node.value) <= MAX_LITERAL
        if isinstance(node, ast.Name):
            owner = self.frame if self.is_local(node.id) else self.closure_frame(node.id)
            if owner is None:
                return self.module_text(node.id) is not None
            name = owner.prefix + node.id
            return name in self.string_names and name not in self.opaque_names
        if isinstance(node, ast.Subscript):
            return self.is_text(node.value)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return self.is_text(node.left) and self.is_text(node.right)
        if isinstance(node, ast.JoinedStr):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr in STR_RESULTS and self.is_text(node.func.value)
        return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in ("chr", *STR_BUILTINS) and self.is_builtin(node.func.id)

    def text_of(self, node: ast.expr) -> Text:
        """The str node gives, where is_text said it gives one."""
        text = self.expression(node, allow_none=True).text
        if text is None:
            raise self.unsupported(f"`{_code(node)}`, a name of strs bound to something else too", node)
        return text

    def code_point(self, text: Text, at: Expr, line: int) -> Expr:
        """The character at `at` (a position inside the str, or beyond it where the caller does not use
        the result), assumed a code point, as every str's characters are."""
        if text.char is not None:
            return text.char
        if text.literal is not None and isinstance(at, Const) and 0 <= at.value < len(text.literal):
            return const(ord(text.literal[at.value]), INT)
        code = self.b.temp("char", INT)
        if text.vague:  # not kept: any code point, each time it is read (which covers the one it is)
            self.b.havoc(code, "a character of a str not kept", line)
        else:
            assert text.elems is not None
            self.b.assign(code, App("select", (text.elems, at), INT), line)
        self.b.assume(conj(compare("ge", code, const(0, INT)), compare("le", code, const(MAX_CODE_POINT, INT))), line)
        return code

    def vague(self, node: ast.AST, what: str, raises: bool = True) -> PyValue:
        """What code not modelled that returns a str gives (after it may have raised): a str of any
        length whose characters are not kept."""
        if raises:
            self.may_raise(node, what)
        line = getattr(node, "lineno", self.fn.lineno)
        length = self.b.temp("len", INT)
        self.b.havoc(length, f"the length of {what}", line)
        self.b.assume(compare("ge", length, const(0, INT)), line)
        return self.text_value(Text(length, vague=True))

    def formatted(self, node: ast.JoinedStr) -> PyValue:
        """An f-string: its values and format specs in order, then the formatting (which may raise): a str
        whose characters are not kept; without values, the str it spells."""
        parts = [v for v in node.values if isinstance(v, ast.FormattedValue)]
        if self.in_procedure():
            return super().formatted(node)
        if not parts:
            return self.literal("".join(str(v.value) for v in node.values if isinstance(v, ast.Constant)))
        for part in parts:
            self.expression(part.value, allow_none=True)
            if part.format_spec is not None:
                self.expression(part.format_spec, allow_none=True)
        return self.vague(node, f"`{_code(node)}`")

    def held_value(self, v: PyValue, line: int) -> PyValue:
        """A str unpacked from a tuple (`a, b = b, a`) is held as a str."""
        if v.text is None or self.in_procedure():
            return super().held_value(v, line)
        return self.text_value(self.held(v.text, line))

    def held(self, text: Text, line: int) -> Text:
        """text in temporaries of its own (a loop over it must not see its name rebound)."""
        if text.literal is not None or isinstance(text.char, Const):
            return text
        if text.char is not None:
            code = self.b.temp("char", INT)
            self.b.assign(code, text.char, line)
            return Text(const(1, INT), char=code)
        length = self.b.temp("len", INT)
        self.b.assign(length, text.length, line)
        if text.vague:
            return Text(length, vague=True)
        elems = self.b.temp("str", ELEMENTS)
        self.b.assign(elems, text_elements(text), line)
        return Text(length, elems)

    # ------------------------------------------------------------------------------- expressions

    def _expression(self, node: ast.expr) -> PyValue:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value) <= MAX_LITERAL and \
                not self.in_procedure():
            return self.literal(node.value)
        return super()._expression(node)

    def name(self, node: ast.Name) -> PyValue:
        value = self.module_text(node.id) if not self.in_procedure() else None
        if value is None:
            return super().name(node)
        self.reads_constants = True
        return self.literal(value)

    def condition(self, node: ast.expr) -> Expr:
        """`s and s[0] == "x"` as a test: each operand's truth in order (the value, a str, is not needed)."""
        if isinstance(node, ast.BoolOp) and any(self.is_text(v) for v in node.values):
            return self.truths_in_order(node)
        return super().condition(node)

    def length(self, node: ast.Call) -> PyValue:
        value = self.value_or_list(node.args[0])
        if value.text is not None:
            return PyValue(value.text.length)
        return PyValue(value.list.length) if value.list is not None else self.measured(node)

    def subscript(self, node: ast.Subscript) -> PyValue:
        if not self.is_text(node.value):
            return super().subscript(node)
        text, line = self.text_of(node.value), node.lineno
        if rebinds(node.slice):  # `s[(s := t) and 0]` indexes the str s was before
            text = self.held(text, line)
        if isinstance(node.slice, ast.Slice):
            return self.text_slice(text, node)
        index = self.expression(node.slice, allow_none=True)
        if index.opaque:  # `s[x]` of an index of unknown type: its `__index__` may do anything
            return self.operation(node)
        i = self.as_int(index, node.slice)
        at = self.b.temp("index", INT)
        self.b.assign(at, ite(compare("lt", i, const(0, INT)), arith("add", i, text.length), i), line)
        inside = conj(compare("ge", at, const(0, INT)), compare("lt", at, text.length))
        self.b.fail_unless(inside, raises("IndexError", line, f"string index out of range (`{_code(node.slice)}`)"))
        return self.character(self.code_point(text, at, line))

    def text_slice(self, text: Text, node: ast.Subscript) -> PyValue:
        """`s[a:b]`: the characters from a up to b, each bound clamped into 0..len(s) as Python clamps it,
        copied by a loop; with a step, a value of unknown type as before."""
        index = node.slice
        assert isinstance(index, ast.Slice)
        if _reverses(index):
            return self.reversal(text, node.lineno)
        if index.step is not None:
            return self.lookup(node)
        line = node.lineno
        given: list[Expr | None] = []
        for bound in (index.lower, index.upper):
            if bound is None or (isinstance(bound, ast.Constant) and bound.value is None):
                given.append(None)
                continue
            value = self.settled(self.expression(bound, allow_none=True), [index.upper], node)
            if value.opaque or value.none != FALSE:
                raise self.unsupported(f"the slice bound `{_code(bound)}`, which is no int", bound)
            given.append(cast(value.expr, INT))
        if text.literal is not None and all(b is None or isinstance(b, Const) for b in given):
            return self.literal(text.literal[slice(*(b.value if isinstance(b, Const) else None for b in given))])
        bounds: list[Expr] = []
        for given_bound, default in zip(given, (const(0, INT), text.length)):
            kept = self.b.temp("bound", INT)
            self.b.assign(kept, self.clamped(given_bound, text.length) if given_bound is not None else default, line)
            bounds.append(kept)
        lo, hi = bounds
        length = ite(compare("gt", hi, lo), arith("sub", hi, lo), const(0, INT))
        if text.vague:
            return self.text_value(Text(length, vague=True))
        elems = self.b.temp("str", ELEMENTS)
        self.b.assign(elems, App("constarray", (const(0, INT),), ELEMENTS), line)
        self.walk(lo, hi, line, lambda k: self.b.assign(elems, App("store", (
            elems, arith("sub", k, lo), self.code_point(text, k, line)), ELEMENTS), line))
        return self.text_value(Text(length, elems))

    def reversal(self, text: Text, line: int) -> PyValue:
        """`s[::-1]`: the characters in the other order, copied by a loop."""
        if text.literal is not None:
            return self.literal(text.literal[::-1])
        text = self.held(text, line)
        if text.vague or text.char is not None:
            return self.text_value(text)
        last = arith("sub", text.length, const(1, INT))
        elems = self.b.temp("str", ELEMENTS)
        self.b.assign(elems, App("constarray", (const(0, INT),), ELEMENTS), line)
        self.walk(const(0, INT), text.length, line, lambda k: self.b.assign(elems, App("store", (
            elems, k, self.code_point(text, arith("sub", last, k), line)), ELEMENTS), line))
        return self.text_value(Text(text.length, elems))

    def operate(self, op: ast.operator, left_value: PyValue, right_value: PyValue, left_node: ast.expr,
                right_node: ast.expr, node: ast.AST) -> PyValue:
        """`s + t` of strs: a new str; a str added to an int, a bool or None raises TypeError."""
        a, b = left_value.text, right_value.text
        if not isinstance(op, ast.Add) or (a is None and b is None):
            return super().operate(op, left_value, right_value, left_node, right_node, node)
        line = getattr(node, "lineno", self.fn.lineno)
        if a is None or b is None:
            other = left_value if a is None else right_value
            if other.opaque or other.list is not None:  # its `__add__` or `__radd__` may do anything
                return super().operate(op, left_value, right_value, left_node, right_node, node)
            self.b.fail_unless(FALSE, raises("TypeError", line, f"`{_code(node)}` adds a str and a value that "
                                             "is no str"))
            return PyValue(const(0, INT))
        return self.concatenation(a, b, line)

    def concatenation(self, a: Text, b: Text, line: int) -> PyValue:
        if a.literal is not None and b.literal is not None:
            return self.literal(a.literal + b.literal)
        start = self.b.temp("len", INT)
        self.b.assign(start, a.length, line)
        if a.vague or b.vague:
            return self.text_value(Text(arith("add", start, b.length), vague=True))
        elems = self.b.temp("str", ELEMENTS)
        self.b.assign(elems, text_elements(a), line)
        if b.char is not None:
            self.b.assign(elems, App("store", (elems, start, b.char), ELEMENTS), line)
        else:
            self.walk(const(0, INT), b.length, line, lambda k: self.b.assign(elems, App("store", (
                elems, arith("add", start, k), self.code_point(b, k, line)), ELEMENTS), line))
        return self.text_value(Text(arith("add", start, b.length), elems))

    # ------------------------------------------------------------------------------- comparisons

    def compare_values(self, op: ast.cmpop, left: PyValue, right: PyValue, node: ast.Compare) -> PyValue:
        """`==`/`!=` with a str (never equal to an int, a bool or None); `x in s`; orderings between
        characters (their code points). Other comparisons of strs: values of unknown type, as before."""
        a, b, line = left.text, right.text, node.lineno
        if a is None and b is None:
            return super().compare_values(op, left, right, node)
        if isinstance(op, (ast.In, ast.NotIn)) and b is not None:
            if a is None:
                if left.opaque:  # a value of unknown type: str's `__contains__` raises TypeError unless a str
                    return self.unknown_bool(node)
                self.b.fail_unless(FALSE, raises("TypeError", line, "'in <string>' requires string as left operand"))
                return PyValue(FALSE)
            found = self.contains(a, b, node)
            return PyValue(found if isinstance(op, ast.In) else negate(found))
        if isinstance(op, (ast.Eq, ast.NotEq)):
            other = left if a is None else right
            if (a is None or b is None) and (other.opaque or other.list is not None):
                return self.operation(node)  # its `__eq__` may do anything
            same = self.equal(a, b, line) if a is not None and b is not None else FALSE
            return PyValue(same if isinstance(op, ast.Eq) else negate(same))
        if type(op) in ORDERINGS and a is not None and b is not None and a.char is not None and b.char is not None:
            return PyValue(compare(ORDERINGS[type(op)], a.char, b.char))
        return super().compare_values(op, left, right, node)

    def equal(self, a: Text, b: Text, line: int) -> Expr:
        """Whether two strs are equal: their code points, one by one where one is a literal, else in a
        loop that stops at the first difference."""
        if a.char is not None and b.char is not None:
            return _eq(a.char, b.char)
        if a.literal is not None:
            a, b = b, a
        if b.literal is not None:
            return conj(_eq(a.length, const(len(b.literal), INT)),
                        *(_eq(self.code_point(a, const(k, INT), line), const(ord(c), INT))
                          for k, c in enumerate(b.literal)))
        same = self.b.temp("equal", BOOL)
        self.b.assign(same, _eq(a.length, b.length), line)
        self.walk(const(0, INT), a.length, line, lambda k: self.b.assign(
            same, _eq(self.code_point(a, k, line), self.code_point(b, k, line)), line), until=negate(same))
        return same

    def contains(self, needle: Text, hay: Text, node: ast.AST) -> Expr:
        """`needle in hay`: whether needle is a substring of hay: spelled out where hay is a literal, else a
        search from each start, that stops at the first match."""
        line = getattr(node, "lineno", self.fn.lineno)
        if hay.literal is not None and needle.literal is not None:
            return const(needle.literal in hay.literal, BOOL)
        if hay.literal is not None and needle.char is not None:
            return disj(*(_eq(needle.char, const(code, INT)) for code in sorted({ord(c) for c in hay.literal})))
        if hay.literal is not None:
            if len(hay.literal) > MAX_UNROLLED:
                raise self.unsupported(f"`{_code(node)}`: a search for a str in a literal of more than "
                                       f"{MAX_UNROLLED} characters", node)
            parts = sorted({hay.literal[i:j] for i in range(len(hay.literal) + 1)
                            for j in range(i, len(hay.literal) + 1)})
            return disj(*(self.equal(needle, self.literal(p).text, line) for p in parts))  # type: ignore[arg-type]
        return self.text_search(needle, hay, line)[0]

    def text_search(self, needle: Text, hay: Text, line: int) -> tuple[Var, Var]:
        """Whether and where needle first occurs in hay: from each start in turn, the needle's characters
        compared (unrolled for a literal or a character), stopping at the first match."""
        hay = self.held(hay, line) if hay.char is None else Text(const(1, INT), text_elements(hay))
        found, at = self.b.temp("found", BOOL), self.b.temp("found", INT)
        self.b.assign(found, FALSE, line)
        self.b.assign(at, const(-1, INT), line)
        if needle.literal is None and needle.char is None:
            needle = self.held(needle, line)
            last = arith("add", arith("sub", hay.length, needle.length), const(1, INT))

            def match(k: Var) -> None:
                self.b.assign(at, k, line)
                self.b.assign(found, TRUE, line)
                self.walk(const(0, INT), needle.length, line, lambda j: self.b.assign(found, _eq(
                    self.code_point(hay, arith("add", k, j), line), self.code_point(needle, j, line)), line),
                    until=negate(found))
        else:
            codes = [const(ord(c), INT) for c in needle.literal] if needle.literal is not None else [needle.char]
            last = arith("add", arith("sub", hay.length, const(len(codes), INT)), const(1, INT))

            def match(k: Var) -> None:
                self.b.assign(at, k, line)
                self.b.assign(found, conj(*(_eq(self.code_point(hay, arith("add", k, const(j, INT)), line), c)
                                            for j, c in enumerate(codes) if c is not None)), line)

        self.walk(const(0, INT), last, line, match, until=found)
        return found, at

    def affix(self, text: Text, part: Text, start: bool, line: int) -> Expr:
        """Whether text starts (or ends) with part: unrolled for a literal or one character, else a loop
        over part's characters that stops at the first difference."""
        if part.literal is None and part.char is None:
            part = self.held(part, line)
            first = const(0, INT) if start else arith("sub", text.length, part.length)
            same = self.b.temp("equal", BOOL)
            self.b.assign(same, compare("ge", text.length, part.length), line)
            self.walk(const(0, INT), part.length, line, lambda j: self.b.assign(same, _eq(
                self.code_point(text, arith("add", first, j), line), self.code_point(part, j, line)), line),
                until=negate(same))
            return same
        codes = [const(ord(c), INT) for c in part.literal] if part.literal is not None else [part.char]
        first = const(0, INT) if start else arith("sub", text.length, const(len(codes), INT))
        return conj(compare("ge", text.length, const(len(codes), INT)), *(
            _eq(self.code_point(text, arith("add", first, const(j, INT)), line), c)
            for j, c in enumerate(codes) if c is not None))


def _reverses(index: ast.Slice) -> bool:
    """Whether a slice is `[::-1]`: no bounds, a step of -1."""
    step = index.step
    minus_one = isinstance(step, ast.UnaryOp) and isinstance(step.op, ast.USub) and \
        isinstance(step.operand, ast.Constant) and type(step.operand.value) is int and step.operand.value == 1
    return index.lower is None and index.upper is None and minus_one
