"""The list operations that walk a list, each lowered to the loop CPython runs: list comprehensions (a
loop that appends), `x in xs`, `xs == ys`, `sum`, `min`, `max`, `xs.count(v)`, `xs.index(v)`,
`xs.remove(v)`, `xs.pop(i)`, `del xs[i]`, `xs.insert(i, v)`, `xs.extend(ys)`, `xs + ys` and slices
`xs[a:b]` (bounds clamped as Python clamps them).

Separate from lists.py, which decides what a list is and how names hold them: here every operation is a
loop over an index in the IR (so termination analysis sees a ranking, the length minus the index), with
Python's exceptions (ValueError from `index`, `remove`, `min` and `max`; IndexError from `pop(i)`).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable

from solomonic.reason.frontends.python.lists import ListLowering
from solomonic.reason.frontends.python.state import ELEMENTS, ListRef, PyValue, _code, raises
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    App,
    Expr,
    Var,
    arith,
    cast,
    compare,
    conj,
    const,
    ite,
    negate,
)

SCOPED = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp, ast.NamedExpr)  # own scopes


def _item(ref: ListRef, at: Expr) -> Expr:
    return App("select", (ref.elems, at), INT)


def _one(e: Expr) -> Expr:
    return arith("add", e, const(1, INT))


class ListLoopLowering(ListLowering):
    """Operations that walk lists, as loops."""

    def walk(self, lo: Expr, hi: Expr, line: int, visit: Callable[[Var], None], until: Expr = FALSE,
             down: bool = False) -> None:
        """`k` from lo up to hi - 1 (or, down, from hi down to lo + 1), stopping early where `until` holds."""
        k = self.b.temp("at", INT)
        self.b.assign(k, hi if down else lo, line)
        head = self.b.location(line)
        self.b.jump(head, line)
        self.b.place(head)
        more = compare("gt", k, lo) if down else compare("lt", k, hi)
        yes, no = self.b.branch(conj(more, negate(until)), line)
        if yes is not None:
            self.b.place(yes)
            visit(k)
            self.b.assign(k, arith("sub" if down else "add", k, const(1, INT)), line)
            self.b.jump(head, line)
        self.b.place(no)

    def each_element(self, ref: ListRef, line: int, visit: Callable[[Expr], None], until: Expr = FALSE) -> None:
        self.walk(const(0, INT), ref.length, line, lambda k: visit(_item(ref, k)), until)

    def list_of(self, node: ast.expr, what: ast.AST) -> ListRef:
        """node's list, where `what` needs one."""
        ref = self.value_or_list(node).list
        if ref is None:
            raise self.unsupported(f"`{_code(what)}` of something other than a list of ints", what)
        return ref

    def sought(self, value: PyValue, what: ast.AST) -> Expr:
        """A value looked for in a list (compared with `==`): an int."""
        if value.opaque or value.none != FALSE or value.list is not None:
            raise self.unsupported(f"`{_code(what)}`: a search of a list for a value that is no int", what)
        return cast(value.expr, INT)

    def search(self, ref: ListRef, sought: Expr, line: int) -> tuple[Var, Var]:
        """Whether and where sought first occurs in the list."""
        found, at = self.b.temp("found", BOOL), self.b.temp("found", INT)
        self.b.assign(found, FALSE, line)
        self.b.assign(at, const(0, INT), line)

        def visit(k: Var) -> None:
            self.b.assign(at, k, line)
            self.b.assign(found, compare("eq", _item(ref, k), sought), line)

        self.walk(const(0, INT), ref.length, line, visit, until=found)
        return found, at

    def close_gap(self, ref: ListRef, at: Expr, line: int) -> None:
        """Remove the item at `at` (in the list): the ones after it move down by one."""
        self.walk(at, arith("sub", ref.length, const(1, INT)), line, lambda k: self.b.assign(
            ref.elems, App("store", (ref.elems, k, _item(ref, _one(k))), ELEMENTS), line))
        self.b.assign(ref.length, arith("sub", ref.length, const(1, INT)), line)

    def append_all(self, target: ListRef, source: ListRef, line: int, lo: Expr | None = None,
                   hi: Expr | None = None) -> None:
        """target.extend(source[lo:hi]) with lo and hi already clamped; the source's length is read once,
        so that extending a list by itself copies it once, as CPython does."""
        end = self.b.temp("end", INT)
        self.b.assign(end, hi if hi is not None else source.length, line)

        def visit(k: Var) -> None:
            self.b.assign(target.elems, App("store", (target.elems, target.length, _item(source, k)), ELEMENTS), line)
            self.b.assign(target.length, _one(target.length), line)

        self.walk(lo if lo is not None else const(0, INT), end, line, visit)

    # ------------------------------------------------------------------------------------ the operations

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> PyValue:
        """`[e for x in it if c ...]`: a fresh list, and the loops that append to it (the first iterable
        evaluated here; the comprehension's own variables renamed apart, since they are its own scope)."""
        if not isinstance(node, ast.ListComp) or self.in_procedure():
            return super().comprehension(node)
        for gen in node.generators:
            if gen.is_async:
                raise self.unsupported("an asynchronous comprehension", node)
        parts = [node.elt, *(c for g in node.generators for c in g.ifs), *(g.iter for g in node.generators[1:])]
        if any(isinstance(n, SCOPED) for p in parts for n in ast.walk(p)):
            raise self.unsupported(f"`{_code(node)}`: a comprehension with a nested scope or `:=` inside", node)
        result = self.new_list(node.lineno, [])
        name = str(result.elems.name)
        self.frame.lists[name] = ListRef(result.elems, result.length)
        self.frame.assigned.add(name)
        own = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
        names = {n: f"{name}${n}" for n in own}
        body: list[ast.stmt] = [ast.Expr(ast.Call(ast.Attribute(ast.Name(name, ast.Load()), "append", ast.Load()),
                                                  [renamed(node.elt, names)], []))]
        for k, gen in reversed(list(enumerate(node.generators))):
            for cond in reversed(gen.ifs):
                body = [ast.If(renamed(cond, names), body, [])]
            iterable = gen.iter if k == 0 else renamed(gen.iter, names)
            body = [ast.For(renamed(gen.target, names), iterable, body, [])]
        loop = body[0]
        ast.fix_missing_locations(ast.copy_location(loop, node))
        for n in ast.walk(loop):
            n.lineno = node.lineno  # type: ignore[attr-defined]
        self.statement(loop)
        return self.made(result)


    def comparison(self, node: ast.Compare) -> PyValue:
        """`x in xs`, `x not in xs`: a search through the list, comparing with == (exact between ints);
        `xs == ys`, `xs != ys`: item by item."""
        if len(node.ops) == 1 and isinstance(node.ops[0], (ast.Eq, ast.NotEq)) and \
                (self.may_be_list(node.left) or self.may_be_list(node.comparators[0])):
            return self.equality(node)
        if not (len(node.ops) == 1 and isinstance(node.ops[0], (ast.In, ast.NotIn))):
            return super().comparison(node)
        left = self.settled(self.expression(node.left, allow_none=True), node.comparators, node)
        container = self.value_or_list(node.comparators[0])
        if container.list is None:
            return self.compare_values(node.ops[0], left, container, node)
        found, _ = self.search(container.list, self.sought(left, node), node.lineno)
        return PyValue(found if isinstance(node.ops[0], ast.In) else negate(found))

    def equality(self, node: ast.Compare) -> PyValue:
        """Two lists are equal where their lengths are and then every item (an int never equals a list)."""
        left = self.settled(self.value_or_list(node.left), node.comparators, node)
        right = self.value_or_list(node.comparators[0])
        line, same = node.lineno, self.b.temp("equal", BOOL)
        a, b = left.list, right.list
        if a is None and b is None:  # `s[1:] == t` of values not modelled: as before
            return self.compare_values(node.ops[0], left, right, node)
        if a is None or b is None:
            other, listed = (left, b) if a is None else (right, a)
            if other.opaque and listed is not None and listed.fresh:  # its `__eq__` may return anything
                return self.operation(node)
            if other.opaque and listed is not None:
                self.unmodelled_use(listed)
                raise self.unsupported(f"`{_code(node)}`: a list handed to the `__eq__` of a value of unknown type",
                                       node)
            self.b.assign(same, FALSE, line)
        else:
            self.b.assign(same, compare("eq", a.length, b.length), line)
            self.walk(const(0, INT), a.length, line, lambda k: self.b.assign(
                same, compare("eq", _item(a, k), _item(b, k)), line), until=negate(same))
        return PyValue(same if isinstance(node.ops[0], ast.Eq) else negate(same))

    def statement(self, s: ast.stmt) -> None:
        """`del xs[i]`: the item removed (IndexError outside the list); other targets as before."""
        if not isinstance(s, ast.Delete):
            super().statement(s)
            return
        for t in s.targets:
            if not isinstance(t, (ast.Attribute, ast.Subscript)):
                raise self.unsupported("`del` of something other than an attribute or item", t)
            ref = self.value_or_list(t.value).list if isinstance(t, ast.Subscript) else None
            if ref is None:
                if isinstance(t, ast.Subscript):
                    self.index(t.slice)
                else:
                    self.expression(t.value, allow_none=True)
                self.opaque_ops = True
                self.may_raise(t, f"`del {_code(t)}`")
                continue
            assert isinstance(t, ast.Subscript)
            if isinstance(t.slice, ast.Slice):
                raise self.unsupported(f"`del {_code(t)}`: deleting a slice of a list", t)
            index = self.expression(t.slice, allow_none=True)
            self.close_gap(ref, self.position(ref, index, t.slice, "list assignment index out of range", s.lineno),
                           s.lineno)

    def builtin(self, name: str, node: ast.Call) -> PyValue:
        """`sum(xs)`, `min(xs)`, `max(xs)` of a list (min and max of an empty one raise ValueError)."""
        if not (name in ("sum", "min", "max") and len(node.args) == 1 and not node.keywords
                and not isinstance(node.args[0], ast.Starred)):
            return super().builtin(name, node)
        ref = self.value_or_list(node.args[0]).list
        if ref is None:  # of a value not modelled: a call not modelled, as before
            self.note_call(node.func)
            return self.unknown(node, f"the call `{_code(node)}`", call=True)
        line = node.lineno
        acc = self.b.temp(name, INT)
        if name == "sum":
            self.b.assign(acc, const(0, INT), line)
            self.each_element(ref, line, lambda e: self.b.assign(acc, arith("add", acc, e), line))
            return PyValue(acc)
        self.b.fail_unless(compare("gt", ref.length, const(0, INT)),
                           raises("ValueError", line, f"{name}() arg is an empty sequence"))
        self.b.assign(acc, _item(ref, const(0, INT)), line)
        better = "lt" if name == "min" else "gt"
        self.each_element(ref, line, lambda e: self.b.assign(acc, ite(compare(better, e, acc), e, acc), line))
        return PyValue(acc)

    def method(self, node: ast.Call, func: ast.Attribute) -> PyValue:
        """count, index, remove, pop(i), insert and extend; the rest in lists.py."""
        name, args, line = func.attr, node.args, node.lineno
        arity = {"count": 1, "index": 1, "remove": 1, "pop": 1, "insert": 2, "extend": 1}
        if node.keywords or arity.get(name) != len(args) or any(isinstance(a, ast.Starred) for a in args):
            return super().method(node, func)
        ref = self.list_of(func.value, node)
        if name == "count":
            sought, count = self.sought(self.expression(args[0], allow_none=True), node), self.b.temp("count", INT)
            self.b.assign(count, const(0, INT), line)
            self.each_element(ref, line, lambda e: self.b.assign(
                count, arith("add", count, ite(compare("eq", e, sought), const(1, INT), const(0, INT))), line))
            return PyValue(count)
        if name in ("index", "remove"):
            found, at = self.search(ref, self.sought(self.expression(args[0], allow_none=True), node), line)
            message = "is not in list" if name == "index" else "list.remove(x): x not in list"
            self.b.fail_unless(found, raises("ValueError", line, f"`{_code(node)}`: {message}"))
            if name == "index":
                return PyValue(at)
            self.close_gap(ref, at, line)
            return PyValue(const(0, INT), TRUE)
        if name == "pop":
            index = self.expression(args[0], allow_none=True)
            if not index.opaque and index.list is None:
                self.index_sized(self.as_int(index, args[0]), line, "Python int too large to convert to C ssize_t")
            where = self.position(ref, index, args[0], "pop index out of range", line)
            popped = self.b.temp("popped", INT)
            self.b.assign(popped, _item(ref, where), line)
            self.close_gap(ref, where, line)
            return PyValue(popped)
        if name == "insert":
            index = self.settled(self.expression(args[0], allow_none=True), args[1:], node)
            if index.opaque or index.list is not None:
                raise self.unsupported(f"the list index `{_code(args[0])}`, which is no int", args[0])
            i = self.as_int(index, args[0])
            value = self.element(self.expression(args[1], allow_none=True), args[1], ref)
            self.index_sized(i, line, "Python int too large to convert to C ssize_t")  # once both are evaluated
            at = self.b.temp("index", INT)
            self.b.assign(at, self.clamped(i, ref.length), line)
            self.walk(at, ref.length, line, lambda k: self.b.assign(
                ref.elems, App("store", (ref.elems, k, _item(ref, arith("sub", k, const(1, INT)))), ELEMENTS), line),
                down=True)
            self.b.assign(ref.elems, App("store", (ref.elems, at, value), ELEMENTS), line)
            self.b.assign(ref.length, _one(ref.length), line)
            return PyValue(const(0, INT), TRUE)
        self.append_all(ref, self.list_of(args[0], node), line)  # extend
        return PyValue(const(0, INT), TRUE)

    @staticmethod
    def clamped(i: Expr, length: Expr) -> Expr:
        """A slice bound (or an insert position) as Python clamps it into 0..length."""
        shifted = arith("add", i, length)
        return ite(compare("lt", i, const(0, INT)), ite(compare("lt", shifted, const(0, INT)), const(0, INT), shifted),
                   ite(compare("gt", i, length), length, i))

    def binop(self, op: ast.operator, left_node: ast.expr, right_node: ast.expr, node: ast.AST) -> PyValue:
        """`xs + ys`: a new list, xs's items then ys's."""
        if not isinstance(op, ast.Add):
            return super().binop(op, left_node, right_node, node)
        left_value = self.settled(self.value_or_list(left_node), [right_node], node)
        right_value = self.value_or_list(right_node)
        left, right = left_value.list, right_value.list
        if left is None and right is None:  # `s + [x]` of a value not modelled: as before
            return self.operate(op, left_value, right_value, left_node, right_node, node)
        if left is None or right is None:
            other, listed = (left_value, right_value) if left is None else (right_value, left_value)
            if other.opaque and listed.list is not None and listed.list.fresh:  # `__add__` of a value not modelled, given a list nobody holds
                return self.operation(node)
            raise self.unsupported(f"`{_code(node)}`: a list added to something other than a list of ints", node)
        line = getattr(node, "lineno", self.fn.lineno)
        joined = self.fresh_list()
        self.b.assign(joined.elems, left.elems, line)
        self.b.assign(joined.length, left.length, line)
        self.append_all(joined, right, line)
        return self.made(joined)

    def slice_of(self, ref: ListRef, node: ast.Subscript) -> PyValue:
        """`xs[a:b]`: a new list of the items from a up to b (each clamped, either left out)."""
        index = node.slice
        assert isinstance(index, ast.Slice)
        if index.step is not None:
            raise self.unsupported(f"the slice `{_code(node)}` with a step", node)
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
        bounds: list[Expr] = []  # clamped to the length the list has once both are evaluated (`xs[1:g(xs)]`)
        defaults: tuple[Expr, Expr] = (const(0, INT), ref.length)
        for given_bound, default in zip(given, defaults):
            held = self.b.temp("bound", INT)
            self.b.assign(held, self.clamped(given_bound, ref.length) if given_bound is not None else default, line)
            bounds.append(held)
        part = self.new_list(line, [])
        self.append_all(part, ref, line, bounds[0], bounds[1])
        return self.made(part)


def renamed(node: ast.AST, names: dict[str, str]):  # type: ignore[no-untyped-def]
    """A copy of node with some names renamed (a comprehension's own variables)."""
    out = copy.deepcopy(node)
    for n in ast.walk(out):
        if isinstance(n, ast.Name) and n.id in names:
            n.id = names[n.id]
    return out
