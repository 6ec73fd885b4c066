"""Python statements and control flow lowered to the CFG: assignments, `if`, `while` and `for ... in
range(...)` (with `else`), `break`/`continue`, `return`, `assert` and `raise`; stores into attributes and
items of values of unknown type (evaluated, and they may raise: see opaque.py).

Separate from expressions: statements lay out locations and edges, and track which locals are
definitely assigned at each point (so that UnboundLocalError is checked only where it can happen).
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.cfg import Loop
from solomonic.reason.frontends.python.expressions import ExpressionLowering
from solomonic.reason.frontends.python.opaque import is_builtin_exception
from solomonic.reason.frontends.python.state import UNKNOWN, PyValue, _code, raises
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    Const,
    Event,
    Expr,
    arith,
    cast,
    compare,
    conj,
    const,
    disj,
    negate,
)


class StatementLowering(ExpressionLowering):
    """Lowers statements, and how the function being lowered is left (return, an inlined return)."""

    def body(self, stmts: list[ast.stmt]) -> None:
        for s in stmts:
            if self.b.current is None:
                return  # unreachable code after return/break/continue/raise
            self.statement(s)

    def statement(self, s: ast.stmt) -> None:
        line = s.lineno
        if isinstance(s, ast.Expr):
            if isinstance(s.value, ast.Constant):
                return  # docstrings and bare constants
            self.expression(s.value, allow_none=True)
        elif isinstance(s, ast.Pass):
            pass
        elif isinstance(s, ast.Assign):
            self.assign(s.targets, s.value, line)
        elif isinstance(s, ast.AnnAssign):
            if s.value is not None:
                self.assign([s.target], s.value, line)
            elif not isinstance(s.target, ast.Name):  # `x.a: int` evaluates x
                self.target_parts(s.target)
        elif isinstance(s, ast.AugAssign):
            if isinstance(s.target, ast.Name):
                value = self.binop(s.op, ast.Name(s.target.id, ast.Load(), lineno=line), s.value, s)
                self.store(s.target.id, value, s)
            elif isinstance(s.target, (ast.Attribute, ast.Subscript)):
                # the object (and index), the value, then the read, the operation and the write, which may
                # raise anywhere: folded into one possible exception after the value (a run that raises
                # earlier ends with an exception too, here or while evaluating the value)
                self.target_parts(s.target)
                self.opaque_augmented(s)
            else:
                raise self.unsupported("augmented assignment to something other than a name, attribute or item", s)
        elif isinstance(s, ast.Delete):
            for t in s.targets:
                if not isinstance(t, (ast.Attribute, ast.Subscript)):
                    raise self.unsupported("`del` of something other than an attribute or item", t)
                self.target_parts(t)
                self.opaque_ops = True
                self.may_raise(t, f"`del {_code(t)}`")
        elif isinstance(s, ast.If):
            self.if_statement(s)
        elif isinstance(s, ast.While):
            self.while_statement(s)
        elif isinstance(s, ast.For):
            self.for_statement(s)
        elif isinstance(s, ast.Break):
            self.loop_exit(s, "break")
        elif isinstance(s, ast.Continue):
            self.loop_exit(s, "continue")
        elif isinstance(s, ast.Return):
            self.return_statement(s)
        elif isinstance(s, ast.Assert):
            self.exception_argument(s.msg)
            ok = self.condition(s.test)
            self.b.fail_unless(ok, Event("assert", line, f"assertion `{ast.unparse(s.test)}` fails"))
        elif isinstance(s, ast.Raise):
            self.exception_argument(s.exc)
            self.exception_argument(s.cause)
            what = ast.unparse(s.exc) if s.exc is not None else "re-raise"
            self.b.end(Event("exception", line, f"raise {what}", self.raised_builtin(s.exc)))
        elif isinstance(s, ast.FunctionDef):
            self.define_nested(s)
        elif isinstance(s, ast.Try):
            self.try_statement(s)
        elif isinstance(s, ast.With):
            self.with_statement(s)
        else:
            raise self.unsupported(f"statement `{type(s).__name__}`", s)

    def define_nested(self, s: ast.FunctionDef) -> None:
        """Lowered by `NestedLowering` (nested.py): a function defined inside the function."""
        raise NotImplementedError

    def try_statement(self, s: ast.Try) -> None:
        """Lowered by `TryLowering` (handlers.py)."""
        raise NotImplementedError

    def with_statement(self, s: ast.With) -> None:
        """Lowered by `WithLowering` (contexts.py)."""
        raise NotImplementedError

    def raised_builtin(self, exc: ast.expr | None) -> str | None:
        """The builtin exception class `raise exc` raises, where it is one the module does not shadow,
        raised as the class or made by a call without keywords (which the builtin classes refuse with
        TypeError); None where the class is not known (`raise err`, a class of the module, a re-raise)."""
        if isinstance(exc, ast.Call) and not exc.keywords:
            exc = exc.func
        if isinstance(exc, ast.Name) and is_builtin_exception(exc.id) and self.is_builtin(exc.id):
            return exc.id
        return None

    def exception_argument(self, node: ast.expr | None) -> None:
        """An assert's message, or what `raise` raises, is evaluated as the exception is raised, and is
        not modelled: whatever it does, an exception escapes, unless its evaluation never ends. So it
        may not call a function of the module, nor loop (comprehensions) nor take long (`**`): with
        `assert x > 0, spin(x)` the failing assertion would otherwise count as an end. Other calls (a
        builtin exception class, a method, a class) and operations on values of unknown type are
        assumed to return, like everywhere else, and named in that assumption."""
        if node is None:
            return
        for n in ast.walk(node):
            if isinstance(n, ast.Call):
                exception_class = isinstance(n.func, ast.Name) and self.is_builtin(n.func.id) and \
                    is_builtin_exception(n.func.id)
                if exception_class:
                    continue
                if isinstance(n.func, ast.Name) and (not self.is_builtin(n.func.id) and (
                        n.func.id in self.module.functions or self.is_local(n.func.id)
                        or self.closure_frame(n.func.id) is not None)):
                    raise self.unsupported(f"`{ast.unparse(node)}` as an exception or assertion message (its "
                                           "evaluation might not end)", node)
                self.note_call(n.func)
            elif isinstance(n, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.Pow,
                                ast.Await, ast.Yield, ast.YieldFrom)):
                raise self.unsupported(f"`{ast.unparse(node)}` as an exception or assertion message (its "
                                       "evaluation might not end)", node)
            elif isinstance(n, (ast.Attribute, ast.Subscript)) or (
                    isinstance(n, ast.Name) and self.frame.prefix + n.id in self.opaque_names):
                self.opaque_ops = True

    def assign(self, targets: list[ast.expr], value_node: ast.expr, line: int) -> None:
        if len(targets) == 1 and isinstance(targets[0], (ast.Tuple, ast.List)):
            self.unpack(targets[0], value_node, line)
            return
        value = self.expression(value_node, allow_none=True)
        if len(targets) > 1:  # `x = y = x + 1`: each target gets the value from before the first store
            tmp = self.b.temp("value", INT)
            self.b.assign(tmp, cast(value.expr, INT), line)
            none = value.none
            if none not in (TRUE, FALSE):
                none = self.b.temp("none", BOOL)
                self.b.assign(none, value.none, line)
            value = PyValue(tmp, none, opaque=value.opaque)
        for t in targets:
            self.assign_target(t, value)

    def assign_target(self, t: ast.expr, value: PyValue) -> None:
        """Store an evaluated value: into a name, or into an attribute or item (the object and index are
        evaluated now, then the store runs the object's code: it may raise, and it cannot change a
        modelled variable)."""
        if isinstance(t, ast.Name):
            self.store(t.id, value, t)
        elif isinstance(t, (ast.Attribute, ast.Subscript)):
            self.target_parts(t)
            self.opaque_store(t)
        else:
            raise self.unsupported("assignment to something other than a name, attribute or item", t)

    def opaque_store(self, t: ast.Attribute | ast.Subscript) -> None:
        """The store into an attribute or item of a value not modelled, its parts evaluated."""
        self.opaque_ops = True
        self.may_raise(t, f"the store into `{_code(t)}`")

    def opaque_augmented(self, s: ast.AugAssign) -> None:
        """`x.a op= v`, `x[i] op= v` of a value not modelled, its target's parts evaluated."""
        self.expression(s.value, allow_none=True)
        self.opaque_ops = True
        self.may_raise(s, f"`{_code(s)}`")

    def target_parts(self, t: ast.Attribute | ast.Subscript) -> None:
        self.expression(t.value, allow_none=True)
        if isinstance(t, ast.Subscript):
            self.index(t.slice)

    def unpack(self, target: ast.Tuple | ast.List, value_node: ast.expr, line: int) -> None:
        """Lowered by `TupleLowering` (tuples.py), which knows the expressions that make tuples."""
        raise NotImplementedError

    def store(self, name: str, value: PyValue, node: ast.AST) -> None:
        """A local gets a value; one of unknown type makes the variable opaque (opaque.py), one that may
        be None optional (state.py)."""
        if self.list_ref(self.frame, name) is not None or value.list is not None:
            raise self.unsupported(f"`{name}` bound to a list and to another value (a name is modelled as one list "
                                   "throughout)", node)
        var = self.local(name)
        self.assign_value(var, value, node.lineno)
        if self.frame.prefix + name in self.flagged:
            self.b.assign(self.bound_flag(name), TRUE, node.lineno)
        self.frame.assigned.add(name)

    def if_statement(self, s: ast.If) -> None:
        cond = self.condition(s.test)
        yes, no = self.b.branch(cond, s.lineno)
        before = set(self.frame.assigned)
        join = self.b.location(s.lineno)
        ends = []
        for loc, stmts in ((yes, s.body), (no, s.orelse)):
            if loc is None:
                continue
            self.frame.assigned = set(before)
            self.b.place(loc)
            self.body(stmts)
            if self.b.current is not None:
                ends.append(set(self.frame.assigned))
            self.b.jump(join, s.lineno)
        self.frame.assigned = set.intersection(*ends) if ends else before
        self.b.place(join)

    def loop(self, s: ast.While | ast.For, head: int, cond_of_head, before_body) -> None:
        """Lay out `head: if cond: body; goto head else: orelse`; `break` skips the else branch."""
        after = self.b.location(s.lineno)
        entry_assigned = set(self.frame.assigned)
        self.b.jump(head, s.lineno)
        self.b.place(head)
        cond = cond_of_head()
        yes, no = self.b.branch(cond, s.lineno)
        loop = Loop(break_to=after, continue_to=head)
        self.frame.loops.append(loop)
        self.frame.loop_assigned.append([])
        if yes is not None:
            self.b.place(yes)
            before_body()
            self.body(s.body)
            self.b.jump(head, s.lineno)
        self.frame.loops.pop()
        break_sets = self.frame.loop_assigned.pop()
        exits = list(break_sets)
        if no is not None:
            self.frame.assigned = set(entry_assigned)
            self.b.place(no)
            self.body(s.orelse)
            if self.b.current is not None:
                exits.append(set(self.frame.assigned))
            self.b.jump(after, s.lineno)
        self.frame.assigned = set.intersection(*exits) if exits else entry_assigned
        self.b.place(after if exits else None)  # `while True` without break: nothing follows

    def while_statement(self, s: ast.While) -> None:
        head = self.b.location(s.lineno)
        self.loop(s, head, lambda: self.condition(s.test), lambda: None)

    def is_range(self, it: ast.expr) -> bool:
        """Whether `it` is a call of the builtin range() that range() accepts the shape of."""
        return isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range" and \
            self.is_builtin("range") and 1 <= len(it.args) <= 3 and not it.keywords

    def is_reversed_range(self, it: ast.expr) -> bool:
        """Whether `it` is `reversed(range(...))`, with the builtins."""
        return isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "reversed" and \
            self.is_builtin("reversed") and len(it.args) == 1 and not it.keywords and self.is_range(it.args[0])

    def for_statement(self, s: ast.For) -> None:
        if not isinstance(s.target, ast.Name):
            raise self.unsupported("for-loop target other than a single name", s.target)
        it = s.iter
        backwards = self.is_reversed_range(it)
        if backwards:
            assert isinstance(it, ast.Call)
            it = it.args[0]
        if not self.is_range(it):
            raise self.unsupported("for-loop over something other than range(...): iteration over a value of "
                                   "unknown type (its length and termination are not modelled)", it)
        assert isinstance(it, ast.Call)
        # all evaluated before range() runs: `range(x, (x := x + 3))` starts at the old x
        values = self.in_order(it.args, lambda a: self.expression(a, allow_none=True), it)
        args = [self.range_argument(v, a) for v, a in zip(values, it.args)]
        start, stop, step = (const(0, INT), args[0], const(1, INT)) if len(args) == 1 else (
            args[0], args[1], args[2] if len(args) == 3 else const(1, INT))
        line = s.lineno
        if isinstance(step, Const) and step.value == 0:
            self.b.end(raises("ValueError", line, "range() arg 3 must not be zero"))
            return
        if backwards:
            self.reversed_range(s, start, stop, step)
            return
        counter, bound = self.b.temp("range", INT), self.b.temp("range", INT)
        self.b.assign(counter, start, line)
        self.b.assign(bound, stop, line)
        if isinstance(step, Const):
            # A constant step is added as a constant, so that the counter's distance to the bound in
            # the step's direction is a ranking as it stands (no invariant about a stride needed).
            stride: Expr = step
            cond = compare("lt" if step.value > 0 else "gt", counter, bound)
        else:
            stride = self.b.temp("range", INT)
            self.b.assign(stride, step, line)
            self.b.fail_unless(compare("ne", stride, const(0, INT)),
                               raises("ValueError", line, "range() arg 3 must not be zero"))
            positive = compare("gt", stride, const(0, INT))
            cond = disj(conj(positive, compare("lt", counter, bound)),
                        conj(negate(positive), compare("gt", counter, bound)))

        def advance() -> None:
            self.store(s.target.id, PyValue(counter), s.target)
            self.b.assign(counter, arith("add", counter, stride), line)

        head = self.b.location(line)
        self.loop(s, head, lambda: cond, advance)

    def reversed_range(self, s: ast.For, start: Expr, stop: Expr, step: Expr) -> None:
        """`for i in reversed(range(start, stop, c))`, c a constant: range's own elements from its last
        one back to `start`. The last is start + ((stop - start - 1) // c) * c going up (c > 0), and
        start - ((start - stop - 1) // -c) * -c going down; where the range is empty that lies beyond
        `start`, so the first test ends the loop, as the empty range does. A step that is not a constant
        would make the last element a product of two unknowns: refused."""
        if not isinstance(step, Const):
            raise self.unsupported("`reversed(range(...))` with a step that is not a constant", s.iter)
        line, c = s.lineno, step.value
        base, counter = self.b.temp("range", INT), self.b.temp("range", INT)
        self.b.assign(base, start, line)
        up = c > 0
        span = arith("sub", arith("sub", stop, base) if up else arith("sub", base, stop), const(1, INT))
        offset = arith("mul", arith("floordiv", span, const(abs(c), INT)), const(abs(c), INT))
        self.b.assign(counter, arith("add" if up else "sub", base, offset), line)
        cond = compare("ge" if up else "le", counter, base)

        def advance() -> None:
            assert isinstance(s.target, ast.Name)
            self.store(s.target.id, PyValue(counter), s.target)
            self.b.assign(counter, arith("sub", counter, step), line)

        head = self.b.location(line)
        self.loop(s, head, lambda: cond, advance)

    def range_argument(self, value: PyValue, a: ast.expr) -> Expr:
        """An evaluated argument of range(): an int (None raises TypeError); one of unknown type is
        converted once, by its `__index__`, to an arbitrary int (or an exception)."""
        if value.opaque:
            return self.unknown_of(INT, a, f"`{_code(a)}` as an argument of range()").expr
        return self.as_int(value, a)

    def loop_exit(self, s: ast.stmt, kind: str) -> None:
        if not self.frame.loops:
            raise self.unsupported(f"`{kind}` outside a loop", s)
        loop = self.frame.loops[-1]
        if kind == "break":
            self.frame.loop_assigned[-1].append(set(self.frame.assigned))
            self.b.jump(loop.break_to, s.lineno)
        else:
            self.b.jump(loop.continue_to, s.lineno)

    def return_statement(self, s: ast.Return) -> None:
        value = PyValue(const(0, INT), TRUE) if s.value is None else self.expression(s.value, allow_none=True)
        if len(self.frames) > 1 or self.frame.procedure:
            self.leave(value, s.lineno)
        else:
            self.finish_return(value, s.lineno)

    def leave(self, value: PyValue, line: int) -> None:
        """Return from an inlined function or a procedure."""
        f = self.frame
        assert f.result is not None
        if value.opaque:
            if f.procedure:
                raise self.unsupported(f"the recursive function `{f.fn.name}` returning {UNKNOWN}", f.fn)
            self.note_opaque(f.result.name)
        self.b.assign(f.result, cast(value.expr, INT), line)
        if not f.procedure:
            self.b.assign(f.result_none, value.none, line)
            self.b.jump(f.join, line)
        elif value.none == FALSE or f.result_unused:
            self.b.end(Event("return", line, f"{f.fn.name}() returns"))
        else:
            raise self.unsupported(f"the recursive function `{f.fn.name}` returning None", f.fn)

    def finish_return(self, value: PyValue, line: int) -> None:
        """Leave the analysed function: a true value ends in 'return', a false one in 'return-false'."""
        f = self.frame
        self.b.assign(f.result, cast(value.expr, INT), line)
        self.b.assign(f.result_none, value.none, line)
        truthy: Expr
        if value.opaque:  # its truth is asked by the property, not computed by the function: no exception
            flag = self.b.temp("unknown", BOOL)
            self.b.havoc(flag, "the truth of a value of unknown type", line)
            truthy = flag
        else:
            truthy = self.truth(PyValue(f.result, f.result_none))
        shown = "None" if value.none == TRUE else "a false value"
        yes, no = self.b.branch(truthy, line)
        if yes is not None:
            self.b.place(yes)
            self.b.end(Event("return", line, "returns a true value"))
        if no is not None:
            self.b.place(no)
            self.b.end(Event("return-false", line, f"returns {shown}"))

