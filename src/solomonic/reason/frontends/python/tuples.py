"""Python tuples where they are taken apart at once: `q, r = divmod(a, b)`, `a, b = b, a % b`,
`lo, hi = bounds(xs)` (a function of the module that returns tuples), `divmod(a, b)[0]`.

A tuple is never a value of the IR: it is the list of its elements' values, built where the tuple is
made and consumed where it is unpacked or indexed. Anything else done with a tuple (stored whole,
compared, passed on) is refused with the reason. Separate from statements: it decides which
expressions make tuples and how many elements they have, and it lowers `divmod`.
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.module import own_nodes
from solomonic.reason.frontends.python.state import PyValue
from solomonic.reason.frontends.python.statements import StatementLowering
from solomonic.reason.ir import BOOL, INT, Event, arith, compare, const


class TupleLowering(StatementLowering):
    """Tuple-valued expressions as lists of element values; `divmod`; constant subscripts of tuples."""

    def tuple_values(self, node: ast.expr) -> list[PyValue] | None:
        """The elements of the tuple node makes, evaluated in Python's order; None where node is not an
        expression that makes a tuple (then it is lowered as an ordinary value, or refused)."""
        if isinstance(node, ast.Tuple):
            if any(isinstance(e, ast.Starred) for e in node.elts):
                raise self.unsupported("a starred element in a tuple", node)
            return [self.expression(e) for e in node.elts]
        if isinstance(node, ast.IfExp) and all(isinstance(b, ast.Tuple) for b in (node.body, node.orelse)):
            assert isinstance(node.body, ast.Tuple) and isinstance(node.orelse, ast.Tuple)
            if len(node.body.elts) != len(node.orelse.elts):
                return None
            cond = self.b.temp("cond", BOOL)
            self.b.assign(cond, self.truth(self.expression(node.test)), node.lineno)
            for e in [*node.body.elts, *node.orelse.elts]:
                if isinstance(e, ast.Starred):
                    raise self.unsupported("a starred element in a tuple", node)
            return [self.conditional(cond, b, o, node) for b, o in zip(node.body.elts, node.orelse.elts)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name == "divmod" and self.is_builtin(name):
                return self.divmod(node)
            if self.tuple_arity(name) is not None:
                return self.tuple_call(node)
        return None

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
        left = self.as_int(self.expression(node.args[0]), node.args[0])
        right = self.as_int(self.expression(node.args[1]), node.args[1])
        self.b.fail_unless(compare("ne", right, const(0, INT)), Event(
            "exception", node.lineno, f"ZeroDivisionError: `{ast.unparse(node)}` divides by zero"))
        return [PyValue(arith("floordiv", left, right)), PyValue(arith("floormod", left, right))]

    def subscript(self, node: ast.Subscript) -> PyValue:
        """`t[k]`: a constant index into an expression that makes a tuple (the whole tuple is made)."""
        index = node.slice
        k = None
        if isinstance(index, ast.Constant) and type(index.value) is int:
            k = index.value
        elif (isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub)
              and isinstance(index.operand, ast.Constant) and type(index.operand.value) is int):
            k = -index.operand.value
        if k is None or not isinstance(node.ctx, ast.Load):
            raise self.unsupported("a subscript other than a constant index into a tuple", node)
        values = self.tuple_values(node.value)
        if values is None:
            raise self.unsupported("a subscript of something other than a tuple (a tuple display, divmod(...) "
                                   "or a call of a function that returns tuples)", node)
        if not -len(values) <= k < len(values):
            raise self.unsupported(f"a tuple index out of range ({k} of {len(values)} elements)", node)
        return values[k]

    def unpack(self, target: ast.Tuple | ast.List, value_node: ast.expr, line: int) -> None:
        """`a, b = value`: every element is computed before the first name is stored."""
        for t in target.elts:
            if not isinstance(t, ast.Name):
                raise self.unsupported("unpacking into something other than names", t)
        values = self.tuple_values(value_node)
        if values is None:
            raise self.unsupported("tuple assignment from something other than a tuple display, divmod(...) or "
                                   "a call of a function that returns tuples of one length", value_node)
        if len(values) != len(target.elts):
            few = len(values) < len(target.elts)
            self.b.end(Event("exception", line, f"ValueError: {'not enough' if few else 'too many'} values to "
                             f"unpack (expected {len(target.elts)}, got {len(values)})"))
            return
        temps = []
        for v, t in zip(values, target.elts):
            tmp = self.b.temp("tuple", INT)
            self.b.assign(tmp, self.as_int(v, t), line)
            temps.append(tmp)
        for tmp, t in zip(temps, target.elts):
            assert isinstance(t, ast.Name)
            self.store(t.id, PyValue(tmp), t)


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
