"""A small builder that both frontends use to lay out a control-flow graph statement by statement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from solomonic.reason.ir import (
    FALSE,
    TRUE,
    Assign,
    Assume,
    Call,
    Cfg,
    Event,
    Expr,
    Havoc,
    Stmt,
    Type,
    Var,
    negate,
)


@dataclass
class Loop:
    break_to: int
    continue_to: int
    breaks_seen: int = 0


T = TypeVar("T")


class Builder:
    """Appends statements at a current location; `current` is None after a jump (dead code)."""

    def __init__(self, line: int, prefix: str = ""):
        self.cfg = Cfg()
        self.prefix = prefix  # of temporaries' names: a procedure's own
        self.cfg.entry = self.cfg.new_location(line)
        # The entry has no incoming edges, so it never doubles as a loop head.
        start = self.cfg.new_location(line)
        self.cfg.add(self.cfg.entry, start, None, line)
        self.current: int | None = start
        self._temps = 0
        self._incoming: dict[int, int] = {start: 1}
        # Where an exception (or a failed assertion) raised at the current point goes instead of a sink of
        # its own: the location a `try` statement's handlers are dispatched from (python/handlers.py).
        self.on_raise: Callable[[Event], int] | None = None

    def _edge(self, src: int, dst: int, stmt: Stmt | None, line: int) -> None:
        self.cfg.add(src, dst, stmt, line)
        self._incoming[dst] = self._incoming.get(dst, 0) + 1

    def location(self, line: int) -> int:
        return self.cfg.new_location(line)

    def emit(self, stmt: Stmt, line: int) -> None:
        if self.current is None:
            return
        nxt = self.cfg.new_location(line)
        self._edge(self.current, nxt, stmt, line)
        self.current = nxt

    def assign(self, target: Var, value: Expr, line: int) -> None:
        self.emit(Assign(target, value), line)

    def havoc(self, target: Var, origin: str, line: int) -> None:
        self.emit(Havoc(target, origin), line)

    def assume(self, cond: Expr, line: int) -> None:
        if cond != TRUE:
            self.emit(Assume(cond), line)

    def jump(self, dst: int, line: int) -> None:
        if self.current is not None:
            self._edge(self.current, dst, None, line)
        self.current = None

    def place(self, loc: int | None) -> None:
        """Continue at `loc` (a join point or loop head laid out earlier)."""
        self.current = loc

    def reached(self, loc: int) -> bool:
        """Whether some edge leads to `loc`."""
        return bool(self._incoming.get(loc))

    def place_if_reached(self, loc: int) -> None:
        """Continue at a join point if some edge leads there; else what follows is dead code."""
        self.current = loc if self.reached(loc) else None

    # Speculation: lower something, and take it back if it emitted statements.

    def snapshot(self) -> tuple[int, int, int | None]:
        return len(self.cfg.edges), len(self.cfg.lines), self.current

    def changed_since(self, snapshot: tuple[int, int, int | None]) -> bool:
        return len(self.cfg.edges) != snapshot[0]

    def written_since(self, snapshot: tuple[int, int, int | None]) -> set[Var]:
        """The variables the statements emitted since `snapshot` may change: those assigned or chosen,
        and those a call copies back into."""
        out: set[Var] = set()
        for e in self.cfg.edges[snapshot[0]:]:
            if isinstance(e.stmt, (Assign, Havoc)):
                out.add(e.stmt.target)
            elif isinstance(e.stmt, Call):
                out |= {mine for mine, _ in e.stmt.copied_back}
        return out

    def rollback(self, snapshot: tuple[int, int, int | None]) -> None:
        edges, lines, current = snapshot
        for e in self.cfg.edges[edges:]:
            self._incoming[e.dst] -= 1
        del self.cfg.edges[edges:]
        del self.cfg.lines[lines:]
        self.cfg.events = {k: v for k, v in self.cfg.events.items() if k < lines}
        self.current = current

    def speculate(self, lower: Callable[[], T]) -> T | None:
        """lower()'s result if it emitted no statement (a pure expression); else None, undone."""
        snapshot = self.snapshot()
        result = lower()
        if self.changed_since(snapshot):
            self.rollback(snapshot)
            return None
        return result

    def branch(self, cond: Expr, line: int) -> tuple[int | None, int | None]:
        """Split on cond; returns the two successor locations (None for an impossible side)."""
        if self.current is None:
            return None, None
        yes = no = None
        if cond != FALSE:
            yes = self.cfg.new_location(line)
            self._edge(self.current, yes, Assume(cond) if cond != TRUE else None, line)
        if cond != TRUE:
            no = self.cfg.new_location(line)
            self._edge(self.current, no, Assume(negate(cond)) if cond != FALSE else None, line)
        self.current = None
        return yes, no

    def fail_unless(self, ok: Expr, event: Event) -> None:
        """Go to a sink with `event` where `ok` is false; continue where it holds."""
        if self.current is None or ok == TRUE:
            return
        yes, no = self.branch(ok, event.line)
        if no is not None:
            self._edge(no, self._raised(event), None, event.line)
        self.current = yes

    def end(self, event: Event) -> None:
        """Stop here with `event` (a return, an abort, a failed assertion)."""
        self.jump(self._raised(event), event.line)

    def _raised(self, event: Event) -> int:
        """Where `event` leads: a handler's dispatch for an exception raised inside a `try`, else a sink."""
        if self.on_raise is not None and event.kind in ("exception", "assert"):
            return self.on_raise(event)
        return self.cfg.sink(event)

    def temp(self, hint: str, type_: Type) -> Var:
        self._temps += 1
        return Var(f"{self.prefix}${hint}{self._temps}", type_)
