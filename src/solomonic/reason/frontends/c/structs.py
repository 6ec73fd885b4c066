"""Struct objects for the C frontend, member by member (scalar replacement of aggregates).

A struct variable becomes one IR variable per scalar member, one array per array member and the same
again for a nested struct (`s.in.x` is the variable `s$in$x`), so that a member is read and written as
any variable is, and a loop's invariant can speak of it. This is exact while nothing sees the object as
bytes: its padding and the order of its members only matter to a pointer into it, a union over it or a
copy by `memcpy`, which are refused (`&s` anywhere but as the one object of a struct pointer, a union).

What is modelled: locals and `main`'s globals of a struct type whose members are integers, arrays of
integers or such structs (bitfields and the rest that `declarations.layout` does not model are refused
with it); `s.x` and `s.a[i]` as values and as places to write; copies `s = t` and `struct S s = t;`;
initialisers with C's rules for braces (a nested aggregate takes its own braces or, elided, as many values
as it has scalars, C11 6.7.9p20), `.member` designators and the zeros of members no initialiser names
(p21); `sizeof`. An uninitialised local's members hold any values, a global's are zero (C11 6.7.9p10).
Bit-fields of int, unsigned int and _Bool: a member that holds only its bits (`narrowed` on every write),
read as C promotes it (an `unsigned : 3` is an int); gcc's allocation of them is not modelled, so a struct
with bit-fields has no `sizeof`.
A pointer to a struct where it can only point to one object, fixed while lowering (`struct S *p = &s;`,
or a callee's parameter given `&s` or such a pointer, never assigned again), so that `p->x` and `(*p).x`
are `s.x` (`StructPtrSym`). A struct result (`q = mk(a)`, `mk(a).x`): the return statement copies into
a result object (the analysed function's is asked about by no property: returns-true is unknown). A struct parameter of the analysed function: an object of its own whose
members are inputs (`struct_parameter`).

An array of structs of a constant size is a struct of arrays: member `x` of `v[i]` is element i of the
array `v$x` (an array member's row: the first index of a longer array), so a loop over the elements keeps
per-member facts as any array loop does (engines/array_facts.py). An element (`Element`) holds its index,
evaluated once where it is named; its members (`Cell`) are checked against the count where they are read
or written, as any array element is.
"""

from __future__ import annotations

import itertools
import math

from pycparser import c_ast

from solomonic.reason.frontends.c.state import LoweringState
from solomonic.reason.frontends.c.symbols import (
    Array,
    ArraySym,
    Cell,
    CType,
    Element,
    Other,
    Pointer,
    Scalar,
    StructPtrSym,
    StructSym,
    VarSym,
)
from solomonic.reason.frontends.c.types import CInt
from solomonic.reason.ir import (
    BOOL,
    MEMBER,
    STRUCT,
    STRUCT_POINTER,
    App,
    ArrayType,
    Const,
    Expr,
    Input,
    Var,
    compare,
    const,
)

COPIED_CELLS = 64  # elements of an array member a struct copy into or out of an array of structs writes one by one


class StructLowering(LoweringState):
    """Mixed into the C lowering (`lower._Lowering`), whose helpers it uses."""

    def struct_symbol(self, base: str, t: Other, global_or_outermost: bool, read_only: bool,
                      at: c_ast.Node, count: int | None = None) -> StructSym:
        """The symbol of a struct object of type `t` (of `count` of them: an array), its members'
        variables named after `base`."""
        assert isinstance(t.record, c_ast.Struct)
        record = self.definition(t.record, at)
        assert isinstance(record, c_ast.Struct)
        widths = self.bit_fields(record, count)
        size: int | None = None
        if widths:  # gcc's allocation of bit-fields is not modelled: no layout, no sizeof
            self.refuse_tainted(next(iter(self.p.taint.layout), None), f"the layout of struct {record.name or ''}")
            typed = [(m.name, self.resolve(m.type)) for m in record.decls or [] if m.name is not None]
            if any((m.name is None and m.bitsize is None) or m.align for m in record.decls or []):
                raise self.unsupported(f"_Alignas or an anonymous member in struct {record.name or ''}", at)
        else:
            layout = self.layout(t.record, at)  # refuses packing, _Alignas, floating point
            typed, size = [(name, mt) for name, (_, mt) in layout.members.items()], layout.size
        members: dict[str, VarSym | ArraySym | StructSym] = {}
        for name, mt in typed:
            var = f"{base}${name}"
            rows = [] if count is None else [count]
            if isinstance(mt, Scalar) and count is None:
                members[name] = VarSym(Var(var, mt.c.bv), mt.c, global_or_outermost, read_only, widths.get(name))
            elif isinstance(mt, Scalar) or (isinstance(mt, Array) and self.sizes(mt) is not None):
                dims, elem = ([], mt.c) if isinstance(mt, Scalar) else self.sizes(mt)  # type: ignore[misc]
                members[name] = ArraySym(Var(var, ArrayType(self.t.index, elem.bv)), elem,
                                         [const(d, self.t.index) for d in [*rows, *dims]], global_or_outermost,
                                         read_only)
            elif isinstance(mt, Other) and isinstance(mt.record, c_ast.Struct):
                members[name] = self.struct_symbol(var, mt, global_or_outermost, read_only, at, count)
            else:
                raise self.unsupported(f"member '{name}' of struct {record.name or ''}, of {self.describe(mt)}"
                                       if not isinstance(mt, Array) else
                                       f"member '{name}' of struct {record.name or ''}, an array without a size", at)
        return StructSym(base, record, members, size, count)

    def bit_fields(self, record: c_ast.Struct, count: int | None) -> dict[str, int]:
        """The widths of a struct's named bit-fields. Modelled: of type int (signed, as gcc reads a plain
        int bit-field), unsigned int or _Bool, in a struct object that is no array element; an unnamed one
        is padding."""
        widths: dict[str, int] = {}
        for m in record.decls or []:
            if m.bitsize is None or m.name is None:
                continue
            t = self.resolve(m.type)
            if count is not None or not isinstance(t, Scalar) or t.c.name not in ("int", "unsigned int", "_Bool"):
                where = "an array of structs" if count is not None else f"type {self.describe(t)}"
                raise self.unsupported(f"bit-field '{m.name}' in struct {record.name or ''}, of {where}", m)
            width = self.constant(m.bitsize)
            if not 0 < width <= (1 if t.c.name == "_Bool" else t.c.bv.width):
                raise self.unsupported(f"bit-field '{m.name}' of width {width}", m)
            widths[m.name] = width
        return widths

    def sizes(self, t: Array) -> tuple[list[int], CInt] | None:
        """A member array's dimensions (constants, in a member) and element type; None for a flexible one."""
        dims: list[int] = []
        inner: CType = t
        while isinstance(inner, Array):
            if inner.dim is None:
                return None
            dims.append(self.constant(inner.dim))
            inner = inner.elem
        assert isinstance(inner, Scalar)
        return dims, inner.c

    def struct_parameter(self, param: c_ast.Decl, t: CType, base: str) -> list[Input]:
        """A struct parameter of the analysed function, `struct S v` or `struct S *p`: an object of its own
        whose members are any values (a pointer's: not null, and no other parameter points to it, an
        assumption said in every answer). Its inputs: one for the object (the reproducer declares it),
        then one per member (an array member's elements, their number in its type: `int[6]`). A struct
        the reproducer cannot name (an anonymous struct) is unsupported."""
        by_pointer = isinstance(t, Pointer)
        record_type = t.pointee if isinstance(t, Pointer) else t
        assert isinstance(record_type, Other) and isinstance(record_type.record, c_ast.Struct)
        declared = _declared_type(param.type.type if by_pointer else param.type)
        if declared is None:
            raise self.unsupported(f"parameter '{param.name}': a struct without a name to declare it by", param)
        sym = self.struct_symbol(base, record_type, True, False, param)
        self.frame.scopes[-1][param.name] = StructPtrSym(param.name, sym) if by_pointer else sym
        inputs = [Input(Var(f"{base}$object", BOOL), param.name, declared, kind=STRUCT_POINTER if by_pointer else STRUCT)]
        for path, leaf in _paths(sym):
            shown = f"{param.name}{'->' if by_pointer else '.'}{path}"
            if isinstance(leaf, ArraySym):  # its elements, row-major: `int[6]` for an int a[2][3]
                if leaf.elem.name == "_Bool":  # each element would have to be 0 or 1
                    raise self.unsupported(f"parameter '{param.name}': a struct with an array of _Bool", param)
                cells = math.prod(d.value for d in leaf.dims if isinstance(d, Const))
                inputs.append(Input(leaf.var, shown, f"{leaf.elem.name}[{cells}]", kind=MEMBER))
                continue
            inputs.append(Input(leaf.var, shown, leaf.type.name, kind=MEMBER))
            if leaf.type.name == "_Bool":
                self.b.assume(compare("le", leaf.var, const(1, leaf.var.type)), self.line(param))
            if leaf.bits is not None:  # a bit-field holds what its bits do
                self.b.assume(compare("eq", leaf.var, self.narrowed(leaf.var, leaf)), self.line(param))
        if by_pointer:
            self.assumptions.append(f"'{param.name}' points to a {declared} of its own, that no other parameter "
                                    "points to, its members any values")
        return inputs

    # ---------------------------------------------------------------------------------------- members

    def member(self, e: c_ast.StructRef) -> VarSym | ArraySym | StructSym | Element | Cell:
        """The member `s.x` (`s.in.x`, `p->x`, `v[i].x`, ...) designates."""
        holder = self.struct_object(e.name) if e.type == "." else self.pointed_struct(e.name)
        record = holder.array.record if isinstance(holder, Element) else holder.record
        members = holder.array.members if isinstance(holder, Element) else holder.members
        found = members.get(e.field.name)
        if found is None:
            raise self.unsupported(f"`{self.text(e)}`: struct {record.name or ''} has no member "
                                   f"'{e.field.name}'", e)
        if isinstance(holder, Element):  # an element's members are all rows of arrays
            if isinstance(found, StructSym):
                return Element(found, holder.index)
            assert isinstance(found, ArraySym)
            return Cell(found, holder.index)
        return found

    def struct_object(self, e: c_ast.Node) -> StructSym | Element:
        """The struct object `e` names: a variable, a member of one, `*p`, or an element `v[i]` of an array
        of structs (its index evaluated here, once)."""
        if isinstance(e, c_ast.UnaryOp) and e.op == "*":
            return self.pointed_struct(e.expr)
        if isinstance(e, c_ast.FuncCall):
            return self.struct_call(e)
        if isinstance(e, c_ast.ArrayRef) and isinstance(e.name, c_ast.ID):
            array = self.lookup(e.name.name, e.name)
            if isinstance(array, StructSym) and array.count is not None:
                index = self.to_index(self.expression(e.subscript))
                if not isinstance(index, Const):  # a copy may write the variable it names
                    temp = self.b.temp("index", self.t.index)
                    self.b.assign(temp, index, self.line(e))
                    index = temp
                return Element(array, index)
        sym = self.lookup(e.name, e) if isinstance(e, c_ast.ID) else \
            self.member(e) if isinstance(e, c_ast.StructRef) else None
        if not (isinstance(sym, Element) or (isinstance(sym, StructSym) and sym.count is None)):
            raise self.unsupported(f"`{self.text(e)}` used as a struct", e)
        return sym

    def struct_call(self, e: c_ast.FuncCall) -> StructSym:
        """The struct a call returns: the callee's result object, set by its return statement."""
        outer, self.struct_wanted = self.struct_wanted, e
        try:
            self.call(e)
        finally:
            self.struct_wanted = outer
        found = self.struct_results.pop(id(e), None)
        if found is None:
            raise self.unsupported(f"`{self.text(e)}` used as a struct", e)
        return found

    def return_struct(self, s: c_ast.Return) -> None:
        """`return v;` in an inlined function that returns a struct: v copied into its result object."""
        frame = self.frame
        assert frame.struct_result is not None and frame.returned is not None
        self.copy_struct(frame.struct_result, s.expr, s)
        self.b.assign(frame.returned, const(1, frame.returned.type), self.line(s))
        self.finish(None, s)

    def pointed_struct(self, e: c_ast.Node) -> StructSym | Element:
        """The struct object the pointer `e` points to: a pointer variable's one object, or `&s`'s."""
        if isinstance(e, c_ast.UnaryOp) and e.op == "&":
            return self.struct_object(e.expr)
        sym = self.lookup(e.name, e) if isinstance(e, c_ast.ID) else None
        if not isinstance(sym, StructPtrSym):
            raise self.unsupported(f"`{self.text(e)}`: a pointer to a struct other than one `&s` set where it is "
                                   "declared or passed", e)
        return sym.target

    def member_syntax(self, e: c_ast.StructRef) -> VarSym | ArraySym | StructSym | None:
        """The member symbol `e` names, by its syntax and the names in scope alone (no index evaluated);
        None where that is not a struct's member."""
        base = e.name
        holder: object = None
        if e.type == "->" or (isinstance(base, c_ast.UnaryOp) and base.op == "*"):
            pointer = base if e.type == "->" else base.expr
            sym = self.lookup(pointer.name, pointer) if isinstance(pointer, c_ast.ID) else None
            holder = sym.target if isinstance(sym, StructPtrSym) else None
        elif isinstance(base, c_ast.ID):
            holder = self.lookup(base.name, base)
        elif isinstance(base, c_ast.ArrayRef) and isinstance(base.name, c_ast.ID):
            holder = self.lookup(base.name.name, base.name)
        elif isinstance(base, c_ast.StructRef):
            holder = self.member_syntax(base)
        if isinstance(holder, Element):
            holder = holder.array
        return holder.members.get(e.field.name) if isinstance(holder, StructSym) else None

    def struct_pointer(self, name: str, t: CType, value: c_ast.Node | None, at: c_ast.Node) -> StructPtrSym:
        """The pointer `name` of type `t` (to a struct), set to `value` (`&s`, or a pointer to one object)
        once and for all."""
        if value is None:
            raise self.unsupported(f"pointer '{name}' to a struct, declared without the object it points to", at)
        target = self.pointed_struct(value)
        assert isinstance(t, Pointer) and isinstance(t.pointee, Other) and t.pointee.record is not None
        if self.definition(t.pointee.record, at) is not (target.array if isinstance(target, Element) else target).record:
            raise self.unsupported(f"pointer '{name}' to a struct set to a struct of another type", at)
        return StructPtrSym(name, target)

    def names_struct(self, e: c_ast.Node) -> bool:
        """Whether `e` is a struct object by its syntax and the names in scope (nothing evaluated)."""
        if isinstance(e, c_ast.ID):
            return isinstance(self.lookup(e.name, e), StructSym)
        if isinstance(e, c_ast.ArrayRef) and isinstance(e.name, c_ast.ID):
            return isinstance(array := self.lookup(e.name.name, e.name), StructSym) and array.count is not None
        if isinstance(e, c_ast.StructRef):
            return isinstance(self.member_syntax(e), StructSym)
        if isinstance(e, c_ast.UnaryOp) and e.op == "*" and isinstance(e.expr, c_ast.ID):
            return isinstance(self.lookup(e.expr.name, e.expr), StructPtrSym)
        if isinstance(e, c_ast.FuncCall) and isinstance(e.name, c_ast.ID) and e.name.name in self.p.functions:
            result = self.resolve(self.p.functions[e.name.name].decl.type.type)
            return isinstance(result, Other) and isinstance(result.record, c_ast.Struct)
        return False

    # ----------------------------------------------------------------------------------- whole objects

    def copy_struct(self, target: StructSym | Element, source_node: c_ast.Node, node: c_ast.Node) -> None:
        """`target = source`: every member, for a source of the same struct type. The source's members are
        read before any is written (`s = v[s.k]` reads row s.k of every member)."""
        source = self.struct_object(source_node)
        if _record(source) is not _record(target):
            raise self.unsupported(f"`{self.text(node)}`: a copy between different struct types", node)
        line = self.line(node)
        writes: list[tuple[Var | tuple[ArraySym, Expr], Expr]] = []
        for t, s in zip(self.places(target), self.places(source)):
            if isinstance(t, ArraySym) and isinstance(s, ArraySym):  # a whole array member, at once
                writes.append((t.var, s.var))
                continue
            values = [self.read_scalar(place) for place in self.scalars(s, node)]
            writes += [(place, value) for place, value in zip(self.scalars(t, node), values)]
        for place, value in writes:
            if isinstance(place, tuple):
                array, index = place
                self.b.assign(array.var, App("store", (array.var, index, value), array.var.type), line)
            else:
                self.b.assign(place, value, line)

    def places(self, aggregate: StructSym | Element) -> list[VarSym | ArraySym | Cell]:
        """The scalar and array members of a struct object, nested ones included, in declaration order;
        of an element of an array of structs, their rows."""
        if isinstance(aggregate, Element):
            return [Cell(leaf, aggregate.index) for leaf in leaves(aggregate.array) if isinstance(leaf, ArraySym)]
        return list(leaves(aggregate))

    def scalars(self, place: VarSym | ArraySym | Cell, node: c_ast.Node) -> list[Var | tuple[ArraySym, Expr]]:
        """Each scalar a member holds, in row-major order: a variable, or an array and a checked index (a
        row of an array member is at most COPIED_CELLS of them)."""
        if isinstance(place, VarSym):
            return [place.var]
        array, rows = (place.array, [place.index]) if isinstance(place, Cell) else (place, [])
        inner = [d.value for d in array.dims[len(rows):] if isinstance(d, Const)]
        if len(inner) != len(array.dims) - len(rows) or math.prod(inner) > COPIED_CELLS:
            raise self.unsupported(f"`{self.text(node)}`: a copy of an array member of more than {COPIED_CELLS} "
                                   "elements into or out of an element of an array of structs", node)
        return [(array, self.flatten(array, [*rows, *(const(i, self.t.index) for i in at)], node))
                for at in itertools.product(*(range(n) for n in inner))]

    @staticmethod
    def read_scalar(place: Var | tuple[ArraySym, Expr]) -> Expr:
        if isinstance(place, tuple):
            array, index = place
            return App("select", (array.var, index), array.elem.bv)
        return place

    def initialise_struct(self, sym: StructSym, decl: c_ast.Decl, static: bool) -> None:
        """A struct's declaration: its initialiser (a list, or another struct of its type), else zeros
        (static storage) or any values (a local)."""
        init, line = decl.init, self.line(decl)
        self.full(init)
        if init is None:
            for leaf in leaves(sym):
                if static:
                    self.b.assign(leaf.var, zero(leaf), line)
                    continue
                self.b.havoc(leaf.var, f"uninitialised '{decl.name}'", line)
                if isinstance(leaf, VarSym) and leaf.bits is not None:  # any value its bits hold
                    self.b.assign(leaf.var, self.narrowed(leaf.var, leaf), line)
            return
        if sym.count is not None:  # an array of structs: zeros, `{0}` or `{}`, or nothing
            if not (isinstance(init, c_ast.InitList) and (not init.exprs or _zero_list(init))):
                raise self.unsupported(f"the initialiser of the array of structs '{decl.name}' (other than {{0}})",
                                       init)
            for leaf in leaves(sym):
                self.b.assign(leaf.var, zero(leaf), line)
            return
        if not isinstance(init, c_ast.InitList):
            self.copy_struct(sym, init, decl)
            return
        values: dict[int, Expr] = {}  # by the id() of each scalar's or array's symbol
        cells: dict[int, dict[int, Expr]] = {}
        self.fill(sym, init.exprs, 0, values, cells, braced=True)
        for leaf in leaves(sym):
            if isinstance(leaf, VarSym):
                self.b.assign(leaf.var, self.narrowed(values.get(id(leaf), zero(leaf)), leaf), line)
                continue
            array = zero(leaf)
            for index, value in sorted(cells.get(id(leaf), {}).items()):
                array = App("store", (array, const(index, self.t.index), value), leaf.var.type)
            self.b.assign(leaf.var, array, line)

    def fill(self, sym: StructSym | ArraySym, items: list[c_ast.Node], at: int, values: dict[int, Expr],
             cells: dict[int, dict[int, Expr]], braced: bool) -> int:
        """Initialise `sym` from `items[at:]` (all of them when `braced`: a list of its own; else only as
        many as its scalars, the rest being the enclosing list's, C11 6.7.9p20); the index after them.
        Refused, where C's reading is subtle (and compilers have differed): braces or designators inside
        a member array of more than one dimension (its rows), and a designator that names an aggregate
        some of which an earlier initialiser set (p19's overriding of a part)."""
        slots = list(sym.members.values()) if isinstance(sym, StructSym) else \
            [(sym, k) for k in range(_count(sym))]
        position = 0
        while at < len(items):
            item = items[at]
            if position >= len(slots) and not isinstance(item, c_ast.NamedInitializer):
                break  # past the last member: only a designator goes on (`{ .last = 1, .first = 2 }`)
            if isinstance(sym, ArraySym) and len(sym.dims) > 1 and \
                    isinstance(item, (c_ast.InitList, c_ast.NamedInitializer)):
                raise self.unsupported("braces or a designator in the initialiser of an array of more than one "
                                       "dimension, a struct's member", item)
            rest: list[c_ast.Node] | None = None  # a designated aggregate's items, braces elided
            if isinstance(item, c_ast.NamedInitializer):
                if not braced:  # it designates a member of the object whose braces hold it
                    return at
                position = self.designated(sym, item)
                item = item.expr
                slot = slots[position]
                if not isinstance(slot, (tuple, VarSym)):
                    if _set(slot, values, cells):
                        raise self.unsupported(f"`{self.text(items[at])}` sets a member part of which an earlier "
                                               "initialiser set", item)
                    rest = [item, *items[at + 1:]]
            slot = slots[position]
            if isinstance(slot, tuple):  # an array's element
                array, index = slot
                cells.setdefault(id(array), {})[index] = self.scalar_item(item, array.elem)
                at += 1
            elif isinstance(slot, VarSym):
                values[id(slot)] = self.scalar_item(item, slot.type)
                at += 1
            elif isinstance(item, c_ast.InitList):
                self.fill(slot, item.exprs, 0, values, cells, braced=True)
                at += 1
            elif isinstance(slot, StructSym) and self.names_struct(item):
                source = self.struct_object(item)
                if _record(source) is not slot.record:
                    raise self.unsupported(f"`{self.text(item)}`: a struct of another type initialises a member",
                                           item)
                for t, s in zip(leaves(slot), self.places(source)):
                    if not isinstance(t, VarSym):
                        raise self.unsupported(f"`{self.text(item)}`: a struct with an array member initialises "
                                               "a member", item)
                    values[id(t)] = self.read_scalar(self.scalars(s, item)[0])
                at += 1
            elif rest is not None:  # `.in = x, y`: the designated aggregate from x on, braces elided
                at += self.fill(slot, rest, 0, values, cells, braced=False)
            else:  # braces elided: the nested aggregate takes as many items as it has scalars
                at = self.fill(slot, items, at, values, cells, braced=False)
            position += 1
        if braced and at < len(items):
            raise self.unsupported("more initialisers than the object has members", items[at])
        return at

    def designated(self, sym: StructSym | ArraySym, item: c_ast.NamedInitializer) -> int:
        """The position a one-step designator (`.x = ...` in a struct, `[k] = ...` in an array) names."""
        if len(item.name) != 1:
            raise self.unsupported("a designator of more than one step", item)
        step = item.name[0]
        if isinstance(sym, StructSym):
            if not isinstance(step, c_ast.ID) or step.name not in sym.members:
                raise self.unsupported(f"designator `{self.text(step)}` names no member", item)
            return list(sym.members).index(step.name)
        if isinstance(step, c_ast.ID):
            raise self.unsupported(f"designator `.{step.name}` in an array's initialiser", item)
        k = self.constant(step.expr if isinstance(step, c_ast.ArrayDesignator) else step)
        if not 0 <= k < _count(sym):
            raise self.unsupported(f"designator `[{k}]` outside the array", item)
        return k

    def scalar_item(self, item: c_ast.Node, t: CInt) -> Expr:
        if isinstance(item, c_ast.InitList):  # `{ 3 }` for a scalar (C11 6.7.9p11)
            if len(item.exprs) != 1 or isinstance(item.exprs[0], (c_ast.InitList, c_ast.NamedInitializer)):
                raise self.unsupported("a scalar initialised with a list", item)
            item = item.exprs[0]
        if isinstance(item, c_ast.NamedInitializer):
            raise self.unsupported("a designator inside a scalar's initialiser", item)
        return self.convert(self.expression(item), t)


def _paths(sym: StructSym, prefix: str = "") -> list[tuple[str, VarSym | ArraySym]]:
    """The leaves of a struct with their member paths (`in.x`)."""
    out: list[tuple[str, VarSym | ArraySym]] = []
    for name, m in sym.members.items():
        out.extend(_paths(m, f"{prefix}{name}.") if isinstance(m, StructSym) else [(prefix + name, m)])
    return out


def _declared_type(node: c_ast.Node) -> str | None:
    """How C names a struct type a declaration gives (`struct S`, or its typedef's name), None where
    it has no name (an anonymous struct declared in place)."""
    if isinstance(node, c_ast.TypeDecl):
        node = node.type
    if isinstance(node, c_ast.Struct):
        return f"struct {node.name}" if node.name else None
    if isinstance(node, c_ast.IdentifierType):
        return " ".join(node.names)
    return None


def leaves(sym: StructSym) -> list[VarSym | ArraySym]:
    """The scalar and array members of a struct, nested ones included, in declaration order."""
    out: list[VarSym | ArraySym] = []
    for m in sym.members.values():
        out.extend(leaves(m) if isinstance(m, StructSym) else [m])
    return out


def zero(leaf: VarSym | ArraySym) -> Expr:
    if isinstance(leaf, VarSym):
        return const(0, leaf.var.type)
    return App("constarray", (const(0, leaf.elem.bv),), leaf.var.type)


def _count(array: ArraySym) -> int:
    count = 1
    for d in array.dims:
        assert isinstance(d, Const)
        count *= d.value
    return count


def _record(aggregate: StructSym | Element) -> c_ast.Struct:
    return aggregate.array.record if isinstance(aggregate, Element) else aggregate.record


def _zero_list(init: c_ast.InitList) -> bool:
    """`{0}`: every member zero, whatever the nesting (C11 6.7.9p21)."""
    return len(init.exprs) == 1 and isinstance(init.exprs[0], c_ast.Constant) and init.exprs[0].value == "0"


def _set(slot: StructSym | ArraySym, values: dict[int, Expr], cells: dict[int, dict[int, Expr]]) -> bool:
    """Whether an initialiser has set any part of `slot` so far."""
    parts = leaves(slot) if isinstance(slot, StructSym) else [slot]
    return any(id(p) in values or cells.get(id(p)) for p in parts)
