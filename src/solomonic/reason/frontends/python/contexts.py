"""`with` statements as PEP 343 runs them: the context expression is evaluated, its manager's
`__enter__` runs (and may raise, before anything is guarded), its result goes to the `as` target, and the
body runs under the manager's `__exit__`, which runs where the body falls through (and may raise), and
where an exception leaves it: then it may raise, suppress the exception (the statement is done, and
what follows it runs) or let it go on outwards. The manager is a value of unknown type, so `__enter__`
and `__exit__` are operations on one: they return (or raise) as the answer's assumption says, and
whether `__exit__` suppresses an exception is either way (both are laid out).

`with A as a, B as b:` is `with A as a:` around `with B as b:`, as in Python.

A `return` inside runs the exit after its value is computed (returns.py). Refused: a `break` or
`continue` that leaves a `with` (the exit would run between it and its target), a context expression whose value the model keeps (an int, None, a list: no context manager),
and `async with`.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from solomonic.reason.frontends.python.handlers import TryLowering, jump_keyword, leaves
from solomonic.reason.frontends.python.state import _code
from solomonic.reason.ir import BOOL


class WithLowering(TryLowering):
    """`with` statements, each item a region its manager's exit cleans up after (handlers.cleaned_up)."""

    def with_statement(self, s: ast.With) -> None:
        leaving = leaves(s.body)
        if leaving is not None:
            raise self.unsupported(f"`{jump_keyword(leaving)}` out of a `with` (the context manager's exit would "
                                   "run before it reaches its target)", leaving)
        self.with_items(s, s.items)

    def with_items(self, s: ast.With, items: list[ast.withitem]) -> None:
        if not items:
            self.body(s.body)
            return
        item, rest = items[0], items[1:]
        context = item.context_expr
        manager = self.expression(context, allow_none=True)
        if not manager.opaque:
            raise self.unsupported(f"`with {_code(context)}`, a value that is no context manager (an int, None or "
                                   "a list)", context)
        entered = self.unknown(context, f"the `__enter__` of `{_code(context)}`")
        target = item.optional_vars

        def region() -> None:
            if target is not None:
                self.assign_target(target, entered)
            self.with_items(s, rest)

        def on_return() -> None:  # __exit__(None, None, None): it may raise; what it returns is not used
            self.unknown(context, f"the `__exit__` of `{_code(context)}`")

        self.cleaned_up(s, "`with`", region, self.manager_exit(context), on_return)

    def manager_exit(self, context: ast.expr) -> Callable[[bool, Callable[[], None]], None]:
        """The manager's `__exit__`: it may raise; with an exception, it may return true, which
        suppresses it (the statement is done)."""
        def cleanup(exceptional: bool, resume: Callable[[], None]) -> None:
            self.unknown(context, f"the `__exit__` of `{_code(context)}`")
            if not exceptional:
                return
            suppressed = self.b.temp("suppressed", BOOL)
            self.b.havoc(suppressed, f"whether the `__exit__` of `{_code(context)}` suppresses the exception",
                         context.lineno)
            yes, no = self.b.branch(suppressed, context.lineno)
            if yes is not None:
                self.b.place(yes)
                resume()
            self.b.place(no)

        return cleanup
