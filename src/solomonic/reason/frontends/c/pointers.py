"""Pointers for the C frontend: each pointer is a memory object fixed at lowering time and an offset.

Supported: `&x` and arrays of a function's outermost block (a pointer to them can only leave the call
as its result, which is refused) and of globals; `malloc`, `calloc`, `alloca` outside loops (one
object per allocation site), and `malloc` and `calloc` in a loop's body where only pointers declared in
that loop hold the memory (each iteration's object on the same variables); pointers passed to and returned from inlined functions; `p + i`, `p - q`,
comparisons (== and != of pointers into two objects too), `free`; null (`0`, `NULL`, `c ? p : NULL`, a pointer as a condition); global pointer
variables in `main`'s analysis (null at the start, as static storage is; never pointing into a called
function's locals, which they would outlive). Every dereference,
pointer step and free is checked: out of bounds, use after free, double free, null dereference and
reading an uninitialised pointer are undefined behaviour events. A request of up to `ALLOCATION_LIMIT`
bytes succeeds (SV-COMP's convention, and what any machine that runs the program gives); one past
PTRDIFF_MAX returns NULL (glibc refuses it); one between the two is unknown, since it succeeds or
returns NULL with the machine (`malloc(1ul << 40)` is NULL on most, under a memory limit on all). A
pointer variable that could point into two objects, pointers to pointers and casts between element
types of different sizes are unsupported.
"""

from __future__ import annotations

from pycparser import c_ast

from solomonic.reason.frontends.c.library import DEFINITIONS
from solomonic.reason.frontends.c.state import LoweringState
from solomonic.reason.frontends.c.symbols import (
    Allocation,
    Array,
    ArraySym,
    CVal,
    MemObject,
    Other,
    Pointer,
    PtrSym,
    PtrVal,
    Scalar,
    VarSym,
    View,
    Void,
)
from solomonic.reason.frontends.c.types import CInt
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    LENGTH,
    TRUE,
    UNUSED,
    App,
    ArrayType,
    Const,
    Expr,
    Input,
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

ALLOCATORS = {"malloc": (True, False), "calloc": (True, True), "alloca": (False, False),
              "__builtin_alloca": (False, False)}  # name -> (on the heap, zeroed)
ALLOCATION_LIMIT = (1 << 31) - 1  # bytes: what an int can ask for; a larger heap request may fail
ALLOCATION_ASSUMED = (f"every heap allocation of at most {ALLOCATION_LIMIT} bytes succeeds, however much is "
                      "already allocated (malloc and calloc return memory, as SV-COMP takes them to; a machine "
                      "out of memory returns NULL)")


class PointerLowering(LoweringState):
    """Mixed into the C lowering (`lower._Lowering`), whose helpers it uses."""

    # ---------------------------------------------------------------------------------- static types

    def points(self, e: c_ast.Node) -> bool:
        """Whether `e` has pointer type (arrays decay), decided from its syntax and the names in scope."""
        if isinstance(e, c_ast.ID):
            return isinstance(self.lookup(e.name, e), (PtrSym, ArraySym))
        if isinstance(e, c_ast.Constant):
            return e.type == "string"
        if isinstance(e, c_ast.Cast):
            return isinstance(self.resolve(e.to_type), Pointer)
        if isinstance(e, c_ast.UnaryOp):
            return e.op == "&" or (e.op in ("++", "--", "p++", "p--") and self.points(e.expr))
        if isinstance(e, c_ast.BinaryOp) and e.op in ("+", "-"):
            return self.points(e.left) != self.points(e.right)  # p - q is an integer
        if isinstance(e, c_ast.Assignment):
            return self.points(e.lvalue)
        if isinstance(e, c_ast.FuncCall) and isinstance(e.name, c_ast.ID):
            name = e.name.name
            if name in ALLOCATORS and name not in self.p.functions:  # a program's own: calls.LIBRARY_BUILTINS
                return True
            if name in self.p.functions:
                return isinstance(self.resolve(self.p.functions[name].decl.type.type), Pointer)
            proto = self.p.prototypes.get(name)  # a C library function's (library.py): its declaration's
            return name in DEFINITIONS and proto is not None and isinstance(self.resolve(proto.type), Pointer)
        if isinstance(e, c_ast.TernaryOp):
            return self.points(e.iftrue) or self.points(e.iffalse)
        if isinstance(e, c_ast.ExprList):
            return self.points(e.exprs[-1])
        return False

    def string_constant(self, e: c_ast.Constant) -> PtrVal:
        """A string literal: an array of static storage that no write may touch (C11 6.4.5p7), one object
        per literal in the source, its characters stored where it is evaluated (they never change)."""
        chars = self.characters(e)
        char, index = self.c_int("char"), self.t.index
        size = const(len(chars), index)
        obj = self.objects.get(id(e))
        if obj is None:
            storage = ArraySym(Var(f"string#{len(self.objects)}", ArrayType(index, char.bv)), char, [size],
                               outermost=True, read_only=True)
            obj = self.objects[id(e)] = MemObject(f"the string literal {e.value}", storage, size,
                                                  literal=tuple(chars))
        assert isinstance(obj.storage, ArraySym)
        var = obj.storage.var
        contents: Expr = App("constarray", (const(0, char.bv),), var.type)
        for k, c in enumerate(chars):
            if c != 0:
                contents = App("store", (contents, const(k, index), const(c, char.bv)), var.type)
        self.b.assign(var, contents, self.line(e))
        return PtrVal(obj, const(0, index), char)

    def pointee_type(self, e: c_ast.Node) -> CInt | None:
        """The integer type a pointer expression points to, from its syntax and the names in scope alone
        (nothing evaluated); None where that says nothing (a call, a conditional)."""
        if isinstance(e, c_ast.ID):
            sym = self.lookup(e.name, e)
            return sym.elem if isinstance(sym, ArraySym) else sym.pointee if isinstance(sym, PtrSym) else None
        if isinstance(e, c_ast.Cast):
            target = self.resolve(e.to_type)
            return target.pointee.c if isinstance(target, Pointer) and isinstance(target.pointee, Scalar) else None
        if isinstance(e, c_ast.UnaryOp) and e.op == "&":
            if isinstance(e.expr, c_ast.ID):
                sym = self.lookup(e.expr.name, e.expr)
                return sym.type if isinstance(sym, VarSym) else None
            return self.pointee_type(e.expr.name) if isinstance(e.expr, c_ast.ArrayRef) else None
        if isinstance(e, c_ast.BinaryOp) and e.op in ("+", "-"):
            return self.pointee_type(e.left if self.points(e.left) else e.right)
        return None

    def null_constant(self, e: c_ast.Node) -> bool:
        """`0`, `'\\0'` or `(T *) 0` (NULL) where a pointer is expected."""
        if isinstance(e, c_ast.Cast) and isinstance(self.resolve(e.to_type), Pointer):
            e = e.expr
        return isinstance(e, c_ast.Constant) and e.type in ("int", "char") and self.constant(e) == 0

    def pointee(self, ptype: Pointer, what: str, node: c_ast.Node) -> CInt:
        if isinstance(ptype.pointee, Void):
            # `void *`: GNU C's byte pointer (arithmetic in bytes, sizeof(void) 1), never read or written
            # through (gcc refuses both), only converted: an unsigned char's pointer says exactly that.
            # Bound to an object of wider elements it is refused, as any pointer of another size is
            return self.t.get("unsigned char")
        if not isinstance(ptype.pointee, Scalar):
            raise self.unsupported(f"{what}: pointer to {self.describe(ptype.pointee)}", node)
        return ptype.pointee.c

    # ---------------------------------------------------------------------------------------- values

    def pointer(self, e: c_ast.Node, pointee: CInt | None = None) -> PtrVal:
        """The pointer `e` evaluates to; `pointee` types an allocation (`int *p = malloc(...)`)."""
        value = self.pointer_or_allocation(e)
        if isinstance(value, Allocation):
            if pointee is None:
                raise self.unsupported(f"`{self.text(e)}` used before it is given a pointer type", e)
            return self.allocate(value, pointee)
        return value

    def pointer_or_allocation(self, e: c_ast.Node) -> PtrVal | Allocation:
        if self.null_constant(e):
            return PtrVal(None, const(0, self.t.index), None, TRUE)
        if isinstance(e, c_ast.Constant) and e.type == "string":
            return self.string_constant(e)
        if isinstance(e, c_ast.ID):
            sym = self.lookup(e.name, e)
            if isinstance(sym, ArraySym):
                return PtrVal(self.array_object(sym, e), const(0, self.t.index), sym.elem)
            if not isinstance(sym, PtrSym):
                raise self.unsupported(f"'{e.name}' used as a pointer", e)
            if sym.obj is None:
                raise self.unsupported(f"pointer '{e.name}' is read before it is assigned an object", e)
            if sym.initialised is not None:
                self.check(compare("ne", sym.initialised, const(0, sym.initialised.type)), "ub", e,
                           f"uninitialised pointer '{e.name}' is read")
            return self.held(sym)
        if isinstance(e, c_ast.Cast):
            target = self.resolve(e.to_type)
            assert isinstance(target, Pointer)
            pointee = self.pointee(target, "cast", e)
            value = self.pointer_or_allocation(e.expr)
            if isinstance(value, Allocation):
                return self.allocate(value, pointee)
            if value.pointee is not None and pointee.size != value.pointee.size:
                raise self.unsupported(f"cast between pointers to {value.pointee.name} and {pointee.name}", e)
            return PtrVal(value.obj, value.offset, pointee, value.null)
        if isinstance(e, c_ast.UnaryOp) and e.op == "&":
            return self.address(e.expr, e)
        if isinstance(e, c_ast.UnaryOp):  # ++p, p-- ...
            sym = self.pointer_variable(e.expr)
            old = self.pointer(e.expr)
            if e.op.startswith("p"):
                saved = self.b.temp("old", self.t.index)
                self.b.assign(saved, old.offset, self.line(e))
                old = PtrVal(old.obj, saved, old.pointee, old.null)
            step = CVal(const(1, self.t.int.bv), self.t.int)
            new = self.step(old, step, "+" if "+" in e.op else "-", e)
            self.bind(sym, new, e)
            return old if e.op.startswith("p") else self.held(sym)
        if isinstance(e, c_ast.BinaryOp):
            if self.points(e.left):
                return self.step(self.pointer(e.left), self.expression(e.right), e.op, e)
            return self.step(self.pointer(e.right), self.expression(e.left), e.op, e)  # i + p
        if isinstance(e, c_ast.Assignment):
            sym = self.pointer_variable(e.lvalue)
            if e.op == "=":
                new = self.pointer(e.rvalue, sym.pointee)
            elif e.op in ("+=", "-="):
                new = self.step(self.pointer(e.lvalue), self.expression(e.rvalue), e.op[0], e)
            else:
                raise self.unsupported(f"operator `{e.op}` on a pointer", e)
            self.bind(sym, new, e)
            return self.held(sym)
        if isinstance(e, c_ast.FuncCall):
            name = e.name.name
            if name in ALLOCATORS and name not in self.p.functions:
                return self.allocation(name, e)
            result = self.call(e)
            assert isinstance(result, PtrVal)
            return result
        if isinstance(e, c_ast.ExprList):
            for x in e.exprs[:-1]:
                self.effect(x)
            return self.pointer_or_allocation(e.exprs[-1])
        if isinstance(e, c_ast.TernaryOp):
            return self.choose_pointer(e)
        raise self.unsupported(f"pointer expression `{self.text(e)}`", e)

    def choose_pointer(self, e: c_ast.TernaryOp) -> PtrVal:
        """`c ? p : q` for pure p and q into the same object, or null."""
        cond = self.truth(e.cond)
        a = self.b.speculate(lambda: self.pointer(e.iftrue))
        b = self.b.speculate(lambda: self.pointer(e.iffalse))
        if a is None or b is None:
            raise self.unsupported(f"pointer conditional with effects `{self.text(e)}`", e)
        if a.obj is not None and b.obj is not None and a.obj is not b.obj:
            raise self.unsupported(f"`{self.text(e)}` may point into {a.obj.name} or {b.obj.name}", e)
        null = disj(conj(cond, a.null), conj(negate(cond), b.null))
        return PtrVal(a.obj or b.obj, ite(cond, a.offset, b.offset), a.pointee or b.pointee, null)

    def held(self, sym: PtrSym) -> PtrVal:
        """The value a pointer variable holds (it has been assigned an object)."""
        return PtrVal(sym.obj, sym.offset, sym.pointee, compare("ne", sym.null, const(0, sym.null.type)))

    def pointer_variable(self, node: c_ast.Node) -> PtrSym:
        sym = self.lookup(node.name, node) if isinstance(node, c_ast.ID) else None
        if not isinstance(sym, PtrSym):
            raise self.unsupported(f"assignment to the pointer `{self.text(node)}`", node)
        return sym

    def bind(self, sym: PtrSym, value: PtrVal, node: c_ast.Node) -> None:
        """`p = value`: the first assignment of an object fixes the one p points into; later ones must
        agree (null points into none)."""
        if value.pointee is not None and value.pointee.size != sym.pointee.size:
            target = "void, a byte pointer" if sym.void else sym.pointee.name
            raise self.unsupported(f"pointer to {value.pointee.name} assigned to '{sym.name}', a pointer to "
                                   f"{target}", node)
        if value.obj is not None and value.obj.owner not in (None, self.frames[0]) and \
                any(sym is g for g in self.globals.values()):
            raise self.unsupported(f"a pointer into {value.obj.name}, a local of a called function, stored in "
                                   f"the global '{sym.name}' (it could outlive the call)", node)
        if value.obj is not None and value.obj.loop is not None and not any(loop is value.obj.loop for loop in sym.loops):
            raise self.unsupported(f"a pointer to {value.obj.name}, allocated in a loop, kept in '{sym.name}', "
                                   "declared outside it (one object per allocation site)", node)
        if sym.obj is None:
            sym.obj = value.obj
        elif value.obj is not None and sym.obj is not value.obj:
            raise self.unsupported(f"pointer '{sym.name}' may point into {sym.obj.name} or {value.obj.name}", node)
        line = self.line(node)
        if value.offset != sym.offset:
            self.b.assign(sym.offset, value.offset, line)
        self.b.assign(sym.null, ite(value.null, const(1, sym.null.type), const(0, sym.null.type)), line)
        if sym.initialised is not None:
            self.b.assign(sym.initialised, const(1, sym.initialised.type), line)

    def step(self, p: PtrVal, n: CVal, op: str, node: c_ast.Node) -> PtrVal:
        """p + n or p - n: still inside the object or one past its end, else undefined."""
        if op not in ("+", "-"):
            raise self.unsupported(f"operator `{op}` on a pointer", node)
        if p.obj is None:
            raise self.unsupported(f"arithmetic on the null pointer in `{self.text(node)}`", node)
        n = self.promoted(n)
        amount = self.to_index(n)
        text = self.text(node)
        self.check(negate(p.null), "ub", node, f"arithmetic on a null pointer in `{text}`")
        if not n.type.signed and n.type.bv.width >= self.t.index.width:  # beyond 2**63: out of any object
            self.check(compare("le", self.value(n), const(self.t.index.max, n.type.bv)), "ub", node,
                       f"pointer arithmetic out of bounds in `{text}`")
        name = "add" if op == "+" else "sub"
        self.check(app(f"noovf_{name}", (p.offset, amount), BOOL), "ub", node,
                   f"pointer arithmetic out of bounds in `{text}`")
        offset = arith(f"{name}_nsw", p.offset, amount)
        self.check(conj(compare("ge", offset, const(0, self.t.index)), compare("le", offset, p.obj.size)),
                   "ub", node, f"pointer arithmetic out of bounds in `{text}` (past {p.obj.name})")
        return PtrVal(p.obj, offset, p.pointee)

    def compare_pointers(self, op: str, e: c_ast.BinaryOp) -> CVal:
        relations = {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}
        if op not in relations or not all(self.points(x) or self.null_constant(x) for x in (e.left, e.right)):
            raise self.unsupported(f"operator `{op}` on a pointer", e)
        a, b = self.pointer(e.left), self.pointer(e.right)
        if a.obj is not None and b.obj is not None and a.obj is not b.obj:
            if op not in ("==", "!="):  # undefined unless both are null (C11 6.5.8p5)
                raise self.unsupported(f"comparison of pointers into {a.obj.name} and {b.obj.name}", e)
            return self.compare_objects(op, a, b, e)
        if op not in ("==", "!="):
            self.check(conj(negate(a.null), negate(b.null)), "ub", e, f"`{self.text(e)}` orders a null pointer")
            return CVal(compare(relations[op], a.offset, b.offset), self.t.int)
        same = disj(conj(a.null, b.null), conj(negate(a.null), negate(b.null), compare("eq", a.offset, b.offset)))
        return CVal(same if op == "==" else negate(same), self.t.int)

    def compare_objects(self, op: str, a: PtrVal, b: PtrVal, e: c_ast.BinaryOp) -> CVal:
        """`a == b` (or `!=`) for pointers into two different objects (C11 6.5.9p6): equal where both are
        null, unequal otherwise, except that one just past the end of an object and one at the start of
        another may compare equal, where the second happens to follow the first in memory: which the
        standard leaves unspecified, so reaching it is an event that decides nothing."""
        assert a.obj is not None and b.obj is not None
        if a.obj.literal is not None and b.obj.literal is not None:
            # "ab" == "ab": gcc merges equal literals, and at -O2 one with the other's tail ("xab" + 1):
            # two places in them may be one where the shorter is the longer's tail and they line up
            shared = self.literals_overlap(a, b)
            self.check(negate(conj(negate(a.null), negate(b.null), shared)), "ub", e,
                       f"`{self.text(e)}` compares pointers into two string literals, which may share storage "
                       "(C11 6.4.5p7): whether they are equal is unspecified")
        zero = const(0, self.t.index)
        adjacent = disj(conj(compare("eq", a.offset, a.obj.size), compare("eq", b.offset, zero)),
                        conj(compare("eq", b.offset, b.obj.size), compare("eq", a.offset, zero)))
        self.check(negate(conj(negate(a.null), negate(b.null), adjacent)), "ub", e,
                   f"`{self.text(e)}` compares a pointer just past one of {a.obj.name} and {b.obj.name} with "
                   "one at the start of the other: whether they are equal is unspecified")
        same = conj(a.null, b.null)
        return CVal(same if op == "==" else negate(same), self.t.int)

    def literals_overlap(self, a: PtrVal, b: PtrVal) -> Expr:
        """Where the places a and b point to could be one byte of merged storage: one literal ends with
        the other (terminators included), laid so that the places line up."""
        assert a.obj is not None and b.obj is not None and a.obj.literal is not None and b.obj.literal is not None
        x, y = a.obj.literal, b.obj.literal
        cases: list[Expr] = []
        if x[len(x) - len(y):] == y:  # y is x's tail: y starts len(x) - len(y) into x
            cases.append(compare("eq", a.offset, arith("add", b.offset, const(len(x) - len(y), self.t.index))))
        if y[len(y) - len(x):] == x:
            cases.append(compare("eq", b.offset, arith("add", a.offset, const(len(y) - len(x), self.t.index))))
        return disj(*cases) if cases else FALSE

    def difference(self, e: c_ast.BinaryOp) -> CVal:
        a, b = self.pointer(e.left), self.pointer(e.right)
        if a.obj is None or a.obj is not b.obj:
            raise self.unsupported(f"difference of pointers `{self.text(e)}` into different objects", e)
        self.check(conj(negate(a.null), negate(b.null)), "ub", e, f"`{self.text(e)}` subtracts a null pointer")
        ptrdiff = self.c_int("long")
        return CVal(cast(arith("sub", a.offset, b.offset), ptrdiff.bv), ptrdiff)  # both within [0, size]

    # ------------------------------------------------------------------------------------ dereference

    def deref(self, p: PtrVal, node: c_ast.Node, writes: bool = False) -> VarSym | tuple[ArraySym, Expr] | View:
        """The variable or array element `*p` denotes, after the checks that make the access defined; a
        View of it where p points to another integer type of its size."""
        place = self.place(p, node, writes)
        return place if p.pointee is None or p.pointee == p.obj.elem else View(place, p.pointee)  # type: ignore[union-attr]

    def place(self, p: PtrVal, node: c_ast.Node, writes: bool) -> VarSym | tuple[ArraySym, Expr]:
        if p.obj is None:
            raise self.unsupported(f"dereference of the null pointer in `{self.text(node)}`", node)
        if writes and p.pointee != p.obj.elem and "_Bool" in (p.obj.elem.name, p.pointee.name if p.pointee else ""):
            raise self.unsupported(f"write through a pointer to {p.pointee.name if p.pointee else 'void'} into "
                                   f"{p.obj.elem.name} storage", node)
        if writes and p.obj.storage.read_only:
            raise self.unsupported(f"write through a pointer into {p.obj.name}, which is defined const "
                                   "(undefined behaviour)", node)
        text = self.text(node)
        self.check(negate(p.null), "ub", node, f"null pointer dereference in `{text}`")
        if p.obj.live is not None:
            self.check(compare("ne", p.obj.live, const(0, p.obj.live.type)), "ub", node,
                       f"use of {p.obj.name} after it is freed in `{text}`")
        if isinstance(p.obj.storage, VarSym):
            self.check(compare("eq", p.offset, const(0, self.t.index)), "ub", node,
                       f"dereference out of bounds in `{text}` ({p.obj.name} holds one element)")
            return p.obj.storage
        in_bounds = conj(compare("ge", p.offset, const(0, self.t.index)), compare("lt", p.offset, p.obj.size))
        self.check(in_bounds, "ub", node, f"dereference out of bounds in `{text}` ({p.obj.name})")
        offset = p.offset
        if not isinstance(offset, (Const, Var)):  # evaluate it once
            offset = self.b.temp("index", self.t.index)
            self.b.assign(offset, p.offset, self.line(node))
        return p.obj.storage, offset

    def read_through(self, p: PtrVal, node: c_ast.Node) -> CVal:
        return self.read(self.deref(p, node), node)

    # ---------------------------------------------------------------------------------------- objects

    def address(self, e: c_ast.Node, node: c_ast.Node) -> PtrVal:
        """`&x` or `&a[i]`."""
        if isinstance(e, c_ast.ID):
            sym = self.lookup(e.name, e)
            if isinstance(sym, VarSym):
                return PtrVal(self.variable_object(sym, e), const(0, self.t.index), sym.type)
            if isinstance(sym, ArraySym):
                return PtrVal(self.array_object(sym, e), const(0, self.t.index), sym.elem)
        if isinstance(e, c_ast.ArrayRef):
            base = self.pointer(e.name)
            return self.step(base, self.expression(e.subscript), "+", node)
        if isinstance(e, c_ast.UnaryOp) and e.op == "*":
            return self.pointer(e.expr)
        raise self.unsupported(f"address of `{self.text(e)}`", node)

    def variable_object(self, sym: VarSym, node: c_ast.Node) -> MemObject:
        if not sym.outermost:
            raise self.unsupported(f"address of '{node.name}', which is not in its function's outermost "
                                   "block (a pointer to it could outlive it)", node)
        return self.objects.setdefault(id(sym), MemObject(f"'{node.name}'", sym, const(1, self.t.index),
                                                          owner=self.owner(sym)))

    def array_object(self, sym: ArraySym, node: c_ast.Node) -> MemObject:
        if len(sym.dims) != 1:
            raise self.unsupported(f"pointer into the multi-dimensional array '{node.name}'", node)
        if not sym.outermost:
            raise self.unsupported(f"pointer into '{node.name}', which is not in its function's outermost "
                                   "block (the pointer could outlive it)", node)
        return self.objects.setdefault(id(sym), MemObject(f"'{node.name}'", sym, sym.dims[0], owner=self.owner(sym)))

    def owner(self, sym: VarSym | ArraySym) -> object | None:
        """The call a local lives in (names resolve in the current frame or among the globals)."""
        return None if any(sym is g for g in self.globals.values()) else self.frame

    def allocation(self, name: str, e: c_ast.FuncCall) -> Allocation:
        heap, zeroed = ALLOCATORS[name]
        args = e.args.exprs if e.args is not None else []
        if len(args) != (2 if name == "calloc" else 1):
            raise self.unsupported(f"call to `{name}` with {len(args)} arguments", e)
        # in a recursive procedure, each activation's allocation is an object of its own (calls.procedure);
        # in a loop's body, each iteration's heap allocation (`allocate`)
        if any(frame.repeating for frame in self.frames):
            raise self.unsupported(f"`{name}` in a loop's condition or step (one object per allocation site)", e)
        if not heap and self.loops_running():
            raise self.unsupported(f"`{name}` inside a loop (its memory lasts until the function returns: one "
                                   "object per allocation site)", e)
        jumping = next((frame.function for frame in self.frames if frame.function in self.with_goto), None)
        if jumping is not None:
            raise self.unsupported(f"`{name}` in `{jumping}` or a function it calls, where a `goto` may run it "
                                   "again (one object per allocation site)", e)
        size_t = self.t.size_t
        sizes = [self.convert(self.expression(a), size_t) for a in args]
        size = sizes[0]
        if name == "calloc":
            self.check(app("noovf_mul", (sizes[0], sizes[1]), BOOL), "ub", e,
                       f"`{self.text(e)}` asks for more memory than exists")
            size = arith("mul", sizes[0], sizes[1])
        return Allocation(name, size, e, zeroed, heap)

    def allocate(self, a: Allocation, pointee: CInt) -> PtrVal:
        """The object an allocation creates once its element type is known; its contents are unknown
        (malloc, alloca) or zero (calloc)."""
        line = self.line(a.node)
        self.allocations += 1
        name = f"{a.function}#{self.allocations}"
        elements = arith("div", a.size_bytes, const(pointee.size, a.size_bytes.type))
        zero = const(0, pointee.bv)
        if isinstance(elements, Const) and elements.value == 1:
            storage: VarSym | ArraySym = VarSym(Var(name, pointee.bv), pointee)
            size: Expr = const(1, self.t.index)
            initial: Expr = zero
        else:
            size = Var(f"{name}$size", self.t.index)
            self.b.assign(size, cast(elements, self.t.index), line)
            storage = ArraySym(Var(name, ArrayType(self.t.index, pointee.bv)), pointee, [size])
            initial = App("constarray", (zero,), storage.var.type)
        if a.zeroed:
            self.b.assign(storage.var, initial, line)
        else:
            self.b.havoc(storage.var, f"contents of `{self.text(a.node)}`", line)
        live = None
        failed: Expr = FALSE
        if a.heap:
            live = Var(f"{name}$live", self.t.int.bv)
            self.b.assign(live, const(1, live.type), line)
            failed = self.may_fail(a)
        # alloca's memory lives until its function returns: the call's, as a local's (a pointer to it
        # returned or stored in a global is refused, as one to a local)
        loops = self.loops_running()
        obj = MemObject(f"the memory from `{a.function}` at line {line}", storage, size, live,
                        owner=None if a.heap else self.frame, loop=loops[-1] if loops else None)
        return PtrVal(obj, const(0, self.t.index), pointee, failed)

    def may_fail(self, a: Allocation) -> Expr:
        """Whether a heap allocation returns NULL. glibc refuses every request past PTRDIFF_MAX; one of
        up to ALLOCATION_LIMIT bytes is taken to succeed; between the two the answer depends on the
        machine (its address space, the kernel's overcommit heuristic, a memory limit), so reaching
        such a request is an event that makes the answer unknown."""
        if ALLOCATION_ASSUMED not in self.assumptions:
            self.assumptions.append(ALLOCATION_ASSUMED)
        size, size_t = a.size_bytes, self.t.size_t.bv  # the request, converted to size_t
        refused = compare("gt", size, const(size_t.max >> 1, size_t))  # past PTRDIFF_MAX
        small = compare("le", size, const(ALLOCATION_LIMIT, size_t))
        self.check(disj(small, refused), "ub", a.node,
                   f"whether `{self.text(a.node)}` succeeds depends on the machine's memory "
                   f"(more than {ALLOCATION_LIMIT} bytes)")
        return refused

    def free(self, e: c_ast.FuncCall) -> None:
        args = e.args.exprs if e.args is not None else []
        if len(args) != 1:
            raise self.unsupported(f"call to `free` with {len(args)} arguments", e)
        p = self.pointer(args[0])
        text = self.text(e)
        if p.obj is None:  # free(NULL) does nothing
            return
        if p.obj.live is None:
            self.check(p.null, "ub", e, f"`{text}` frees {p.obj.name}, which was not allocated")
            return
        live = p.obj.live
        ok = conj(compare("ne", live, const(0, live.type)), compare("eq", p.offset, const(0, self.t.index)))
        self.check(disj(p.null, ok), "ub", e, f"`{text}` does not free a live allocation's start")
        self.b.assign(live, ite(p.null, live, const(0, live.type)), self.line(e))

    def pointer_symbol(self, name: str, template: Var, ptype: Pointer, node: c_ast.Node) -> PtrSym:
        """A pointer variable (IR variables named like `template`), not yet pointing anywhere."""
        pointee = self.pointee(ptype, f"variable '{name}'", node)
        return PtrSym(name, template.name, Var(f"{template.name}$offset", self.t.index),
                      Var(f"{template.name}$null", self.t.int.bv), pointee, void=isinstance(ptype.pointee, Void),
                      loops=self.loops_running())

    def loops_running(self) -> tuple:
        """The loops whose body is being lowered, outermost first (a switch is not one)."""
        return tuple(loop for frame in self.frames for loop in frame.loops if loop.continue_to >= 0)

    # ------------------------------------------------------------------- the analysed function's inputs

    def parameter_pointer(self, param: c_ast.Decl) -> Pointer | None:
        """The pointer type of a parameter of the analysed function (an array parameter is one, C11
        6.7.6.3p7; `restrict` promises what the model of `pointer_parameter` assumes anyway), or None."""
        node = param.type
        if isinstance(node, c_ast.ArrayDecl):
            return Pointer(self.resolve(node.type))
        if isinstance(node, c_ast.PtrDecl) and "_Atomic" not in (node.quals or []):
            return Pointer(self.resolve(node.type))
        resolved = self.resolve(node)
        return resolved if isinstance(resolved, Pointer) else None

    def pointer_parameter(self, param: c_ast.Decl, ptype: Pointer, base: str) -> list[Input]:
        """A pointer parameter of the analysed function: the first of n >= 1 elements of an object of its
        own, n and the elements any (two inputs: the elements, an array, then n, its LENGTH). That is an
        assumption about the callers, said in every answer: that the pointer is not null, that no other
        parameter points into its object, and that it points to the object's start, so that p[-1] is out
        of bounds; a `char` one, a string, holds a null character in its last element; `a[static k]`
        has at least k elements, as C says the caller passes. The object's size is bounded as gcc bounds
        every object's, to PTRDIFF_MAX bytes."""
        elem = self.pointee(ptype, f"parameter '{param.name}'", param)
        if elem.name == "_Bool":  # each element would have to be 0 or 1
            raise self.unsupported(f"parameter '{param.name}', a pointer to _Bool", param)
        line, index = self.line(param), self.t.index
        length = Var(f"{base}$length", index)
        elements = Var(f"{base}$elements", ArrayType(index, elem.bv))
        most = (self.t.size_t.bv.max >> 1) // elem.size
        self.b.assume(conj(compare("ge", length, const(1, index)), compare("le", length, const(most, index))), line)
        declared = ""
        node = param.type
        if isinstance(node, c_ast.ArrayDecl) and "static" in (node.dim_quals or []) and node.dim is not None:
            # `a[static n]`: the caller passes at least n elements (C11 6.7.6.3p7), the size evaluated
            # at entry (6.9.1p10) over the parameters before it
            least = self.to_index(self.expression(node.dim))
            self.b.assume(disj(compare("le", least, const(0, index)), compare("ge", length, least)), line)
            declared = f" (at least {self.text(node.dim)}: `[static {self.text(node.dim)}]`)"
        string = elem.name == "char"
        if string:
            last = App("select", (elements, arith("sub", length, const(1, index))), elem.bv)
            self.b.assume(compare("eq", last, const(0, elem.bv)), line)
        sym = self.pointer_symbol(param.name, Var(base, BOOL), ptype, param)
        sym.obj = MemObject(f"the array '{param.name}' points to", ArraySym(elements, elem, [length]), length)
        self.b.assign(sym.offset, const(0, index), line)
        self.b.assign(sym.null, const(0, sym.null.type), line)
        self.frame.scopes[-1][param.name] = sym
        what = f"a string: an array of char of any length >= 1{declared} and any contents but a null character " \
            "last" if string else f"an array of {elem.name} of any length >= 1{declared} and any contents"
        self.assumptions.append(f"'{param.name}' points to the start of {what}, that no other parameter points "
                                "into")
        return [Input(elements, param.name, elem.name), Input(length, f"{param.name}'s length", "long", kind=LENGTH)]

    def unused_parameter(self, param: c_ast.Decl, base: str) -> Input | None:
        """A parameter the body never names, of a type the model has no values for (`char **argv`, a
        float): it cannot change what the function does, so it is an input of kind UNUSED (the replay
        passes 0, which converts to any of these types). None for every other parameter."""
        resolved = self.resolve(param.type)
        if not isinstance(param.type, (c_ast.PtrDecl, c_ast.ArrayDecl)) and not isinstance(resolved, (Pointer, Array)) \
                and resolved != Other("floating point"):
            return None
        return Input(Var(f"{base}$unused", BOOL), param.name, self.describe(resolved), kind=UNUSED)

    def uninitialised(self, sym: PtrSym, line: int) -> None:
        """`int *p;`: reading p before an assignment is undefined."""
        sym.initialised = Var(f"{sym.base}$initialised", self.t.int.bv)
        self.b.assign(sym.initialised, const(0, sym.initialised.type), line)
