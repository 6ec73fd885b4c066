"""Python frontend: a module's functions, over unbounded ints and bools, lowered to the IR.

Supported: int and bool parameters (annotations or leading `assert isinstance(...)`), `+ - * // % **`
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
from solomonic.reason.frontends.python.state import Frame, PyValue
from solomonic.reason.ir import BOOL, FALSE, INT, TRUE, Function, Input, Var, compare, conj, const

__all__ = ["lower_python", "parse_python", "returns_value"]  # the front end's interface (api.py)


def lower_python(module: PythonModule, name: str) -> Function:
    fn = module.functions[name]
    # First pass: find the locals that may be read before they are assigned; the second pass gives
    # exactly those a flag, so that UnboundLocalError is modelled only where it can happen.
    probe = _Lowering(module, fn, flagged=set())
    probe.lower_entry()
    lowering = _Lowering(module, fn, flagged=probe.maybe_unbound)
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
                        procedures=self.procedures)

    def declare_parameters(self, fn: ast.FunctionDef) -> list[Input]:
        args = fn.args
        if args.vararg or args.kwarg or args.kwonlyargs or args.posonlyargs:
            raise self.unsupported("*args, **kwargs and keyword-only or positional-only parameters", fn)
        for stmt in _leading_asserts(fn):
            for call in _isinstance_calls(stmt.test):
                target, kinds = call
                self.declared.setdefault(target, kinds)
        inputs = []
        for a in args.args:
            kind = None
            if a.annotation is not None:
                kind = _annotation_kind(a.annotation)
                if kind is None:
                    raise self.unsupported(f"parameter '{a.arg}' of type {ast.unparse(a.annotation)}", a)
            kind = kind or self.declared.get(a.arg)
            if kind is None:
                raise self.unsupported(
                    f"parameter '{a.arg}' without a type (annotate it as int or bool, or assert isinstance)", a)
            self.declared[a.arg] = kind
            var = self.local(a.arg)
            self.frame.assigned.add(a.arg)
            inputs.append(Input(var, a.arg, kind))
            if kind == "bool":
                self.b.assume(conj(compare("ge", var, const(0, INT)), compare("le", var, const(1, INT))),
                              fn.lineno)
        return inputs


# ------------------------------------------------------------------------------------------- AST queries


def _annotation_kind(annotation: ast.expr) -> str | None:
    if isinstance(annotation, ast.Name) and annotation.id in ("int", "bool"):
        return annotation.id
    if isinstance(annotation, ast.Constant) and annotation.value in ("int", "bool"):
        return annotation.value
    return None


def _leading_asserts(fn: ast.FunctionDef) -> list[ast.Assert]:
    out = []
    for s in fn.body:
        if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant):
            continue  # docstring
        if not isinstance(s, ast.Assert):
            break
        out.append(s)
    return out


def _isinstance_calls(test: ast.expr) -> list[tuple[str, str]]:
    """`isinstance(x, int) and isinstance(y, bool)` -> [("x", "int"), ("y", "bool")]."""
    parts = test.values if isinstance(test, ast.BoolOp) and isinstance(test.op, ast.And) else [test]
    out = []
    for p in parts:
        if (isinstance(p, ast.Call) and isinstance(p.func, ast.Name) and p.func.id == "isinstance"
                and len(p.args) == 2 and isinstance(p.args[0], ast.Name)):
            kind = _annotation_kind(p.args[1])
            if kind is not None:
                out.append((p.args[0].id, kind))
    return out


def _last_line(fn: ast.FunctionDef) -> int:
    return getattr(fn, "end_lineno", None) or fn.lineno
