"""A safety proof from the program's own facts and its loops' entry bounds (safety._Analysis.facts_proof,
engines/entry_facts.py): octagonal relations that hold where a loop is entered and every step keeps prove
what the program's comparisons alone do not; a relation no step keeps is never stated; the certificate is
re-checked from scratch."""

from __future__ import annotations

import textwrap
import time

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.api import CheckOptions, load
from solomonic.reason.engines.evidence import confirm
from solomonic.reason.engines.safety import Options, _Analysis
from solomonic.reason.result import Verdict
from solomonic.reason.symbolic.system import build_system

# `z - 1` cannot overflow while x > 0 only because z - x never falls below its value on entry, 1 - 10^6
PROGRAM = """
    extern int __VERIFIER_nondet_int(void);
    extern _Bool __VERIFIER_nondet_bool(void);
    int main(void) {
        int x = __VERIFIER_nondet_int(), z = 1;
        if (x > 1000000 || x < -1000000) return 0;
        while (x > 0) {
            if (__VERIFIER_nondet_bool()) { x = x - 1; z = z - STEP; }
            else x = x - 2;
        }
        return z;
    }
    """


def facts_proof(tmp_path, step: int):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(PROGRAM.replace("STEP", str(step))))
    function = load(str(path), CheckOptions()).lower("main", "no-overflow")
    analysis = _Analysis(function, "no-overflow", Options(timeout_s=30), time.monotonic() + 30)
    analysis.system = build_system(function, analysis.error_kinds, analysis.poison_kinds)
    return function, analysis.facts_proof()


def proved(tmp_path, text: str, prop: str, *stated_parts: str) -> str:
    """The facts proof of `text`'s main for `prop`: a yes stating each of `stated_parts`, re-checked;
    its invariants' text."""
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(text))
    function = load(str(path), CheckOptions()).lower("main", prop)
    analysis = _Analysis(function, prop, Options(timeout_s=30), time.monotonic() + 30)
    analysis.system = build_system(function, analysis.error_kinds, analysis.poison_kinds)
    result = analysis.facts_proof()
    assert result is not None and result.verdict == Verdict.YES
    stated = " ".join(inv["invariant"] for inv in result.certificate["invariants"])
    for part in stated_parts:
        assert part in stated, (part, stated)
    assert confirm(function, result, 20).confirmed
    return stated


def test_entry_bounds_prove_what_the_programs_comparisons_do_not(tmp_path):
    function, result = facts_proof(tmp_path, 1)
    assert result is not None and result.verdict == Verdict.YES
    stated = " ".join(inv["invariant"] for inv in result.certificate["invariants"])
    assert "z" in stated and "x" in stated and "-999999" in stated  # the relation z - x >= 1 - 10^6
    assert confirm(function, result, 20).confirmed


def test_a_relation_no_step_keeps_proves_nothing(tmp_path):
    """z - 2x is what stays put here, which no octagonal bound states: the stage gives up (the race goes on)."""
    _, result = facts_proof(tmp_path, 2)
    assert result is None


# only x % 2 == 1 (x steps by 6 from 3) shows that the low bit stays set: no comparison states it
CONGRUENT = """
    extern int __VERIFIER_nondet_int(void);
    extern void reach_error(void);
    int main(void) {
        unsigned int x = 3;
        while (x < 1000000 && __VERIFIER_nondet_int()) {
            x += 6;
            if ((x & 1) != 1) reach_error();
        }
        return 0;
    }
    """


def test_congruences_the_runs_show_prove_what_no_comparison_states(tmp_path):
    proved(tmp_path, CONGRUENT, "assert", "x mod 2 == 1")


# x is even where y is, and ends at 99 where y is odd: facts on each side of y % 2, which no iteration
# changes; neither holds of every run
SPLIT = """
    extern unsigned int __VERIFIER_nondet_uint(void);
    extern void reach_error(void);
    int main(void) {
        unsigned int x = 0, y = __VERIFIER_nondet_uint();
        while (x < 99) { if (y % 2 == 0) x += 2; else x++; }
        if (x % 2 != y % 2) reach_error();
        return 0;
    }
    """


def test_facts_on_each_side_of_a_condition_no_iteration_changes(tmp_path):
    proved(tmp_path, SPLIT, "assert", "|| x mod 2 == 0", "|| 99 >= x")


# numbers[j] with j <= i is in bounds only because i < size, which holds where the outer loop is
# entered (i = size - 1) and which the inner loop, entered from within the outer one, never changes
BUBBLE = """
    extern int __VERIFIER_nondet_int(void);
    void sort(int *numbers, int size) {
        for (int i = size - 1; i >= 0; i--)
            for (int j = 1; j <= i; j++)
                if (numbers[j - 1] > numbers[j]) { int t = numbers[j - 1]; numbers[j - 1] = numbers[j]; numbers[j] = t; }
    }
    int main(void) {
        int size = __VERIFIER_nondet_int();
        if (size < 1 || size >= 1000000) size = 1;
        int *numbers = __builtin_alloca(size * sizeof(int));
        sort(numbers, size);
        return 0;
    }
    """


def test_an_inner_loop_gets_the_bounds_its_outer_loop_is_entered_with(tmp_path):
    stated = proved(tmp_path, BUBBLE, "no-overflow", "sort#1.j", "(__builtin_alloca#1$size - sort#1.i) >= 1")
    assert "||" not in stated  # a pointer's null flag, 0 throughout, splits nothing


# s grows by at most 255 a step while i grows by exactly 1: s - 255*i stays at or below its value on
# entry, 0, which no octagonal term states and which the assertion needs
PACED = """
    extern unsigned int __VERIFIER_nondet_uint(void);
    extern void reach_error(void);
    int main(void) {
        unsigned short n = __VERIFIER_nondet_uint();
        unsigned int s = 0, i = 0;
        while (i < n) { s += __VERIFIER_nondet_uint() & 0xff; ++i; }
        if (s > 255 * (unsigned int) n) reach_error();
        return 0;
    }
    """


def test_a_sum_bounded_by_its_steps_times_the_count(tmp_path):
    proved(tmp_path, PACED, "assert", "(s - 255*i) <= 0")


# k counts i's steps in a loop whose exit is nondeterministic, then both count down while j counts up to
# n = i: the assertion needs k == i and i + j == n, equalities the runs show (sampled.py) and no
# comparison in the program states
COUNTERS_IN_STEP = """
    extern int __VERIFIER_nondet_int(void);
    extern void reach_error(void);
    int main(void) {
        int i = 0, k = 0, j = 0, n;
        while (__VERIFIER_nondet_int() && i <= 1000000) { i = i + 1; k = k + 1; }
        n = i;
        while (1) {
            if (!(k >= 0)) reach_error();
            k = k - 1; i = i - 1; j = j + 1;
            if (j >= n) break;
        }
        return 0;
    }
    """


def test_the_linear_equalities_the_runs_show_are_candidates(tmp_path):
    proved(tmp_path, COUNTERS_IN_STEP, "assert", "(-i + 1*k) == 0", "(-i - j + 1*n) == 0")


# a flag read once chooses how i and j step: with it set, b == a (b grows by j - i == 1); without it,
# 2*b == a - a*a, whose bound excludes b's overflow while a < 1000. Neither holds of every run; each
# holds on its side of the flag (sampled.equalities(cases=)), which the loop's exit tests
FLAGGED_STEPS = """
    extern int __VERIFIER_nondet_int(void);
    extern void reach_error(void);
    extern void abort(void);
    int main(void) {
        int a = 0, b = 0, i, j = 1, flag = __VERIFIER_nondet_int();
        if (flag) i = 0; else i = 1;
        while (__VERIFIER_nondet_int()) {
            a++; b += j - i; i += 2;
            if (i % 2 == 0) j += 2; else j++;
            if (!(a < 1000)) abort();
        }
        if (flag && a != b) reach_error();
        return 0;
    }
    """


def test_equalities_on_each_side_of_a_flag_are_candidates(tmp_path):
    stated = proved(tmp_path, FLAGGED_STEPS, "assert", "flag")
    assert "a*a" in stated.replace(" ", ""), stated  # 2*b == a - a*a where the flag is 0


# a scan up to the terminator the program writes at a constant index, and a copy of at most one
# character: the scan's index stays at or before the terminator (`at <= 7`, no comparison says so) and
# strncpy's n is the caller's `to - from + 1` (what the caller bounds), both candidates now
LAST_WORD = """
    extern char __VERIFIER_nondet_char(void);
    extern void abort(void);
    char *strncpy(char *dest, const char *src, unsigned long n);
    void reach_error(void) { abort(); }
    static int last_word(char *line) {
        int from = 0, at = -1, to;
        char word[2];
        do {
            at++;
            if (line[at] == 0) {
                while (line[from] == ' ') from++;
                to = at - 1;
                while (0 < to && line[to] == ' ') to--;
                if (from > to || to - from + 1 >= 2) return -1;
                strncpy(word, line + from, to - from + 1);
                if (!(to - from + 1 < 2)) reach_error();
                word[to - from + 1] = 0;
                from = at + 1;
            }
        } while (line[at] != 0);
        return 0;
    }
    int main(void) {
        char line[9];
        for (int k = 0; k < 8; k++) line[k] = __VERIFIER_nondet_char();
        line[8] = 0;
        return last_word(line);
    }
    """


def test_a_terminator_at_a_constant_index_bounds_the_scan_and_a_parameter_is_its_argument(tmp_path):
    proved(tmp_path, LAST_WORD, "assert", "line[8] == 0", "last_word#1.at <= 7", "strncpy#2.n == ")
