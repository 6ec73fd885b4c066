"""Functions defined inside a function (`def` in a body) that do not escape: only called, never read as
a value (returned, stored, passed on), never decorated, without `nonlocal`.

Such a function is inlined at each call like a function of the module. Its free variables are the
enclosing function's locals as they are at the call (Python's closures read a cell when they run, not
when the `def` runs), read from the enclosing function's frame, which is still on the stack: a nested
function that does not escape can only be called while its definer runs. A call before the `def` has
run raises UnboundLocalError (NameError from a nested function), a free variable read before the
enclosing function assigns it raises NameError; both are events where they can happen.

Separate from calls: this is the part that knows scopes (which frame a name belongs to) and which
nested definitions are modelled; calls.py only inlines what it resolves to.
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.expressions import nested_defs
from solomonic.reason.frontends.python.module import own_nodes, scope_bindings
from solomonic.reason.frontends.python.state import Frame
from solomonic.reason.frontends.python.tuples import TupleLowering
from solomonic.reason.ir import BOOL, TRUE, Var


class NestedLowering(TupleLowering):
    """`def` statements inside functions, and the resolution of a called local name to one of them."""

    def define_nested(self, s: ast.FunctionDef) -> None:
        """A `def` statement: it binds the name (no value the IR keeps: the function is inlined at its
        calls); its decorators, defaults and annotations would run now, so only inert ones are modelled."""
        self.check_nested(self.frame, s.name, s)
        self.frame.assigned.add(s.name)
        if self.frame.prefix + s.name in self.flagged:
            self.b.assign(Var(self.frame.prefix + s.name + "$bound", BOOL), TRUE, s.lineno)

    def nested_function(self, name: str, node: ast.AST) -> tuple[ast.FunctionDef, Frame] | None:
        """The nested function a called name means, and the frame of the function that defines it; None
        where the name is not a local of the current function or one enclosing it. Raises Unsupported
        where it is such a local but not a nested function the lowering models."""
        owner = self.frame if self.is_local(name) else self.closure_frame(name)
        if owner is None:
            return None
        if name not in nested_defs(owner.fn):
            raise self.unsupported(f"call to `{name}`, a local variable (only functions defined by `def` in the "
                                   "function are called)", node)
        fn = self.check_nested(owner, name, node)
        if any(f.fn is fn for f in self.frames):
            raise self.unsupported(f"the nested function `{name}` calls itself (recursion through a nested "
                                   "function)", node)
        self.check_bound(owner, name, node)  # the `def` has run
        return fn, owner

    def check_nested(self, owner: Frame, name: str, node: ast.AST) -> ast.FunctionDef:
        """Refuse a nested function whose definition or use the inlining would not model exactly."""
        defs = nested_defs(owner.fn).get(name, [])
        fn = defs[0] if defs else None
        if fn is None or len(defs) > 1 or scope_bindings(owner.fn.body)[name] != 1 or name in _parameters(owner.fn):
            raise self.unsupported(f"the nested function `{name}`, a name bound more than once in "
                                   f"`{owner.fn.name}`", node)
        if owner.procedure:
            raise self.unsupported(f"the nested function `{name}` inside the recursive function "
                                   f"`{owner.fn.name}`", node)
        if fn.decorator_list:
            raise self.unsupported(f"the nested function `{name}`, decorated with "
                                   f"@{ast.unparse(fn.decorator_list[0])}", node)
        for n in ast.walk(fn):
            if isinstance(n, (ast.Nonlocal, ast.Global)):
                word = "nonlocal" if isinstance(n, ast.Nonlocal) else "global"
                raise self.unsupported(f"`{word} {', '.join(n.names)}` in the nested function `{name}` (it writes "
                                       "variables of other scopes)", n)
        if any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in own_nodes(fn)):
            raise self.unsupported(f"`{name}`, a generator function (it yields)", node)
        called = {id(n.func) for n in ast.walk(owner.fn) if isinstance(n, ast.Call)}
        for use in ast.walk(owner.fn):
            if isinstance(use, ast.Name) and use.id == name and id(use) not in called:
                raise self.unsupported(f"the nested function `{name}` used other than called (it escapes: "
                                       "returned, stored or passed on)", use)
        args = fn.args
        for d in [*args.defaults, *(d for d in args.kw_defaults if d is not None)]:
            if not _literal(d):
                raise self.unsupported(f"a default of the nested function `{name}` other than a literal (it is "
                                       "evaluated when the `def` runs)", d)
        annotations = [a.annotation for a in [*args.posonlyargs, *args.args, *args.kwonlyargs] if a.annotation]
        for a in [*annotations, *([fn.returns] if fn.returns else [])]:
            if not (isinstance(a, ast.Constant) and isinstance(a.value, str)) and not (
                    isinstance(a, ast.Name) and a.id in ("int", "bool") and self.is_builtin(a.id)
                    and a.id not in self.locals_in(owner.fn)):
                raise self.unsupported(f"the annotation `{ast.unparse(a)}` of the nested function `{name}` (it is "
                                       "evaluated when the `def` runs)", a)
        return fn


def _parameters(fn: ast.FunctionDef) -> set[str]:
    a = fn.args
    return {p.arg for p in [*a.posonlyargs, *a.args, *a.kwonlyargs, *(x for x in (a.vararg, a.kwarg) if x)]}


def _literal(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        node = node.operand
    return isinstance(node, ast.Constant) and type(node.value) in (int, bool)
