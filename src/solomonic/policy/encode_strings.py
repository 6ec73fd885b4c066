"""Policy strings as z3 regular expressions: wildcards, ARNs and policy variables.

A policy string (an `Action`, a `Resource`, a `StringLike` value) is read into parts: literal text, the
wildcards `*` and `?`, and policy variables `${key}`. Each of AWS's matching rules then becomes a z3
regular expression over those parts, so that "the request's resource matches this pattern" is one `InRe`
atom the solver reasons about for every resource at once (Zelkova's design, FMCAD 2018, section 4).

A policy variable is the request's own value for that key: `Re(value)` of a z3 string term, which z3's
sequence theory accepts inside a regular expression. A value that needs the key also needs the key to be
present (`Pattern.variables`); the caller adds that. This module is written apart from the concrete
evaluator's `wildcard` and `variables` on purpose: the evaluator replays every witness this encoding finds.

The three matching rules (the same AWS references the evaluator cites):

* glob: `*` any text, `?` one character, over the whole string (actions, `StringLike`).
* resource: "IAM JSON policy elements: Resource", *Using wildcards in resource ARNs*: wildcards act within
  a colon-separated segment, except that a `*` ending a segment "can expand to match beyond the colon
  boundaries". The page is silent on a `?` or a mid-segment `*` covering a `:`; `resource_regexes` gives
  both readings so that the encoding can leave the requests where they differ out of its universe.
* ARN fields (`ArnLike`, `ArnEquals`): the six colon-delimited components are matched one by one; the
  reference gives a value of fewer no meaning (`encode_open`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

import z3

from solomonic.policy.unsupported import Unsupported

STRING = z3.StringSort()
RE = z3.ReSort(STRING)
ANY_CHAR = z3.AllChar(RE)
ANYTHING = z3.Star(ANY_CHAR)
# the same language, written "empty or one or more characters" so that z3's rewriter leaves `x in "lit".*` a
# membership: as `prefixof("lit", x)`, negated beside another condition value (StringLike https://a/* against
# https://a/*x), its string solver took 1.3 s to 10 s, as a membership 2 ms. Action patterns keep ANYTHING:
# there the prefix form is the fast one (rds:Reboot* without rds:RebootDBInstance: 0.7 s, else a 5 s timeout)
ANY_TEXT = z3.Option(z3.Plus(ANY_CHAR))
NOT_COLON = z3.Diff(ANY_CHAR, z3.Re(":"))

PartKind = Literal["text", "star", "one", "var"]
VARIABLE = re.compile(r"\$\{([^}]*)\}")
ESCAPES = {"*": "*", "?": "?", "$": "$"}  # `${*}` is a literal star, not a wildcard (IAM "Policy variables")


@dataclass(frozen=True)
class Part:
    kind: PartKind
    text: str = ""  # the literal text, or the variable's key


@dataclass(frozen=True)
class Pattern:
    """A policy string read into parts. `variables` are the keys whose values it embeds."""

    parts: tuple[Part, ...]
    source: str

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.parts if p.kind == "var")

    @property
    def literal(self) -> str | None:
        """The one string it matches, when it has neither wildcard nor variable."""
        if any(p.kind != "text" for p in self.parts):
            return None
        return "".join(p.text for p in self.parts)

    def lower(self) -> Pattern:
        return Pattern(tuple(Part(p.kind, p.text.lower()) if p.kind == "text" else p for p in self.parts),
                       self.source)


def read(text: str, *, wildcards: bool = True, variables: bool = True) -> Pattern:
    """`text` as parts. `variables` is False for a policy whose `Version` is not `2012-10-17` (AWS then reads
    `${...}` as literal text); `wildcards` is False for the exact operators (`StringEquals`)."""
    parts: list[Part] = []

    def literal_text(chunk: str) -> None:
        if not wildcards:
            _append(parts, Part("text", chunk))
            return
        for piece in re.split(r"([*?])", chunk):
            if piece in ("*", "?"):
                parts.append(Part("star" if piece == "*" else "one"))
            elif piece:
                _append(parts, Part("text", piece))

    position = 0
    for match in VARIABLE.finditer(text) if variables else ():
        literal_text(text[position:match.start()])
        inner = match.group(1).strip()
        if inner in ESCAPES:
            _append(parts, Part("text", ESCAPES[inner]))
        elif "," in inner:
            raise Unsupported(f"policy variable with a default value {match.group(0)!r} in {text!r}")
        elif not inner:
            raise Unsupported(f"empty policy variable in {text!r}")
        else:
            parts.append(Part("var", inner))
        position = match.end()
    if variables and "${" in text[position:]:
        raise Unsupported(f"{text!r}: '${{' does not start a policy variable of a documented form")
    literal_text(text[position:])
    return Pattern(tuple(parts), text)


_DEFAULT = re.compile(r"\s*([^\s,'{}]+)\s*,\s*'[^']*'\s*")


def variable_keys(text: str) -> list[str] | None:
    """The context keys the policy variables of `text` read, for a value the encoding does not model (a
    variable with a default value reads its key too: `${aws:username, 'guest'}`); None where a `${` is of no
    documented form, so that what the value reads is not known."""
    keys = []
    for match in VARIABLE.finditer(text):
        inner = match.group(1)
        if inner.strip() in ESCAPES:
            continue
        default = _DEFAULT.fullmatch(inner)
        name = default.group(1) if default else inner.strip()
        if not name or "," in name or "'" in name:
            return None
        keys.append(name)
    return None if "${" in VARIABLE.sub("", text) else keys


def _append(parts: list[Part], part: Part) -> None:
    """Merge adjacent literal text, so that a pattern's segment boundaries are seen in one piece."""
    if parts and parts[-1].kind == "text":
        parts[-1] = Part("text", parts[-1].text + part.text)
    else:
        parts.append(part)


def _concat(pieces: list[z3.ReRef]) -> z3.ReRef:
    if not pieces:
        return z3.Re("")
    return pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)


def _var_re(part: Part, values: dict[str, z3.SeqRef]) -> z3.ReRef:
    return z3.Re(values[part.text])


def term(pattern: Pattern, values: dict[str, z3.SeqRef]) -> z3.SeqRef | None:
    """The one string a pattern without wildcards stands for, as a z3 term (its variables' values spliced in),
    or None when it has a wildcard. An equality with it is far easier for z3 than membership in `Re(term)`."""
    if any(p.kind in ("star", "one") for p in pattern.parts):
        return None
    pieces = [z3.StringVal(p.text) if p.kind == "text" else values[p.text] for p in pattern.parts]
    if not pieces:
        return z3.StringVal("")
    return pieces[0] if len(pieces) == 1 else z3.Concat(*pieces)


def case_insensitive(text: str) -> z3.ReRef:
    """The regular expression of `text` in any letter case (`StringEqualsIgnoreCase`; AWS action names)."""
    pieces = [z3.Union(z3.Re(c.lower()), z3.Re(c.upper())) if c.lower() != c.upper() else z3.Re(c) for c in text]
    return _concat(pieces)


def glob_regex(pattern: Pattern, values: dict[str, z3.SeqRef], *, ignore_case: bool = False,
               star: z3.ReRef = ANYTHING) -> z3.ReRef:
    """`*` any text, `?` one character, over the whole string; `values` maps each variable to its z3 term."""
    pieces: list[z3.ReRef] = []
    for part in pattern.parts:
        if part.kind == "text":
            pieces.append(case_insensitive(part.text) if ignore_case else z3.Re(part.text))
        elif part.kind == "star":
            pieces.append(star)
        elif part.kind == "one":
            pieces.append(ANY_CHAR)
        else:
            if ignore_case:
                raise Unsupported(f"policy variable in a case-insensitive comparison {pattern.source!r}")
            pieces.append(_var_re(part, values))
    return _concat(pieces)


def _ends_segment(parts: tuple[Part, ...], index: int) -> bool:
    """Does the `*` at `index` end its colon-separated segment (the pattern ends or `:` text follows)?"""
    for part in parts[index + 1:]:
        if part.kind == "star":
            continue
        if part.kind == "var":
            raise Unsupported("a '*' directly before a policy variable in a Resource: where its segment ends "
                              "depends on the variable's value")
        return part.kind == "text" and part.text.startswith(":")
    return True


def resource_regexes(pattern: Pattern, values: dict[str, z3.SeqRef]) -> tuple[z3.ReRef, z3.ReRef | None]:
    """The `Resource` rule: (the within-segment reading, the reading where every wildcard may cover a `:`).

    The second is None when the pattern has no `?` and no mid-segment `*`, so the readings cannot differ."""
    within: list[z3.ReRef] = []
    sensitive = False
    for index, part in enumerate(pattern.parts):
        if part.kind == "text":
            within.append(z3.Re(part.text))
        elif part.kind == "var":
            within.append(_var_re(part, values))
        elif part.kind == "one":
            within.append(NOT_COLON)
            sensitive = True
        elif _ends_segment(pattern.parts, index):
            within.append(ANYTHING)
        else:
            within.append(z3.Star(NOT_COLON))
            sensitive = True
    return _concat(within), (glob_regex(pattern, values) if sensitive else None)


ARN_SHAPE = z3.Concat(*([z3.Star(NOT_COLON), z3.Re(":")] * 5), ANYTHING)
"""A string of at least six colon-separated fields: the values the ARN operators compare."""


def arn_fields_regex(pattern: Pattern) -> z3.ReRef | None:
    """`ArnLike`: each of the six fields (cut at the first five colons) matched on its own; a field of the
    request's ARN holds no `:` except the sixth. None for a value of fewer fields (the lone `*` too): the
    reference defines the ARN operators field by field only, so the caller makes it an open case."""
    fields = arn_field_regexes(pattern)
    if fields is None:
        return None
    return _concat([piece for number, field in enumerate(fields) for piece in ([z3.Re(":")] if number else [])
                    + [field]])


def arn_field_regexes(pattern: Pattern) -> list[z3.ReRef] | None:
    """The six fields of an `ArnLike` value, each as the regular expression its field of the request's ARN
    must match (`arn_fields_regex`): for a term whose fields are known apart (an IAM principal's ARN over its
    partition, account and name), z3 then matches each part on its own instead of cutting the ARN. None for
    a value of fewer fields."""
    if pattern.variables:
        raise Unsupported(f"policy variable in an ARN condition value {pattern.source!r}")
    fields: list[list[Part]] = [[]]
    for part in pattern.parts:
        if part.kind != "text":
            fields[-1].append(part)
            continue
        rest = part.text
        while ":" in rest and len(fields) < 6:
            head, rest = rest.split(":", 1)
            if head:
                fields[-1].append(Part("text", head))
            fields.append([])
        if rest:
            fields[-1].append(Part("text", rest))
    if len(fields) != 6:
        return None
    out = []
    for number, field in enumerate(fields):
        last = number == 5
        pieces = [z3.Re(part.text) if part.kind == "text" else
                  (ANYTHING if last else z3.Star(NOT_COLON)) if part.kind == "star" else
                  (ANY_CHAR if last else NOT_COLON) for part in field]
        out.append(_concat(pieces))
    return out


CLASS_RLIMIT = 200_000  # z3 resource units per combination; one not decided in it counts as realized


def classes(regexes: list[z3.ReRef], limit: int) -> int:
    """How many of the combinations "matches regex i, or not" (over all i) some string realizes, counted up to
    `limit + 1`: the classes a set operator tells elements apart by, so a set needs one element per class to
    show every combination (`encode_request`). `app-*`, `app-*x` and `Name` make 4 classes, not 2**3: an element
    like `app-*x` is like `app-*`, and `Name` is like neither. A combination z3 does not decide counts (the
    count may only be too large)."""
    text = z3.String("element")
    solver = z3.Solver()
    solver.set("rlimit", CLASS_RLIMIT)
    found = 0

    def extend(index: int) -> None:
        nonlocal found
        if found > limit:
            return
        if index == len(regexes):
            found += 1
            return
        for regex in (regexes[index], z3.Complement(regexes[index])):
            solver.push()
            solver.add(z3.InRe(text, regex))
            if solver.check() != z3.unsat:
                extend(index + 1)
            solver.pop()

    extend(0)
    return found
