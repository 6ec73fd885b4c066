"""Constructs the encoding does not pin down, as uninterpreted predicates: answers under every reading.

Where the IAM reference leaves a yes-or-no case open (an `ArnLike` value of fewer than six fields, a wildcard
in an action's service prefix or inside a principal, a `Null` or `Bool` value that is neither true nor false,
a Numeric, Date, IpAddress or BinaryEquals value its family cannot read), AWS still answers it, but nobody
outside AWS knows how. The encoding makes that answer a predicate `open_case(description, values)`: an
uninterpreted function of the request values the answer may depend on, so that

* a query with no model holds under *every* reading of every open case (z3 chooses the predicate freely,
  as it chooses the request): "equivalent" is then equivalent whatever AWS does there;
* `robust(goal)` implies `goal` under every reading (each literal that reads an open case, in negation normal
  form, is replaced by false), so a request it finds differs whatever AWS does: it never rests on the open
  case, or the policies differ either way. The concrete evaluator (`readings`) replays such a witness under
  each reading of the cases it meets, independently of this module.

The same predicates stand for policy values the encoding does not model although the reference documents
them (a policy variable with a default value, or in a case-insensitive, Bool or ARN comparison: the
`SymbolicRequest.unmodelled` of the values they read). The concrete evaluator reads those exactly; a "no"
that holds for every predicate holds for AWS's one, and a robust witness is replayed there as any other.

The same description and values give the same term, in both policies of a comparison and in every element
of a set, so a case reads alike wherever it occurs in one request; the description names the positive
operator (a negated one is the negation of the same predicate) and the policy's text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import z3

PREFIX = "open case: "


def open_case(description: str, *values: z3.ExprRef) -> z3.BoolRef:
    """AWS's answer to the case `description` for a request with these values (module docstring)."""
    if not values:
        return z3.Bool(PREFIX + description)
    predicate = z3.Function(PREFIX + description, *(value.sort() for value in values), z3.BoolSort())
    return predicate(*values)


def _is_open(node: z3.ExprRef) -> bool:
    return (z3.is_app(node) and node.decl().kind() == z3.Z3_OP_UNINTERPRETED
            and node.decl().name().startswith(PREFIX))


def cases(formulas: Iterable[z3.ExprRef]) -> list[str]:
    """The descriptions of the open cases the formulas read, in the order met."""
    found: dict[str, None] = {}
    seen: set[int] = set()
    stack = list(formulas)
    while stack:
        node = stack.pop()
        if node.get_id() in seen:
            continue
        seen.add(node.get_id())
        if _is_open(node):
            found[node.decl().name().removeprefix(PREFIX)] = None
        stack.extend(node.children())
    return list(found)


def robust(formula: z3.BoolRef) -> z3.BoolRef:
    """A formula without open cases that implies `formula` under every reading of them (module docstring).
    Where `formula` reads none it is returned as it is."""
    reads: dict[int, bool] = {}

    def reads_open(node: z3.ExprRef) -> bool:
        """Iteratively (children first): a pattern of thousands of wildcards is a term thousands deep."""
        stack = [node]
        while stack:
            top = stack[-1]
            if top.get_id() in reads:
                stack.pop()
                continue
            pending = [] if _is_open(top) else [c for c in top.children() if c.get_id() not in reads]
            if pending:
                stack.extend(pending)
                continue
            stack.pop()
            reads[top.get_id()] = _is_open(top) or any(reads[c.get_id()] for c in top.children())
        return reads[node.get_id()]

    memo: dict[tuple[int, bool], z3.BoolRef] = {}

    def walk(node: z3.BoolRef, positive: bool) -> z3.BoolRef:
        key = (node.get_id(), positive)
        if key not in memo:
            memo[key] = _robust(node, positive, reads_open, walk)
        return memo[key]

    return walk(formula, True)


def _robust(node: z3.BoolRef, positive: bool, reads_open: Callable[[z3.ExprRef], bool],
            walk: Callable[[z3.BoolRef, bool], z3.BoolRef]) -> z3.BoolRef:
    """`node` (negated where not `positive`) in negation normal form, each literal that reads an open case
    false: every connective is taken apart, so only the open literals themselves are lost."""
    if not reads_open(node):
        return node if positive else z3.Not(node)
    kind = node.decl().kind()
    children = node.children()
    if kind == z3.Z3_OP_NOT:
        return walk(children[0], not positive)
    if kind in (z3.Z3_OP_AND, z3.Z3_OP_OR):
        parts = [walk(child, positive) for child in children]
        return z3.And(parts) if (kind == z3.Z3_OP_AND) == positive else z3.Or(parts)
    if kind == z3.Z3_OP_IMPLIES:
        premise, conclusion = walk(children[0], not positive), walk(children[1], positive)
        return z3.Or(premise, conclusion) if positive else z3.And(premise, conclusion)
    if kind == z3.Z3_OP_ITE and z3.is_bool(node):  # (c and a) or (not c and b); negated, a and b negated
        condition, then, otherwise = children
        return z3.Or(z3.And(walk(condition, True), walk(then, positive)),
                     z3.And(walk(condition, False), walk(otherwise, positive)))
    if kind == z3.Z3_OP_EQ and z3.is_bool(children[0]):  # a == b: both or neither; negated: exactly one
        left, right = children
        return z3.Or(z3.And(walk(left, True), walk(right, positive)),
                     z3.And(walk(left, False), walk(right, not positive)))
    return z3.BoolVal(False)  # an open case, or an atom whose arguments read one
