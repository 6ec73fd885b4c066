"""Python tuples where they are taken apart at once: `q, r = divmod(a, b)`, `a, b = b, a % b`,
`lo, hi = bounds(xs)` (a function of the module that returns tuples), `divmod(a, b)[0]`, and
`for x in (a, b, c)`: the elements evaluated once, before the loop, then taken in order (so are a
string constant's characters, values of unknown type, and a bytes constant's, ints).

A tuple is never a value of the IR: it is the list of its elements' values, built where the tuple is
made and consumed where it is unpacked or indexed. A tuple used otherwise (stored whole, compared,
passed on) is a value of unknown type (opaque.py), and so is what unpacking or indexing any other value
gives. Separate from statements: it decides which expressions make tuples and how many elements they
have, and it lowers `divmod`.
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.contexts import WithLowering
from solomonic.reason.frontends.python.module import own_nodes
from solomonic.reason.frontends.python.state import PyValue, _code, raises
from solomonic.reason.ir import BOOL, FALSE, INT, Expr, Var, arith, cast, compare, const, ite


class TupleLowering(WithLowering):
    """Tuple-valued expressions as lists of element values; `divmod`; constant subscripts of tuples;
    loops over tuple displays and string and bytes constants."""

    def for_statement(self, s: ast.For) -> None:
        if not (is_fixed_sequence(s.iter) and isinstance(s.target, ast.Name)):
            super().for_statement(s)
            return
        it, line, target = s.iter, s.lineno, s.target
        if isinstance(it, ast.Constant):
            # a str's characters are strs (values of unknown type); a bytes constant's items are ints
            text = it.value
            assert isinstance(text, (str, bytes))  # is_fixed_sequence says so
            values = [PyValue(const(b, INT)) for b in text] if isinstance(text, bytes) else None
            count = len(text)
        else:
            values = self.tuple_values(it)
            assert values is not None  # a display without starred elements
            count = len(values)
        # ints and bools are kept; with an element of another kind, each is a value of unknown type
        exact = values is not None and all(not v.opaque and v.none == FALSE for v in values)
        held: list[Var] = []
        kept = values if exact and values is not None else []
        kind = BOOL if kept and all(v.expr.type == BOOL for v in kept) else INT  # bools among ints as 0/1
        for v in kept:
            temp = self.b.temp("item", kind)
            self.b.assign(temp, cast(v.expr, kind), line)
            held.append(temp)
        k = self.b.temp("at", INT)
        self.b.assign(k, const(0, INT), line)

        def advance() -> None:
            if exact:
                item: Expr = held[-1] if held else const(0, INT)  # (no element: the body never runs)
                for j in reversed(range(len(held) - 1)):
                    item = ite(compare("eq", k, const(j, INT)), held[j], item)
                self.store(target.id, PyValue(item), target)
            else:
                self.store(target.id, self.fresh_opaque(target), target)
            self.b.assign(k, arith("add", k, const(1, INT)), line)

        head = self.b.location(line)
        self.loop(s, head, lambda: compare("lt", k, const(count, INT)), advance)

    def held_value(self, v: PyValue, line: int) -> PyValue:
        """An element of a tuple being unpacked, in a temporary of its own (the targets are stored after
        every element is computed); one that may be None is kept as a value of unknown type."""
        tmp = self.b.temp("tuple", INT)
        self.b.assign(tmp, cast(v.expr, INT), line)
        return PyValue(tmp, opaque=v.opaque or v.none != FALSE)

    def tuple_values(self, node: ast.expr) -> list[PyValue] | None:
        """The elements of the tuple node makes, evaluated in Python's order; None where node is not an
        expression that makes a tuple (then it is lowered as an ordinary value, or refused)."""
        if isinstance(node, ast.Tuple):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                raise self.unsupported("a starred element in a tuple", node)
            return self.in_order(node.elts, self.expression, node)
        if isinstance(node, ast.IfExp) and all(isinstance(b, ast.Tuple) for b in (node.body, node.orelse)):
            assert isinstance(node.body, ast.Tuple) and isinstance(node.orelse, ast.Tuple)
            if len(node.body.elts) != len(node.orelse.elts):
                return None
            cond = self.b.temp("cond", BOOL)
            self.b.assign(cond, self.truth(self.expression(node.test), node.test), node.lineno)
            for e in [*node.body.elts, *node.orelse.elts]:
                if isinstance(e, ast.Starred):
                    raise self.unsupported("a starred element in a tuple", node)
            pairs = list(zip(node.body.elts, node.orelse.elts))
            return [self.settled(self.conditional(cond, b, o, node), [e for pair in pairs[k + 1:] for e in pair], node)
                    for k, (b, o) in enumerate(pairs)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name == "divmod" and self.is_builtin(name):
                return self.divmod(node)
            if self.tuple_arity(name) is not None:
                return self.tuple_call(node)
        return None

    def makes_tuple(self, node: ast.expr) -> bool:
        """Whether tuple_values takes node apart (without lowering anything to find out)."""
        if isinstance(node, ast.Tuple):
            return True
        if isinstance(node, ast.IfExp):
            return isinstance(node.body, ast.Tuple) and isinstance(node.orelse, ast.Tuple) and \
                len(node.body.elts) == len(node.orelse.elts)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            return (name == "divmod" and self.is_builtin(name)) or self.tuple_arity(name) is not None
        return False

    def tuple_arity(self, name: str) -> int | None:
        """How many elements every `return` of the module's function `name` gives, where each returns a
        tuple display (or `divmod`) of the same length; None otherwise."""
        raise NotImplementedError  # calls.py: it knows which functions a name calls

    def tuple_call(self, node: ast.Call) -> list[PyValue]:
        raise NotImplementedError  # calls.py: the callee is inlined, its elements are its results

    def divmod(self, node: ast.Call) -> list[PyValue]:
        """divmod(a, b) on ints is (a // b, a % b), and raises ZeroDivisionError where b == 0."""
        if len(node.args) != 2 or node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.unsupported("divmod() takes exactly two positional arguments", node)
        left_value = self.settled(self.expression(node.args[0]), node.args[1:], node)
        right_value = self.expression(node.args[1])
        if left_value.opaque or right_value.opaque:  # `__divmod__` of a value of unknown type
            self.unknown(node, f"`{_code(node)}`")
            return [self.fresh_opaque(node), self.fresh_opaque(node)]
        left, right = self.as_int(left_value, node.args[0]), self.as_int(right_value, node.args[1])
        self.b.fail_unless(compare("ne", right, const(0, INT)), raises(
            "ZeroDivisionError", node.lineno, f"`{ast.unparse(node)}` divides by zero"))
        return [PyValue(arith("floordiv", left, right)), PyValue(arith("floormod", left, right))]

    def subscript(self, node: ast.Subscript) -> PyValue:
        """`t[k]`: a constant index into an expression that makes a tuple (the whole tuple is made); any
        other subscript is an operation on a value of unknown type."""
        index = node.slice
        k = None
        if isinstance(index, ast.Constant) and type(index.value) is int:
            k = index.value
        elif (isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub)
              and isinstance(index.operand, ast.Constant) and type(index.operand.value) is int):
            k = -index.operand.value
        if k is None or not self.makes_tuple(node.value):
            return self.opaque_subscript(node)
        values = self.tuple_values(node.value)
        assert values is not None  # makes_tuple says so
        if not -len(values) <= k < len(values):
            raise self.unsupported(f"a tuple index out of range ({k} of {len(values)} elements)", node)
        return values[k]

    def unpack(self, target: ast.Tuple | ast.List, value_node: ast.expr, line: int) -> None:
        """`a, b = value`: every element is computed before the first target is stored, then the targets
        in order. Unpacking a value that is not a tuple the lowering builds iterates it: an operation on a
        value of unknown type, which gives elements of unknown type."""
        for t in target.elts:
            if isinstance(t, (ast.Tuple, ast.List)):
                raise self.unsupported("nested unpacking", t)
        values = self.tuple_values(value_node)
        if values is None or any(isinstance(t, ast.Starred) for t in target.elts):
            if values is None:
                self.expression(value_node, allow_none=True)
            self.opaque_ops = True
            self.may_raise(target, f"unpacking into `{_code(target)}`")
            for t in target.elts:
                self.assign_target(t.value if isinstance(t, ast.Starred) else t, self.fresh_opaque(t))
            return
        if len(values) != len(target.elts):
            few = len(values) < len(target.elts)
            self.b.end(raises("ValueError", line, f"{'not enough' if few else 'too many'} values to "
                             f"unpack (expected {len(target.elts)}, got {len(values)})"))
            return
        temps = [self.held_value(v, line) for v in values]
        for value, t in zip(temps, target.elts):
            self.assign_target(t, value)


def returned_arity(fn: ast.FunctionDef, is_divmod) -> int | None:
    """The common length of the tuples fn's `return`s give (tuple displays, conditional expressions
    between two of one length, or `divmod(...)` where is_divmod says the call is the builtin), or None
    where some return gives anything else."""
    arities = {_arity(node.value, is_divmod) for node in own_nodes(fn) if isinstance(node, ast.Return)}
    return arities.pop() if len(arities) == 1 else None


def _arity(value: ast.expr | None, is_divmod) -> int | None:
    if isinstance(value, ast.Tuple) and not any(isinstance(e, ast.Starred) for e in value.elts):
        return len(value.elts)
    if isinstance(value, ast.Call) and is_divmod(value):
        return 2
    if isinstance(value, ast.IfExp) and isinstance(value.body, ast.Tuple) and isinstance(value.orelse, ast.Tuple):
        body, orelse = _arity(value.body, is_divmod), _arity(value.orelse, is_divmod)
        return body if body == orelse else None
    return None


def is_fixed_sequence(node: ast.expr) -> bool:
    """A tuple display without starred elements, or a str or bytes constant: what a `for` takes in
    order, with a length known where the loop starts."""
    if isinstance(node, ast.Tuple):
        return not any(isinstance(e, ast.Starred) for e in node.elts)
    return isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes))
