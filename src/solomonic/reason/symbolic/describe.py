"""A loop of a cutpoint system as plain text: what a learned proposer reads (issue 28).

A proposer of ranking functions and invariants should see a loop the way the ranking synthesis does:
the blocks between its heads (a guard, and the new value of each variable that changes), over the
variables live at each head, whatever the source language. So a C `while` and a Python `for i in
range` with the same arithmetic read alike, and the certificates learned from one transfer to the other.
The text is deterministic (variables and blocks in a fixed order), so that equal loops give equal text.
"""

from __future__ import annotations

from solomonic.reason.ir.nodes import show
from solomonic.reason.symbolic.system import Block, TransitionSystem


def describe_loop(system: TransitionSystem, loop: set[int]) -> str:
    """The loop whose heads are `loop`: a header naming each head's line and live variables, the blocks that
    enter it (`enter h when GUARD: x := E, ...`: what holds on entry, where a loop's bounds and starting
    values are), then one line per block that stays in the loop (`step h -> h' when ...`), and the blocks
    that leave it."""
    lines = system.function.cfg.lines
    heads = sorted(loop)
    out = [f"head {h} (line {lines[h]}): " + (", ".join(f"{v.name}: {v.type}" for v in system.params[h]) or "-")
           for h in heads]
    entering = [b for b in system.blocks if b.src not in loop and b.dst in loop]
    inside = [b for b in system.blocks if b.src in loop and b.dst in loop]
    leaving = [b for b in system.blocks if b.src in loop and b.dst not in loop]
    for b in sorted(entering, key=lambda b: (b.dst, b.src, show(b.guard))):
        out.append(f"enter {b.dst} when {show(b.guard)}{_fresh(b)}: {_changes(b)}")
    for b in sorted(inside, key=lambda b: (b.src, b.dst, show(b.guard))):
        out.append(f"step {b.src} -> {b.dst} when {show(b.guard)}{_fresh(b)}: {_changes(b)}")
    for b in sorted(leaving, key=lambda b: (b.src, b.dst, show(b.guard))):
        out.append(f"exit {b.src} when {show(b.guard)}")
    return "\n".join(out)


def _changes(b: Block) -> str:
    changes = [f"{v.name} := {show(e)}" for v, e in sorted(b.update.items(), key=lambda item: item[0].name) if e != v]
    return "; ".join(changes) or "nothing changes"


def _fresh(b: Block) -> str:
    return f" [fresh {', '.join(n.name for n in b.nondets)}]" if b.nondets else ""
