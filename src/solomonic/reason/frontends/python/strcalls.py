"""The builtins, methods and statements that take strs (strings.py models the values): `ord(c)`,
`chr(n)`, `s.startswith(...)`, `s.endswith(...)`, `s.find(t)`, `s.index(t)`, `s.count(c)`, `for c in s`,
`for i, c in enumerate(s)` and `for t in ("a", "bc")`, and strs returned (by the analysed function: its truth; by an inlined one:
the str, to its caller).

Separate from strings.py, which decides what a str is and how expressions make and compare them: here
are the places where the lowering of calls and statements meets them. Every other method of a str
(`s.upper()`, `s.split()`, `c.isdigit()`, ...) is a call not modelled, which returns a value of unknown
type: a str's methods return and change nothing the model keeps, as the answer then assumes.
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.calls import _may_return_none
from solomonic.reason.frontends.python.expressions import rebinds
from solomonic.reason.frontends.python.lists import _targets
from solomonic.reason.frontends.python.state import PyValue, Text, _code, raises
from solomonic.reason.frontends.python.strings import (
    CANNOT_RAISE,
    MAX_CODE_POINT,
    STR_BUILTINS,
    STR_RESULTS,
    StringLowering,
)
from solomonic.reason.ir import FALSE, INT, Var, arith, compare, conj, const, disj, ite

AFFIXES = {"startswith": True, "endswith": False}  # the method -> whether it looks at the start
SEARCHES = ("find", "index", "count")


class StringCallLowering(StringLowering):
    """ord, chr, startswith and endswith; loops over strs; strs returned."""

    def builtin(self, name: str, node: ast.Call) -> PyValue:
        """`ord(c)` of a one-character str (TypeError for any other str or an int); `chr(n)` of an int
        (ValueError outside 0..0x10FFFF); `str(x)`, `repr(x)` and `ascii(x)`: a str not kept."""
        single = len(node.args) == 1 and not node.keywords and not isinstance(node.args[0], ast.Starred)
        if name in STR_BUILTINS and single and not self.in_procedure():  # `__str__`/`__repr__` must give a str
            self.operands(node.args)
            self.note_call(node.func)
            return self.vague(node, f"the call `{_code(node)}`")
        if name not in ("ord", "chr") or not single or self.in_procedure():
            return super().builtin(name, node)
        value, line = self.expression(node.args[0], allow_none=True), node.lineno
        text = value.text
        if (value.opaque and text is None) or (name == "chr" and text is not None):
            if text is None:  # of a value of unknown type: an int, or an exception
                self.note_call(node.func)
                return self.unknown_of(INT, node, f"`{_code(node)}`") if name == "ord" else \
                    self.unknown(node, f"the call `{_code(node)}`", call=True)
            self.b.fail_unless(FALSE, raises("TypeError", line, f"`{_code(node)}`: chr() of a str"))
            return PyValue(const(0, INT))
        if name == "chr":
            code = self.b.temp("char", INT)
            self.b.assign(code, self.as_int(value, node.args[0]), line)
            self.b.fail_unless(conj(compare("ge", code, const(0, INT)), compare("le", code, const(MAX_CODE_POINT, INT))),
                               raises("ValueError", line, f"`{_code(node)}`: chr() arg not in range(0x110000)"))
            return self.character(code)
        if text is None:
            self.b.fail_unless(FALSE, raises("TypeError", line, f"`{_code(node)}`: ord() of a value that is no str"))
            return PyValue(const(0, INT))
        if text.char is not None:
            return PyValue(text.char)
        self.b.fail_unless(compare("eq", text.length, const(1, INT)), raises(
            "TypeError", line, f"`{_code(node)}`: ord() expected a character"))
        return PyValue(self.code_point(text, const(0, INT), line))

    def call(self, node: ast.Call) -> PyValue:
        """`s.startswith(p)` and `s.endswith(p)` where p is a str or a tuple of strs;
        `s.find(t)`, `s.index(t)` (ValueError where t does not occur) and `s.count(c)` of one character;
        with other arguments, an int or a bool that may be anything (the call still runs, and may raise)."""
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in STR_RESULTS and self.is_text(func.value):
            self.text_of(func.value)
            self.operands([*node.args, *(k.value for k in node.keywords)])
            self.note_call(func)
            plain = func.attr in CANNOT_RAISE and not node.args and not node.keywords
            return self.vague(node, f"the call `{_code(node)}`", raises=not plain)
        if not (isinstance(func, ast.Attribute) and func.attr in (*AFFIXES, *SEARCHES) and len(node.args) == 1 and
                not node.keywords and not isinstance(node.args[0], ast.Starred) and self.is_text(func.value)):
            return super().call(node)
        text, line = self.text_of(func.value), node.lineno
        arg = node.args[0]
        if rebinds(arg):  # `s.find((s := t))` searches the str s was before
            text = self.held(text, line)
        tupled = isinstance(arg, ast.Tuple) and func.attr in AFFIXES
        parts = self.in_order(arg.elts, lambda e: self.expression(e, allow_none=True), arg) \
            if isinstance(arg, ast.Tuple) and tupled \
            else [self.expression(arg, allow_none=True)]
        if any(p.text is None and not p.opaque for p in parts):
            self.b.fail_unless(FALSE, raises("TypeError", line, f"`{_code(node)}`: {func.attr} of a value that is "
                                             "no str"))
            return PyValue(FALSE)
        texts = [p.text for p in parts if p.text is not None]
        if func.attr in SEARCHES:
            return self.searched(node, func.attr, text, texts[0] if texts else None)
        if len(texts) < len(parts):
            self.note_call(func)
            return self.unknown_bool(node)
        return PyValue(disj(*(self.affix(text, t, AFFIXES[func.attr], line) for t in texts)))

    def searched(self, node: ast.Call, method: str, text: Text, sought: Text | None) -> PyValue:
        """`s.find(t)`, `s.index(t)`, `s.count(c)`, their argument evaluated (None: of unknown type)."""
        line = node.lineno
        if sought is None or (method == "count" and sought.char is None):
            self.note_call(node.func)
            return self.unknown_of(INT, node, f"`{_code(node)}`")
        if method == "count":
            char = sought.char
            assert char is not None
            count = self.b.temp("count", INT)
            self.b.assign(count, const(0, INT), line)
            self.walk(const(0, INT), text.length, line, lambda k: self.b.assign(count, arith("add", count, ite(
                compare("eq", self.code_point(text, k, line), char), const(1, INT), const(0, INT))), line))
            return PyValue(count)
        found, at = self.text_search(sought, text, line)
        if method == "index":
            self.b.fail_unless(found, raises("ValueError", line, f"`{_code(node)}`: substring not found"))
            return PyValue(at)
        return PyValue(ite(found, at, const(-1, INT)))

    def for_statement(self, s: ast.For) -> None:
        """`for c in s`, `for i, c in enumerate(s[, start])`: an index over the str as it was when the
        loop began (a str cannot change; its name may be rebound, which the iterator does not see)."""
        it, counted = s.iter, None
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate" and \
                self.is_builtin("enumerate") and 1 <= len(it.args) <= 2 and not it.keywords and \
                not any(isinstance(a, ast.Starred) for a in it.args):
            counted, it = it, it.args[0]
        if counted is None and isinstance(it, (ast.Tuple, ast.List)) and it.elts and \
                all(not isinstance(e, ast.Starred) and self.is_text(e) for e in it.elts):
            self.display_loop(s, it.elts)
            return
        if not self.is_text(it):
            super().for_statement(s)
            return
        line = s.lineno
        text = self.held(self.text_of(it), line)
        start = self.enumeration_start(counted, line)
        targets = _targets(s.target, counted is not None)
        if targets is None:
            raise self.unsupported(f"the loop target `{_code(s.target)}` over a str", s.target)
        k = self.b.temp("at", INT)
        self.b.assign(k, const(0, INT), line)

        def advance() -> None:
            char = self.character(self.code_point(text, k, line))
            if counted is None:
                self.assign_target(targets[0], char)
            else:
                count = self.b.temp("count", INT)
                self.b.assign(count, arith("add", start, k), line)
                self.assign_target(targets[0], PyValue(count))
                self.assign_target(targets[1], char)
            self.b.assign(k, arith("add", k, const(1, INT)), line)

        head = self.b.location(line)
        self.loop(s, head, lambda: compare("lt", k, text.length), advance)

    def default_value(self, default: ast.expr, name: str, callee: ast.FunctionDef, node: ast.AST) -> PyValue:
        """A str literal as a parameter's default: that str (it cannot change between calls)."""
        if isinstance(default, ast.Constant) and isinstance(default.value, str) and self.is_text(default):
            return self.literal(default.value)
        return super().default_value(default, name, callee, node)

    def display_loop(self, s: ast.For, elements: list[ast.expr]) -> None:
        """`for p in ("a", "bc")` (or a list display) of strs: each evaluated first, in order, then an
        index over them, the target given the one at the index."""
        line = s.lineno
        texts = [self.held(self.text_of(e), line) for e in elements]
        k = self.b.temp("at", INT)
        self.b.assign(k, const(0, INT), line)

        def advance() -> None:
            join = self.b.location(line)
            for j, text in enumerate(texts):
                yes, no = self.b.branch(compare("eq", k, const(j, INT)), line)
                if yes is not None:
                    self.b.place(yes)
                    self.assign_target(s.target, self.text_value(text))
                    self.b.jump(join, line)
                self.b.place(no)
            self.b.jump(join, line)  # (no index beyond the last: never taken)
            self.b.place(join)
            self.b.assign(k, arith("add", k, const(1, INT)), line)

        head = self.b.location(line)
        self.loop(s, head, lambda: compare("lt", k, const(len(texts), INT)), advance)

    # ---------------------------------------------------------------------------------- strs returned

    def finish_return(self, value: PyValue, line: int) -> None:
        """The analysed function returns a str: what the property sees of it is its truth."""
        super().finish_return(PyValue(self.truth(value)) if value.text is not None else value, line)

    def leave(self, value: PyValue, line: int) -> None:
        """An inlined function returns a str: its result variable holds strs (state.py), unless it
        returns other values too."""
        f = self.frame
        if f.procedure or f.result is None:
            super().leave(value, line)
            return
        if value.text is None:
            if f.result.name in self.string_names and f.result.name not in self.opaque_names:
                self.found_opaque.add(f.result.name)
            super().leave(value, line)
            return
        assert f.result_none is not None and f.join is not None  # an inlined frame's: inline_body sets them
        self.assign_value(f.result, value, line)
        self.b.assign(f.result_none, FALSE, line)
        self.b.jump(f.join, line)

    def inline(self, callee: ast.FunctionDef, node: ast.Call, enclosing=None) -> PyValue:  # type: ignore[no-untyped-def]
        result = super().inline(callee, node, enclosing)
        var = result.expr
        if not (isinstance(var, Var) and var.name in self.string_names and var.name not in self.opaque_names):
            return result
        if _may_return_none(callee):  # a str or None: a value of unknown type, as before
            self.found_opaque.add(var.name)
        return self.value_of(var)

