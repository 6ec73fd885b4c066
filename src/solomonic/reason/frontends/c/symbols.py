"""What the C frontend knows about types, values and names while it lowers a function."""

from __future__ import annotations

from dataclasses import dataclass

from pycparser import c_ast

from solomonic.reason.frontends.c.types import CInt
from solomonic.reason.ir import FALSE, Expr, Var

# ------------------------------------------------------------------------------------------- C types


@dataclass(frozen=True)
class Scalar:
    c: CInt


@dataclass(frozen=True)
class Void:
    pass


@dataclass(frozen=True)
class Array:
    elem: Scalar | Array
    dim: c_ast.Node | None  # the size expression (None: unspecified, e.g. `int a[] = {...}`)


@dataclass(frozen=True)
class Pointer:
    pointee: CType


@dataclass(frozen=True)
class Other:
    what: str  # struct, floating point, function ...
    record: c_ast.Struct | c_ast.Union | None = None  # a struct or union: its layout answers sizeof, offsetof


@dataclass(frozen=True)
class Layout:
    """Where a struct's or union's members lie, under the data model (System V ABI, as gcc lays them out)."""

    size: int
    align: int
    members: dict[str, tuple[int, CType]]  # name -> (offset in bytes, type)


CType = Scalar | Void | Array | Pointer | Other


def points_to_struct(t: CType) -> bool:
    """Whether `t` is a pointer to a struct (which the lowering models as `StructPtrSym`)."""
    return isinstance(t, Pointer) and isinstance(t.pointee, Other) and isinstance(t.pointee.record, c_ast.Struct)

# ------------------------------------------------------------------------------------ values, names


@dataclass
class CVal:
    expr: Expr  # of the type's bit-vector, or BOOL for the 0/1 result of a comparison or logical operator
    type: CInt


@dataclass
class VarSym:
    var: Var
    type: CInt
    outermost: bool = False  # declared in its function's outermost block: lives as long as the call
    read_only: bool = False  # defined with a const-qualified type: a write through a pointer is undefined
    bits: int | None = None  # a struct's bit-field: its width, which every value it holds fits (structs.py)


@dataclass
class ArraySym:
    var: Var
    elem: CInt
    dims: list[Expr]  # in the index type; row-major
    outermost: bool = False  # as for VarSym (globals count too: they live forever)
    read_only: bool = False  # as for VarSym: elements of a const-qualified type


@dataclass(frozen=True)
class View:
    """An integer object read and written as another integer type of its size, through a pointer of that
    type (`*(unsigned char *) s` over char storage): a read converts the stored value to the view's type,
    a write the view's value to the storage's, conversions that keep the bits (gcc's modular ones). A
    `_Bool` view of other storage holds a valid _Bool only where the byte is 0 or 1 (checked)."""

    place: VarSym | tuple[ArraySym, Expr]
    type: CInt


@dataclass
class StructSym:
    """A struct object as its members, each a variable, an array or a struct of its own (`s$a`, `s$b$c`):
    exact while nothing sees the object's bytes (its address, a union, a copy by memcpy), which the
    lowering refuses. `record` is the struct's definition: a copy needs both sides to have the same."""

    base: str  # the IR name its members' variables extend
    record: c_ast.Struct
    members: dict[str, VarSym | ArraySym | StructSym]
    size: int | None  # in bytes, with padding (the layout's): what sizeof gives; None with bit-fields
    # an array of `count` structs, as a struct of arrays: each scalar member an array of `count` elements,
    # an array member one of `count` rows (its dimensions after the first), a nested struct the same again
    count: int | None = None


@dataclass
class Element:
    """Element `index` of an array of structs (`v[i]`): its members are rows `index` of the arrays."""

    array: StructSym
    index: Expr  # evaluated once, where the element was named; checked against the count where it is used


@dataclass
class Cell:
    """A member of an element of an array of structs: row `index` of `array` (a scalar member's element,
    or an array member's row, which further indices address)."""

    array: ArraySym
    index: Expr


@dataclass
class StructPtrSym:
    """A pointer to a struct that only ever points to one struct object: `target`, fixed where the pointer
    is declared (`struct S *p = &s;`) or bound to a callee's parameter, and never assigned again. So `p->x`
    is `s.x`, read and written as such; a pointer to a struct that could hold anything else (null, another
    object, an address computed) is refused where that happens."""

    name: str
    target: StructSym | Element


# ----------------------------------------------------------------------------------- memory, pointers


@dataclass(eq=False)
class MemObject:
    """Storage a pointer can point into: a variable whose address is taken, an array, or an allocation.

    Pointers are an object fixed at lowering time plus an offset in elements: each pointer variable
    may only ever point into one object, so that a dereference is a plain variable or array access."""

    name: str  # as messages call it: 'x', 'malloc at line 7'
    storage: VarSym | ArraySym
    size: Expr  # in elements, of the index type
    live: Var | None = None  # allocations: 1 until freed
    owner: object | None = None  # a function's local: the frame of the call it lives in
    # a heap allocation in a loop: the innermost loop. Each iteration's object is a new one on the same
    # variables, which is exact where only pointers declared inside that loop hold it (`bind`)
    loop: object | None = None
    # a string literal's characters, its terminator last: its array may share storage with another
    # literal's whose characters it ends with (C11 6.4.5p7)
    literal: tuple[int, ...] | None = None

    @property
    def elem(self) -> CInt:
        return self.storage.type if isinstance(self.storage, VarSym) else self.storage.elem


@dataclass
class PtrVal:
    """A pointer value: null where `null` holds, else `offset` elements into `obj`, read and written
    as `pointee`. The null constant has no object."""

    obj: MemObject | None
    offset: Expr  # of the index type
    pointee: CInt | None  # None: the null constant, which takes any pointer type
    null: Expr = FALSE


@dataclass
class PtrSym:
    """A pointer variable. Its object is bound by the first assignment of a pointer into one that the
    lowering meets (null binds none)."""

    name: str
    base: str  # the IR name its variables extend: `base$offset`, `base$null`, `base$initialised`
    offset: Var
    null: Var  # 1 while it holds the null pointer
    pointee: CInt  # a `void *`'s is unsigned char (pointers.pointee)
    obj: MemObject | None = None
    initialised: Var | None = None  # declared without a value: 1 once assigned
    void: bool = False  # declared `void *`
    loops: tuple = ()  # the loops running where it is declared (MemObject.loop)


@dataclass
class Allocation:
    """`malloc(n)`, `calloc(k, n)` or `alloca(n)` before the pointer type that gives it elements is known."""

    function: str
    size_bytes: Expr  # of size_t
    node: c_ast.Node
    zeroed: bool
    heap: bool  # freed by free(), not at the function's return


Symbol = VarSym | ArraySym | PtrSym | StructSym | StructPtrSym  # what a name in scope stands for
