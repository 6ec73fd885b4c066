"""Python lists of ints, exactly: a list is an IR array of its elements (indexed from 0) and an int, its
length (`ListRef`, state.py). Made by displays (`[a, b]`), `[v] * n`, `list(...)` of a range or a list,
a choice between new lists (`[a] if c else []`), a function of the module that returns one of its own;
used by `len`, indexing with negative indices and IndexError, stores into items (`xs[i] = v`,
`xs[i] += v`), `append`, `pop()`, `clear()`, `for x in xs`, `for i, x in enumerate(xs)` and
`for x in reversed(xs)` (Python's list iterators: an index compared with the *current* length at every
step, so a body that appends is modelled as it runs), and truth (not empty). The operations that walk a
list (comprehensions, `in`, `==`, `sum`, slices, `xs + ys`, `insert`, `del xs[i]`, ...) are loops:
listloops.py.

Why it is exact: Python lists are shared by reference, and a list is modelled as the variables of the
one name bound to it. So a name is bound to one list for the whole lowering (a parameter, or a local
given new lists, each stored *into* that name's pair); a list can only be made new and taken by one
name, read through its name, or passed to a function of the module that is inlined, whose parameter
then *is* the caller's pair (its mutations are the caller's, as in Python). What would make two names
share a list is refused (`ys = xs`, a list returned by a callee that was given it, a callee that
rebinds its list parameter; expressions.py refuses a list wherever a caller does not ask for one).
Where a local name's list is used in a way the model does not follow (passed to code not modelled,
given an element that is no int), the name is lowered again as a plain variable, a value of unknown
type as before (`unmodelled_use`); a list parameter, declared list[int], stays refused.

Elements are ints: a bool is stored as 0/1, which every modelled operation on it agrees with (a test
`isinstance(x, bool)` of an element is refused). Like ints, lists are unbounded: running out of memory
is not modelled.
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.calls import CallLowering
from solomonic.reason.frontends.python.module import makes_list
from solomonic.reason.frontends.python.state import ELEMENTS, ListRef, PyValue, _code, raises
from solomonic.reason.frontends.python.tuples import is_fixed_sequence
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

PY_SSIZE_T_MAX = 2**63 - 1  # CPython on a 64-bit machine (the replay's)


class ListLowering(CallLowering):
    """Lists: what makes them, what reads and changes them, and iteration over them."""

    # ------------------------------------------------------------------------------ which values are lists

    def named_list(self, node: ast.expr) -> ListRef | None:
        """The list a name refers to (a local of the current function or of an enclosing one), if any."""
        if not isinstance(node, ast.Name):
            return None
        owner = self.frame if self.is_local(node.id) else self.closure_frame(node.id)
        return self.list_ref(owner, node.id) if owner is not None else None

    def may_be_list(self, node: ast.expr) -> bool:
        """Whether node is a name bound to a list, or is written as an expression that may make one (whether
        it does is known once it is lowered: a display of values of unknown type does not)."""
        return self.named_list(node) is not None or makes_list(node)

    def value_or_list(self, node: ast.expr) -> PyValue:
        return self.expression(node, allow_none=True, allow_list=True)

    def element(self, value: PyValue, node: ast.AST, ref: ListRef) -> Expr:
        """A value stored into a list: an int or a bool (as 0/1). A list of a local name that is given
        another value (`words.append(w)` of a string) makes the name a plain variable: lowered again."""
        if value.list is not None or value.opaque or value.none != FALSE:
            if value.list is None and ref.elems.name in self.local_lists:
                self.found_plain.add(ref.elems.name)
            raise self.unsupported(f"`{_code(node)}` stored into a list: only ints and bools are modelled as "
                                   "elements (not None, lists or values of unknown type)", node)
        return cast(value.expr, INT)

    def new_list(self, line: int, elements: list[Expr] | None = None, fill: Expr | None = None,
                 length: Expr | None = None) -> ListRef:
        """A fresh list: the given elements, or `length` copies of `fill`."""
        ref = self.fresh_list()
        array: Expr = App("constarray", (fill if fill is not None else const(0, INT),), ELEMENTS)
        for k, e in enumerate(elements or []):
            array = App("store", (array, const(k, INT), e), ELEMENTS)
        self.b.assign(ref.elems, array, line)
        self.b.assign(ref.length, length if length is not None else const(len(elements or []), INT), line)
        return ref

    @staticmethod
    def made(ref: ListRef) -> PyValue:
        return PyValue(ref.length, list=ref)

    # ------------------------------------------------------------------------------------ making lists

    def display(self, node: ast.List | ast.Tuple | ast.Set | ast.Dict) -> PyValue:
        """`[a, b]` of ints is a list; with another element (or `*xs`), a value of unknown type as before."""
        if not isinstance(node, ast.List) or any(isinstance(e, ast.Starred) for e in node.elts) or \
                self.in_procedure():
            return super().display(node)
        values = self.in_order(node.elts, lambda e: self.expression(e, allow_none=True), node)
        if any(v.opaque or v.none != FALSE for v in values):
            return self.fresh_opaque(node)
        return self.made(self.new_list(node.lineno, [cast(v.expr, INT) for v in values]))

    def binop(self, op: ast.operator, left_node: ast.expr, right_node: ast.expr, node: ast.AST) -> PyValue:
        """`[v] * n` and `n * [v]`: n copies of v (none where n <= 0)."""
        sides = (left_node, right_node)
        if not (isinstance(op, ast.Mult) and any(isinstance(s, ast.List) for s in sides)) or self.in_procedure():
            return super().binop(op, left_node, right_node, node)
        seq = left_node if isinstance(left_node, ast.List) else right_node
        assert isinstance(seq, ast.List)
        if len(seq.elts) > 1 or any(isinstance(e, ast.Starred) for e in seq.elts):
            raise self.unsupported(f"`{_code(node)}`: a repeated list of more than one element", node)
        left = self.settled(self.expression(left_node, allow_none=True, allow_list=True), [right_node], node)
        right = self.expression(right_node, allow_none=True, allow_list=True)
        listed, count = (left, right) if seq is left_node else (right, left)
        if count.list is not None:
            raise self.unsupported(f"`{_code(node)}`: a list times a list", node)
        if listed.list is None or count.opaque:  # `[None] * n`, `[0] * x` for x of unknown type: as before
            return self.operation(node)
        n = self.as_int(count, right_node if seq is left_node else left_node)
        line = getattr(node, "lineno", self.fn.lineno)
        self.index_sized(n, line, f"`{_code(node)}`: cannot fit 'int' into an index-sized integer")
        if not seq.elts:
            return self.made(self.new_list(line, []))
        # CPython 3.11 refuses up front to allocate more than PY_SSIZE_T_MAX bytes of item pointers; a
        # smaller list that the machine's memory cannot hold is not modelled (it depends on the machine)
        self.b.fail_unless(compare("le", n, const(PY_SSIZE_T_MAX // 8, INT)),
                           raises("MemoryError", line, f"`{_code(node)}`"))
        fill = App("select", (listed.list.elems, const(0, INT)), INT)
        return self.made(self.new_list(line, fill=fill, length=ite(compare("gt", n, const(0, INT)), n, const(0, INT))))

    def range_fits_a_list(self, call: ast.Call) -> None:
        """`list(range(...))` asks the range its length first: past a C ssize_t that raises OverflowError,
        and past the item pointers CPython 3.11 will allocate, MemoryError (a comprehension would
        count instead). The arguments are evaluated here once more, so only arithmetic on names and
        constants is taken, with a constant step."""
        args = call.args
        if not 1 <= len(args) <= 3 or call.keywords or not all(_pure(a) for a in args) or \
                (len(args) == 3 and _constant(args[2]) is None):
            raise self.unsupported(f"`list({_code(call)})` with arguments other than arithmetic on names and "
                                   "constants (or a step that is not a constant)", call)
        values = [self.expression(a, allow_none=True) for a in args]
        if any(v.opaque or v.list is not None for v in values):
            raise self.unsupported(f"`list({_code(call)})` with an argument that may not be an int", call)
        bounds = [self.as_int(v, a) for v, a in zip(values, args)]
        start, stop = (const(0, INT), bounds[0]) if len(args) == 1 else (bounds[0], bounds[1])
        step = (_constant(args[2]) if len(args) == 3 else 1) or 0
        if step == 0:
            return  # range() itself raises ValueError
        span = arith("sub", stop, start) if step > 0 else arith("sub", start, stop)
        length = arith("floordiv", arith("add", span, const(abs(step) - 1, INT)), const(abs(step), INT))
        line = call.lineno
        self.index_sized(length, line, "Python int too large to convert to C ssize_t")
        self.b.fail_unless(compare("le", length, const(PY_SSIZE_T_MAX // 8, INT)),
                           raises("MemoryError", line, f"`list({_code(call)})`"))

    def index_sized(self, n: Expr, line: int, detail: str) -> None:
        """CPython converts a count or a position to a C ssize_t (`[v] * n`, `insert(i, v)`, `pop(i)`):
        an int outside it raises OverflowError before anything else happens."""
        fits = conj(compare("ge", n, const(-PY_SSIZE_T_MAX - 1, INT)), compare("le", n, const(PY_SSIZE_T_MAX, INT)))
        self.b.fail_unless(fits, raises("OverflowError", line, detail))

    def list_call(self, node: ast.Call) -> PyValue:
        """`list()`, `list(xs)` (a copy), `list(range(...))` (the comprehension that counts); of anything
        else (a string, a value of unknown type) an opaque call, as before."""
        simple = not node.keywords and len(node.args) <= 1 and not any(isinstance(a, ast.Starred) for a in node.args)
        if simple and not node.args:
            return self.made(self.new_list(node.lineno, []))
        arg = node.args[0] if simple else None
        if isinstance(arg, ast.Call) and isinstance(arg.func, ast.Name) and arg.func.id == "range" and \
                self.is_builtin("range"):
            self.range_fits_a_list(arg)
            counter = ast.Name("$range", ast.Store())
            counted = ast.ListComp(ast.Name("$range", ast.Load()), [ast.comprehension(counter, arg, [], 0)])
            return self.comprehension(ast.copy_location(counted, node))
        if arg is None:
            return super().call(node)
        source = self.value_or_list(arg)
        if source.list is None:  # list() of a string, a value of unknown type: a call not modelled
            self.note_call(node.func)
            return self.unknown(node, f"the call `{_code(node)}`", call=True)
        copy = self.fresh_list()
        self.b.assign(copy.elems, source.list.elems, node.lineno)
        self.b.assign(copy.length, source.list.length, node.lineno)
        return self.made(copy)

    # ------------------------------------------------------------------------------- names bound to lists

    def assign(self, targets: list[ast.expr], value_node: ast.expr, line: int) -> None:
        """`xs = <a list just made>`: the list becomes the name's (its pair takes the new contents). A new
        list stored into an attribute or item of a value not modelled is a value of unknown type there
        (nothing else holds it)."""
        if len(targets) == 1 and isinstance(targets[0], (ast.Attribute, ast.Subscript)) and \
                not self.makes_tuple(value_node):
            value = self.settled(self.value_or_list(value_node), targets, value_node)  # `xs[g(xs)] = xs[0]`
            if value.list is not None and not value.list.fresh:
                raise self.unsupported(f"the list `{_code(value_node)}` stored into an attribute or item (aliasing "
                                       "is not modelled)", value_node)
            self.assign_target(targets[0], self.fresh_opaque(value_node) if value.list is not None else value)
            return
        target = targets[0] if len(targets) == 1 and isinstance(targets[0], ast.Name) else None
        if target is None or self.makes_tuple(value_node):
            super().assign(targets, value_node, line)
            return
        ref = self.list_ref(self.frame, target.id)
        value = self.value_or_list(value_node)
        plain = self.frame.prefix + target.id in self.plain_names
        if ref is None and value.list is not None and value.list.fresh and plain:
            value = self.fresh_opaque(value_node)  # a new list, given to a name that holds other values too
        if ref is None and value.list is not None:
            if value.list.fresh:
                self.found_listed.add(self.frame.prefix + target.id)  # `ys = make(n)`: a list throughout
            raise self.unsupported(f"`{_code(target)} = {_code(value_node)}`: a name given a list and other values, "
                                   "or two names for one list (aliasing is not modelled)", target)
        if ref is None:
            self.store(target.id, value, target)
            return
        if value.list is None:  # `xs = [None] * n`: the name is lowered again as a plain variable
            self.found_plain.add(self.frame.prefix + target.id)
            raise self.unsupported(f"`{target.id}`, a name bound to a list, given another value (a name is "
                                   "modelled as one list throughout)", target)
        if not value.list.fresh:
            raise self.unsupported(f"`{_code(target)} = {_code(value_node)}`: two names for one list (aliasing "
                                   "is not modelled)", target)
        self.b.assign(ref.elems, value.list.elems, line)
        self.b.assign(ref.length, value.list.length, line)
        if self.frame.prefix + target.id in self.flagged:
            self.b.assign(self.bound_flag(target.id), TRUE, line)
        self.frame.assigned.add(target.id)

    def return_statement(self, s: ast.Return) -> None:
        """The analysed function may return a list: what the property sees of it is its truth. An inlined
        function may return a list of its own (a new one, or one bound to its own names), every time: its
        caller gets it as a new list."""
        frame = self.frame
        if s.value is None or frame.procedure or self.makes_tuple(s.value) or frame.prefix in self.tuple_results:
            frame.plain_result = True
            super().return_statement(s)
            return
        value = self.value_or_list(s.value)
        if len(self.frames) == 1:
            self.finish_return(PyValue(self.truth(value)) if value.list is not None else value, s.lineno)
        elif value.list is None:
            frame.plain_result = True
            self.leave(value, s.lineno)
        else:
            if not (value.list.fresh or value.list.elems.name.startswith(frame.prefix)):
                raise self.unsupported(f"`{frame.fn.name}` returns a list it did not make (its caller would hold "
                                       "it under two names: aliasing is not modelled)", s)
            if frame.list_result is None:
                frame.list_result = ListRef(Var(frame.prefix + "$return$list", ELEMENTS),
                                            Var(frame.prefix + "$return$len", INT))
            self.b.assign(frame.list_result.elems, value.list.elems, s.lineno)
            self.b.assign(frame.list_result.length, value.list.length, s.lineno)
            assert frame.join is not None  # an inlined frame's returns all jump to its join
            self.b.jump(frame.join, s.lineno)

    def conditional(self, cond: Expr, body: ast.expr, orelse: ast.expr, node: ast.AST) -> PyValue:
        """`[a] if c else []`: where a branch makes a list, both must make new ones (a name's list chosen
        by a condition would be one of two lists under no one name); the chosen one is copied into a new
        pair, evaluating only its own branch."""
        if not (self.may_be_list(body) or self.may_be_list(orelse)) or self.in_procedure():
            return super().conditional(cond, body, orelse, node)
        line = getattr(node, "lineno", self.fn.lineno)
        chosen = self.fresh_list()
        join = self.b.location(line)
        lists = True
        for branch, taken in zip(self.b.branch(cond, line), (body, orelse)):
            if branch is None:
                continue
            self.b.place(branch)
            made = self.value_or_list(taken).list
            if made is not None and not made.fresh:
                raise self.unsupported(f"`{_code(node)}`: a choice of a name's list (the result would be one of two "
                                       "lists under no one name: aliasing is not modelled)", node)
            lists = lists and made is not None
            if made is not None:
                self.b.assign(chosen.elems, made.elems, line)
                self.b.assign(chosen.length, made.length, line)
            self.b.jump(join, line)
        self.b.place_if_reached(join)
        # a choice between a new list and a value not modelled is a value of unknown type, like either
        return self.made(chosen) if lists else self.fresh_opaque(node)

    # ------------------------------------------------------------------------------------ reading items

    def position(self, ref: ListRef, index: PyValue, index_node: ast.expr, message: str, line: int) -> Expr:
        """Where `xs[i]` is: i, or i + len(xs) for a negative i; IndexError outside the list."""
        if index.opaque or index.list is not None:
            raise self.unsupported(f"the list index `{_code(index_node)}`, which is no int", index_node)
        i = self.as_int(index, index_node)
        at = self.b.temp("index", INT)
        self.b.assign(at, ite(compare("lt", i, const(0, INT)), arith("add", i, ref.length), i), line)
        inside = conj(compare("ge", at, const(0, INT)), compare("lt", at, ref.length))
        self.b.fail_unless(inside, raises("IndexError", line, f"{message} (`{_code(index_node)}`)"))
        return at

    def subscript(self, node: ast.Subscript) -> PyValue:
        if self.makes_tuple(node.value):
            return super().subscript(node)
        ref = self.value_or_list(node.value).list
        if ref is None:
            return self.lookup(node)
        if isinstance(node.slice, ast.Slice):
            return self.slice_of(ref, node)
        index = self.expression(node.slice, allow_none=True)
        at = self.position(ref, index, node.slice, "list index out of range", node.lineno)
        return PyValue(App("select", (ref.elems, at), INT))

    def assign_target(self, t: ast.expr, value: PyValue) -> None:
        """`xs[i] = v` (v evaluated first, then xs, then i)."""
        if not isinstance(t, ast.Subscript):
            super().assign_target(t, value)
            return
        ref = self.value_or_list(t.value).list
        if ref is None:
            self.index(t.slice)
            self.opaque_store(t)
            return
        if isinstance(t.slice, ast.Slice):
            raise self.unsupported(f"the store into the slice `{_code(t)}` of a list", t)
        stored = self.element(value, t, ref)
        index = self.expression(t.slice, allow_none=True)
        at = self.position(ref, index, t.slice, "list assignment index out of range", t.lineno)
        self.b.assign(ref.elems, App("store", (ref.elems, at, stored), ELEMENTS), t.lineno)

    def statement(self, s: ast.stmt) -> None:
        """`xs[i] op= v`: xs, i, the item read, v, the operation, the store (where i is again looked up:
        v may have changed the list)."""
        target = s.target if isinstance(s, ast.AugAssign) else None
        if not (isinstance(s, ast.AugAssign) and isinstance(target, ast.Subscript)):
            super().statement(s)
            return
        ref = self.value_or_list(target.value).list
        if ref is None:
            self.index(target.slice)
            self.opaque_augmented(s)
            return
        if isinstance(target.slice, ast.Slice):
            raise self.unsupported(f"the slice `{_code(target)}` of a list", target)
        index = self.expression(target.slice, allow_none=True)
        held = self.b.temp("index", INT)
        self.b.assign(held, self.as_int(index, target.slice), s.lineno)
        at = self.position(ref, PyValue(held), target.slice, "list index out of range", s.lineno)
        item = self.settled(PyValue(App("select", (ref.elems, at), INT)), [s.value], s)  # read before s.value runs
        operand = self.expression(s.value, allow_none=True)
        result = self.element(self.operate(s.op, item, operand, target, s.value, s), s, ref)
        at = self.position(ref, PyValue(held), target.slice, "list assignment index out of range", s.lineno)
        self.b.assign(ref.elems, App("store", (ref.elems, at, result), ELEMENTS), s.lineno)

    # ---------------------------------------------------------------------------------- calls on lists

    def call(self, node: ast.Call) -> PyValue:
        func = node.func
        if isinstance(func, ast.Attribute) and self.named_list(func.value) is not None:
            return self.method(node, func)
        if isinstance(func, ast.Name) and func.id == "list" and self.is_builtin("list") and not self.in_procedure():
            return self.list_call(node)
        return super().call(node)

    def method(self, node: ast.Call, func: ast.Attribute) -> PyValue:
        ref = self.expression(func.value, allow_list=True).list
        assert ref is not None
        name, line = func.attr, node.lineno
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise self.unsupported(f"`{_code(node)}`: a list method with keyword or starred arguments", node)
        if name == "append" and len(node.args) == 1:
            value = self.element(self.expression(node.args[0], allow_none=True), node.args[0], ref)
            self.b.assign(ref.elems, App("store", (ref.elems, ref.length, value), ELEMENTS), line)
            self.b.assign(ref.length, arith("add", ref.length, const(1, INT)), line)
            return PyValue(const(0, INT), TRUE)
        if name == "pop" and not node.args:
            self.b.fail_unless(compare("gt", ref.length, const(0, INT)),
                               raises("IndexError", line, f"pop from empty list (`{_code(node)}`)"))
            self.b.assign(ref.length, arith("sub", ref.length, const(1, INT)), line)
            popped = self.b.temp("popped", INT)
            self.b.assign(popped, App("select", (ref.elems, ref.length), INT), line)
            return PyValue(popped)
        if name == "clear" and not node.args:
            self.b.assign(ref.length, const(0, INT), line)
            return PyValue(const(0, INT), TRUE)
        raise self.unsupported(f"the list method call `{_code(node)}` (modelled: append, pop, clear, count, index, "
                               "remove, insert, extend)", node)

    def length(self, node: ast.Call) -> PyValue:
        ref = self.value_or_list(node.args[0]).list
        return PyValue(ref.length) if ref is not None else self.measured(node)

    def slice_of(self, ref: ListRef, node: ast.Subscript) -> PyValue:
        """Lowered by `ListLoopLowering` (listloops.py): a slice is a loop that copies."""
        raise NotImplementedError

    def condition(self, node: ast.expr) -> Expr:
        """`xs and ...`, `not xs or ...` as a test: each operand's truth, in order, as far as needed."""
        if not (isinstance(node, ast.BoolOp) and any(self.may_be_list(v) for v in node.values)):
            return super().condition(node)
        return self.truths_in_order(node)

    def truths_in_order(self, node: ast.BoolOp) -> Expr:
        """The truth of `a and b ...` (`or`), each operand's truth taken in order as far as needed: what a
        test needs of it, without its value (which may be a list or a str)."""
        line = node.lineno
        result = self.b.temp("test", BOOL)
        join = self.b.location(line)
        decided = const(not isinstance(node.op, ast.And), BOOL)  # the value that ends an `and`/`or` early
        for k, v in enumerate(node.values):
            holds = self.condition(v)
            if k == len(node.values) - 1:
                self.b.assign(result, holds, line)
                self.b.jump(join, line)
                break
            yes, no = self.b.branch(holds if decided == TRUE else negate(holds), line)
            if yes is not None:
                self.b.place(yes)
                self.b.assign(result, decided, line)
                self.b.jump(join, line)
            self.b.place(no)
        self.b.place_if_reached(join)
        return result

    # -------------------------------------------------------------------------------------- iteration

    def enumeration_start(self, counted: ast.Call | None, line: int) -> Expr:
        """Where `enumerate(xs[, start])` counts from: its start evaluated once, before the loop, as Python
        does (0 without `enumerate` or a start)."""
        if counted is None or len(counted.args) < 2:
            return const(0, INT)
        given = self.expression(counted.args[1], allow_none=True)
        if given.opaque:
            raise self.unsupported(f"`{_code(counted)}` with a start that is no int", counted)
        start = self.b.temp("start", INT)
        self.b.assign(start, self.as_int(given, counted.args[1]), line)
        return start

    def for_statement(self, s: ast.For) -> None:
        """`for x in xs`, `for i, x in enumerate(xs[, start])` and `for x in reversed(xs)`: Python's list
        iterators, an index that runs while it is below the list's length as it is at each step (and, going
        backwards from the last item, while it is not negative)."""
        it, counted, backwards = s.iter, None, False
        if isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "enumerate" and \
                self.is_builtin("enumerate") and 1 <= len(it.args) <= 2 and not it.keywords:
            counted, it = it, it.args[0]
        elif (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range") or \
                self.is_reversed_range(it) or is_fixed_sequence(it):
            super().for_statement(s)
            return
        elif isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "reversed" and \
                self.is_builtin("reversed") and len(it.args) == 1 and not it.keywords:
            backwards, it = True, it.args[0]
        ref = self.value_or_list(it).list
        if ref is None:
            raise self.unsupported("for-loop over something other than range(...) or a list of ints: iteration "
                                   "over a value of unknown type (its length and termination are not modelled)", it)
        if isinstance(it, ast.Name) and any(isinstance(n, ast.Name) and n.id == it.id and isinstance(n.ctx, ast.Store)
                                            for part in s.body for n in ast.walk(part)):
            raise self.unsupported(f"`{it.id}` rebound inside the loop over it (the iterator keeps the old list)", s)
        line = s.lineno
        start = self.enumeration_start(counted, line)
        k = self.b.temp("at", INT)
        self.b.assign(k, arith("sub", ref.length, const(1, INT)) if backwards else const(0, INT), line)
        element = PyValue(App("select", (ref.elems, k), INT))
        targets = _targets(s.target, counted is not None)
        if targets is None:
            raise self.unsupported(f"the loop target `{_code(s.target)}` over a list", s.target)

        def advance() -> None:
            if counted is None:
                self.assign_target(targets[0], element)
            else:
                count, item = self.b.temp("count", INT), self.b.temp("item", INT)
                self.b.assign(count, arith("add", start, k), line)
                self.b.assign(item, element.expr, line)
                self.assign_target(targets[0], PyValue(count))
                self.assign_target(targets[1], PyValue(item))
            self.b.assign(k, arith("sub" if backwards else "add", k, const(1, INT)), line)

        inside = compare("lt", k, ref.length)
        if backwards:
            inside = conj(compare("ge", k, const(0, INT)), inside)
        head = self.b.location(line)
        self.loop(s, head, lambda: inside, advance)


def _targets(target: ast.expr, counted: bool) -> list[ast.expr] | None:
    """The names a loop over a list stores into: one, or (with enumerate) two."""
    if not counted:
        return [target] if isinstance(target, (ast.Name, ast.Subscript)) else None
    if isinstance(target, ast.Tuple) and len(target.elts) == 2 and \
            all(isinstance(e, (ast.Name, ast.Subscript)) for e in target.elts):
        return list(target.elts)
    return None


def _constant(node: ast.expr) -> int | None:
    """The value of an int constant, signed (`-2`), else None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = _constant(node.operand)
        return -inner if inner is not None and isinstance(node.operand, ast.Constant) else None
    return node.value if isinstance(node, ast.Constant) and type(node.value) is int else None


def _pure(node: ast.expr) -> bool:
    """Names and int constants under arithmetic: of ints (the caller checks that the value is one),
    evaluating it twice gives the same value, and an exception (`a // 0`) the first time."""
    return all(isinstance(n, (ast.Name, ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop, ast.expr_context))
               or (isinstance(n, ast.Constant) and type(n.value) is int) for n in ast.walk(node))
