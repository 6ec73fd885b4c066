"""Python expressions lowered to IR values: constants, names, arithmetic, comparisons, `and`/`or`/`not`
and conditional expressions, each failing (ZeroDivisionError, UnboundLocalError) where Python would; an
operator with an operand of unknown type is an operation on it (opaque.py).

Separate from statements and calls: an expression only adds the checks it needs to the current
location, and branches only where a part that may fail must not run unconditionally. Calls are the
one expression lowered elsewhere (calls.py), since inlining a callee lowers its statements.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from solomonic.reason.frontends.python.bitwise import NotLinear, and_bounds, bitwise, invert, shift
from solomonic.reason.frontends.python.constants import ConstantLowering
from solomonic.reason.frontends.python.module import own_nodes
from solomonic.reason.frontends.python.state import Frame, PyValue, _code, raises
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    Const,
    Expr,
    Var,
    arith,
    cast,
    compare,
    conj,
    const,
    disj,
    free_vars,
    ite,
    negate,
)

ANALYSER_QUESTIONS = {"terminates", "check"}  # names under which a program asks the analyser about itself
MAX_EXPONENT = 64
PURE_BUILTINS = {"isinstance", "abs", "min", "max", "int", "bool"}  # cannot fail on ints and bools
COMPARISONS = {ast.Eq: "eq", ast.NotEq: "ne", ast.Lt: "lt", ast.LtE: "le", ast.Gt: "gt", ast.GtE: "ge"}
# expressions that make or use values of unknown type: evaluating one may raise
_OPAQUE_NODES = (ast.Attribute, ast.Subscript, ast.Starred, ast.Lambda, ast.List, ast.Tuple, ast.Set, ast.Dict,
                 ast.JoinedStr, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.NamedExpr,
                 ast.Await, ast.Yield, ast.YieldFrom)


class ExpressionLowering(ConstantLowering):
    """Lowers expressions to values at the current location."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enclosing: dict[str, Frame] = {}  # a nested function's frame (its prefix) -> its definer's frame

    def closure_frame(self, name: str) -> Frame | None:
        """Where the current function is nested and `name` is none of its locals: the frame of the
        nearest enclosing function that has `name` as a local (Python's closure), if any."""
        frame = self.frame
        if self.is_local(name):
            return None
        while frame.prefix in self.enclosing and name not in _declared_global(frame.fn):
            frame = self.enclosing[frame.prefix]
            if name in self.locals_in(frame.fn):
                return frame
        return None

    def is_builtin(self, name: str) -> bool:
        return super().is_builtin(name) and self.closure_frame(name) is None

    def check_bound(self, owner: Frame, n: str, node: ast.AST) -> None:
        """Reading owner's local n (the current function's, or an enclosing one's) raises where it may be
        unbound: UnboundLocalError for the function's own, NameError for a free variable."""
        if n in owner.assigned:
            return
        key = owner.prefix + n
        self.maybe_unbound.add(key)
        if key in self.flagged:
            line = node.lineno
            event = raises("UnboundLocalError", line, f"'{n}' is read before it is assigned") if owner is self.frame \
                else raises("NameError", line, f"free variable '{n}' is read before `{owner.fn.name}` assigns it")
            self.b.fail_unless(Var(key + "$bound", BOOL), event)

    def settled(self, value: PyValue, later: Iterable[ast.expr | None], node: ast.AST) -> PyValue:
        """value as it is now, where an operand that Python evaluates after it (one of `later`) may change
        what its terms read. Python has computed the value already (`x + (x := 5)` adds the old x; in
        `xs[0] += g(xs)` the item is read before g runs), while a term names variables, read where it is
        used; so each part of the value that such an operand may change is copied into a temporary first.
        A list is not copied: Python holds the list object, and sees what later operands do to it."""
        return self.settled_by(value, _effects([n for n in later if n is not None]), node)

    def in_order(self, nodes: list[ast.expr], evaluate: Callable[[ast.expr], PyValue], node: ast.AST) -> list[PyValue]:
        """The nodes evaluated left to right (arguments, the items of a display), each settled against
        those after it; each node's effects are found once (a display of thousands of items stays linear)."""
        after: list[tuple[bool, bool]] = [(False, False)]
        for n in reversed(nodes[1:]):
            rebinds_, calls = _effects([n])
            after.append((after[-1][0] or rebinds_, after[-1][1] or calls))
        after.reverse()
        return [self.settled_by(evaluate(n), effects, node) for n, effects in zip(nodes, after)]

    def settled_by(self, value: PyValue, effects: tuple[bool, bool], node: ast.AST) -> PyValue:
        """settled, given what the later operands may do (a `:=`, a call)."""
        if value.list is not None or not any(effects):
            return value
        line = getattr(node, "lineno", self.fn.lineno)
        copies: dict[Expr, Var] = {}

        def copy(e: Expr) -> Expr:
            if not self.changed_by(e, *effects):
                return e
            if e not in copies:
                copies[e] = self.b.temp("held", e.type)
                self.b.assign(copies[e], e, line)
            return copies[e]

        text = value.text
        if text is not None:
            text = dataclasses.replace(text, length=copy(text.length),
                                       elems=None if text.elems is None else copy(text.elems),
                                       char=None if text.char is None else copy(text.char))
        return dataclasses.replace(value, expr=copy(value.expr), none=copy(value.none), text=text)

    def changed_by(self, e: Expr, rebinds: bool, calls: bool) -> bool:
        """Whether e reads a variable that a `:=` (rebinds) or a call may change. A call changes no
        variable of its caller but a list's (a list method, a callee given the list or closing over it):
        an inlined callee's own variables are new, it cannot rebind the caller's names (`nonlocal` is
        refused), and code not modelled changes no modelled variable (opaque.py)."""
        names = free_vars(e)
        if rebinds:
            return bool(names)
        lists = {part for frame in self.frames for ref in frame.lists.values() for part in (ref.elems, ref.length)}
        return calls and not names.isdisjoint(lists)

    def expression(self, node: ast.expr, allow_none: bool = False, allow_list: bool = False) -> PyValue:
        """node's value; one that may be None is a value of unknown type unless allow_none (where the
        caller keeps None exact: operators, comparisons, truth, returns, stores, which make the variable
        optional). A list is refused unless allow_list (where the caller models what it does with one:
        lists.py), since passed anywhere else it could be changed or shared unseen."""
        value = self._expression(node)
        if value.list is not None and not allow_list:
            self.unmodelled_use(value.list)
            raise self.unsupported(f"the list `{_code(node)}` used where it could be changed or shared unseen "
                                   "(aliasing is not modelled; only len, indexing, append, pop, iteration, `in`, "
                                   "truth, sum/min/max and calls of the module's functions are on lists)", node)
        if value.none != FALSE and not allow_none:
            return PyValue(cast(value.expr, INT), opaque=True)
        return value

    def _expression(self, node: ast.expr) -> PyValue:
        if isinstance(node, ast.Constant):
            if isinstance(node.value, bool):
                return PyValue(const(node.value, BOOL))
            if isinstance(node.value, int):
                return PyValue(const(node.value, INT))
            if node.value is None:
                return PyValue(const(0, INT), TRUE)
            return self.fresh_opaque(node)  # a float, str, bytes, complex or Ellipsis
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.BinOp):
            return self.binop(node.op, node.left, node.right, node)
        if isinstance(node, ast.UnaryOp):
            operand = self.expression(node.operand, allow_none=True, allow_list=isinstance(node.op, ast.Not))
            if isinstance(node.op, ast.Not):
                return PyValue(negate(self.truth(operand, node.operand)))
            if operand.opaque:
                return self.operation(node)
            if isinstance(node.op, ast.USub):
                return PyValue(arith("neg", self.as_int(operand, node)))
            if isinstance(node.op, ast.UAdd):
                return PyValue(self.as_int(operand, node))
            assert isinstance(node.op, ast.Invert)
            return PyValue(invert(self.as_int(operand, node)))
        if isinstance(node, ast.BoolOp):
            return self.boolop(node)
        if isinstance(node, ast.Compare):
            return self.comparison(node)
        if isinstance(node, ast.IfExp):
            cond = self.condition(node.test)
            return self.conditional(cond, node.body, node.orelse, node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Subscript):
            return self.subscript(node)
        if isinstance(node, ast.Attribute):
            return self.attribute(node)
        if isinstance(node, (ast.List, ast.Tuple, ast.Set, ast.Dict)):
            return self.display(node)
        if isinstance(node, ast.JoinedStr):
            return self.formatted(node)
        if isinstance(node, ast.Lambda):
            return self.lambda_value(node)
        if isinstance(node, ast.NamedExpr) and isinstance(node.target, ast.Name):
            # the value stored, read back from the name: a term of the value would read the names it
            # mentions after the store (`(x := x + 1)` is the new x, not the new x plus one)
            value = self.expression(node.value, allow_none=True)
            self.store(node.target.id, value, node.target)
            return self.name(ast.copy_location(ast.Name(node.target.id, ast.Load()), node.target))
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            return self.comprehension(node)
        raise self.unsupported(f"expression `{type(node).__name__}`", node)

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> PyValue:
        """Lowered by `ListLowering` (lists.py) where it makes a list; any other is refused."""
        raise self.unsupported(f"a comprehension (`{_code(node)}`): only list comprehensions are modelled (the "
                               "length and termination of the others are not)", node)

    def condition(self, node: ast.expr) -> Expr:
        """The truth of node's value, where only its truth is used (a test): a list's is that it is not
        empty."""
        return self.truth(self.expression(node, allow_none=True, allow_list=True), node)

    def store(self, name: str, value: PyValue, node: ast.AST) -> None:
        raise NotImplementedError  # statements.py

    def call(self, node: ast.Call) -> PyValue:
        """Lowered by `CallLowering` (calls.py), which inlines the callee's statements."""
        raise NotImplementedError

    def subscript(self, node: ast.Subscript) -> PyValue:
        """Lowered by `TupleLowering` (tuples.py): a constant index into a tuple."""
        raise NotImplementedError

    def name(self, node: ast.Name) -> PyValue:
        n = node.id
        owner = self.frame if self.is_local(n) else self.closure_frame(n)
        if owner is not None:
            if n in nested_defs(owner.fn):
                raise self.unsupported(f"the nested function `{n}` used other than called (it escapes)", node)
            ref = self.list_ref(owner, n)
            if ref is not None:
                self.check_bound(owner, n, node)
                return PyValue(ref.length, list=ref)
            var = owner.variables.get(n)
            if var is None:
                var = owner.variables[n] = Var(owner.prefix + n, INT)
            self.check_bound(owner, n, node)
            return self.value_of(var)
        if n in self.module.constants:
            self.reads_constants = True
            if self.constant_is_int(n):
                return PyValue(self.module_value(self.module.constants[n], f"module-level name '{n}'", node))
            return self.module_object(n, node)
        if n in ("True", "False"):
            return PyValue(const(n == "True", BOOL))
        if n in ANALYSER_QUESTIONS:
            raise self.unsupported(f"a question to the analyser itself (`{n}`): no correct yes/no answer "
                                   "exists for a program that consults its own analysis", node)
        if n in self.module.bound or self.module.star_import:
            return self.module_object(n, node)
        if hasattr(builtins, n):
            return self.fresh_opaque(node)  # a builtin used as a value (`key=len`)
        raise self.unsupported(f"undefined name '{n}'", node)

    def binop(self, op: ast.operator, left_node: ast.expr, right_node: ast.expr, node: ast.AST) -> PyValue:
        left_value = self.settled(self.expression(left_node, allow_none=True), [right_node], node)
        right_value = self.expression(right_node, allow_none=True)
        return self.operate(op, left_value, right_value, left_node, right_node, node)

    def operate(self, op: ast.operator, left_value: PyValue, right_value: PyValue, left_node: ast.expr,
                right_node: ast.expr, node: ast.AST) -> PyValue:
        """The operator applied to its two evaluated operands (written as left_node and right_node)."""
        if left_value.opaque or right_value.opaque:
            return self.operation(node)
        if isinstance(op, ast.Div):  # ints give a float, or raise (ZeroDivisionError, OverflowError)
            self.may_raise(node, f"`{_code(node)}`")
            return self.fresh_opaque(node)
        left = self.as_int(left_value, left_node)
        right = self.as_int(right_value, right_node)
        line = node.lineno
        simple = {ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul"}
        if type(op) in simple:
            return PyValue(arith(simple[type(op)], left, right))
        if isinstance(op, (ast.FloorDiv, ast.Mod)):
            symbol = "//" if isinstance(op, ast.FloorDiv) else "%"
            self.b.fail_unless(compare("ne", right, const(0, INT)), raises(
                "ZeroDivisionError", line, f"`{ast.unparse(node)}` divides by zero"))
            return PyValue(arith("floordiv" if symbol == "//" else "floormod", left, right))
        if isinstance(op, ast.Pow):
            if not (isinstance(right, Const) and 0 <= right.value <= MAX_EXPONENT):
                # an int, or a float for a negative exponent, or ZeroDivisionError (0 ** -1), or MemoryError:
                # CPython's power always ends; its value is not kept
                self.may_raise(node, f"`{_code(node)}`")
                return self.fresh_opaque(node)
            result: Expr = const(1, INT)
            for _ in range(right.value):
                result = left if result == const(1, INT) else arith("mul", result, left)
            return PyValue(result)
        return self.bitwise(op, left_value, right_value, node)

    def bitwise(self, op: ast.operator, left: PyValue, right: PyValue, node: ast.AST) -> PyValue:
        """`<< >> & | ^` on ints and bools, exactly (bitwise.py); a negative shift count raises ValueError."""
        try:
            if isinstance(op, (ast.LShift, ast.RShift)):
                amount = self.as_int(right, node)
                if not isinstance(amount, Const):
                    raise NotLinear(f"a shift by a count that is not a constant (`{_code(node)}`)")
                if amount.value < 0:
                    message = f"`{_code(node)}` shifts by a negative count"
                    self.b.fail_unless(FALSE, raises("ValueError", getattr(node, "lineno", self.fn.lineno), message))
                    return PyValue(const(0, INT))
                return PyValue(shift(isinstance(op, ast.LShift), self.as_int(left, node), amount.value))
            names = {ast.BitAnd: "and", ast.BitOr: "or", ast.BitXor: "xor"}
            if type(op) not in names:
                raise NotLinear(f"operator `{type(op).__name__}` on ints")
            for v in (left, right):
                self.as_int(v, node)  # refuses None
            try:
                return PyValue(bitwise(names[type(op)], left.expr, right.expr))
            except NotLinear:
                if names[type(op)] != "and":
                    raise
                return self.bounded_and(left.expr, right.expr, node)
        except NotLinear as err:
            raise self.unsupported(str(err), node) from None

    def bounded_and(self, x: Expr, y: Expr, node: ast.AST) -> PyValue:
        """`x & y` between two ints with no linear form (bitwise.py): a value known only by bounds that hold
        for every pair of ints (`and_bounds`), enough for `n &= n - 1` to rank n. A "yes" built on them is
        sound; a "no" is believed only once the real function replays it."""
        value = self.b.temp("and", INT)
        line = getattr(node, "lineno", self.fn.lineno)
        self.b.havoc(value, f"`{_code(node)}`", line)
        self.b.assume(and_bounds(value, cast(x, INT), cast(y, INT)), line)
        return PyValue(value)

    def comparison(self, node: ast.Compare) -> PyValue:
        """`a < b < c` is `a < b and b < c` with b evaluated once; c only where a < b held (the value of a
        chain is that of its first false comparison, or of its last)."""
        for op in node.ops:
            if type(op) not in COMPARISONS and not isinstance(op, (ast.In, ast.NotIn, ast.Is, ast.IsNot)):
                raise self.unsupported(f"comparison `{type(op).__name__}`", node)
        left = self.settled(self.expression(node.left, allow_none=True), node.comparators, node)
        lowered: list[PyValue] = []
        if len(node.ops) == 1 or not any(_may_fail(c, self) for c in node.comparators[1:]):
            # Nothing after the first comparator can fail or act: all may be evaluated at once.
            lowered = self.in_order(node.comparators, lambda c: self.expression(c, allow_none=True), node)
            operands = [left, *lowered]
            if all(type(op) in COMPARISONS for op in node.ops) and all(_exact(v) for v in operands):
                return PyValue(conj(*(compare(COMPARISONS[type(op)], cast(a.expr, INT), cast(b.expr, INT))
                                      for op, a, b in zip(node.ops, operands, operands[1:]))))
            if len(node.ops) == 1:
                return self.compare_values(node.ops[0], left, lowered[0], node)
        line = node.lineno
        result = self.b.temp("chain", INT)
        self.b.assign(result, const(0, INT), line)
        join = self.b.location(line)
        opaque = False
        for k, (op, right_node) in enumerate(zip(node.ops, node.comparators)):
            right = lowered[k] if lowered else \
                self.settled(self.expression(right_node, allow_none=True), node.comparators[k + 1:], node)
            holds = self.compare_values(op, left, right, node)
            opaque = opaque or holds.opaque
            if k == len(node.ops) - 1:
                value = cast(holds.expr, INT) if holds.opaque else ite(holds.expr, const(1, INT), const(0, INT))
                self.b.assign(result, value, line)
                self.b.jump(join, line)
            else:
                yes, no = self.b.branch(self.truth(holds, node), line)
                if no is not None:
                    self.b.place(no)
                    if holds.opaque:
                        self.b.assign(result, cast(holds.expr, INT), line)
                    self.b.jump(join, line)
                self.b.place(yes)
            left = right
        self.b.place_if_reached(join)
        return PyValue(result, opaque=True) if opaque else PyValue(compare("ne", result, const(0, INT)))

    def compare_values(self, op: ast.cmpop, left: PyValue, right: PyValue, node: ast.Compare) -> PyValue:
        """One comparison of two evaluated operands: exact between ints; `is` with None exact where the
        other side is modelled; otherwise an operation on values of unknown type (`is` never runs code,
        `in` gives a bool, a rich comparison may give anything)."""
        if isinstance(op, (ast.Is, ast.IsNot)):
            if not left.opaque and not right.opaque:
                for a, b in ((left, right), (right, left)):
                    if b.none == TRUE:
                        return PyValue(a.none if isinstance(op, ast.Is) else negate(a.none))
                raise self.unsupported("`is` between values that are not None (the identity of ints is not "
                                       "modelled)", node)
            return self.unknown_bool(node, raises=False)
        if isinstance(op, (ast.In, ast.NotIn)):
            return self.unknown_bool(node)
        if left.opaque or right.opaque:
            return self.operation(node)
        if isinstance(op, (ast.Eq, ast.NotEq)) and (left.none != FALSE or right.none != FALSE):
            # None equals only None (int.__eq__(None) is NotImplemented, and so is None's: identity decides)
            same = disj(conj(left.none, right.none), conj(negate(left.none), negate(right.none),
                                                          compare("eq", cast(left.expr, INT), cast(right.expr, INT))))
            return PyValue(same if isinstance(op, ast.Eq) else negate(same))
        return PyValue(compare(COMPARISONS[type(op)], self.as_int(left, node), self.as_int(right, node)))

    def boolop(self, node: ast.BoolOp) -> PyValue:
        """`a and b` is b where a is true, else a (values, not just truth); b runs only where needed."""
        is_and = isinstance(node.op, ast.And)
        result = self.expression(node.values[0], allow_none=True)
        for left_node, right_node in zip(node.values, node.values[1:]):
            cond = self.truth(result, left_node)
            if not is_and:
                cond = negate(cond)
            if _may_fail(right_node, self):
                result = self.guarded(cond, right_node, result, node)
            else:
                right = self.expression(right_node, allow_none=True)
                result = self.select(cond, right, result)
        return result

    def select(self, cond: Expr, a: PyValue, b: PyValue) -> PyValue:
        """a where cond holds, else b."""
        if a.opaque or b.opaque:
            return PyValue(ite(cond, cast(a.expr, INT), cast(b.expr, INT)), opaque=True)
        none = ite(cond, a.none, b.none)
        if a.expr.type == b.expr.type:
            return PyValue(ite(cond, a.expr, b.expr), none)
        return PyValue(ite(cond, cast(a.expr, INT), cast(b.expr, INT)), none)

    def guarded(self, cond: Expr, then_node: ast.expr, otherwise: PyValue, node: ast.AST) -> PyValue:
        """Evaluate then_node only where cond holds (it may fail or call); else keep `otherwise`."""
        line = getattr(node, "lineno", self.fn.lineno)
        tmp, none = self.b.temp("value", INT), self.b.temp("none", BOOL)
        self.b.assign(tmp, cast(otherwise.expr, INT), line)
        join = self.b.location(line)
        yes, no = self.b.branch(cond, line)
        opaque, may_be_none = otherwise.opaque, otherwise.none != FALSE
        if yes is not None:
            self.b.place(yes)
            value = self.expression(then_node, allow_none=True)
            opaque = opaque or value.opaque
            may_be_none = may_be_none or value.none != FALSE
            self.b.assign(tmp, cast(value.expr, INT), line)
            if may_be_none:
                self.b.assign(none, value.none, line)
            self.b.jump(join, line)
        if no is not None:
            self.b.place(no)
            if may_be_none:
                self.b.assign(none, otherwise.none, line)
            self.b.jump(join, line)
        self.b.place(join)
        return PyValue(tmp, none if may_be_none and not opaque else FALSE, opaque=opaque)

    def conditional(self, cond: Expr, body: ast.expr, orelse: ast.expr, node: ast.AST) -> PyValue:
        if not _may_fail(body, self) and not _may_fail(orelse, self):
            return self.select(cond, self.expression(body, allow_none=True),
                               self.expression(orelse, allow_none=True))
        if self.changed_by(cond, *_effects([orelse])):  # the test is decided before either branch runs
            held = self.b.temp("cond", BOOL)
            self.b.assign(held, cond, getattr(node, "lineno", self.fn.lineno))
            cond = held
        otherwise = self.guarded(negate(cond), orelse, PyValue(const(0, INT)), node)
        return self.guarded(cond, body, otherwise, node)


def _exact(v: PyValue) -> bool:
    return not v.opaque and v.none == FALSE


def _effects(nodes: list[ast.AST]) -> tuple[bool, bool]:
    """Whether evaluating the nodes may rebind a name (`:=`), and whether it may call something."""
    inside = [n for node in nodes for n in ast.walk(node)]
    return any(isinstance(n, ast.NamedExpr) for n in inside), any(isinstance(n, ast.Call) for n in inside)


def rebinds(node: ast.AST) -> bool:
    """Whether evaluating node may rebind a name (`:=`): the one way an operand changes a str name (a
    str is never changed in place, and no callee rebinds its caller's names)."""
    return _effects([node])[0]


def _may_fail(node: ast.expr, lowering: ExpressionLowering) -> bool:
    """Whether evaluating node can raise, call, or change state (so it must not run unconditionally);
    conservative where values of unknown type are involved."""
    for n in ast.walk(node):
        if isinstance(n, _OPAQUE_NODES) or (isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)):
            return True
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Pow) and not (
                isinstance(n.right, ast.Constant) and type(n.right.value) is int and 0 <= n.right.value <= MAX_EXPONENT):
            return True  # may raise (0 ** -1)
        if isinstance(n, ast.Constant) and type(n.value) not in (int, bool):
            return True  # None raises where a number is needed
        if isinstance(n, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn, ast.Is, ast.IsNot))
                                              for op in n.ops):
            return True
        if isinstance(n, ast.Call) and not (isinstance(n.func, ast.Name) and n.func.id in PURE_BUILTINS
                                            and lowering.is_builtin(n.func.id)):
            return True
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.FloorDiv, ast.Mod)) and not (
                isinstance(n.right, ast.Constant) and n.right.value != 0):
            return True
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.LShift, ast.RShift)) and not (
                isinstance(n.right, ast.Constant) and isinstance(n.right.value, int) and n.right.value >= 0):
            return True  # a negative count raises
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load):
            owner = lowering.frame if lowering.is_local(n.id) else lowering.closure_frame(n.id)
            name = owner.prefix + n.id if owner is not None else ""
            if owner is not None and (n.id not in owner.assigned or name in lowering.opaque_names
                                      or name in lowering.optional_names):
                return True
            if owner is None and n.id not in ("True", "False") and not (
                    n.id in lowering.module.constants and lowering.constant_is_int(n.id)) and not (
                    lowering.is_builtin(n.id) and n is not node and _called(node, n)):
                return True
    return False


def _called(root: ast.expr, name: ast.Name) -> bool:
    """Whether name is the callee of a call within root (a builtin called, not read as a value)."""
    return any(isinstance(c, ast.Call) and c.func is name for c in ast.walk(root))


def nested_defs(fn: ast.FunctionDef) -> dict[str, list[ast.FunctionDef]]:
    """The functions defined by `def` in fn's own scope (in any block, not inside another scope)."""
    out: dict[str, list[ast.FunctionDef]] = {}
    for node in own_nodes(fn):
        if isinstance(node, ast.FunctionDef):
            out.setdefault(node.name, []).append(node)
    return out


def _declared_global(fn: ast.FunctionDef) -> set[str]:
    return {n for node in own_nodes(fn) if isinstance(node, ast.Global) for n in node.names}
