"""The catalogue's ARN templates (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`) for `witness`: as the
shapes of the ARNs of a type, as z3 regular expressions of plausible ARNs, and met with the policies' own
resource patterns to give example ARNs a pattern matches.

A `${...}` part is a path (it may hold '/': object keys, role names with their paths, log groups) except a
bucket's name, where the '/' after it starts the object's key. Among an ARN's first five fields (partition,
service, region, account: "Amazon Resource Names (ARNs)", AWS General Reference) no part holds ':'.
"""

from __future__ import annotations

import functools
import re

import z3

from solomonic.policy import encode_strings as strings
from solomonic.policy.encode_request import ACCOUNT_RE, PARTITIONS

PLACEHOLDER = re.compile(r"\$\{([^}]*)\}")
_WORD = z3.Union(z3.Range("a", "z"), z3.Range("A", "Z"), z3.Range("0", "9"), z3.Re("-"), z3.Re("_"),
                 z3.Re("."))
_NAME = z3.Concat(z3.Range("a", "z"), z3.Star(_WORD))  # a name as people write them: a letter first
_PATH = z3.Concat(z3.Union(z3.Range("a", "z"), z3.Range("A", "Z"), z3.Range("0", "9"), z3.Re("/")),
                  z3.Star(z3.Union(_WORD, z3.Re("/"))))  # a log group's name starts with '/'; a key rarely does


def templates(catalogue: object, action: str) -> list[str]:
    """The ARN templates of the resource types `action` takes (`catalogue.resource_arns`), a `*` inside one
    (`...:phone-number/*`, a recovery point's account `*`) given as a part of its own, `${Any}`: it stands for
    any text there, as in a policy, and read literally no real ARN of the type would have the template's
    shape. The lone `*` (no resource type) stays."""
    arns = catalogue.resource_arns(action)  # type: ignore[attr-defined]
    return [arn if arn == "*" else arn.replace("*", "${Any}") for arn in arns]


@functools.lru_cache(maxsize=4096)
def shape_of(template: str) -> re.Pattern[str]:
    """The ARNs of a template's shape: a `${...}` part is any text without ':' (a path) or a bucket's name.
    Kept per template: ranking a policy's candidate actions asks for the same few hundred again and again."""
    out, position = [], 0
    for match in PLACEHOLDER.finditer(template):
        out.append(re.escape(template[position:match.start()]))
        last = match.end() == len(template)
        out.append((".+" if last else "[^:]+") if _is_path(template, match) else "[^:/]+")
        position = match.end()
    out.append(re.escape(template[position:]))
    return re.compile("".join(out))


def _is_path(template: str, placeholder: re.Match[str]) -> bool:
    """May this `${...}` part hold '/'? Names of objects, roles with their paths, log groups (`/aws/...`),
    parameters do; a bucket's name does not (the '/' after it starts the object's key)."""
    return "Bucket" not in placeholder.group(1)


def example_of(resource: str) -> str:
    """A resource pattern with its wildcards filled (`x`) and its escapes (`${*}`) read as the characters."""
    pieces = re.split(r"(\$\{[*?$]\})", resource)
    return "".join(piece[2] if re.fullmatch(r"\$\{[*?$]\}", piece) else re.sub(r"[*?]", "x", piece)
                   for piece in pieces)


def fits(templates: tuple[str, ...], resources: list[str]) -> bool:
    """Could a resource of one of `templates` match one of the policies' resource patterns? A cheap test that
    ranks candidates (the solver decides): the pattern, its wildcards and variables read as one character,
    against the template, its `${...}` parts read as any text."""
    examples = _examples(tuple(resources))
    for template in templates:
        if template == "*":
            return "*" in resources
        shape = shape_of(template)
        if any(shape.fullmatch(example) for example in examples):
            return True
    return False


@functools.lru_cache(maxsize=64)
def _examples(resources: tuple[str, ...]) -> tuple[str, ...]:
    """The policies' resource patterns, each wildcard and variable read as one character (`fits`), written
    once per set of patterns instead of once per candidate action and template."""
    return tuple(re.sub(r"\$\{[^}]*\}|[*?]", "x", r).replace("arn:aws-cn:", "arn:aws:") for r in resources)


def template_regex(template: str) -> z3.ReRef:
    """An ARN template with each `${...}` part filled by plausible text (`${Partition}` is `aws`)."""
    pieces: list[z3.ReRef] = []
    position = 0
    for match in PLACEHOLDER.finditer(template):
        if match.start() > position:
            pieces.append(z3.Re(template[position:match.start()]))
        name = match.group(1)
        if name == "Partition":
            pieces.append(z3.Re("aws"))
        elif name in ("Account", "AccountId"):
            pieces.append(z3.Loop(z3.Range("0", "9"), 12, 12))
        elif name == "Region":
            pieces.append(z3.Union(*(z3.Re(r) for r in ("us-east-1", "eu-west-1", "ap-southeast-2"))))
        elif _is_path(template, match):
            pieces.append(_PATH)
        else:
            pieces.append(_NAME)
        position = match.end()
    if position < len(template):
        pieces.append(z3.Re(template[position:]))
    return pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)


def shaped(resource: z3.SeqRef, shapes: set[tuple[str, ...]], well_formed: bool = False) -> z3.BoolRef:
    """`resource` has one of the template shapes: literal pieces with a template's `${...}` parts between
    them, any text, without ':' among the ARN's first five fields (partition, service, region, account:
    "Amazon Resource Names (ARNs)", AWS General Reference); no shape at all is False. `well_formed` asks
    more: every part non-empty and without ':', the account 12 digits (or `aws`), so that the ARN has
    exactly the fields of its template (`volume/vol-1:111122223333:x` has a ':' its type's template does
    not; the reference allows a ':' in some names, an S3 object key, so this is not every real ARN)."""
    regexes = [_shape_regex(pieces, well_formed) for pieces in sorted(shapes)]
    if not regexes:
        return z3.BoolVal(False)
    return z3.InRe(resource, regexes[0] if len(regexes) == 1 else z3.Union(*regexes))


def _shape_regex(pieces: tuple[str, ...], well_formed: bool) -> z3.ReRef:
    out, colons = [z3.Re(pieces[0])], pieces[0].count(":")
    for piece in pieces[1:]:
        # the fields: `arn:${Partition}:service:${Region}:${Account}:` (an account is 12 digits, or `aws` for
        # an AWS managed policy)
        if colons == 1:
            field = z3.Union(*(z3.Re(p) for p in PARTITIONS))
        elif colons == 4:
            field = z3.Union(ACCOUNT_RE, z3.Re("aws"), *(() if well_formed else (z3.Re(""),)))
        elif well_formed:
            field = z3.Plus(strings.NOT_COLON)
        else:
            field = z3.Star(strings.NOT_COLON) if colons < 5 else strings.ANYTHING
        out += [field, z3.Re(piece)]
        colons += piece.count(":")
    return out[0] if len(out) == 1 else z3.Concat(*out)


def may_meet(template: str, pieces: tuple[str, ...], pattern: str) -> bool:
    """Could a resource of `template` match `pattern`? Their services first (the third field, where neither
    has a wildcard or variable before it: a cheap test that settles most pairs), then the globs intersected."""
    ours, theirs = _service(template, "${"), _service(pattern, "*?$")
    if ours is not None and theirs is not None and ours != theirs:
        return False
    return _meets(pieces, pattern)


def _service(text: str, wild: str) -> str | None:
    """The third field, where the text before it holds none of `wild` (a template's `${Partition}` holds no
    ':'; a pattern's wildcard or variable there might cover one)."""
    fields = text.split(":", 3)
    if len(fields) < 4 or (wild != "${" and any(c in ":".join(fields[:3]) for c in wild)) or "${" in fields[2]:
        return None
    return fields[2]


SEARCHED = 600  # tokens of both globs at most: `meeting` recurses once per token it passes


@functools.lru_cache(maxsize=65536)
def _meets(pieces: tuple[str, ...], pattern: str) -> bool:
    """Whether they may meet; a pair too long to search may (this only orders the candidates the solver
    tries: a pattern of two thousand wildcards had overflowed the stack)."""
    left, right = template_tokens(pieces, 0), glob_tokens(pattern)
    if len(left) + len(right) > SEARCHED:
        return True
    return meeting(left, right) is not None


_STAR, _ONE = "*", "?"  # glob tokens; a literal character is a token of its own, wrapped in a tuple


def glob_tokens(pattern: str) -> list[object]:
    """A resource pattern as glob tokens: its wildcards, and its variables and escapes read as any non-empty
    text (a variable's value is not empty; an over-approximation: the solver decides whether a resource
    matches)."""
    out: list[object] = []
    for piece in re.split(r"(\$\{[^}]*\})", pattern):
        if piece.startswith("${"):
            out += [_ONE, _STAR]
        else:
            out += [_STAR if c == "*" else _ONE if c == "?" else (c,) for c in piece]
    return out


def template_tokens(pieces: tuple[str, ...], least: int) -> list[object]:
    """A template's shape as glob tokens, each `${...}` part at least `least` characters of any text."""
    out: list[object] = [(c,) for c in pieces[0]]
    for piece in pieces[1:]:
        out += [_ONE] * least + [_STAR] + [(c,) for c in piece]
    return out


def meeting(left: list[object], right: list[object]) -> str | None:
    """A string both globs match, or None when they match none in common: a search over pairs of positions,
    a literal preferred to a wildcard's filler ('x')."""
    memo: dict[tuple[int, int], str | None] = {}

    def at(i: int, j: int) -> str | None:
        if (i, j) in memo:
            return memo[i, j]
        memo[i, j] = None  # a cycle through (i, j) adds nothing
        a = left[i] if i < len(left) else None
        b = right[j] if j < len(right) else None
        found: str | None = "" if a is None and b is None else None
        if found is None and a not in (None, _STAR) and b not in (None, _STAR) and (a == b or _ONE in (a, b)):
            rest = at(i + 1, j + 1)
            found = None if rest is None else _char(a, b) + rest
        if found is None and a is _STAR:
            found = at(i + 1, j)
            if found is None and b not in (None, _STAR):
                rest = at(i, j + 1)
                found = None if rest is None else _char(b, b) + rest
        if found is None and b is _STAR:
            found = at(i, j + 1)
            if found is None and a not in (None, _STAR):
                rest = at(i + 1, j)
                found = None if rest is None else _char(a, a) + rest
        memo[i, j] = found
        return found

    return at(0, 0)


def _char(a: object, b: object) -> str:
    literal = a if isinstance(a, tuple) else b if isinstance(b, tuple) else ("x",)
    assert isinstance(literal, tuple)
    return str(literal[0])
