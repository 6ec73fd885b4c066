"""Where a syntax tree is nested deepest: the place to name when a lowering runs out of recursion.

The lowerings follow expressions and statements recursively, a few Python frames per level, so a function
written with a few hundred levels of nesting (`-(-(-...x))`, 400 `+` in a row, blocks inside blocks)
ends in RecursionError. That is a limit of this tool, not a fault of the program: the function is
unsupported, and the answer names its deepest point. The walk here is iterative, so it cannot fail the
same way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from solomonic.reason.ir import Unsupported

Node = TypeVar("Node")


def deepest(root: Node, children: Callable[[Node], Iterable[Node]],
            line: Callable[[Node], int | None]) -> tuple[int, int]:
    """The depth of the deepest node under `root` and the line of the deepest node that has one."""
    most, most_line = 0, line(root) or 0
    todo = [(root, 0)]
    while todo:
        node, depth = todo.pop()
        at = line(node)
        if depth > most and at:
            most, most_line = depth, at
        todo += [(child, depth + 1) for child in children(node)]
    return most, most_line


def too_deep(path: str, root: Node, children: Callable[[Node], Iterable[Node]],
             line: Callable[[Node], int | None]) -> Unsupported:
    """The answer for a function whose lowering ran out of recursion."""
    depth, at = deepest(root, children, line)
    return Unsupported(f"syntax nested {depth} levels deep, deeper than the lowering's recursion can follow",
                       path, at)
