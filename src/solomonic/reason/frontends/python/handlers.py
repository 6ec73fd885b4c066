"""`try`/`except`/`else` as Python runs it: an exception raised in the body, where the lowering would
end at an exception sink, goes instead to the first `except` clause whose class matches it, with the
variables as they were where it was raised; an exception no clause matches goes on outwards (an
enclosing `try`, else a sink), and one raised in a handler or the `else` clause is not this `try`'s.

Which clause matches is decided from the exception's class where the lowering knows it (the builtin
exceptions it raises itself: ZeroDivisionError, IndexError, AssertionError, ...; `raise ValueError(...)`)
and the clause names builtin exception classes; otherwise (an operation on a value of unknown type that
may raise anything, a class of the module, `raise err`) either way is possible, and both are laid out.
So a caught exception is never an exit and an escaping one never missed.

`finally` runs on the ways out of the `try` it models: falling through (after the body, the `else`
or a handler), and an exception (the body's that no clause catches, a handler's, the `else` clause's),
which the `finally` body then raises again as it was, unless it leaves by `return`, `break` or
`continue` itself, which drops the exception, as in Python. Every exception goes to one copy of the
`finally` body, with a number that says which one it was, so that the copy's size does not grow with
the places that may raise.

A `return` inside runs the `finally` body after its value is computed (returns.py). Refused, not
approximated: a `break` or `continue` that leaves a `try` with `finally` (the `finally` body would run
between it and its target), a handler that reads the exception object
(`except E as e: ... e ...`), a clause class that is not a name or a tuple of names, and a call inside
the `try` to a function on a recursive cycle (its exceptions are exits of its own graph, which no handler
or `finally` of the caller would see).
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Callable

from solomonic.reason.frontends.python.opaque import is_builtin_exception
from solomonic.reason.frontends.python.state import Cleanup
from solomonic.reason.frontends.python.statements import StatementLowering
from solomonic.reason.ir import BOOL, INT, Call, Event, compare, const


class TryLowering(StatementLowering):
    """`try` statements: the body under a handler hook of the graph builder (`Builder.on_raise`)."""

    def try_statement(self, s: ast.Try) -> None:
        if s.finalbody:
            self.try_finally(s)
        else:
            self.try_except(s)

    def try_finally(self, s: ast.Try) -> None:
        """`try: ... finally: F`: F after the `try` part where it falls through, and in one copy for
        every exception that leaves it (`cleaned_up`)."""
        leaving = leaves([*s.body, *(stmt for h in s.handlers for stmt in h.body), *s.orelse])
        if leaving is not None:
            raise self.unsupported(f"`{jump_keyword(leaving)}` out of a `try` with `finally` (the `finally` body would run "
                                   "before it reaches its target)", leaving)

        def region() -> None:
            if s.handlers:
                self.try_except(ast.copy_location(ast.Try(s.body, s.handlers, s.orelse, []), s))
            else:
                self.body(s.body)

        self.cleaned_up(s, "`finally`", region, lambda exceptional, resume: self.body(s.finalbody),
                        lambda: self.body(s.finalbody))

    def cleaned_up(self, node: ast.stmt, what: str, region: Callable[[], None],
                   cleanup: Callable[[bool, Callable[[], None]], None], on_return: Callable[[], None]) -> None:
        """Lower `region` so that `cleanup` runs on the ways out of it: where it falls through, and where
        an exception leaves it. Every exception goes to one copy of the cleanup with a number that says
        which one it was, then is raised again as it was, where the cleanup falls through (one that
        leaves by return, break or continue drops it). `cleanup(exceptional, resume)` lowers the cleanup
        at the current point; on the exceptional way it may call `resume()` to go on after the statement
        instead (a context manager that suppresses the exception). `on_return` lowers what a `return`
        inside the region runs before it leaves (returns.py)."""
        outer = self.b.on_raise
        raised: list[Event] = []
        which = self.b.temp("raised", INT)
        shared = self.b.location(node.lineno)

        def numbered(event: Event) -> int:
            start = self.b.location(event.line)
            back = self.b.current
            self.b.place(start)
            self.b.assign(which, const(len(raised), INT), event.line)
            raised.append(event)
            self.b.jump(shared, event.line)
            self.b.place(back)
            return start

        before = set(self.frame.assigned)
        snapshot = self.b.snapshot()
        self.b.on_raise = numbered
        frame = self.frame
        frame.cleanups.append(Cleanup(on_return, outer))
        try:
            region()
        finally:
            self.b.on_raise = outer
            frame.cleanups.pop()
        calls = [e.stmt.callee for e in self.b.cfg.edges[snapshot[0]:] if isinstance(e.stmt, Call)]
        if calls:
            raise self.unsupported(f"a call of `{calls[0]}` (recursive) inside {what}: its exceptions do not pass "
                                   f"through {what}", node)
        join = self.b.location(node.lineno)
        ends: list[set[str]] = []

        def resume() -> None:
            ends.append(set(self.frame.assigned))
            self.b.jump(join, node.lineno)

        if self.b.current is not None:
            cleanup(False, resume)
            if self.b.current is not None:
                resume()
        if raised:
            self.b.place(shared)
            self.frame.assigned = before  # the exception may have come before any assignment of the region
            cleanup(True, resume)
            for k, event in enumerate(raised):
                if self.b.current is None:
                    break  # the cleanup left by return, break or continue: the exception is dropped
                target = outer(event) if outer is not None else self.b.cfg.sink(event)
                if k == len(raised) - 1:
                    self.b.jump(target, event.line)
                    break
                yes, no = self.b.branch(compare("eq", which, const(k, INT)), event.line)
                self.b.place(yes)
                self.b.jump(target, event.line)
                self.b.place(no)
        self.frame.assigned = set.intersection(*ends) if ends else before
        self.b.place(join if ends else None)

    def try_except(self, s: ast.Try) -> None:
        clauses = [(handler, self.clause_classes(handler)) for handler in s.handlers]
        join = self.b.location(s.lineno)
        before = set(self.frame.assigned)
        entries = [self.b.location(handler.lineno) for handler, _ in clauses]
        outer = self.b.on_raise

        def dispatch(event: Event) -> int:
            return self.dispatch(event, clauses, entries, outer)

        snapshot = self.b.snapshot()
        self.b.on_raise = dispatch
        try:
            self.body(s.body)
        finally:
            self.b.on_raise = outer
        calls = [e.stmt.callee for e in self.b.cfg.edges[snapshot[0]:] if isinstance(e.stmt, Call)]
        if calls:
            raise self.unsupported(f"a call of `{calls[0]}` (recursive) inside `try`: its exceptions are not "
                                   "routed to the handlers", s)
        ends = []
        if self.b.current is not None:
            self.body(s.orelse)
            if self.b.current is not None:
                ends.append(set(self.frame.assigned))
            self.b.jump(join, s.lineno)
        for (handler, _), entry in zip(clauses, entries):
            self.frame.assigned = set(before)  # the body may have raised before any of its assignments
            self.b.place_if_reached(entry)
            self.body(handler.body)
            if self.b.current is not None:
                ends.append(set(self.frame.assigned))
            self.b.jump(join, handler.lineno)
        self.frame.assigned = set.intersection(*ends) if ends else before
        self.b.place_if_reached(join)

    def clause_classes(self, handler: ast.ExceptHandler) -> list[str] | None:
        """The class names an `except` clause names; None for a bare `except:` (every exception)."""
        if handler.name is not None and any(isinstance(n, ast.Name) and n.id == handler.name
                                            for stmt in handler.body for n in ast.walk(stmt)):
            raise self.unsupported(f"a handler that uses the exception object `{handler.name}`", handler)
        if handler.type is None:
            return None
        names = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
        if not all(isinstance(n, ast.Name) for n in names):
            raise self.unsupported(f"an `except` clause class other than a name or a tuple of names "
                                   f"(`{ast.unparse(handler.type)}`)", handler)
        return [n.id for n in names if isinstance(n, ast.Name)]

    def dispatch(self, event: Event, clauses: list[tuple[ast.ExceptHandler, list[str] | None]],
                 entries: list[int], outer: Callable[[Event], int] | None) -> int:
        """Where an exception raised in the body goes: a new location that tries each clause in order,
        and goes on outwards when none matches. Laid out beside the code being lowered."""
        start = self.b.location(event.line)
        resume = self.b.current
        self.b.place(start)
        raised = self.raised_class(event)
        for (handler, classes), entry in zip(clauses, entries):
            matches = self.matches(raised, classes)
            if matches is True:
                self.b.jump(entry, event.line)
                break
            if matches is None:
                taken = self.b.temp("caught", BOOL)
                self.b.havoc(taken, f"whether the `except` at line {handler.lineno} catches it", event.line)
                yes, no = self.b.branch(taken, event.line)
                self.b.place(yes)
                self.b.jump(entry, event.line)
                self.b.place(no)
        if self.b.current is not None:
            self.b.jump(outer(event) if outer is not None else self.b.cfg.sink(event), event.line)
        self.b.place(resume)
        return start

    @staticmethod
    def raised_class(event: Event) -> type[BaseException] | None:
        """The builtin class of the exception `event` raises, where the lowering knows it (its class field,
        set where the event is made)."""
        if event.kind == "assert":
            return AssertionError
        return getattr(builtins, event.exception_class) if event.exception_class is not None else None

    def matches(self, raised: type[BaseException] | None, classes: list[str] | None) -> bool | None:
        """Whether a clause naming `classes` catches `raised`: True, False, or None where it depends on
        what the lowering does not know."""
        if classes is None:
            return True
        known = [getattr(builtins, c) for c in classes if is_builtin_exception(c) and self.is_builtin(c)]
        if raised is not None and any(issubclass(raised, k) for k in known):
            return True
        if BaseException in known:
            return True
        if raised is not None and len(known) == len(classes):
            return False
        return None


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def leaves(parts: list[ast.stmt]) -> ast.stmt | None:
    """A `break` or `continue` of a loop outside them, in the statements `parts` (of a `try` with
    `finally`, not the `finally` body, which may leave as it likes; of a `with`). A `return` runs the
    cleanups on its way (returns.py)."""
    def find(node: ast.AST, in_loop: bool) -> ast.stmt | None:
        if isinstance(node, (ast.Break, ast.Continue)) and not in_loop:
            return node
        if isinstance(node, _SCOPES):
            return None
        if isinstance(node, (ast.For, ast.While, ast.AsyncFor)):
            # a loop's own else clause is outside it for break and continue
            inner = [find(c, True) for c in node.body] + [find(c, in_loop) for c in node.orelse]
            return next((f for f in inner if f is not None), None)
        return next((f for c in ast.iter_child_nodes(node) if (f := find(c, in_loop)) is not None), None)

    return next((f for part in parts if (f := find(part, False)) is not None), None)


def jump_keyword(node: ast.stmt) -> str:
    return "break" if isinstance(node, ast.Break) else "continue"
