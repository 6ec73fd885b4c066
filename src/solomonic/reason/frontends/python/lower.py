"""Python frontend: a module's functions, over unbounded ints and bools, lowered to the IR.

Supported: int and bool parameters (declared, given, or assumed int where unannotated: see
parameters.py), `+ - * // % **`
(constant exponent), `abs min max`, comparisons (chained), `and or not`, conditional expressions,
`if/elif/else`, `while` and `for ... in range(...)` (with `else`), `break/continue/return/pass`,
`assert`, `raise`, `assume(...)` from `solomonic.reason`, module-level constants, and calls to other
functions of the module (inlined). Everything else raises `Unsupported` naming the construct and line.

Names mean what they mean after the module is imported: a constant is a name bound once, by one
top-level assignment; a call runs the module's function only if nothing else binds its name and it is
neither decorated nor a generator; a builtin is one the module does not shadow; a function's locals are
every name its body binds, reachable or not.

Every variable is an unbounded integer in the IR (bools as 0/1, so truthiness and arithmetic agree with
Python). The exceptions the subset can raise are explicit events: AssertionError, ZeroDivisionError,
UnboundLocalError, ValueError from `range` with step 0, and explicit `raise`.
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.calls import CallLowering
from solomonic.reason.frontends.python.module import PythonModule, parse_python, returns_value
from solomonic.reason.frontends.python.parameters import ParameterError, parameter_kinds
from solomonic.reason.frontends.python.state import Frame, PyValue
from solomonic.reason.ir import (
    BOOL,
    FALSE,
    INT,
    TRUE,
    Function,
    Input,
    Unsupported,
    Var,
    compare,
    conj,
    const,
)

__all__ = ["lower_python", "parse_python", "returns_value"]  # the front end's interface (api.py)


def lower_python(module: PythonModule, name: str, param_types: dict[str, str] | None = None) -> Function:
    """The function `name` of the module in the IR; `param_types` gives parameters their types by name,
    before their declarations (see parameters.py)."""
    if name in module.methods:
        raise Unsupported(f"method `{name}`: methods of classes are not modelled yet", module.path,
                          module.function_line(name))
    if name in module.coroutines:
        raise Unsupported(f"`async def {name}`: coroutine functions are not modelled", module.path,
                          module.function_line(name))
    fn = module.functions[name]
    # First pass: find the locals that may be read before they are assigned; the second pass gives
    # exactly those a flag, so that UnboundLocalError is modelled only where it can happen.
    probe = _Lowering(module, fn, flagged=set(), param_types=param_types)
    probe.lower_entry()
    lowering = _Lowering(module, fn, flagged=probe.maybe_unbound, param_types=param_types)
    return lowering.lower_entry()


class _Lowering(CallLowering):
    """The lowering of the entry function: its parameters, its body, and how it ends."""

    def lower_entry(self) -> Function:
        fn = self.fn
        self.ordinary(fn, fn)
        frame = Frame(fn, "", {}, set())
        self.frames.append(frame)
        inputs = self.declare_parameters(fn)
        frame.result = Var("$return", INT)
        frame.result_none = Var("$return_none", BOOL)
        for flag in sorted(self.flagged):
            if "." not in flag:
                self.b.assign(Var(flag + "$bound", BOOL), FALSE, fn.lineno)
        self.body(fn.body)
        if self.b.current is not None:
            self.finish_return(PyValue(const(0, INT), TRUE), _last_line(fn))
        return Function(fn.name, "python", self.module.path, fn.lineno, inputs, self.b.cfg, returns_value(fn),
                        procedures=self.procedures, assumptions=self.assumptions)

    def declare_parameters(self, fn: ast.FunctionDef) -> list[Input]:
        args = fn.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
            raise self.unsupported("*args, **kwargs and keyword-only or positional-only parameters", fn)
        try:
            kinds = parameter_kinds(fn, self.param_types)
        except ParameterError as err:
            raise self.unsupported(err.message, err.node) from None
        inputs = []
        for a in args.args:
            kind = kinds[a.arg].kind
            self.declared[a.arg] = kind
            var = self.local(a.arg)
            self.frame.assigned.add(a.arg)
            inputs.append(Input(var, a.arg, kind))
            if kind == "bool":
                self.b.assume(conj(compare("ge", var, const(0, INT)), compare("le", var, const(1, INT))),
                              fn.lineno)
        self.assumptions = tuple(f"{name}: {k.kind}" for name, k in kinds.items() if k.source == "assumed")
        return inputs


# ------------------------------------------------------------------------------------------- AST queries


def _last_line(fn: ast.FunctionDef) -> int:
    return getattr(fn, "end_lineno", None) or fn.lineno
