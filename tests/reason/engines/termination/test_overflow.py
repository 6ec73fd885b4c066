"""Overflow freedom inside a termination proof: octagonal bounds read where a loop is entered.

`x - y` stays put in a loop that moves x and y together; bounded where the loop is entered, it bounds
x wherever the guard bounds y, and that excludes the overflow of `x - 1`. Without such a bound on
entry the overflow is reachable, and no yes may come out.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

import z3

from solomonic.reason import check
from solomonic.reason.result import Verdict

TOGETHER = """
    extern int __VERIFIER_nondet_int(void);
    int main() {
        int a = __VERIFIER_nondet_int(), b = __VERIFIER_nondet_int();
        int x = __VERIFIER_nondet_int(), y = __VERIFIER_nondet_int();
        if (!(-268435455 <= a && a <= 268435455)) return 0;
        if (!(-268435455 <= b && b <= 268435455)) return 0;
        if (!(-268435455 <= x && x <= 268435455)) return 0;
        if (!(-268435455 <= y && y <= 268435455)) return 0;
        if (a == b) {
            while (x >= 0 || y >= 0) {
                x = x + a - b - 1;
                y = y + b - a - 1;
            }
        }
        return 0;
    }
    """


def write(tmp_path: Path, source: str) -> Path:
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(source))
    return path


def test_variables_that_move_together_bound_each_other_and_exclude_overflow(tmp_path):
    [result] = check(str(write(tmp_path, TOGETHER)), function="main", property="terminates", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
    [invariant] = result.certificate["invariants"]
    assert "(x - y) >= -536870910" in invariant["invariant"], invariant["invariant"]
    assert "(x - y) <= 536870910" in invariant["invariant"], invariant["invariant"]


def test_the_bound_is_rechecked_and_a_weakened_one_is_caught(tmp_path):
    from solomonic.reason.recheck import recheck

    [result] = check(str(write(tmp_path, TOGETHER)), function="main", property="terminates", timeout=30)
    assert result.verdict == Verdict.YES, result.reason
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([result.to_json()]))
    assert recheck(str(saved), timeout_s=20)[0].confirmed is True
    data = json.loads(saved.read_text())
    [invariant] = data[0]["certificate"]["invariants"]
    lower = "(>= (- x y) (- 536870910))"
    assert lower in invariant["smt2"], invariant["smt2"]
    invariant["smt2"] = invariant["smt2"].replace(lower, "(>= (- x y) (- 2147483647))")  # too weak: x may overflow
    saved.write_text(json.dumps(data))
    assert recheck(str(saved), timeout_s=20)[0].confirmed is False


def test_no_yes_where_the_entry_leaves_the_difference_unbounded(tmp_path):
    """y is bounded only above: with y >= 0 and x == INT_MIN the step x - 1 overflows."""
    source = """
        extern int __VERIFIER_nondet_int(void);
        int main() {
            int x = __VERIFIER_nondet_int(), y = __VERIFIER_nondet_int();
            if (!(y <= 1000)) return 0;
            while (x >= 0 || y >= 0) {
                x = x - 1;
                y = y - 1;
            }
            return 0;
        }
        """
    [result] = check(str(write(tmp_path, source)), function="main", property="terminates", timeout=20)
    assert result.verdict == Verdict.UNKNOWN, result.reason
    assert "undefined behaviour" in result.reason


def test_entry_bounds_are_the_hull_over_the_blocks_that_enter(tmp_path):
    """Two ways into the loop (x in [0, 5] and x in [10, 20], y = x + 1 on both): the hull of x, and
    x - y exactly -1; no candidate where the bounds are only the types' (z alone)."""
    from solomonic.reason.api import CheckOptions, load
    from solomonic.reason.engines.octagon import entry_bounds
    from solomonic.reason.engines.termination.loops import find_loops
    from solomonic.reason.result import UNDEFINED_BEHAVIOUR
    from solomonic.reason.symbolic.encode import Encoder
    from solomonic.reason.symbolic.system import build_system

    path = tmp_path / "ways.c"
    path.write_text(textwrap.dedent("""
        void f(int x, int c, int z) {
            int y;
            if (c) { if (x < 0 || x > 5) return; } else { if (x < 10 || x > 20) return; }
            y = x + 1;
            while (x > z) { x--; y--; }
        }
        """))
    system = build_system(load(str(path), CheckOptions()).lower("f"), UNDEFINED_BEHAVIOUR)
    enc = Encoder("int", z3.Context())
    found = entry_bounds(system, enc, find_loops(system), {}, 10.0)
    [atoms] = [a for a in found.values() if a]
    text = {str(a) for a in atoms}
    assert {"x >= 0", "x <= 20", "x - y >= -1", "x - y <= -1"} <= text, text
    assert not any(t.startswith("z ") for t in text), text


def test_variables_fixed_on_entry_and_in_the_loop_leave_room_for_the_others(tmp_path):
    """Three alloca'd scalars bring six pointer variables (offsets and null flags) to the loop head, each
    one constant there and never changed: they are stated as those constants and left out of the pairs,
    which would otherwise pass the scalars' limit and leave `i + x <= 2147483647` (which excludes the
    overflow of `*i += 1`) unstated."""
    path = tmp_path / "quot.c"
    path.write_text(textwrap.dedent("""
        #include <alloca.h>
        extern int __VERIFIER_nondet_int(void);
        int quot(int x, int y) {
            int *x_ref = alloca(sizeof(int)), *y_ref = alloca(sizeof(int)), *i = alloca(sizeof(int));
            *x_ref = x; *y_ref = y; *i = 0;
            while (*x_ref > 0 && *y_ref > 0) {
                *i += 1;
                *x_ref = (*x_ref - 1) - (*y_ref - 1);
            }
            return *i;
        }
        int main(void) { return quot(__VERIFIER_nondet_int(), __VERIFIER_nondet_int()); }
        """))
    [result] = check(str(path), function="main", property="terminates", timeout=20, memory=None)
    assert result.verdict == Verdict.YES, result.reason
