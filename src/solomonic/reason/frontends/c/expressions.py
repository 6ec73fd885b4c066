"""Lowering C expressions to IR values with C's integer semantics: conversions and promotions,
arithmetic with its overflow and undefined-behaviour checks, shifts, array elements, assignments,
conditional evaluation (`&&`, `||`, `?:`), and the order-of-evaluation check on full expressions."""

from __future__ import annotations

from pycparser import c_ast

from solomonic.reason.frontends.c.parse import StatementExpression
from solomonic.reason.frontends.c.preprocess import walk
from solomonic.reason.frontends.c.sequencing import unsequenced
from solomonic.reason.frontends.c.state import LoweringState
from solomonic.reason.frontends.c.symbols import (
    ArraySym,
    Cell,
    CVal,
    Element,
    PtrSym,
    Scalar,
    StructPtrSym,
    StructSym,
    Symbol,
    VarSym,
    View,
    Void,
)
from solomonic.reason.frontends.c.types import MODEL_DEPENDENT, CInt, char_literal, integer_literal
from solomonic.reason.ir import (
    BOOL,
    App,
    Const,
    Expr,
    Var,
    app,
    arith,
    cast,
    compare,
    conj,
    const,
    disj,
    ite,
    negate,
)


class ExpressionLowering(LoweringState):
    """Expressions, one mixin of the C lowering (`lower._Lowering`); it calls the others."""

    # ------------------------------------------------------------------------------------ conversions

    def value(self, v: CVal) -> Expr:
        if v.expr.type == BOOL:
            return ite(v.expr, const(1, v.type.bv), const(0, v.type.bv))
        return v.expr

    def cond(self, v: CVal) -> Expr:
        if v.expr.type == BOOL:
            return v.expr
        return compare("ne", v.expr, const(0, v.type.bv))

    def convert(self, v: CVal, target: CInt) -> Expr:
        if target.name == "_Bool":
            return ite(self.cond(v), const(1, target.bv), const(0, target.bv))
        return cast(self.value(v), target.bv)

    def to(self, v: CVal, target: CInt) -> CVal:
        return CVal(self.convert(v, target), target)

    def promoted(self, v: CVal) -> CVal:
        return self.to(v, self.t.promote(v.type))

    def full(self, node: c_ast.Node | None) -> None:
        """A full expression is lowered in one order of evaluation; refuse one whose outcome depends on
        the order C leaves open (undefined or unspecified)."""
        clash = unsequenced(node, self.p.globals.keys(), self.impure, self.addressed, self.readers) \
            if node is not None else None
        if clash is not None:
            raise self.unsupported(f"`{self.text(clash)}`: side effects whose order C leaves open", clash)

    # ------------------------------------------------------------------------------------ expressions

    def effect(self, e: c_ast.Node) -> None:
        """Evaluate e for its effects only (an expression statement, a `for` step)."""
        if isinstance(e, c_ast.ExprList):
            for x in e.exprs:
                self.effect(x)
        elif isinstance(e, StatementExpression):
            self.statement_expression(e)
        elif self.points(e):
            self.pointer_or_allocation(e)
        elif isinstance(e, c_ast.Assignment) and e.op == "=" and self.names_struct(e.lvalue):
            self.copy_struct(self.struct_object(e.lvalue), e.rvalue, e)
        else:
            called = e
            while isinstance(called, c_ast.Cast):  # `(void) f();`
                called = called.expr
            self.discarded_call = called if isinstance(called, c_ast.FuncCall) else None
            self.expression(e)

    def statement_expression(self, e: StatementExpression) -> None:
        """A GNU statement expression `({ ... })` whose value is discarded (an expression statement, an
        operand of a comma there, a `for` step): its block, run where it stands; a jump out of it (`break`,
        `return`) leaves as from a block. gcc's `assert` expands to one. A way into it from outside (a
        label or `case` inside) is undefined (GCC manual, "Statement Exprs"), so one that holds a label is
        refused; a statement expression whose value is used is refused where it is read (`expression`)."""
        label = next((n for n in walk(e) if isinstance(n, (c_ast.Label, c_ast.Case, c_ast.Default))), None)
        if label is not None:
            raise self.unsupported("a label inside a statement expression `({ ... })`", label)
        self.block(e)

    def truth(self, e: c_ast.Node) -> Expr:
        """e as a condition: non-zero, or for a pointer non-null."""
        if self.points(e):
            return negate(self.pointer(e).null)
        return self.cond(self.expression(e))

    def expression(self, e: c_ast.Node) -> CVal:
        if isinstance(e, StatementExpression):
            raise self.unsupported("statement expression `({ ... })` whose value is used", e)
        if self.points(e):
            raise self.unsupported(f"pointer `{self.text(e)}` used as a number or a condition", e)
        if isinstance(e, c_ast.Constant):
            return self.literal(e)
        if isinstance(e, c_ast.ID):
            sym = self.lookup(e.name, e)
            if isinstance(sym, CVal):
                return sym
            if isinstance(sym, (StructSym, StructPtrSym)):
                what = "struct" if isinstance(sym, StructSym) else "pointer to a struct"
                raise self.unsupported(f"{what} '{e.name}' used as a value", e)
            assert isinstance(sym, VarSym)  # not an array or a pointer: `points` refused those
            return CVal(sym.var, sym.type)
        if isinstance(e, c_ast.StructRef):
            found = self.member(e)
            place = self.scalar_place(found, e)
            if place is None:
                what = "an array" if isinstance(found, (ArraySym, Cell)) else "a struct"
                raise self.unsupported(f"`{self.text(e)}`, {what}, used as a value", e)
            return self.read(place)
        if isinstance(e, c_ast.ArrayRef):
            return self.read(self.element(e, writes=False), e)
        if isinstance(e, c_ast.BinaryOp):
            return self.binary(e)
        if isinstance(e, c_ast.UnaryOp):
            return self.unary(e)
        if isinstance(e, c_ast.Assignment):
            return self.assignment(e)
        if isinstance(e, c_ast.TernaryOp):
            cond = self.truth(e.cond)
            return self.choose(cond, e.iftrue, e.iffalse, e)
        if isinstance(e, c_ast.Cast):
            target = self.resolve(e.to_type)
            if self.points(e.expr) and isinstance(target, Scalar):
                return self.address_as_integer(e, target.c)
            v = self.expression(e.expr)
            if isinstance(target, Void):
                return CVal(const(0, self.t.int.bv), self.t.int)
            if not isinstance(target, Scalar):
                raise self.unsupported(f"cast to {self.describe(target)}", e)
            return self.to(v, target.c)
        if isinstance(e, c_ast.ExprList):
            for x in e.exprs[:-1]:
                self.effect(x)
            return self.expression(e.exprs[-1])
        if isinstance(e, c_ast.FuncCall):
            return self.call(e)
        raise self.unsupported(f"expression `{type(e).__name__}`", e)

    def address_as_integer(self, e: c_ast.Cast, target: CInt) -> CVal:
        """`(int) p`: the address's bits, as gcc defines the conversion (C11 6.3.2.3p6 leaves it to the
        implementation; gcc drops the high bits where the type is narrower, "Arrays and pointers" in its
        manual). Null is 0 and `(_Bool) p` is p != NULL. Where objects lie is not modelled, so any other
        pointer is any value of the type at each conversion: an answer holds for every placement, and a witness that rests on
        one is run against the real program, whose addresses are its own."""
        p = self.pointer(e.expr)
        null = const(0, target.bv)
        if target.name == "_Bool":
            return CVal(ite(p.null, null, const(1, target.bv)), target)
        address = self.b.temp("address", target.bv)
        self.b.havoc(address, f"the address `{self.text(e.expr)}` as {target.name}", self.line(e))
        return CVal(ite(p.null, null, address), target)

    def literal(self, e: c_ast.Constant) -> CVal:
        try:
            if e.type == "char":
                return CVal(const(char_literal(e.value), self.t.int.bv), self.t.int)
            if e.type in ("int", "unsigned int", "long int", "unsigned long int", "long long int",
                          "unsigned long long int"):
                value, ctype = integer_literal(e.value, self.t)
                if ctype.name in MODEL_DEPENDENT:
                    self.model_dependent = True
                return CVal(const(value, ctype.bv), ctype)
        except ValueError as err:
            raise self.unsupported(str(err), e) from None
        raise self.unsupported(f"{e.type} constant {e.value}", e)

    def element(self, e: c_ast.ArrayRef, writes: bool = True) -> VarSym | tuple[ArraySym, Expr] | View:
        """The array and the checked, flattened index of `a[i][j]...`, which the caller writes or reads
        as the array's element type; `p[i]` is `*(p + i)`: a variable where p points to a single object, a
        View where p points to another integer type of its size."""
        indices = []
        node: c_ast.Node = e
        while isinstance(node, c_ast.ArrayRef):
            indices.append(node.subscript)
            node = node.name
        indices.reverse()
        sym: Symbol | CVal | Cell | Element
        rows: list[Expr] = []  # an array member of an element of an array of structs: its row
        if isinstance(node, c_ast.StructRef):
            found = self.member(node)
            sym, rows = (found.array, [found.index]) if isinstance(found, Cell) else (found, [])
        elif not isinstance(node, c_ast.ID) or isinstance(self.lookup(node.name, node), PtrSym):
            if len(indices) != 1 or not self.points(node):
                raise self.unsupported(f"indexing `{self.text(node)}`, which is not an array or a pointer", e)
            p = self.step(self.pointer(node), self.expression(indices[0]), "+", e)
            # p[i] is *(p + i): into a single object, deref's check that the offset is 0 keeps it defined
            return self.deref(p, e, writes=writes)
        else:
            sym = self.lookup(node.name, node)
        name = f"'{node.name}'" if isinstance(node, c_ast.ID) else f"`{self.text(node)}`"
        if not isinstance(sym, ArraySym):
            raise self.unsupported(f"indexing {name}, which is not an array", e)
        if len(rows) + len(indices) != len(sym.dims):
            raise self.unsupported(f"partial indexing of array {name}", e)
        return sym, self.flatten(sym, [*rows, *indices], e)

    def flatten(self, sym: ArraySym, indices: list[Expr | c_ast.Node], e: c_ast.Node) -> Expr:
        """The row-major index of `sym`'s element at `indices` (each lowered here, in order, unless it is
        already), each checked against its dimension."""
        flat: Expr = const(0, self.t.index)
        for sub, dim in zip(indices, sym.dims):
            i = self.to_index(self.expression(sub)) if isinstance(sub, c_ast.Node) else sub
            ok = conj(compare("ge", i, const(0, self.t.index)), compare("lt", i, dim))
            self.check(ok, "ub", e, f"array index out of bounds in `{self.text(e)}`")
            flat = arith("add", arith("mul", flat, dim), i) if flat != const(0, self.t.index) else i
        return flat

    def to_index(self, v: CVal) -> Expr:
        """The index as a signed 64-bit value (an unsigned one above 2**63 turns negative: out of bounds)."""
        return cast(self.value(self.promoted(v)), self.t.index)

    def choose(self, cond: Expr, a_node, b_node, node) -> CVal:
        """cond ? a : b, evaluating only the chosen operand when evaluating it has effects."""
        a = self.b.speculate(lambda: self.expression(a_node))
        b = self.b.speculate(lambda: self.expression(b_node)) if a is not None else None
        if a is not None and b is not None:
            common = self.t.common(a.type, b.type)
            return CVal(ite(cond, self.convert(a, common), self.convert(b, common)), common)
        line = self.line(node)
        yes, no = self.b.branch(cond, line)
        join = self.b.location(line)
        arrivals: list[tuple[int, CVal]] = []
        for loc, sub in ((yes, a_node), (no, b_node)):
            if loc is None:
                continue
            self.b.place(loc)
            value = self.expression(sub)
            if self.b.current is not None:
                arrivals.append((self.b.current, value))
            self.b.current = None
        if not arrivals:
            return CVal(const(0, self.t.int.bv), self.t.int)
        types = [v.type for _, v in arrivals]
        common = types[0] if len(types) == 1 else self.t.common(*types)
        tmp = self.b.temp("cond", common.bv)
        for end, value in arrivals:
            self.b.place(end)
            self.b.assign(tmp, self.convert(value, common), line)
            self.b.jump(join, line)
        self.b.place(join)
        return CVal(tmp, common)

    def binary(self, e: c_ast.BinaryOp) -> CVal:
        op = e.op
        if op in ("&&", "||"):
            left = self.truth(e.left)
            right = self.b.speculate(lambda: self.truth(e.right))
            if right is not None:
                return CVal(conj(left, right) if op == "&&" else disj(left, right), self.t.int)
            go_on = left if op == "&&" else negate(left)
            tmp = self.b.temp("logic", self.t.int.bv)
            line = self.line(e)
            self.b.assign(tmp, const(0 if op == "&&" else 1, self.t.int.bv), line)
            join = self.b.location(line)
            yes, no = self.b.branch(go_on, line)
            if yes is not None:
                self.b.place(yes)
                r = self.truth(e.right)
                self.b.assign(tmp, ite(r, const(1, self.t.int.bv), const(0, self.t.int.bv)), line)
                self.b.jump(join, line)
            if no is not None:
                self.b.place(no)
                self.b.jump(join, line)
            self.b.place(join)
            return CVal(tmp, self.t.int)
        if self.points(e.left) or self.points(e.right):
            if op == "-" and self.points(e.left) and self.points(e.right):
                return self.difference(e)
            return self.compare_pointers(op, e)
        left = self.expression(e.left)
        right = self.expression(e.right)
        return self.arithmetic(op, left, right, e)

    def arithmetic(self, op: str, left: CVal, right: CVal, e: c_ast.Node) -> CVal:
        if op in ("<<", ">>"):
            return self.shift(op, self.promoted(left), self.promoted(right), e)
        common = self.t.common(left.type, right.type)
        a, b = self.convert(left, common), self.convert(right, common)
        compares = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}
        if op in compares:
            return CVal(compare(compares[op], a, b), self.t.int)
        text = self.text(e)
        signed = common.signed
        if op in ("+", "-", "*"):
            name = {"+": "add", "-": "sub", "*": "mul"}[op]
            if signed:
                self.check(app(f"noovf_{name}", (a, b), BOOL), "overflow", e, f"signed overflow in `{text}`")
                name += "_nsw"  # used only past the check
            return CVal(arith(name, a, b), common)
        if op in ("/", "%"):
            self.check(compare("ne", b, const(0, common.bv)), "ub", e, f"division by zero in `{text}`")
            if signed:
                self.check(app("noovf_div", (a, b), BOOL), "overflow", e, f"signed overflow in `{text}`")
            return CVal(arith("div_nsw" if op == "/" and signed else "div" if op == "/" else "rem", a, b), common)
        bitwise = {"&": "bitand", "|": "bitor", "^": "bitxor"}
        if op in bitwise:
            return CVal(arith(bitwise[op], a, b), common)
        raise self.unsupported(f"operator `{op}`", e)

    def shift(self, op: str, left: CVal, right: CVal, e: c_ast.Node) -> CVal:
        width = left.type.bv.width
        amount = self.value(right)
        text = self.text(e)
        in_range = compare("lt", amount, const(width, right.type.bv))
        if right.type.signed:
            in_range = conj(compare("ge", amount, const(0, right.type.bv)), in_range)
        self.check(in_range, "ub", e, f"shift amount out of range in `{text}`")
        a = self.value(left)
        n = cast(amount, left.type.bv)
        if op == ">>":
            return CVal(arith("shr", a, n), left.type)
        if left.type.signed:
            self.check(compare("ge", a, const(0, left.type.bv)), "ub", e, f"left shift of a negative value in `{text}`")
            self.check(app("noovf_shl", (a, n), BOOL), "overflow", e, f"signed overflow in `{text}`")
        return CVal(arith("shl", a, n), left.type)

    def unary(self, e: c_ast.UnaryOp) -> CVal:
        op = e.op
        if op == "sizeof":
            if isinstance(e.expr, c_ast.Typename):
                size = self.sizeof(self.resolve(e.expr.type), e)
            else:
                size = self.sizeof_expression(e.expr)
            return CVal(const(size, self.t.size_t.bv), self.t.size_t)
        if op == "_Alignof":
            if not isinstance(e.expr, c_ast.Typename):  # a GNU extension: the object's own alignment
                raise self.unsupported(f"`{self.text(e)}` of an expression", e)
            self.model_dependent = True  # yields size_t
            return CVal(const(self.alignment(self.resolve(e.expr.type), e), self.t.size_t.bv), self.t.size_t)
        if op in ("++", "--", "p++", "p--"):
            target = self.lvalue(e.expr)
            old = self.read(target, e)
            if op.startswith("p"):  # postfix: the value before the update
                saved = self.b.temp("old", old.type.bv)
                self.b.assign(saved, self.value(old), self.line(e))
                old = CVal(saved, old.type)
            one = CVal(const(1, self.t.int.bv), self.t.int)
            new = self.arithmetic("+" if "+" in op else "-", old, one, e)
            stored = self.write(target, new, e)
            return old if op.startswith("p") else stored
        if op == "*":
            return self.read_through(self.pointer(e.expr), e)
        if op == "!":
            return CVal(negate(self.truth(e.expr)), self.t.int)
        v = self.expression(e.expr)
        v = self.promoted(v)
        if op == "+":
            return v
        if op == "-":
            if v.type.signed:
                self.check(app("noovf_neg", (v.expr,), BOOL), "overflow", e, f"signed overflow in `{self.text(e)}`")
                return CVal(arith("neg_nsw", v.expr), v.type)
            return CVal(arith("neg", v.expr), v.type)
        if op == "~":
            return CVal(arith("bitnot", v.expr), v.type)
        raise self.unsupported(f"operator `{op}`", e)

    def sizeof_expression(self, node: c_ast.Node) -> int:
        if isinstance(node, (c_ast.ID, c_ast.StructRef)):
            snapshot = self.b.snapshot()  # `sizeof v[i++].x`: the index is not evaluated (C11 6.5.3.4p2)
            try:
                sym = self.lookup(node.name, node) if isinstance(node, c_ast.ID) else self.member(node)
            finally:
                self.b.rollback(snapshot)
            if isinstance(sym, StructSym):
                if sym.size is None:
                    raise self.unsupported(f"sizeof of `{self.text(node)}`, a struct with bit-fields", node)
                self.model_dependent = True
                return sym.size * (sym.count or 1)
            if isinstance(sym, VarSym):
                if sym.bits is not None:  # C11 6.5.3.4p1
                    raise self.unsupported(f"sizeof of the bit-field `{self.text(node)}`", node)
                return sym.type.size
            if isinstance(sym, PtrSym):
                self.model_dependent = True
                return self.t.pointer_bytes
            if isinstance(sym, ArraySym):
                count = 1
                for d in sym.dims:
                    if not isinstance(d, Const):
                        raise self.unsupported("sizeof of a variable-length array", node)
                    count *= d.value
                return count * sym.elem.size
        if isinstance(node, c_ast.FuncCall) and self.names_struct(node):  # not evaluated: its declared type's size
            return self.sizeof(self.resolve(self.p.functions[node.name.name].decl.type.type), node)
        # `sizeof *p`, `sizeof p[0]` for a pointer variable: its element's size, known before p points
        # anywhere (`int *p = malloc(n * sizeof *p)`), where evaluating *p would read it
        base = node.expr if isinstance(node, c_ast.UnaryOp) and node.op == "*" else \
            node.name if isinstance(node, c_ast.ArrayRef) else None
        pointer = self.lookup(base.name, base) if isinstance(base, c_ast.ID) else None
        if isinstance(pointer, PtrSym):
            self.model_dependent = True
            return pointer.pointee.size
        snapshot = self.b.snapshot()
        try:
            v = self.expression(node)  # evaluated for its type only
        finally:
            self.b.rollback(snapshot)
        self.model_dependent = True
        return v.type.size

    def lvalue(self, node: c_ast.Node):
        if isinstance(node, c_ast.ID):
            sym = self.lookup(node.name, node)
            if isinstance(sym, VarSym):
                return sym
            raise self.unsupported(f"assignment to '{node.name}'", node)
        if isinstance(node, c_ast.ArrayRef):
            return self.element(node)
        if isinstance(node, c_ast.StructRef) and (place := self.scalar_place(self.member(node), node)) is not None:
            return place
        if isinstance(node, c_ast.UnaryOp) and node.op == "*":
            return self.deref(self.pointer(node.expr), node, writes=True)
        raise self.unsupported(f"assignment to `{self.text(node)}`", node)

    def scalar_place(self, found: VarSym | ArraySym | StructSym | Element | Cell,
                     e: c_ast.Node) -> VarSym | tuple[ArraySym, Expr] | None:
        """Where a member that holds one scalar is read and written: its variable, or for `v[i].x` its
        array and checked index; None for a member that is an array or a struct."""
        if isinstance(found, VarSym):
            return found
        if isinstance(found, Cell) and len(found.array.dims) == 1:  # v[i].x
            return found.array, self.flatten(found.array, [found.index], e)
        return None

    def read(self, target, node: c_ast.Node | None = None) -> CVal:
        if isinstance(target, View):
            stored = self.read(target.place)
            if target.type.name == "_Bool":  # gcc loads the byte as it is: only 0 and 1 are _Bool values
                valid = disj(compare("eq", stored.expr, const(0, stored.type.bv)),
                             compare("eq", stored.expr, const(1, stored.type.bv)))
                self.check(valid, "ub", node, f"`{self.text(node)}` loads a value that is not a valid _Bool")
            return self.to(stored, target.type)
        if isinstance(target, VarSym):
            return self.variable_value(target)
        sym, index = target
        return CVal(App("select", (sym.var, index), sym.elem.bv), sym.elem)

    def variable_value(self, sym: VarSym) -> CVal:
        """A variable's value as C reads it: a bit-field narrower than int is an int (C11 6.3.1.1p2: an int
        holds all its values), an unsigned one too."""
        if sym.bits is not None and not sym.type.signed and sym.type.name != "_Bool" and sym.bits < self.t.int.bv.width:
            return CVal(cast(sym.var, self.t.int.bv), self.t.int)
        return CVal(sym.var, sym.type)

    def narrowed(self, value: Expr, sym: VarSym) -> Expr:
        """`value`, of the variable's type, as its bit-field keeps it: its low `bits` bits (gcc reduces a
        value out of a signed bit-field's range modulo 2^bits too)."""
        if sym.bits is None or sym.type.name == "_Bool" or sym.bits == sym.type.bv.width:
            return value
        t = sym.type.bv
        if not t.signed:
            return arith("bitand", value, const((1 << sym.bits) - 1, t))
        shift = const(t.width - sym.bits, t)
        return arith("shr", arith("shl", value, shift), shift)

    def write(self, target, value: CVal, node: c_ast.Node) -> CVal:
        line = self.line(node)
        if isinstance(target, View):  # the view's value, kept as the storage's bits
            stored = self.write(target.place, CVal(self.convert(value, target.type), target.type), node)
            return self.to(stored, target.type)
        if isinstance(target, VarSym):
            self.b.assign(target.var, self.narrowed(self.convert(value, target.type), target), line)
            return self.variable_value(target)
        sym, index = target
        if not isinstance(index, (Const, Var)):  # evaluate the index once
            tmp = self.b.temp("index", self.t.index)
            self.b.assign(tmp, index, line)
            index = tmp
        self.b.assign(sym.var, App("store", (sym.var, index, self.convert(value, sym.elem)), sym.var.type), line)
        return CVal(App("select", (sym.var, index), sym.elem.bv), sym.elem)

    def assignment(self, e: c_ast.Assignment) -> CVal:
        target = self.lvalue(e.lvalue)
        if e.op == "=":
            value = self.expression(e.rvalue)
        else:
            before = self.b.snapshot()
            rhs = self.expression(e.rvalue)
            # `*p += f(q)`: the left operand's read and a call's body are indeterminately sequenced (C11
            # 6.5.16p3, 6.5.2.2p10), so a right operand that may change what it reads leaves the result
            # to the compiler (gcc reads after the call); one that cannot, reads the same either way
            if self.storage(target) in self.b.written_since(before):
                raise self.unsupported(f"`{self.text(e)}`: the right operand may change what the left one "
                                       "reads, in an order C leaves open", e)
            value = self.arithmetic(e.op[:-1], self.read(target, e), rhs, e)
        return self.write(target, value, e)

    def storage(self, target) -> Var:
        """The variable a place is kept in: a scalar's, or its array's."""
        if isinstance(target, View):
            return self.storage(target.place)
        return target.var if isinstance(target, VarSym) else target[0].var
