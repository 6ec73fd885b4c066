"""C frontend: gcc's preprocessor, pycparser, and a lowering to the IR with C's exact integer semantics.

Integer types are bit-vectors under the data model; promotions and the usual arithmetic conversions
follow C11 as gcc implements it (plain char signed, out-of-range conversions to signed types wrap).
Undefined behaviour becomes explicit events: signed overflow ("overflow"); division by zero, bad shift
amounts, left shifts of negative values, out-of-bounds array indices and non-positive VLA sizes ("ub").
SV-COMP conventions are built in (`__VERIFIER_nondet_*`, `__VERIFIER_assume`, `__VERIFIER_assert`,
`reach_error`, `abort`, `exit`). Calls are inlined, except calls into recursion (procedures); pointers
are objects fixed at lowering time plus an offset (see `pointers.py`). Structs, floats and calls to
functions without a body raise `Unsupported` with the construct and line.

This module ties the parts together: `parse.py` reads the file into a `CProgram`; the lowering of one
function is `LoweringState` (state.py) with the mixins for declarations, expressions, statements, calls
and pointers, which call one another; `lower` here lowers the analysed function's body and its globals.
"""

from __future__ import annotations

from pycparser import c_ast

from solomonic.reason.frontends.c.calls import CallLowering
from solomonic.reason.frontends.c.declarations import DeclarationLowering
from solomonic.reason.frontends.c.expressions import ExpressionLowering
from solomonic.reason.frontends.c.parse import CProgram, parse_c
from solomonic.reason.frontends.c.pointers import PointerLowering
from solomonic.reason.frontends.c.preprocess import walk
from solomonic.reason.frontends.c.state import Frame
from solomonic.reason.frontends.c.statements import StatementLowering
from solomonic.reason.frontends.c.structs import StructLowering
from solomonic.reason.frontends.c.symbols import (
    CVal,
    Other,
    PtrSym,
    Scalar,
    StructSym,
    VarSym,
    Void,
    points_to_struct,
)
from solomonic.reason.frontends.nesting import too_deep
from solomonic.reason.ir import Edge, Event, Function, Input, Unsupported, Var, compare, const

__all__ = ["lower_c", "parse_c"]  # the front end's entry points (api and svcomp import both from here)


def lower_c(program: CProgram, name: str, prop: str = "assert") -> Function:
    """The function `name` in the IR, lowered for the property `prop` (which decides only what a call to
    a program's own `reach_error` means: calls.py); nesting deeper than the lowering's recursion follows
    is unsupported at its deepest point (nesting.py)."""
    try:
        return _Lowering(program, name, prop).lower()
    except RecursionError:
        raise too_deep(program.path, program.functions[name], lambda node: (c for _, c in node.children()),
                       lambda node: node.coord.line if node.coord is not None else None) from None


class _Lowering(CallLowering, StatementLowering, ExpressionLowering, DeclarationLowering,
                PointerLowering, StructLowering):
    def lower(self) -> Function:
        if self.p.taint.everywhere:
            found = self.p.taint.everywhere[0]
            raise Unsupported(f"{found.construct} is not modelled (it affects every function)", found.file,
                              found.line)
        self.refuse_library_definition(self.name, self.fdef)
        self.enter_function(self.name, self.fdef)
        fdecl = self.fdef.decl.type
        frame = Frame(self.name, "", [{}], self.resolve(fdecl.type))
        self.frames.append(frame)
        inputs = []
        for param in self.parameters(fdecl):
            # a global's variable is named as in the source: a parameter that hides one must not share it
            base = param.name if param.name not in self.p.globals else f"{param.name}#parameter"
            if not any(isinstance(n, c_ast.ID) and n.name == param.name for n in walk(self.fdef.body)):
                unused = self.unused_parameter(param, base)
                if unused is not None:
                    inputs.append(unused)
                    continue
            resolved = self.resolve(param.type)
            if points_to_struct(resolved) or (isinstance(resolved, Other) and isinstance(resolved.record, c_ast.Struct)):
                inputs += self.struct_parameter(param, resolved, base)
                continue
            ptype = self.parameter_pointer(param)
            if ptype is not None:
                inputs += self.pointer_parameter(param, ptype, base)
                continue
            ctype = self.scalar(param.type, f"parameter '{param.name}'", param)
            var = Var(base, ctype.bv)
            frame.scopes[-1][param.name] = VarSym(var, ctype)
            inputs.append(Input(var, param.name, ctype.name))
            if ctype.name == "_Bool":
                self.b.assume(compare("le", var, const(1, ctype.bv)), self.line(param))
            if self.name == "main" and len(inputs) == 1:  # argc: "nonnegative" (C11 5.1.2.2.1p2)
                self.b.assume(compare("ge", var, const(0, ctype.bv)), self.line(param))
        rtype = frame.return_type
        returns_value = not isinstance(rtype, Void)
        if isinstance(rtype, Other) and isinstance(rtype.record, c_ast.Struct) and not self.returns_asked:
            # a struct result: set by each return statement, asked about by no property (returns-true's
            # question is about a number); it is the harness that discards it
            frame.struct_result = self.struct_symbol("$return", rtype, True, False, self.fdef)
            frame.returned = Var("$returned", self.t.int.bv)
            returns_value = False
        elif returns_value:
            if not isinstance(rtype, Scalar):
                raise self.unsupported(f"return type {self.describe(rtype)}", self.fdef)
            frame.result = Var("$return", rtype.c.bv)
        self.statement(self.fdef.body)
        if self.b.current is not None:
            self.finish(None, self.fdef.body)
        if self.name == "main":
            self.initialise_globals()
        else:
            for n in self.global_order:
                sym = self.globals[n]
                if any(i.display == n for i in inputs):  # a witness names its inputs by source name
                    raise self.unsupported(f"parameter '{n}' hides the global '{n}', which a callee reads",
                                           self.fdef)
                if isinstance(sym, VarSym):
                    inputs.append(Input(sym.var, n, sym.type.name, kind="global"))
                else:
                    kind = "pointer" if isinstance(sym, PtrSym) else "struct" if isinstance(sym, StructSym) else "array"
                    raise self.unsupported(f"global {kind} '{n}' "
                                           "used by a function other than main", self.fdef)
        # the program's own error functions whose calls are the property's failures (calls.call): the
        # replay watches for them, their bodies (`void reach_error() {}`) showing nothing
        watched = sorted(n for n in ("reach_error", "__VERIFIER_error") if n in self.p.functions) \
            if self.error_calls_fail else []
        context = {"nondet_functions": self.p.nondet_functions, "defined_functions": sorted(self.p.functions),
                   "include_dirs": list(self.p.include_dirs), "defines": list(self.p.defines),
                   "watched_errors": watched}
        return Function(self.name, "c", self.p.path, self.line(self.fdef), inputs, self.b.cfg, returns_value,
                        data_model=self.t.data_model, data_model_dependent=self.model_dependent,
                        replay_context=context, procedures=self.procedures, assumptions=tuple(self.assumptions))


    def finish(self, value: CVal | None, node: c_ast.Node) -> None:
        """Leave the function being lowered (return statement or the end of its body)."""
        frame = self.frame
        line = self.line(node)
        if frame.result is not None:
            rtype = frame.return_type.c  # type: ignore[union-attr]
            if value is None and frame.function == "main":
                value = CVal(const(0, self.t.int.bv), self.t.int)  # C99 5.1.2.2.3: main returns 0
            if value is not None:
                self.b.assign(frame.result, self.convert(value, rtype), line)
            elif frame.value_used or frame.procedure or len(self.frames) == 1:
                # C11 6.9.1p12: the caller reading the value of a function that ended without one is
                # undefined (the analysed function's value is its caller's: the property's, the replay's)
                self.b.end(self.event("ub", node, f"`{frame.function}` ends without returning a value, "
                                                  "which its caller reads (undefined, C11 6.9.1p12)"))
                return
            else:  # an expression statement's call: the value is never read
                self.b.assign(frame.result, const(0, rtype.bv), line)
        if frame.procedure:
            self.b.end(Event("return", line, f"{frame.function}() returns"))
            return
        if len(self.frames) > 1:
            self.b.jump(frame.join, line)
            return
        if frame.result is None:
            self.b.end(Event("return", line, "returns"))
            return
        yes, no = self.b.branch(compare("ne", frame.result, const(0, frame.result.type)), line)
        if yes is not None:
            self.b.place(yes)
            self.b.end(Event("return", line, "returns a non-zero value"))
        if no is not None:
            self.b.place(no)
            self.b.end(Event("return-false", line, "returns 0"))

    def initialise_globals(self) -> None:
        """main starts with the globals it uses at their initial values (prepended to the graph)."""
        saved = self.b.current
        first = self.b.cfg.edges[0]
        start = self.b.location(first.line)
        self.b.place(start)
        for n in self.global_order:
            self.initialise(self.globals[n], self.p.globals[n], static=True)
        self.b.jump(first.dst, first.line)
        self.b.cfg.edges[0] = Edge(first.src, start, None, first.line)
        self.b.current = saved
