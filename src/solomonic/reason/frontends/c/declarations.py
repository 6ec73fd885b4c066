"""What C declarations mean: types resolved from declarators (typedefs, enums, arrays, pointers), the
layout of structs and unions as gcc lays them out, enumerators, integer constant expressions, and the
symbols that variables (local and global) become, with their initialisers."""

from __future__ import annotations

from pycparser import c_ast

from solomonic.reason.frontends.c.preprocess import VA_LIST_TAG, walk
from solomonic.reason.frontends.c.state import LoweringState
from solomonic.reason.frontends.c.symbols import (
    Array,
    ArraySym,
    CType,
    CVal,
    Layout,
    Other,
    Pointer,
    PtrSym,
    PtrVal,
    Scalar,
    StructPtrSym,
    StructSym,
    Symbol,
    VarSym,
    Void,
    points_to_struct,
)
from solomonic.reason.frontends.c.types import CInt, string_literal
from solomonic.reason.ir import (
    BOOL,
    TRUE,
    App,
    ArrayType,
    Const,
    Expr,
    Unsupported,
    Var,
    cast,
    compare,
    const,
)
from solomonic.reason.ir.evaluate import EvaluationError, evaluate


class DeclarationLowering(LoweringState):
    """Declarations and types, one mixin of the C lowering (`lower._Lowering`); it calls the others."""

    # ------------------------------------------------------------------------------------------ types

    def resolve(self, node: c_ast.Node) -> CType:
        if isinstance(node, c_ast.TypeDecl):
            if "_Atomic" in (node.quals or []):
                return Other("_Atomic type")
            return self.resolve(node.type)
        if isinstance(node, c_ast.Typename):
            return self.resolve(node.type)
        if isinstance(node, c_ast.IdentifierType):
            names = node.names
            if len(names) == 1 and names[0] in self.p.typedefs:
                self.refuse_tainted(self.p.taint.names.get(names[0]), f"the typedef '{names[0]}'")
                if names[0] in ("size_t", "ssize_t", "ptrdiff_t", "intptr_t", "uintptr_t"):
                    self.model_dependent = True
                return self.resolve(self.p.typedefs[names[0]])
            if names == ["void"]:
                return Void()
            if any(n in ("float", "double") for n in names):
                return Other("floating point")
            canonical = self.t.canonical(names)
            if canonical is None:
                return Other(f"type {' '.join(names)}")
            if not self.t.available(canonical):
                return Other(f"{canonical}, which gcc does not offer under {self.t.data_model}")
            return Scalar(self.c_int(canonical))
        if isinstance(node, (c_ast.Struct, c_ast.Union, c_ast.Enum)) and node.name:
            self.refuse_tainted(self.p.taint.tags.get(node.name), f"the type '{node.name}'")
        if isinstance(node, c_ast.Struct) and node.name == VA_LIST_TAG:
            return Other("va_list (variadic arguments)")
        if isinstance(node, c_ast.Enum):
            return Scalar(self.enum_type(node))
        if isinstance(node, c_ast.ArrayDecl):
            elem = self.resolve(node.type)
            if not isinstance(elem, (Scalar, Array)):
                return Other("array of non-integers")
            return Array(elem, node.dim)
        if isinstance(node, c_ast.PtrDecl):
            if "restrict" in (node.quals or []):  # aliasing through it would be undefined, and is not checked
                return Other("restrict-qualified pointer")
            if "_Atomic" in (node.quals or []):
                return Other("_Atomic type")
            return Pointer(self.resolve(node.type))
        if isinstance(node, (c_ast.Struct, c_ast.Union)):
            return Other("struct or union", node)
        if isinstance(node, c_ast.FuncDecl):
            return Other("function")
        return Other(type(node).__name__)

    def scalar(self, node: c_ast.Node, what: str, at: c_ast.Node) -> CInt:
        t = self.resolve(node)
        if not isinstance(t, Scalar):
            raise self.unsupported(f"{what} of {self.describe(t)}", at)
        return t.c

    def describe(self, t: CType) -> str:
        if isinstance(t, Other):
            return t.what
        if isinstance(t, Void):
            return "type void"
        if isinstance(t, Array):
            return "array type"
        if isinstance(t, Pointer):
            return "pointer"
        return t.c.name

    def sizeof(self, t: CType, at: c_ast.Node) -> int:
        self.model_dependent = True  # sizeof yields size_t
        if isinstance(t, Scalar):
            return t.c.size
        if isinstance(t, Array) and t.dim is not None:
            return self.constant(t.dim) * self.sizeof(t.elem, at)
        if isinstance(t, Pointer):
            return self.t.pointer_bytes
        if isinstance(t, Other) and t.record is not None:
            return self.layout(t.record, at).size
        raise self.unsupported(f"sizeof of {self.describe(t)}", at)

    def definition(self, record: c_ast.Struct | c_ast.Union, at: c_ast.Node) -> c_ast.Struct | c_ast.Union:
        """The members of a struct or union named by its tag: its one definition in the file (a tag defined
        twice, in different scopes, is not resolved)."""
        if record.decls is not None:
            return record
        found = [n for n in walk(self.p.ast) if type(n) is type(record) and n.name == record.name
                 and n.decls is not None]
        if len(found) != 1:
            what = "without a definition" if not found else "defined more than once"
            raise self.unsupported(f"{type(record).__name__.lower()} {record.name} {what}", at)
        return found[0]

    def layout(self, record: c_ast.Struct | c_ast.Union, at: c_ast.Node) -> Layout:
        """Member offsets, size and alignment as gcc lays them out: each member at the next multiple of
        its alignment, the whole padded to the largest alignment (a union: every member at 0). Bitfields,
        members with _Alignas, anonymous members and floating-point members are not modelled."""
        if self.p.taint.layout:
            self.refuse_tainted(self.p.taint.layout[0],
                                f"the layout of {type(record).__name__.lower()} {record.name or ''}")
        record = self.definition(record, at)
        kind = "union" if isinstance(record, c_ast.Union) else "struct"
        offset = size = 0
        align = 1
        members: dict[str, tuple[int, CType]] = {}
        for i, m in enumerate(record.decls or []):
            if m.bitsize is not None:
                raise self.unsupported(f"bitfield '{m.name}' in {kind} {record.name or ''}", m)
            if m.align or m.name is None:
                raise self.unsupported(f"_Alignas or an anonymous member in {kind} {record.name or ''}", m)
            t = self.resolve(m.type)
            flexible = isinstance(t, Array) and t.dim is None and i == len(record.decls) - 1 and kind == "struct"
            m_size = 0 if flexible else self.sizeof(t, m)
            m_align = self.alignment(t, m)
            if kind == "struct":
                offset = -(-offset // m_align) * m_align
                members[m.name] = (offset, t)
                offset += m_size
            else:
                members[m.name] = (0, t)
                size = max(size, m_size)
            align = max(align, m_align)
        end = offset if kind == "struct" else size
        return Layout(-(-end // align) * align, align, members)

    def offsetof(self, e: c_ast.FuncCall) -> CVal:
        """offsetof(type, member.member[index]...) from the layout."""
        args = e.args.exprs if e.args is not None else []
        if len(args) != 2 or not isinstance(args[0], c_ast.Typename):
            raise self.unsupported(f"`{self.text(e)}`", e)
        steps: list[c_ast.Node] = []
        node = args[1]
        while isinstance(node, (c_ast.StructRef, c_ast.ArrayRef)):
            steps.append(node)
            node = node.name
        if not isinstance(node, c_ast.ID):
            raise self.unsupported(f"`{self.text(e)}`", e)
        t = self.resolve(args[0].type)
        offset = 0
        for step in [node, *reversed(steps)]:
            if isinstance(step, c_ast.ArrayRef):
                if not isinstance(t, Array):
                    raise self.unsupported(f"`{self.text(e)}` indexes a non-array", e)
                t = t.elem
                offset += self.constant(step.subscript) * self.sizeof(t, e)
                continue
            if isinstance(step, c_ast.StructRef) and step.type != ".":
                raise self.unsupported(f"`{self.text(e)}`", e)
            name = step.name if isinstance(step, c_ast.ID) else step.field.name
            if not (isinstance(t, Other) and t.record is not None):
                raise self.unsupported(f"`{self.text(e)}`: '{name}' is not a member of a struct or union", e)
            members = self.layout(t.record, e).members
            if name not in members:
                raise self.unsupported(f"`{self.text(e)}`: no member '{name}'", e)
            where, t = members[name]
            offset += where
        self.model_dependent = True  # yields size_t
        return CVal(const(offset, self.t.size_t.bv), self.t.size_t)

    def alignment(self, t: CType, at: c_ast.Node) -> int:
        if isinstance(t, Scalar):
            return self.t.alignment(t.c)
        if isinstance(t, Array):
            return self.alignment(t.elem, at)
        if isinstance(t, Pointer):
            return self.t.pointer_bytes  # pointers are aligned to their size in both data models
        if isinstance(t, Other) and t.record is not None:
            return self.layout(t.record, at).align
        raise self.unsupported(f"_Alignof of {self.describe(t)}", at)

    def parameters(self, fdecl: c_ast.FuncDecl) -> list[c_ast.Decl]:
        params = fdecl.args.params if fdecl.args is not None else []
        out = []
        for p in params:
            if isinstance(p, c_ast.EllipsisParam):
                raise self.unsupported("variadic function", p)
            if isinstance(p, c_ast.Typename) and isinstance(self.resolve(p.type), Void):
                continue  # f(void)
            if isinstance(p, c_ast.ID):
                raise self.unsupported("old-style (K&R) parameter list", p)
            out.append(p)
        return out

    # ------------------------------------------------------------------------------------------ names

    def lookup(self, name: str, node: c_ast.Node) -> Symbol | CVal:
        if name in self.block_enumerators and (name in self.p.globals or any(name in sc for sc in self.frame.scopes)):
            raise self.unsupported(f"'{name}' names both a variable and an enumerator declared in a block", node)
        for scope in reversed(self.frame.scopes):
            if name in scope:
                return scope[name]
        if name in self.p.globals and self.frames[0].procedure:
            raise self.unsupported(f"global variable '{name}' used in the recursive function "
                                   f"`{self.frames[0].function}`", node)
        if name in self.globals:
            return self.globals[name]
        if name in self.p.globals:
            self.refuse_tainted(self.p.taint.names.get(name), f"the declaration of '{name}'")
            decl = self.p.globals[name]
            sym = self.declare(decl, Var(name, BOOL), is_global=True)
            self.globals[name] = sym
            self.global_order.append(name)
            return sym
        if name in self.p.enumerators:
            value = self.enumerator(name)
            if not self.t.int.bv.min <= value <= self.t.int.bv.max:  # gcc then gives it a wider type
                raise self.unsupported(f"enumerator '{name}' = {value}, outside int's range", node)
            return CVal(const(value, self.t.int.bv), self.t.int)
        if name in self.p.functions or name in self.p.prototypes:
            raise self.unsupported(f"function '{name}' used as a value", node)
        raise self.unsupported(f"undeclared identifier '{name}'", node)

    def enum_type(self, node: c_ast.Enum) -> CInt:
        """gcc's type for an enum: unsigned int when no enumerator is negative, else int (no -fshort-enums)."""
        values = node.values
        if values is None:
            values = next((n.values for n in walk(self.p.ast)
                           if isinstance(n, c_ast.Enum) and n.name == node.name and n.values is not None), None)
        if values is None:
            raise self.unsupported(f"enum {node.name} without a visible definition", node)
        numbers = [self.enumerator(e.name) for e in values.enumerators]
        if any(not self.t.int.bv.min <= v <= self.t.int.bv.max for v in numbers):
            raise self.unsupported(f"enum {node.name or ''} with an enumerator outside int's range", node)
        return self.t.int if any(v < 0 for v in numbers) else self.t.get("unsigned int")

    def enumerator(self, name: str) -> int:
        node = self.p.enumerators[name]
        value = None
        # an enumerator without a value is one more than the previous one in its list
        for parent in walk(self.p.ast):
            if isinstance(parent, c_ast.EnumeratorList) and node in parent.enumerators:
                for e in parent.enumerators:
                    value = self.constant(e.value) if e.value is not None else (0 if value is None else value + 1)
                    if e is node:
                        return value
        raise self.unsupported(f"enumerator '{name}'", node)

    def declare(self, decl: c_ast.Decl, template: Var, is_global: bool = False,
                outermost: bool = False) -> Symbol:
        """A symbol for decl (its IR variable is named like `template`), without initialising it.
        `outermost`: declared in the analysed function's outermost block."""
        t = self.resolve(decl.type)
        if isinstance(t, Scalar):
            return VarSym(Var(template.name, t.c.bv), t.c, outermost or is_global, self.const_qualified(decl.type))
        if isinstance(t, Pointer) and points_to_struct(t):
            if is_global:
                raise self.unsupported(f"global pointer '{decl.name}' to a struct", decl)
            return self.struct_pointer(decl.name, t, decl.init, decl)
        if isinstance(t, Pointer):
            if is_global and decl.init is not None and not self.null_constant(decl.init):
                raise self.unsupported(f"global pointer '{decl.name}' initialised other than with null", decl)
            sym = self.pointer_symbol(decl.name, template, t, decl)
            if is_global:  # declared where the program names it first, which may be inside a loop
                sym.loops = ()
            return sym
        if isinstance(t, Array):
            dims_nodes = []
            inner: CType = t
            while isinstance(inner, Array):
                dims_nodes.append(inner.dim)
                inner = inner.elem
            assert isinstance(inner, Scalar)
            dims: list[Expr] = []
            for i, d in enumerate(dims_nodes):
                if d is None:
                    if i == 0 and len(dims_nodes) == 1 and self.string_initialiser(decl.init):
                        dims.append(const(len(self.characters(decl.init)), self.t.index))  # its terminator too
                        continue
                    if i == 0 and isinstance(decl.init, c_ast.InitList):
                        dims.append(const(len(decl.init.exprs), self.t.index))
                        continue
                    raise self.unsupported(f"array '{decl.name}' without a size", decl)
                try:
                    dims.append(const(self.constant(d), self.t.index))
                except Unsupported:
                    if is_global:
                        raise
                    size = self.expression(d)
                    dim_var = Var(f"{template.name}$size{i}", self.t.index)
                    # A size that is not positive is undefined (C11 6.7.6.2p5: "each time it is
                    # evaluated it shall have a value greater than zero"; gcc's -fsanitize=vla-bound
                    # stops there). GNU's zero-length arrays are constant-size ones (`int a[0]`) only.
                    wide = self.t.get("long long")
                    self.check(compare("gt", self.convert(size, wide), const(0, wide.bv)),
                               "ub", d, f"variable-length array '{decl.name}' with a size that is not positive")
                    self.b.assign(dim_var, cast(self.value(size), self.t.index), self.line(d))
                    dims.append(dim_var)
            return ArraySym(Var(template.name, ArrayType(self.t.index, inner.c.bv)), inner.c, dims,
                            outermost or is_global, self.const_qualified(decl.type))
        if isinstance(t, Other) and isinstance(t.record, c_ast.Struct):
            return self.struct_symbol(template.name, t, outermost or is_global, self.const_qualified(decl.type), decl)
        if isinstance(decl.type, c_ast.ArrayDecl) and isinstance(element := self.resolve(decl.type.type), Other) \
                and isinstance(element.record, c_ast.Struct):  # an array of structs: a struct of arrays
            count = self.constant(decl.type.dim) if decl.type.dim is not None else 0
            if count <= 0:
                raise self.unsupported(f"array of structs '{decl.name}' without a positive constant size", decl)
            return self.struct_symbol(template.name, element, outermost or is_global, self.const_qualified(decl.type),
                                      decl, count)
        raise self.unsupported(f"variable '{decl.name}' of {self.describe(t)}", decl)

    def const_qualified(self, node: c_ast.Node) -> bool:
        """Whether an object declared with the type `node` is const-qualified (an array: its elements),
        through typedefs. Writing one through a pointer that casts the qualifier away is undefined (C11
        6.7.3p6), and gcc does not do what the write says: a const global lives in read-only memory (the
        write faults), and a const local's value is folded at -O2 (the write is not seen)."""
        seen: set[str] = set()
        while True:
            if isinstance(node, c_ast.ArrayDecl):
                node = node.type
            elif isinstance(node, (c_ast.TypeDecl, c_ast.PtrDecl)) and "const" in (node.quals or []):
                return True
            elif (isinstance(node, c_ast.TypeDecl) and isinstance(node.type, c_ast.IdentifierType)
                  and len(node.type.names) == 1 and node.type.names[0] in self.p.typedefs
                  and node.type.names[0] not in seen):
                seen.add(node.type.names[0])
                node = self.p.typedefs[node.type.names[0]]
            else:
                return False

    def initialise(self, sym: Symbol, decl: c_ast.Decl, static: bool) -> None:
        if isinstance(sym, StructSym):
            self.initialise_struct(sym, decl, static)
            return
        if isinstance(sym, StructPtrSym):
            return  # its one object is fixed where it was declared
        line = self.line(decl)
        init = decl.init
        self.full(init)
        if static and init is None and "extern" in (decl.storage or []):
            raise self.unsupported(f"extern variable '{decl.name}' defined elsewhere", decl)
        if isinstance(sym, PtrSym):
            if static:  # a pointer of static storage starts null (C11 6.7.9p10); `declare` refused other values
                self.bind(sym, PtrVal(None, const(0, self.t.index), None, TRUE), decl)
            elif init is None:
                self.uninitialised(sym, line)
            else:
                self.bind(sym, self.pointer(init, sym.pointee), decl)
            return
        if isinstance(sym, VarSym):
            if init is None:
                if static:
                    self.b.assign(sym.var, const(0, sym.var.type), line)
                else:
                    self.b.havoc(sym.var, f"uninitialised '{decl.name}'", line)
                return
            if isinstance(init, c_ast.InitList):
                if len(init.exprs) != 1:
                    raise self.unsupported("scalar initialised with a list", init)
                init = init.exprs[0]
            self.b.assign(sym.var, self.convert(self.expression(init), sym.type), line)
            return
        if init is None and not static:
            self.b.havoc(sym.var, f"uninitialised '{decl.name}'", line)
            return
        array = App("constarray", (const(0, sym.elem.bv),), sym.var.type)
        if self.string_initialiser(init) and len(sym.dims) == 1 and sym.elem.size == 1:
            chars = self.characters(init)
            size = sym.dims[0]
            if not isinstance(size, Const) or size.value < len(chars) - 1:  # C11 6.7.9p2, p14
                raise self.unsupported(f"array '{decl.name}' initialised with a string longer than it", init)
            char = self.c_int("char")
            for i, c in enumerate(chars[:size.value]):  # the terminator where there is room for it
                value = self.convert(CVal(const(c, char.bv), char), sym.elem)
                array = App("store", (array, const(i, self.t.index), value), sym.var.type)
            self.b.assign(sym.var, array, line)
            return
        if init is not None:
            if not isinstance(init, c_ast.InitList) or len(sym.dims) != 1:
                raise self.unsupported("array initialiser other than a flat list", init)
            if any(isinstance(x, c_ast.NamedInitializer) for x in init.exprs):
                raise self.unsupported("designated initialiser", init)
            values = [self.convert(self.expression(x), sym.elem) for x in init.exprs]
            for i, v in enumerate(values):
                array = App("store", (array, const(i, self.t.index), v), sym.var.type)
        self.b.assign(sym.var, array, line)

    @staticmethod
    def string_initialiser(init: c_ast.Node | None) -> bool:
        """`"abc"` (or `{"abc"}`, C11 6.7.9p14) initialising an array."""
        if isinstance(init, c_ast.InitList) and len(init.exprs) == 1:
            init = init.exprs[0]
        return isinstance(init, c_ast.Constant) and init.type == "string"

    def characters(self, init: c_ast.Node) -> list[int]:
        """A string literal's characters (or a string initialiser's: `{"abc"}`), its terminator last;
        an escape the decoder does not know is unsupported, naming the literal."""
        literal = init.exprs[0] if isinstance(init, c_ast.InitList) else init
        try:
            return string_literal(literal.value)
        except ValueError as err:
            raise self.unsupported(f"string literal: {err}", literal) from None

    def constant(self, node: c_ast.Node) -> int:
        """The value of an integer constant expression (array sizes, case labels, enumerators)."""
        snapshot = self.b.snapshot()
        try:
            v = self.expression(node)
            if self.b.changed_since(snapshot):
                raise self.unsupported(f"`{self.text(node)}` is not a constant expression", node)
            return evaluate(self.value(v), {})
        except (KeyError, EvaluationError):
            raise self.unsupported(f"`{self.text(node)}` is not a constant expression", node) from None
        finally:
            self.b.rollback(snapshot)
