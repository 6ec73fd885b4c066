"""Calls between a program's functions. The front ends inline every call except those on a cycle of the
call graph (recursion), which stay calls for the termination engine's unfolding."""

from __future__ import annotations


def on_cycles(calls: dict[str, set[str]]) -> set[str]:
    """The functions on a cycle of a call graph (caller -> callees)."""
    out = set()
    for start in calls:
        seen, stack = set(), list(calls[start])
        while stack:
            f = stack.pop()
            if f == start:
                out.add(start)
                break
            if f not in seen:
                seen.add(f)
                stack.extend(calls[f])
    return out
