"""Tabulated summaries: a recursion whose result grows exponentially, over the few arguments a program allows."""

from __future__ import annotations

import json
import textwrap
import time
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.api import CheckOptions, load
from solomonic.reason.engines.termination.tabulate import tabulated_facts
from solomonic.reason.recheck import recheck
from solomonic.reason.result import Verdict

HANOI = """
extern int __VERIFIER_nondet_int(void);
int hanoi(int n) {
    if (n == 1) return 1;
    return 2 * hanoi(n - 1) + 1;
}
int main(void) {
    int n = __VERIFIER_nondet_int();
    if (n < 1 || n > LIMIT) return 0;
    return hanoi(n);
}
"""


def write(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(source))
    return path


def facts(path: Path) -> dict[str, list[str]]:
    function = load(str(path), CheckOptions()).lower("main")
    return {name: [f.text() for f in found]
            for name, found in tabulated_facts(function, time.monotonic() + 5).items()}


def test_the_table_runs_the_procedure_over_the_programs_constants(tmp_path):
    found = facts(write(tmp_path, HANOI.replace("LIMIT", "31")))["hanoi"]
    assert "n == 31 -> result == 2147483647" in found and "n == 5 -> result == 31" in found
    assert not any(f.startswith("n == 0 ") for f in found)  # hanoi(0) runs down to INT_MIN and overflows
    assert "n >= 31 -> result == 2147483647" in found  # the last result, carried beyond the range


def test_memoised_runs_tabulate_a_doubly_recursive_function(tmp_path):
    found = facts(write(tmp_path, """
        int fib(int n) { if (n < 1) return 0; if (n == 1) return 1; return fib(n - 1) + fib(n - 2); }
        int main(void) { return fib(40); }
        """))["fib"]
    assert "n == 40 -> result == 102334155" in found  # 3e8 activations unmemoised


def test_no_table_where_a_run_reads_a_new_value_or_the_range_is_wide(tmp_path):
    assert facts(write(tmp_path, """
        extern int __VERIFIER_nondet_int(void);
        int f(int n) { if (n <= 0) return __VERIFIER_nondet_int(); return f(n - 1) + 1; }
        int main(void) { return f(10); }
        """)) == {}
    assert facts(write(tmp_path, HANOI.replace("LIMIT", "1000"))) == {}


def test_an_exponential_result_is_bounded_by_its_table_and_the_yes_is_rechecked(tmp_path):
    path = write(tmp_path, HANOI.replace("LIMIT", "31"))
    [r] = check(str(path), function="main", property="terminates", timeout=60)
    assert r.verdict == Verdict.YES, r.reason
    assert "n == 30 -> result == 1073741823" in r.certificate["summary_text"]["hanoi"]
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json()]))
    assert recheck(str(saved), timeout_s=30)[0].confirmed is True
    data = json.loads(saved.read_text())
    for fact in data[0]["certificate"]["summaries"]["hanoi"]:
        if fact.get("premise") == [{"hanoi.n#0": 1}, -30, "eq"]:
            fact["conclusion"][1] += 1  # claims hanoi(30) is one less than it is
    saved.write_text(json.dumps(data))
    again = recheck(str(saved), timeout_s=30)[0]
    assert again.confirmed is False and "certificate fails" in again.message


def test_one_argument_more_overflows_and_is_no_yes(tmp_path):
    # hanoi(32) = 2^32 - 1: the table's last entry has no value, and 2 * hanoi(31) + 1 overflows
    [r] = check(str(write(tmp_path, HANOI.replace("LIMIT", "32"))), function="main", property="terminates",
                timeout=12)
    assert r.verdict != Verdict.YES and "undefined behaviour" in r.reason
