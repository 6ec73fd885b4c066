"""A glob pattern (`StringLike`) against a string the request builds from known pieces, taken apart piece by
piece: the principal's ARN `arn:PARTITION:iam::ACCOUNT:NAME` against `arn:aws:iam::*:role/ec2-admin`.

Why: as one membership of the concatenation (`InRe(Concat("arn:", partition, ":iam::", account, ":", name),
R)`) z3's sequence solver must find where each piece ends inside the pattern, and with a `*` that may cover
any of them it gave no answer in 20 million resource units (a service control policy exempting one role by
`StringNotLike` on `aws:PrincipalArn`: no answer under load in 10 s). Taken apart, the same condition is a
finite disjunction over the places in the pattern where each variable piece starts and ends, each disjunct
a conjunction of memberships of *one* variable each, which z3 decides at once.

The places are the states of the pattern's automaton: position `i` means the parts before token `i` have
matched what was read. The constant pieces are read here, in Python (a set of states in, a set out); a
variable piece from state `i` to state `j` must match the tokens between them (and, where token `j` is a
`*`, anything after: the star may go on into the next piece, and the next piece starts with it again, so
nothing is lost where a star spans two pieces). The rewriting is exact: the disjunction holds exactly when
the concatenation matches.

A variable piece may carry what is known of its values (`Piece.digits`: exactly that many decimal digits,
as an account id), used only to leave out places no such value can span; the request's universe states the
shape itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import z3

from solomonic.policy import encode_strings as strings
from solomonic.policy.encode_strings import Pattern

Token = str  # one character of literal text, or "*" / "?" for the wildcards (`_tokens` keeps them apart)
STAR, ONE = ("*",), ("?",)  # wildcard tokens are 1-tuples, so that a literal '*' (`${*}`) is a plain str


@dataclass(frozen=True)
class Piece:
    """One variable piece of the string, and (where known) that its values are exactly `digits` digits."""

    term: z3.SeqRef
    digits: int | None = None


def glob_pieces(pattern: Pattern, pieces: Sequence[str | Piece]) -> z3.BoolRef | None:
    """Does the concatenation of `pieces` (constant strings and variables) match `pattern` (`*` any text, `?`
    one character)? None for a pattern with a policy variable, which this does not take apart."""
    if pattern.variables:
        return None
    tokens = _tokens(pattern)
    return _match(tokens, {0}, list(pieces))


def _tokens(pattern: Pattern) -> list[Token | tuple[str]]:
    out: list[Token | tuple[str]] = []
    for part in pattern.parts:
        if part.kind == "text":
            out.extend(part.text)
        else:
            out.append(STAR if part.kind == "star" else ONE)
    return out


def _closure(tokens: Sequence[Token | tuple[str]], states: set[int]) -> set[int]:
    """The states reachable without reading: a `*` may match nothing."""
    out, todo = set(states), list(states)
    while todo:
        state = todo.pop()
        if state < len(tokens) and tokens[state] == STAR and state + 1 not in out:
            out.add(state + 1)
            todo.append(state + 1)
    return out


def _read(tokens: Sequence[Token | tuple[str]], states: set[int], text: str) -> set[int]:
    """The states after reading the constant `text` from `states`."""
    current = _closure(tokens, states)
    for char in text:
        following = {state for state in current if state < len(tokens) and tokens[state] == STAR}
        following |= {state + 1 for state in current if state < len(tokens) and tokens[state] in (char, ONE)}
        current = _closure(tokens, following)
    return current


def _match(tokens: Sequence[Token | tuple[str]], states: set[int], pieces: list[str | Piece]) -> z3.BoolRef:
    if not pieces:
        return z3.BoolVal(len(tokens) in _closure(tokens, states))
    head, rest = pieces[0], pieces[1:]
    if isinstance(head, str):
        after = _read(tokens, states, head)
        return _match(tokens, after, rest) if after else z3.BoolVal(False)
    ends = range(len(tokens) + 1) if rest else [len(tokens)]
    options = []
    for start in sorted(_closure(tokens, states)):
        for end in ends:
            if end < start or not _spans(tokens, start, end, head):
                continue
            tail = _match(tokens, {end}, rest)
            if z3.is_false(tail):
                continue
            options.append(z3.And(z3.InRe(head.term, _between(tokens, start, end)), tail))
    return z3.Or(options) if options else z3.BoolVal(False)


def _between(tokens: Sequence[Token | tuple[str]], start: int, end: int) -> z3.ReRef:
    """What a variable piece read from state `start` to state `end` can be: the tokens between, then anything
    where token `end` is a `*` (it goes on into the next piece)."""
    pieces = [strings.ANYTHING if t == STAR else strings.ANY_CHAR if t == ONE else z3.Re(t)
              for t in tokens[start:end]]
    if end < len(tokens) and tokens[end] == STAR:
        pieces.append(strings.ANYTHING)
    if not pieces:
        return z3.Re("")
    return pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)


def _spans(tokens: Sequence[Token | tuple[str]], start: int, end: int, piece: Piece) -> bool:
    """Can a value of `piece` be read from state `start` to state `end` (only `digits` is checked)?"""
    if piece.digits is None:
        return True
    between = tokens[start:end]
    fixed = [t for t in between if t != STAR]
    open_ended = STAR in between or (end < len(tokens) and tokens[end] == STAR)
    if any(t != ONE and not (isinstance(t, str) and t.isdigit()) for t in fixed):
        return False
    return len(fixed) <= piece.digits if open_ended else len(fixed) == piece.digits
