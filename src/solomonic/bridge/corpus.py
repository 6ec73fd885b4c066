"""The reasoner's own termination certificates, paired with the loops they prove: the proposer's data.

Every example is something the reasoner proved and re-checked: a loop (as `describe_loop` prints it)
and the ranking argument its certificate states for it, with the supporting invariant at its head. It
comes from a question answered in isolation (`reason.check`, as a user's would be), so nothing here can
invent a certificate; an unknown or a "no" yields no example. Sources: the generated programs of
programs.py, whose labels are compared with the reasoner's answers on the way (a "yes" for a program
built not to terminate, or a "no" for one built to, is a soundness bug and stops the harvest), and any
C or Python files (the developer suites, a user's code).

One example per loop, written as one JSON object per line (JSON Lines), so corpora can be concatenated
and read a line at a time.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import z3

from solomonic.bridge.programs import Program
from solomonic.bridge.relations import Relational
from solomonic.data.certificates import head_variables
from solomonic.reason import check
from solomonic.reason.api import CheckOptions, Source, load, questions
from solomonic.reason.certify import certificate
from solomonic.reason.engines.termination.loops import LoopAnalysis
from solomonic.reason.proposals import SEPARATOR, parse
from solomonic.reason.result import Result, Verdict
from solomonic.reason.symbolic.describe import describe_loop

PROPERTY = "terminates"


@dataclass(frozen=True)
class Example:
    origin: str  # "generated/<family>" or the file's path
    function: str
    line: int  # the loop's first head's source line
    loop: str  # describe_loop's text
    kind: str  # "linear", "lexicographic", "multiphase", "least-of-linear", "phased"; "relation": no ranking
    ranking: list[str]  # the certificate's ranking_text, one entry per level, phase or region
    invariant: str  # the supporting invariant at the loop's first head, readable ("true" where none is stated)
    proposal: str  # the same invariant as a proposer writes it: SMT-LIB conjuncts (reason.proposals)

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)


class Mislabelled(Exception):
    """The reasoner answered a generated program against the answer known by construction."""


def examples(source: Source, function: str, result: Result, origin: str) -> list[Example]:
    """The examples a "yes" for `function` of the parsed file yields: one per loop its certificate ranks."""
    cert = result.certificate or {}
    if result.verdict != Verdict.YES or not cert.get("loops") or "summaries" in cert:
        return []  # no loop, or loops of an unfolding of recursion, whose text is not the function's own
    return _stated(cert, loop_texts(source, function), function, origin)


def confirmed(result: Result, loops: dict[int, str], origin: str | None = None) -> list[Example]:
    """The examples of a yes whose proof used a proposer's invariants, the loops' texts (by head) being
    those the proposer was asked about: a termination certificate's invariant at each loop it ranks; for
    a safety proof, the proposals it rested on, each with the loops whose variables it speaks of."""
    cert = result.certificate or {}
    origin = origin or result.file
    if cert.get("loops"):
        return _stated(cert, [({head}, text) for head, text in loops.items()], result.function, origin)
    out = []
    for text in dict.fromkeys(loops.values()):
        ctx = z3.Context()
        variables = {name: z3.Int(name, ctx) for name in head_variables(text)}
        kept = list(dict.fromkeys(" ".join(term.split()) for term in (result.details.get("proposals") or {}).get("used", [])
                                  if parse(term, variables, ctx) is not None))  # a term used at two heads once
        if kept:
            out.append(Example(origin, result.function, result.line or 0, text, "relation", [], " && ".join(kept),
                               SEPARATOR.join(kept)))
    return out


def _stated(cert: dict, loops: list[tuple[set[int], str]], function: str, origin: str) -> list[Example]:
    invariants = {inv["location"]: certificate.Invariant.from_json(inv) for inv in cert.get("invariants", [])}
    out = []
    for stated in cert.get("loops", []):
        text = next((text for heads, text in loops if stated["location"] in heads), None)
        if text is None:
            continue  # the certificate speaks of a head this lowering does not have: not an example
        invariant = invariants.get(stated["location"])
        out.append(Example(origin, function, stated["line"], text, _kind(stated), list(stated["ranking_text"]),
                           invariant.text if invariant else "true", proposal(invariant) if invariant else "true"))
    return out


def proposal(invariant: certificate.Invariant) -> str:
    """The invariant as its top-level conjuncts, SMT-LIB terms joined by proposals.SEPARATOR: what a
    proposer learns to write, so that the reasoner can keep the inductive ones of a proposal partly wrong."""
    formula, _ = certificate.parse_invariant(invariant, z3.Context())
    parts = formula.children() if z3.is_and(formula) else [formula]
    return SEPARATOR.join(part.sexpr() for part in parts if not z3.is_true(part)) or "true"


def loop_texts(source: Source, function: str) -> list[tuple[set[int], str]]:
    """Each loop of the function (its heads, as the termination analysis finds them) and its text."""
    questions(source, function, PROPERTY)  # a function the file does not define is a BadInput naming those it does
    analysis = LoopAnalysis(source.lower(function), time.monotonic() + 60)
    return [(heads, describe_loop(analysis.system, heads)) for heads in analysis.loops]


def _kind(stated: dict) -> str:
    for key, kind in (("multiphase", "multiphase"), ("minimum", "least-of-linear"), ("phases", "phased")):
        if key in stated:
            return kind
    return "lexicographic" if len(stated["ranking_text"]) > 1 else "linear"


def from_files(paths: Iterable[str], timeout_s: float, jobs: int = 1) -> Iterator[Example]:
    """Examples from every function of each file that the reasoner proves to terminate."""
    for path in paths:
        source = load(path, CheckOptions())  # parsed once for all its functions
        for result in check(path, property=PROPERTY, timeout=timeout_s, jobs=jobs):
            yield from examples(source, result.function, result, path)


@dataclass
class Tally:
    programs: int = 0
    yes: int = 0
    no: int = 0
    unknown: int = 0
    examples: int = 0


def from_programs(programs: Iterable[Program], timeout_s: float, jobs: int = 1,
                  progress: Callable[[Program, Result], None] | None = None) -> tuple[list[Example], Tally]:
    """Examples from generated programs, each answered in isolation; raises Mislabelled on a contradiction
    of a program's known answer."""
    tally, out = Tally(), []
    with tempfile.TemporaryDirectory(prefix="solomonic-corpus-") as folder:
        for program in programs:
            path = str(Path(folder) / f"{program.name}.c")
            Path(path).write_text(program.source)
            [result] = check(path, function="main", property=PROPERTY, timeout=timeout_s, jobs=jobs)
            tally.programs += 1
            if result.verdict != Verdict.UNKNOWN and (result.verdict == Verdict.YES) != program.terminates:
                raise Mislabelled(f"{program.name}: the reasoner answers {result.verdict.value}, but the program "
                                  f"was built {'' if program.terminates else 'not '}to terminate:\n{program.source}")
            setattr(tally, result.verdict.value, getattr(tally, result.verdict.value) + 1)
            found = examples(load(path, CheckOptions()), "main", result, f"generated/{program.family}")
            tally.examples += len(found)
            out.extend(found)
            if progress is not None:
                progress(program, result)
    return out, tally


class _Offering:
    """A proposer that offers a generated program's relation for every loop, and keeps the loops' texts of
    a yes whose proof rests on some of it (the reasoner calls `confirmed` only then)."""

    name = "relation"

    def __init__(self, relation: tuple[str, ...]):
        self.relation = relation
        self.loops: dict[int, str] = {}

    def propose(self, loop: str, k: int) -> list[str]:
        return [SEPARATOR.join(self.relation)]

    def confirmed(self, result: Result, loops: dict[int, str]) -> None:
        self.loops = dict(loops)


def from_relations(programs: Iterable[Relational], timeout_s: float,
                   progress: Callable[[Relational, Result], None] | None = None) -> tuple[list[Example], Tally]:
    """Examples from generated programs that keep a relation: each program's assertion is asked with its
    relation offered as a proposal, and a yes whose certificate rests on parts of it (the proposals used:
    inductive, and not implied by what the program itself offers) yields, for each loop, those parts
    that speak of its variables. A "no" contradicts the construction and raises Mislabelled."""
    tally, out = Tally(), []
    with tempfile.TemporaryDirectory(prefix="solomonic-corpus-") as folder:
        for program in programs:
            path = str(Path(folder) / f"{program.name}.c")
            Path(path).write_text(program.source)
            offering = _Offering(program.relation)
            [result] = check(path, function="main", property="assert", timeout=timeout_s, proposer=offering)
            tally.programs += 1
            if result.verdict == Verdict.NO:
                raise Mislabelled(f"{program.name}: the reasoner finds the assertion can fail, but the program was "
                                  f"built to keep {' and '.join(program.relation)}:\n{program.source}")
            setattr(tally, result.verdict.value, getattr(tally, result.verdict.value) + 1)
            found = confirmed(result, offering.loops, f"generated/{program.family}") if offering.loops else []
            tally.examples += len(found)
            out.extend(found)
            if progress is not None:
                progress(program, result)
    return out, tally


def write(examples_: Iterable[Example], path: Path) -> int:
    """Write the examples as JSON Lines (atomically: a reader never sees half a corpus); their number."""
    lines = [e.to_json() for e in examples_]
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=f".{path.name}.", delete=False) as f:
        f.write("".join(line + "\n" for line in lines))
    os.replace(f.name, path)
    return len(lines)


def append(examples_: Iterable[Example], path: Path) -> None:
    """Add the examples to the corpus at `path` (made if need be) in one write, so that runs appending at
    once interleave whole lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        f.write("".join(e.to_json() + "\n" for e in examples_))


def read(path: Path) -> list[Example]:
    return [Example(**json.loads(line)) for line in path.read_text().splitlines() if line.strip()]
