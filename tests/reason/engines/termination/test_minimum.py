"""Rankings by the least of two quantities: each step lowers the smaller one and forgets the other."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.result import Verdict

SMALLER_FALLS = """
    extern int __VERIFIER_nondet_int(void);
    int main() {
        int p = __VERIFIER_nondet_int(), q = __VERIFIER_nondet_int();
        while (q > 0 && p > 0 && p != q) {
            if (q < p) {
                q = q - 1;
                p = __VERIFIER_nondet_int();
            } else {
                p = p - 1;
                q = __VERIFIER_nondet_int();
            }
        }
        return 0;
    }
    """


def answer(tmp_path: Path, source: str, suffix: str = ".c", function: str = "main"):
    path = tmp_path / f"program{suffix}"
    path.write_text(textwrap.dedent(source))
    [result] = check(str(path), function=function, property="terminates", timeout=30)
    return result


def test_the_smaller_of_two_that_falls_while_the_other_is_forgotten_ranks_the_loop(tmp_path):
    result = answer(tmp_path, SMALLER_FALLS)
    assert result.verdict == Verdict.YES, result.reason
    [loop] = result.certificate["loops"]
    assert loop["ranking_text"] == ["p", "q"] and "least-of-linear" in result.certificate["kind"]


def test_the_same_in_python(tmp_path):
    source = """
        def f(p: int, q: int, fresh: list[int]) -> None:
            while q > 0 and p > 0 and p != q:
                if q < p:
                    q = q - 1
                    p = fresh[q]
                else:
                    p = p - 1
                    q = fresh[p]
        """
    result = answer(tmp_path, source, ".py", "f")
    assert result.verdict == Verdict.YES, result.reason


def test_the_minimum_is_rechecked_and_a_tampered_one_is_caught(tmp_path):
    from solomonic.reason.recheck import recheck

    result = answer(tmp_path, SMALLER_FALLS)
    assert result.verdict == Verdict.YES, result.reason
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([result.to_json()]))
    assert recheck(str(saved), timeout_s=20)[0].confirmed is True
    data = json.loads(saved.read_text())
    data[0]["certificate"]["loops"][0]["minimum"][1]["coefficients"]["q"] = "2"  # min(p, 2q) need not fall
    saved.write_text(json.dumps(data))
    assert recheck(str(saved), timeout_s=20)[0].confirmed is False


def test_no_yes_where_one_arm_lowers_nothing(tmp_path):
    source = SMALLER_FALLS.replace("p = p - 1;", "")  # q >= p: only q is forgotten, and may stay
    result = answer(tmp_path, source)
    assert result.verdict != Verdict.YES, result.certificate
