"""Wildcard patterns (`*`, `?`) as AWS policies use them, and the three ways AWS matches them.

A pattern is a tuple of tokens: literal text, or the wildcards `STAR` (any sequence of characters, the
empty one included) and `ONE` (exactly one character). Keeping the wildcards as tokens, not as characters,
lets a policy variable's escapes (`${*}`, `${?}`) and a substituted value stay literal (`variables`).

The three matchers, each after the AWS documentation that defines it:

* `matches`: a plain glob over the whole string. Action names (case-insensitive, "Action" element
  reference: "action names are not case sensitive") and `StringLike` values (case-sensitive).
* `resource_matches`: the `Resource` / `NotResource` element. The IAM reference ("IAM JSON policy elements:
  Resource", *Using wildcards in resource ARNs*) says wildcards are used "within the individual segments of
  an ARN (the parts separated by colons)", and "if the `*` wildcard is the last character of a resource ARN
  segment, it can expand to match beyond the colon boundaries". So a `*` that ends a segment (the pattern
  ends or a `:` follows) matches any text, colons included (`arn:aws:ec2:*` covers every EC2 ARN); a `*`
  inside a segment matches within the segment. The reference does not say whether a `?`, or a `*` inside a
  segment, may cover a `:`; where the two readings (within the segment, or anything) disagree on an ARN,
  the match answers None instead of choosing one (an open case for `evaluate`). `*` does span `/` (the same page: `bucket/*/test/*`
  covers `bucket/1/2/test/3/object.jpg`).
* `arn_fieldwise_matches`: the `ArnEquals` / `ArnLike` condition operators ("Amazon Resource Name (ARN)
  condition operators": "each of the six colon-delimited components of the ARN is checked separately and
  each can include" `*` or `?`). The sixth component is everything after the fifth colon; a value of fewer
  components on either side has no documented meaning (`conditions` makes it an open case).
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable


class Wild(enum.Enum):
    STAR = "*"
    ONE = "?"


STAR = Wild.STAR
ONE = Wild.ONE
Token = str | Wild
Pattern = tuple[Token, ...]


def tokens(text: str, *, wildcards: bool = True) -> Pattern:
    """`text` as a pattern: each `*` and `?` a wildcard (or, with `wildcards=False`, all of it literal)."""
    if not wildcards:
        return (text,) if text else ()
    out: list[Token] = []
    for piece in re.split(r"([*?])", text):
        if piece == "*":
            out.append(STAR)
        elif piece == "?":
            out.append(ONE)
        elif piece:
            out.append(piece)
    return tuple(out)


def literal(pattern: Pattern) -> str | None:
    """The text a wildcard-free pattern stands for, or None when it has a wildcard."""
    if any(isinstance(token, Wild) for token in pattern):
        return None
    return "".join(token for token in pattern if isinstance(token, str))


def text_of(pattern: Pattern) -> str:
    """The pattern written back as text (wildcards as `*` and `?`), for messages."""
    return "".join(token.value if isinstance(token, Wild) else token for token in pattern)


def matches(pattern: Pattern, text: str, *, ignore_case: bool = False) -> bool:
    """Does `text` match the whole `pattern`? `*` any sequence (empty too, any character), `?` one character."""
    return _compiled(pattern, ignore_case, _anything).fullmatch(text) is not None


def resource_matches(pattern: Pattern, arn: str) -> bool | None:
    """Does the `Resource` element value `pattern` cover `arn` (module docstring: segment rule, case-sensitive)?

    None where the reading of a `?` or a mid-segment `*` across a `:` decides the answer: the reference is
    silent there, so the caller makes it an open case (`readings`)."""
    within = _compiled(pattern, False, _within_segment).fullmatch(arn) is not None
    if within:
        return True
    if _compiled(pattern, False, _anything).fullmatch(arn) is not None:
        return None
    return False


def colon_sensitive(pattern: Pattern) -> bool:
    """Could `resource_matches` answer None for this pattern on some ARN? True when it has a `?` or a
    `*` inside a segment: for an ARN whose colons fall where that wildcard is, the two readings differ."""
    return any(token is ONE or (token is STAR and not _ends_segment(pattern, index))
               for index, token in enumerate(pattern))


def arn_fieldwise_matches(pattern: Pattern, arn: str) -> bool | None:
    """`ArnLike`: the six colon-separated components of `pattern` and `arn`, each matched on its own.

    None where either side is not an ARN of six components, the pattern `*` alone included: the reference
    defines the operators component by component only, so that case is open (the caller's `readings`)."""
    fields = _split_fields(pattern)
    values = arn.split(":", 5)
    if len(fields) != 6 or len(values) != 6:
        return None
    return all(matches(field, value) for field, value in zip(fields, values))


def _split_fields(pattern: Pattern) -> list[Pattern]:
    """`pattern` cut at its first five literal colons."""
    fields: list[list[Token]] = [[]]
    for token in pattern:
        if isinstance(token, Wild):
            fields[-1].append(token)
            continue
        rest = token
        while ":" in rest and len(fields) < 6:
            head, rest = rest.split(":", 1)
            if head:
                fields[-1].append(head)
            fields.append([])
        if rest:
            fields[-1].append(rest)
    return [tuple(field) for field in fields]


def _ends_segment(pattern: Pattern, index: int) -> bool:
    """Is the token at `index` the last of its colon-separated segment (the pattern ends, or text starting
    with ':' follows)? A run of stars counts as one."""
    following = next((token for token in pattern[index + 1:] if token is not STAR), None)
    return following is None or (isinstance(following, str) and following.startswith(":"))


def _anything(pattern: Pattern, index: int) -> str:
    return ".*" if pattern[index] is STAR else "."


def _within_segment(pattern: Pattern, index: int) -> str:
    if pattern[index] is ONE:
        return "[^:]"
    return ".*" if _ends_segment(pattern, index) else "[^:]*"


@functools.lru_cache(maxsize=8192)
def _compiled(pattern: Pattern, ignore_case: bool, wildcard_regex: Callable[[Pattern, int], str]) -> re.Pattern[str]:
    parts = [wildcard_regex(pattern, index) if isinstance(token, Wild) else re.escape(token)
             for index, token in enumerate(pattern)]
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))
