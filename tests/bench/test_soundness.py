"""`bench soundness`: a small campaign finds no disagreement, and the C judge is shown able to find one.

The judge is what the campaign's zero rests on, so it is tested the way it is meant to fail: answers are
fabricated (a "yes" that some input refutes, a "no" whose witness does nothing wrong) and fed to the same
code that judges the tool's answers. The interval analysis that steers the writer is checked against gcc's
own idea of each type, since a wrong type there would quietly make the holes' bounds meaningless.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.bench import soundness
from solomonic.bench.soundness import ledger
from solomonic.bench.soundness.c.csmith import csmith_include
from solomonic.bench.soundness.c.judge import inputs, verify
from solomonic.bench.soundness.c.program import PRELUDE, Function, StructArgument
from solomonic.bench.soundness.c.types import TYPES, common, literal_type
from solomonic.bench.soundness.c.writer import INTERESTING, write_batch
from solomonic.reason.result import Result, Verdict


def _gcc_with_ubsan() -> bool:
    try:
        done = subprocess.run(["gcc", "-fsanitize=undefined", "-x", "c", "-", "-o", "/dev/null"],
                              input="int main(void) { return 0; }\n", capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


pytestmark = pytest.mark.skipif(not _gcc_with_ubsan(), reason="gcc with UBSan is not available")

INT, UCHAR = TYPES["int"], TYPES["unsigned char"]
PLANTED = [
    Function("nonzero", [("x", INT)], "int nonzero(int x)\n{\n    return x != 0;\n}", []),
    Function("successor", [("x", INT)], "int successor(int x)\n{\n    int y = x + 1;\n    return y != x;\n}", []),
    Function("halving", [("x", UCHAR)], "int halving(unsigned char x)\n{\n    unsigned char u = x;\n"
             "    while (u != 0) u -= 2;\n    return 1;\n}", []),
    Function("checked", [("x", INT)], "int checked(int x)\n{\n    assert(x == x);\n    return 1;\n}", []),
]


def _answer(function: str, prop: str, verdict: Verdict, inputs: dict | None = None, confirmed: bool = True) -> Result:
    witness = None if inputs is None else {"inputs": inputs, "replay": {"confirmed": confirmed}}
    return Result("planted.c", function, prop, verdict, witness=witness)


def test_the_judge_blames_every_planted_wrong_answer_and_nothing_else(tmp_path: Path):
    program = tmp_path / "planted.c"
    program.write_text(PRELUDE + "\n" + "\n\n".join(f.template for f in PLANTED) + "\n")
    rng = random.Random(0)
    rows = [(k, args) for k, f in enumerate(PLANTED) for args in inputs(f, rng)]
    wrong = [
        _answer("nonzero", "returns-true", Verdict.YES),  # x = 0 returns 0
        _answer("successor", "no-overflow", Verdict.YES),  # x = INT_MAX overflows
        _answer("successor", "returns-true", Verdict.YES),  # no overflow claimed either: UB refutes any yes
        _answer("halving", "terminates", Verdict.YES),  # odd x never reaches 0
        _answer("nonzero", "returns-true", Verdict.NO, {"x": 5}),  # the witness returns 1
        _answer("halving", "terminates", Verdict.NO, {"x": 4}),  # the witness ends
        _answer("checked", "assert", Verdict.NO, {"x": 3}),  # the witness passes the assertion
        _answer("successor", "no-overflow", Verdict.NO, {"x": 2**31 - 1}, confirmed=False),  # replay said no
        _answer("nonzero", "returns-true", Verdict.NO, {"x": 2**40}),  # not an int
    ]
    right = [
        _answer("nonzero", "returns-true", Verdict.NO, {"x": 0}),
        _answer("nonzero", "no-overflow", Verdict.YES),
        _answer("successor", "no-overflow", Verdict.NO, {"x": 2**31 - 1}),
        _answer("halving", "terminates", Verdict.NO, {"x": 3}),
        _answer("halving", "returns-true", Verdict.YES),  # partial correctness: a hang is no false return
        _answer("checked", "assert", Verdict.YES),
        _answer("checked", "terminates", Verdict.YES),
        _answer("checked", "returns-true", Verdict.UNKNOWN),
    ]
    blamed = verify(PLANTED, program, rows, wrong + right, tmp_path)
    assert [r for r, _ in blamed] == wrong, blamed
    evidence = dict(((r.function, r.property, r.verdict.value, str(r.witness)), e) for r, e in blamed)
    assert "x=0" in evidence["nonzero", "returns-true", "yes", "None"]
    assert "signed integer overflow" in evidence["successor", "no-overflow", "yes", "None"]


def test_the_harness_sets_a_struct_arguments_members_from_the_row(tmp_path: Path):
    """A struct parameter's members are the row's last values, and a witness names them by access path:
    the judge blames a yes the members refute and a no whose members do nothing wrong."""
    by_pointer = Function("differs", [("x", INT)], "int differs(int x, struct P0 *q)\n{\n    return q->m0 != x;\n}", [],
                          StructArgument("q", "P0", True, [("q->m0", INT), ("q->m1", UCHAR)]))
    by_value = Function("small", [], "int small(struct P0 q)\n{\n    return q.m1 < 255;\n}", [],
                        StructArgument("q", "P0", False, [("q.m0", INT), ("q.m1", UCHAR)]))
    functions = [by_pointer, by_value]
    program = tmp_path / "structs.c"
    program.write_text(PRELUDE + "struct P0 { int m0; unsigned char m1; };\n"
                       + "\n\n".join(f.template for f in functions) + "\n")
    rows = [(k, args) for k, f in enumerate(functions) for args in inputs(f, random.Random(0))]
    wrong = [_answer("differs", "returns-true", Verdict.YES),  # m0 == x returns 0
             _answer("differs", "returns-true", Verdict.NO, {"x": 1, "q->m0": 2, "q->m1": 0}),
             _answer("small", "returns-true", Verdict.YES),  # m1 = 255
             _answer("small", "returns-true", Verdict.NO, {"q.m0": 0, "q.m1": 7})]
    right = [_answer("differs", "returns-true", Verdict.NO, {"x": 3, "q->m0": 3, "q->m1": 9}),
             _answer("small", "returns-true", Verdict.NO, {"q.m0": -4, "q.m1": 255}),
             _answer("differs", "no-overflow", Verdict.YES)]
    blamed = verify(functions, program, rows, wrong + right, tmp_path)
    assert [r for r, _ in blamed] == wrong, blamed


def test_the_writer_types_expressions_as_gcc_does(tmp_path: Path):
    """The usual arithmetic conversions and the types of literals, against gcc's _Generic."""
    names = list(TYPES)
    pairs = [(a, b) for a in names for b in names]
    literals = [(v, h, s) for v in INTERESTING for h in (False, True) for s in ("", "u", "L", "UL", "LL", "ULL")
                if literal_type(v, h, s.upper()) is not None]
    generic = "_Generic((X), " + ", ".join(f'{n}: "{n}"' for n in names if n != "char") + ', char: "char")'
    lines = ["#include <stdio.h>", f"#define T(X) puts({generic})", "int main(void) {"]
    lines += [f"  {{ {a} x = 0; {b} y = 0; T(x + y); }}" for a, b in pairs]
    lines += [f"  T({f'0x{v:X}' if h else v}{s});" for v, h, s in literals]
    (tmp_path / "types.c").write_text("\n".join([*lines, "  return 0;", "}"]) + "\n")
    subprocess.run(["gcc", "-w", str(tmp_path / "types.c"), "-o", str(tmp_path / "types")], check=True)
    seen = subprocess.run([str(tmp_path / "types")], capture_output=True, text=True, check=True).stdout.split("\n")
    expected = [common(TYPES[a], TYPES[b]).name for a, b in pairs]
    expected += [literal_type(v, h, s.upper()).name for v, h, s in literals]
    assert seen[:-1] == expected


def test_batches_are_determined_by_the_seed():
    def text(seed: int) -> str:
        return write_batch(seed, 2, 5).source(lambda h: h.probe())

    assert text(1) == text(1) != text(2)


def test_a_cached_batch_is_read_back_and_a_partial_one_is_redone(tmp_path: Path):
    path, header = tmp_path / "c-0-0000.jsonl", {"kind": "c", "seed": 0}
    record = {"answers": [{"function": "f0", "verdict": "yes"}], "disagreements": [], "replay_rejected": []}
    calls = []

    def compute():
        calls.append(1)
        return dict(record)

    first = soundness.cached(path, header, compute)
    again = soundness.cached(path, header, compute)
    assert len(calls) == 1 and again["answers"] == first["answers"] == record["answers"]
    path.write_text("\n".join(path.read_text().splitlines()[:-1]) + "\n")  # killed before the closing line
    soundness.cached(path, header, compute)
    soundness.cached(path, {**header, "seed": 1}, compute)  # other settings
    assert len(calls) == 3


def test_the_ledger_adds_each_batch_once_and_sums_campaigns(tmp_path: Path):
    book = tmp_path / "ledger.jsonl"
    answers = [{"function": "f0", "property": "assert", "verdict": v, "reason": r}
               for v, r in (("yes", ""), ("no", ""), ("unknown", "timeout after 2 s"))]
    c = {"answers": answers, "disagreements": [], "replay_rejected": [], "seconds": 3.0, "commit": "0123abcd"}
    python = {"verdicts": {"assert": {"yes": 4}, "terminates": {"no": 1, "unknown": 2}}, "functions": 7,
              "unknown_reasons": {"timeout": 2}, "disagreements": [{"function": "g"}], "seconds": 1.0}
    for seed in (1, 2):
        header = {"kind": "c", "version": 3, "seed": seed, "index": 0, "size": 50, "timeout": 2}
        ledger.add(book, header, c)
        ledger.add(book, header, c)  # a resumed campaign reads the batch back: not counted twice
    ledger.add(book, {"kind": "python", "version": 1, "seed": 1, "index": 0, "size": 7, "timeout": 2}, python)
    with book.open("a") as f:
        f.write('{"kind": "c", "seed": 9')  # a kill mid-line
    books = ledger.totals(ledger.read(book))
    assert books["c"]["units"] == 100 and books["c"]["seeds"] == [1, 2] and books["c"]["commits"] == ["0123abcd"]
    assert books["python"]["commits"] == ["unknown"]  # a batch cached before commits were recorded
    assert books["c"]["by_property"] == {"assert": {"yes": 2, "no": 2, "unknown": 2}}
    assert books["python"]["by_property"]["terminates"] == {"yes": 0, "no": 1, "unknown": 2}
    assert books["python"]["disagreements"] == [{"function": "g"}]
    assert "**Disagreements in the ledger: 1.**" in "\n".join(ledger.markdown(book))


def test_a_small_campaign_finds_no_disagreement(tmp_path: Path):
    """CI-sized (about a minute on a busy core): 12 generated C functions in two batches, 2
    csmith programs where csmith is installed, a few Python functions. One question at a time: pytest's
    workers already fill the cores, and questions that time out beside each other prove nothing."""
    args = argparse.Namespace(c=12, csmith=2 if csmith_include() else 0, python=12, seed=0, timeout=3.0, jobs=1,
                              batch=6, cache=str(tmp_path / "cache"), output=str(tmp_path / "out.json"),
                              docs=str(tmp_path / "benchmarks.md"), ledger=str(tmp_path / "ledger.jsonl"))
    assert soundness.run(args) == 0
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["disagreements"] == 0
    c = out["parts"]["C"]["by_property"]
    assert sum(t["yes"] for t in c.values()) > 0 and sum(t["no"] for t in c.values()) > 0
    assert "<!-- bench:soundness -->" in (tmp_path / "benchmarks.md").read_text()
    assert out["parts"]["Python"]["questions"] == 12 * 3  # one batch, cached to resume like the C part
    assert (tmp_path / "cache" / "python-0-0000.jsonl").exists()
    books = ledger.totals(ledger.read(tmp_path / "ledger.jsonl"))  # one line per batch, counts as the report's
    assert books["c"]["units"] == 12 and books["c"]["batches"] == 2 and books["c"]["by_property"] == c
    assert books["python"]["units"] == 12 and books["python"]["disagreements"] == []
    assert "Every campaign in the ledger" in (tmp_path / "benchmarks.md").read_text()
