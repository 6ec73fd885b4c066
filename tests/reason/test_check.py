"""The reasoner on the essay's questions and on the engines' distinct routes to an answer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solomonic.reason import check
from solomonic.reason.api import CheckOptions, load
from solomonic.reason.certify.certificate import Invariant
from solomonic.reason.certify.certificate import check as check_certificate
from solomonic.reason.recheck import recheck
from solomonic.reason.result import PROPERTY_ERRORS, UNDEFINED_BEHAVIOUR, Verdict
from solomonic.reason.symbolic.system import build_system

SEED = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "seed"
needs_seed = pytest.mark.skipif(not SEED.is_dir(), reason="../shared/benchmarks/seed is not beside the project")


def one(path, function, prop, **kw):
    (result,) = check(str(path), function=function, property=prop, **kw)
    return result


@needs_seed
@pytest.mark.parametrize("suffix", [".py", ".c"])
def test_the_essays_f_always_returns_true(suffix):
    r = one(SEED / f"seed_examples{suffix}", "f", "returns-true")
    assert r.verdict == Verdict.YES
    assert r.certificate["kind"] in ("bounded exploration", "inductive invariants")


@needs_seed
def test_the_essays_g2_overflows_in_c_and_the_witness_replays():
    r = one(SEED / "seed_examples.c", "g2", "no-overflow")
    assert r.verdict == Verdict.NO
    x, y = r.witness["inputs"]["x"], r.witness["inputs"]["y"]
    assert x > y and not -(2**31) <= x - y < 2**31  # the subtraction really overflows
    assert r.witness["replay"]["confirmed"] and "signed integer overflow" in r.witness["replay"]["observed"]


@needs_seed
def test_self_reference_is_unknown_with_that_reason():
    r = one(SEED / "seed_examples.py", "h", "assert")
    assert r.verdict == Verdict.UNKNOWN and "analyser itself" in r.reason


def test_loop_invariant_is_found_and_reported(tmp_path):
    src = tmp_path / "count.c"
    src.write_text(
        "extern unsigned __VERIFIER_nondet_uint(void);\n"
        "extern void __VERIFIER_assert(int);\n"
        "int main(void) {\n"
        "  unsigned n = __VERIFIER_nondet_uint(), x = n, y = 0;\n"
        "  while (x > 0) { x--; y++; }\n"
        "  __VERIFIER_assert(y == n);\n"
        "  return 0;\n}\n")
    r = one(src, "main", "assert")
    assert r.verdict == Verdict.YES and r.certificate["kind"] == "inductive invariants"
    (inv,) = r.certificate["invariants"]
    assert inv["line"] == 5 and r.certificate["checked"] == "bit-vector semantics"


def test_bounded_loops_are_proved_by_exhausting_them(tmp_path):
    src = tmp_path / "sum.py"
    src.write_text("def total() -> bool:\n    s = 0\n    for i in range(10):\n        s += i\n    return s == 45\n")
    r = one(src, "total", "returns-true")
    assert r.verdict == Verdict.YES and r.certificate["kind"] == "bounded exploration"
    assert "10 loop iterations" in r.certificate["summary"] or "11 loop iterations" in r.certificate["summary"]


def test_preconditions_restrict_inputs(tmp_path):
    src = tmp_path / "pre.py"
    src.write_text("from solomonic.reason import assume\n\n"
                   "def half(x: int) -> bool:\n    assume(x % 2 == 0)\n    return (x // 2) * 2 == x\n\n"
                   "def half_any(x: int) -> bool:\n    return (x // 2) * 2 == x\n")
    assert one(src, "half", "returns-true").verdict == Verdict.YES
    r = one(src, "half_any", "returns-true")
    assert r.verdict == Verdict.NO and r.witness["inputs"]["x"] % 2 == 1


def test_undefined_behaviour_makes_the_assert_question_unknown(tmp_path):
    src = tmp_path / "ub.c"
    src.write_text("#include <assert.h>\nint f(int x) {\n  int y = x + 1;\n  assert(y != 0 || x == -1);\n"
                   "  return y;\n}\n")
    r = one(src, "f", "assert")
    assert r.verdict == Verdict.UNKNOWN and "undefined behaviour" in r.reason and "line 3" in r.reason
    assert one(src, "f", "no-overflow").verdict == Verdict.NO


def test_a_ub_free_path_to_a_failure_is_still_a_no(tmp_path):
    src = tmp_path / "both.c"
    src.write_text("#include <assert.h>\nint f(int x) {\n  if (x > 5) return x * 1000000;\n"
                   "  assert(x != 3);\n  return 0;\n}\n")
    r = one(src, "f", "assert")
    assert r.verdict == Verdict.NO and r.witness["inputs"]["x"] == 3


def test_c_data_models_differ_on_long(tmp_path):
    src = tmp_path / "long.c"
    src.write_text("int fits(long x) { return x <= 2147483647L; }\n")
    assert one(src, "fits", "returns-true", data_model="ILP32").verdict == Verdict.YES
    r = one(src, "fits", "returns-true", data_model="LP64")
    assert r.verdict == Verdict.NO and r.witness["inputs"]["x"] > 2**31 - 1


def test_a_tampered_invariant_fails_the_certificate_check(tmp_path):
    src = tmp_path / "loop.py"
    src.write_text("from solomonic.reason import assume\n\n"
                   "def f(n: int) -> bool:\n    assume(n >= 0)\n    i = 0\n    while i < n:\n        i += 1\n"
                   "    return i == n\n")
    r = one(src, "f", "returns-true")
    assert r.verdict == Verdict.YES and r.certificate["kind"] == "inductive invariants"
    function = load(str(src), CheckOptions()).lower("f")
    system = build_system(function, PROPERTY_ERRORS["returns-true"], set())
    invariants = [Invariant.from_json(d) for d in r.certificate["invariants"]]
    assert check_certificate(system, invariants, 10)[0] is None
    broken = [Invariant(i.location, i.line, i.variables, "true", "true") for i in invariants]
    assert check_certificate(system, broken, 10)[0] is not None


def test_recheck_confirms_evidence_and_rejects_forgeries(tmp_path):
    src = tmp_path / "m.py"
    src.write_text("def inc(x: int) -> bool:\n    return x + 1 > x\n\ndef pos(x: int) -> bool:\n    return x > 0\n")
    results = check(str(src), property="returns-true")
    assert [r.verdict for r in results] == [Verdict.YES, Verdict.NO]
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json() for r in results]))
    assert all(c.confirmed for c in recheck(str(saved)))
    forged = [r.to_json() for r in results]
    forged[1]["witness"]["inputs"]["x"] = 5  # pos(5) is true: not a counterexample
    saved.write_text(json.dumps(forged))
    checks = recheck(str(saved))
    assert checks[0].confirmed and not checks[1].confirmed


def test_results_do_not_depend_on_the_run(tmp_path):
    src = tmp_path / "det.c"
    src.write_text("unsigned f(unsigned a, unsigned b) { return a - b < a; }\n")
    first = one(src, "f", "returns-true")
    second = one(src, "f", "returns-true")
    assert first.verdict == second.verdict == Verdict.NO
    assert first.witness["inputs"] == second.witness["inputs"]


def test_property_table_is_consistent():
    assert UNDEFINED_BEHAVIOUR & PROPERTY_ERRORS["no-overflow"] == {"overflow"}
    assert not PROPERTY_ERRORS["assert"] & UNDEFINED_BEHAVIOUR
