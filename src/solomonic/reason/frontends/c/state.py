"""What every part of the C lowering shares: the program, the CFG builder, the frames of the functions
being inlined, the globals and memory objects met so far, and the helpers that report where a
construct is refused. The parts (declarations, expressions, statements, calls) are mixins over it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pycparser import c_ast

from solomonic.reason.frontends.c.callgraph import impure_functions, reading_functions, recursive_functions
from solomonic.reason.frontends.c.library import DEFINITIONS
from solomonic.reason.frontends.c.parse import CProgram, Generator
from solomonic.reason.frontends.c.preprocess import Unmodelled, walk
from solomonic.reason.frontends.c.sequencing import addressed
from solomonic.reason.frontends.c.symbols import (
    Allocation,
    ArraySym,
    Cell,
    CType,
    CVal,
    Element,
    Layout,
    MemObject,
    Other,
    Pointer,
    PtrSym,
    PtrVal,
    StructPtrSym,
    StructSym,
    Symbol,
    VarSym,
    View,
)
from solomonic.reason.frontends.c.types import MODEL_DEPENDENT, CInt
from solomonic.reason.frontends.cfg import Builder, Loop
from solomonic.reason.ir import Event, Expr, Input, PointerParameter, Procedure, Unsupported, Var


@dataclass
class Frame:
    function: str
    prefix: str
    scopes: list[dict[str, Symbol]]
    return_type: CType
    result: Var | None = None
    join: int | None = None
    loops: list[Loop] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    switch_cases: list[dict[int, int]] = field(default_factory=list)
    procedure: bool = False  # the body of a function on a recursive cycle, lowered on its own
    repeating: int = 0  # depth of a loop's condition or step being lowered: they run at every pass too
    pointer_result: PtrSym | None = None  # an inlined function that returns a pointer
    struct_result: StructSym | None = None  # an inlined function that returns a struct: the object returned
    returned: Var | None = None  # with a struct result: 1 once a return statement has set it
    value_used: bool = True  # the caller reads the result (not an expression statement's call)


class LoweringState:
    def __init__(self, program: CProgram, name: str, prop: str = "assert"):
        self.p = program
        self.t = program.types
        self.name = name
        # Under `assert` (SV-COMP's unreach-call) a call to `reach_error` or its kin is the violation
        # itself, whatever its body; under the other properties a body the program gives it runs as written.
        self.error_calls_fail = prop == "assert"
        self.returns_asked = prop == "returns-true"  # the question is what the analysed function returns
        self.fdef = program.functions[name]
        self.b = Builder(self.line(self.fdef))
        self.frames: list[Frame] = []
        self.call_sites: list[tuple[str, c_ast.Node]] = []  # inlined calls, outermost first
        self.globals: dict[str, Symbol] = {}
        self.global_order: list[str] = []
        self.calls = 0
        self.discarded_call: c_ast.Node | None = None  # the call an expression statement makes, its value unread
        self.model_dependent = False
        # what the answers rest on beyond the source, said in every output format (Function.assumptions)
        self.assumptions: list[str] = []
        self.gen = Generator()
        self.recursive = recursive_functions(program)
        self.procedures: dict[str, Procedure] = {}
        # a recursive procedure's pointer parameters, each pointing into an object of the procedure's own,
        # with the parameters that pass it (calls.procedure)
        self.pointer_parameters: dict[str, dict[str, tuple[PtrSym, PointerParameter]]] = {}
        self.struct_wanted: c_ast.Node | None = None  # the call whose struct result `structs.struct_call` reads
        self.struct_results: dict[int, StructSym] = {}  # id of a call to a function returning a struct -> its result
        self.objects: dict[int, MemObject] = {}  # id of a variable's symbol -> the object its address names
        self.allocations = 0
        # functions with a `goto`, which may jump back over an allocation site and run it again
        self.with_goto = {name for name, f in program.functions.items() if any(isinstance(n, c_ast.Goto) for n in walk(f.body))}
        # a modelled library call (library.py) reads or writes through its pointers: never reordered
        self.impure = impure_functions(program) | set(DEFINITIONS)
        self.readers = reading_functions(program)  # calls that read what an impure one may write
        self.addressed = addressed(program.ast)  # the variables a pointer may reach (sequencing.py)
        # enumerators declared inside a function: they hide variables of the same name in their block,
        # which name lookup does not follow (declarations.lookup refuses such a name)
        self.block_enumerators = {n.name for f in program.functions.values() for n in walk(f.body)
                                  if isinstance(n, c_ast.Enumerator)}
        # where each file-scope item is, and the first one that gives a function a prototype (its
        # definition, or a declaration with a parameter list): a call before it passes promoted arguments
        self.position = {id(node): k for k, node in enumerate(program.ast.ext)}
        self.prototype_at: dict[str, int] = {}
        for k, node in enumerate(program.ast.ext):
            decl = node.decl if isinstance(node, c_ast.FuncDef) else node
            if isinstance(decl, c_ast.Decl) and isinstance(decl.type, c_ast.FuncDecl) and \
                    (decl.type.args is not None or isinstance(node, c_ast.FuncDef)):
                self.prototype_at.setdefault(decl.name, k)

    # --------------------------------------------------------------------------------------- helpers

    def line(self, node: c_ast.Node | None) -> int:
        return node.coord.line if node is not None and node.coord is not None else 0

    def unsupported(self, what: str, node: c_ast.Node | None) -> Unsupported:
        return Unsupported(what, self.p.path, self.line(node) or self.line(self.fdef))

    def refuse_tainted(self, found: Unmodelled | None, declaration: str) -> None:
        """Stop at a declaration that holds a construct the lowering does not model (see `preprocess.py`)."""
        if found is not None:
            raise Unsupported(f"{found.construct} is not modelled ({declaration})", found.file, found.line)

    def enter_function(self, name: str, fdef: c_ast.FuncDef) -> None:
        """Checks every function body must pass before it is lowered (analysed, inlined or called)."""
        self.refuse_tainted(self.p.taint.names.get(name), f"in `{name}`")
        if "_Noreturn" in (fdef.decl.funcspec or []):
            raise self.unsupported(f"_Noreturn function `{name}` (returning from it is undefined)", fdef)

    def text(self, node: c_ast.Node) -> str:
        return " ".join(self.gen.visit(node).split())

    def event(self, kind: str, node: c_ast.Node, message: str) -> Event:
        """An event at node; assertion failures inside inlined helpers (`__VERIFIER_assert`) are
        attributed to the call in the analysed function."""
        if self.call_sites and kind == "assert":
            _, call = self.call_sites[0]
            return Event(kind, self.line(call), f"`{self.text(call)}` fails ({message})")
        where = f" in {self.frames[-1].function}()" if self.frames[-1].function != self.name else ""
        return Event(kind, self.line(node), message + where)

    @property
    def frame(self) -> Frame:
        return self.frames[-1]

    def c_int(self, name: str) -> CInt:
        if name in MODEL_DEPENDENT:
            self.model_dependent = True
        return self.t.get(name)

    def check(self, ok: Expr, kind: str, node: c_ast.Node, message: str) -> None:
        self.b.fail_unless(ok, self.event(kind, node, message))

    if TYPE_CHECKING:
        # What the parts call across one another, declared here with the signatures of their definitions
        # so that each mixin is type-checked against the others (nothing of this exists at run time).

        # declarations.py
        def resolve(self, node: c_ast.Node) -> CType: ...
        def characters(self, init: c_ast.Node) -> list[int]: ...
        def scalar(self, node: c_ast.Node, what: str, at: c_ast.Node) -> CInt: ...
        def describe(self, t: CType) -> str: ...
        def sizeof(self, t: CType, at: c_ast.Node) -> int: ...
        def offsetof(self, e: c_ast.FuncCall) -> CVal: ...
        def alignment(self, t: CType, at: c_ast.Node) -> int: ...
        def parameters(self, fdecl: c_ast.FuncDecl) -> list[c_ast.Decl]: ...
        def lookup(self, name: str, node: c_ast.Node) -> Symbol | CVal: ...
        def declare(self, decl: c_ast.Decl, template: Var, is_global: bool = False,
                    outermost: bool = False) -> Symbol: ...
        def initialise(self, sym: Symbol, decl: c_ast.Decl, static: bool) -> None: ...
        def constant(self, node: c_ast.Node) -> int: ...

        def layout(self, record: c_ast.Struct | c_ast.Union, at: c_ast.Node) -> Layout: ...
        def definition(self, record: c_ast.Struct | c_ast.Union, at: c_ast.Node) -> c_ast.Struct | c_ast.Union: ...
        def const_qualified(self, node: c_ast.Node) -> bool: ...

        # structs.py
        def struct_symbol(self, base: str, t: Other, global_or_outermost: bool, read_only: bool,
                          at: c_ast.Node, count: int | None = None) -> StructSym: ...
        def member(self, e: c_ast.StructRef) -> VarSym | ArraySym | StructSym | Element | Cell: ...
        def struct_object(self, e: c_ast.Node) -> StructSym | Element: ...
        def names_struct(self, e: c_ast.Node) -> bool: ...
        def struct_parameter(self, param: c_ast.Decl, t: CType, base: str) -> list[Input]: ...
        def pointed_struct(self, e: c_ast.Node) -> StructSym | Element: ...
        def struct_pointer(self, name: str, t: CType, value: c_ast.Node | None, at: c_ast.Node) -> StructPtrSym: ...
        def copy_struct(self, target: StructSym | Element, source_node: c_ast.Node, node: c_ast.Node) -> None: ...
        def flatten(self, sym: ArraySym, indices: list[Expr | c_ast.Node], e: c_ast.Node) -> Expr: ...
        def initialise_struct(self, sym: StructSym, decl: c_ast.Decl, static: bool) -> None: ...
        def return_struct(self, s: c_ast.Return) -> None: ...

        # expressions.py
        def value(self, v: CVal) -> Expr: ...
        def convert(self, v: CVal, target: CInt) -> Expr: ...
        def to(self, v: CVal, target: CInt) -> CVal: ...
        def promoted(self, v: CVal) -> CVal: ...
        def full(self, node: c_ast.Node | None) -> None: ...
        def effect(self, e: c_ast.Node) -> None: ...
        def truth(self, e: c_ast.Node) -> Expr: ...
        def expression(self, e: c_ast.Node) -> CVal: ...
        def to_index(self, v: CVal) -> Expr: ...
        def read(self, target, node: c_ast.Node | None = None) -> CVal: ...
        def narrowed(self, value: Expr, sym: VarSym) -> Expr: ...

        # statements.py
        def statement(self, s: c_ast.Node) -> None: ...
        def block(self, s: c_ast.Compound) -> None: ...

        # calls.py
        def call(self, e: c_ast.FuncCall) -> CVal: ...

        # pointers.py
        def points(self, e: c_ast.Node) -> bool: ...
        def pointee(self, ptype: Pointer, what: str, node: c_ast.Node) -> CInt: ...
        def pointee_type(self, e: c_ast.Node) -> CInt | None: ...
        def pointer(self, e: c_ast.Node, pointee: CInt | None = None) -> PtrVal: ...
        def pointer_or_allocation(self, e: c_ast.Node) -> PtrVal | Allocation: ...
        def held(self, sym: PtrSym) -> PtrVal: ...
        def null_constant(self, e: c_ast.Node) -> bool: ...
        def bind(self, sym: PtrSym, value: PtrVal, node: c_ast.Node) -> None: ...
        def step(self, p: PtrVal, n: CVal, op: str, node: c_ast.Node) -> PtrVal: ...
        def compare_pointers(self, op: str, e: c_ast.BinaryOp) -> CVal: ...
        def difference(self, e: c_ast.BinaryOp) -> CVal: ...
        def deref(self, p: PtrVal, node: c_ast.Node,
                  writes: bool = False) -> VarSym | tuple[ArraySym, Expr] | View: ...
        def read_through(self, p: PtrVal, node: c_ast.Node) -> CVal: ...
        def free(self, e: c_ast.FuncCall) -> None: ...
        def pointer_symbol(self, name: str, template: Var, ptype: Pointer, node: c_ast.Node) -> PtrSym: ...
        def loops_running(self) -> tuple: ...
        def uninitialised(self, sym: PtrSym, line: int) -> None: ...

        # lower.py
        def finish(self, value: CVal | None, node: c_ast.Node) -> None: ...
