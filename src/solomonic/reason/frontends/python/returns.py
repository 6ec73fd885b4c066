"""A `return` that leaves `with` statements and `try` statements with `finally`: Python computes the
value, runs each statement's cleanup from the innermost out (a `finally` body, a context manager's
`__exit__`), and then returns the value it computed, unless a cleanup leaves otherwise (a `return`,
`break` or `continue` in a `finally` body replaces it) or raises (its exception goes to what is outside
that statement).

Lowered as that: the value is stored into a variable of the return's own (named after its place, so
that every pass of the lowering names it alike: lower.py), the cleanups are laid out, and the ordinary
return of that variable follows. Refused, named: a tuple or a list returned that way (their returns are
lowered apart: tuples.py, lists.py).
"""

from __future__ import annotations

import ast

from solomonic.reason.frontends.python.state import _code
from solomonic.reason.frontends.python.strcalls import StringCallLowering


class ReturnLowering(StringCallLowering):
    """`return` statements inside the regions that `handlers.cleaned_up` lays out."""

    def return_statement(self, s: ast.Return) -> None:
        frame = self.frame
        if not frame.cleanups:
            super().return_statement(s)
            return
        if s.value is not None and (self.makes_tuple(s.value) or self.may_be_list(s.value)):
            raise self.unsupported(f"`return {_code(s.value)}`, a tuple or list returned out of `with` or "
                                   "`try`/`finally`", s)
        held = f"$return@{s.lineno}:{s.col_offset}"
        value = s.value if s.value is not None else ast.Constant(None)
        self.statement(ast.fix_missing_locations(ast.copy_location(ast.Assign([ast.Name(held, ast.Store())], value), s)))
        saved, hook = list(frame.cleanups), self.b.on_raise
        try:
            for k in reversed(range(len(saved))):
                frame.cleanups = saved[:k]  # a return inside this cleanup leaves only the ones outside it
                self.b.on_raise = saved[k].outer
                saved[k].lower()
                if self.b.current is None:
                    return  # the cleanup left by itself (or always raises)
            super().return_statement(ast.fix_missing_locations(ast.copy_location(ast.Return(ast.Name(held, ast.Load())), s)))
        finally:
            frame.cleanups, self.b.on_raise = saved, hook
