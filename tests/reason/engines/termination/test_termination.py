"""Termination: ranking functions, lassos and recurrent sets on small loops with known answers."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.result import Verdict

SEED = Path(__file__).resolve().parents[5] / "shared" / "benchmarks" / "seed"


def answer(tmp_path: Path, source: str, function: str, suffix: str = ".py", timeout: float = 20.0):
    path = tmp_path / f"program{suffix}"
    path.write_text(textwrap.dedent(source))
    [result] = check(str(path), function=function, property="terminates", timeout=timeout)
    return result


@pytest.mark.parametrize("name", ["seed_examples.py", "seed_examples.c"])
def test_the_essays_g_g2_and_h(name):
    path = SEED / name
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared beside the checkout)")
    results = {r.function: r for r in check(str(path), property="terminates", timeout=10)}
    g = results["g"]
    assert g.verdict == Verdict.YES, g.reason
    assert "x" in g.certificate["loops"][0]["ranking_text"][0]  # x decreases by y > 0
    g2 = results["g2"]
    assert g2.verdict == Verdict.NO, g2.reason
    x, y = g2.witness["inputs"]["x"], g2.witness["inputs"]["y"]
    assert x > y and y <= 0 and g2.witness["replay"]["confirmed"]  # (5, 0) is one such input
    if "h" in results:
        assert results["h"].verdict == Verdict.UNKNOWN and "analyser itself" in results["h"].reason


LOOPS = {
    # name: (source, expected verdict)
    "countdown": ("""
        def f(n: int) -> None:
            while n > 0:
                n = n - 1
        """, Verdict.YES),
    "needs an invariant": ("""
        def f(x: int, y: int) -> None:
            if y >= 1:
                while x >= 0:
                    x = x - y
        """, Verdict.YES),
    "lexicographic": ("""
        def f(x: int, y: int) -> None:
            while x > 0:
                if y > 0:
                    y = y - 1
                else:
                    x = x - 1
                    y = x
        """, Verdict.YES),
    "nested": ("""
        def f(n: int) -> None:
            i = 0
            while i < n:
                j = 0
                while j < i:
                    j = j + 1
                i = i + 1
        """, Verdict.YES),
    "two phases through a branch": ("""
        def f(x: int, y: int) -> None:
            while x > 0 and y > 0:
                if x > y:
                    x = x - y
                else:
                    y = y - x
        """, Verdict.YES),
    "multiphase": ("""
        def f(x: int, y: int) -> None:
            while x >= 0:
                x = x + y
                y = y - 1
        """, Verdict.YES),
    "towards zero from either side": ("""
        def f(x: int) -> None:
            while x != 0:
                if x > 0:
                    x = x - 1
                else:
                    x = x + 1
        """, Verdict.YES),
    "a fixed point": ("""
        def f(x: int) -> None:
            while x != 0:
                x = x * 1
        """, Verdict.NO),
    "only under a precondition": ("""
        def f(x: int) -> None:
            if x == 7:
                while True:
                    pass
        """, Verdict.NO),
    "diverges by a recurrent set": ("""
        def f(x: int) -> None:
            while x != 0:
                x = x - 2
        """, Verdict.NO),
    "grows forever": ("""
        def f(x: int, y: int) -> None:
            while x > 0:
                x = x + y
                y = y + 1
        """, Verdict.NO),
    # x >= 2 is closed, but each square doubles the number's length: the interpreter cannot follow 200
    # iterations of it, so that set is set aside (not a hang) and x = 0, which repeats, is the witness
    "squares that double in length": ("""
        def f(x: int) -> None:
            while x != 1:
                x = x * x
        """, Verdict.NO),
    # the first states reached (i < n) lie in no closed set; other cubes are tried (n = 2, i >= 2)
    "a search past the answer": ("""
        def f(n: int) -> int:
            i = 0
            while i * i != n:
                i += 1
            return i
        """, Verdict.NO),
}


@pytest.mark.parametrize("name", list(LOOPS))
def test_small_python_loops(tmp_path, name):
    source, expected = LOOPS[name]
    r = answer(tmp_path, source, "f")
    assert r.verdict == expected, f"{name}: {r.verdict.value}: {r.reason}"
    if expected == Verdict.NO:
        assert r.witness["replay"]["confirmed"]
    else:
        assert r.certificate["loops"], r.certificate


def test_lexicographic_needs_two_levels(tmp_path):
    r = answer(tmp_path, LOOPS["lexicographic"][0], "f")
    assert len(r.certificate["loops"][0]["ranking"]) == 2


def test_multiphase_when_no_lexicographic_function_exists(tmp_path):
    r = answer(tmp_path, LOOPS["multiphase"][0], "f")
    assert r.certificate["kind"] == "multiphase ranking functions"
    assert r.certificate["loops"][0]["ranking_text"][0] in ("y + 1", "y")  # first y runs down, then x


def test_a_c_loop_that_overflows_is_neither_yes_nor_no(tmp_path):
    r = answer(tmp_path, """
        void f(int x) {
            while (x > 0) x = x + 1;
        }
        """, "f", ".c")
    assert r.verdict == Verdict.UNKNOWN and "undefined behaviour" in r.reason


def test_c_unsigned_countdown_and_a_c_witness(tmp_path):
    r = answer(tmp_path, """
        void down(unsigned n) { while (n > 0) n = n - 1; }
        void stuck(int x, int y) { while (x > y) x = x - y; }
        """, "down", ".c")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        void down(unsigned n) { while (n > 0) n = n - 1; }
        void stuck(int x, int y) { while (x > y) x = x - y; }
        """, "stuck", ".c")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"] and r.witness["inputs"]["y"] == 0


def test_a_loop_that_nondeterministic_values_keep_going_is_a_replayed_no(tmp_path):
    """`while (nondet()) x += 2` may run forever: a closed recurrent set (x odd) under one choice of the
    loop's value, the same at every iteration, which the witness reads and the real run is given."""
    r = answer(tmp_path, """
        extern int __VERIFIER_nondet_int(void);
        int main(void) {
            unsigned int x = 1;
            while (__VERIFIER_nondet_int())
                x += 2;
            return x % 2;
        }
        """, "main", ".c")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason
    [choice] = r.witness["recurrent_set"]["choices"]
    assert choice["origin"] == "__VERIFIER_nondet_int()" and choice["value"] != 0
    import json

    from solomonic.reason.recheck import recheck

    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json()]))
    assert [c.confirmed for c in recheck(str(saved), timeout_s=10)] == [True]
    data = json.loads(saved.read_text())
    data[0]["witness"]["recurrent_set"]["choices"][0]["value"] = 0  # the loop's exit
    saved.write_text(json.dumps(data))
    [again] = recheck(str(saved), timeout_s=10)
    assert again.confirmed is False, again.message


def test_a_choice_that_cannot_keep_a_loop_going_gives_no_no(tmp_path):
    """Whatever the values, x falls to 0: every execution ends, and no choice makes a recurrent set."""
    r = answer(tmp_path, """
        extern int __VERIFIER_nondet_int(void);
        int main(void) {
            int x = __VERIFIER_nondet_int();
            while (x > 0 && __VERIFIER_nondet_int()) {
                if (__VERIFIER_nondet_int()) x = x - 1; else x = x - 2;
            }
            return 0;
        }
        """, "main", ".c")
    assert r.verdict == Verdict.YES, r.reason


def test_a_sabotaged_ranking_is_caught_by_the_check(tmp_path, monkeypatch):
    from fractions import Fraction

    from solomonic.reason.api import CheckOptions, load
    from solomonic.reason.engines.termination import analysis as termination
    from solomonic.reason.engines.termination import proof

    original = proof.synthesise

    def wrong(*args, **kwargs):
        found = original(*args, **kwargs)
        for level in found.levels:
            for f in level.values():
                f.coeffs = {n: -a for n, a in f.coeffs.items()}  # the opposite direction
                f.constant = Fraction(0)
        return found

    monkeypatch.setattr(proof, "synthesise", wrong)
    path = tmp_path / "p.py"
    path.write_text(textwrap.dedent(LOOPS["countdown"][0]))
    r = termination.analyse(load(str(path), CheckOptions()).lower("f"), 10)
    assert r.verdict == Verdict.UNKNOWN and "ranking function not confirmed" in r.reason


def test_recheck_confirms_rankings_and_witnesses_and_catches_tampering(tmp_path):
    import json

    from solomonic.reason.recheck import recheck

    path = tmp_path / "loops.py"
    path.write_text(textwrap.dedent(LOOPS["lexicographic"][0]) + textwrap.dedent("""
        def stuck(x: int) -> None:
            while x != 0:
                x = x - 2
        """))
    results = check(str(path), property="terminates", timeout=20)
    assert [r.verdict for r in results] == [Verdict.YES, Verdict.NO], [r.reason for r in results]
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json() for r in results]))
    assert [c.confirmed for c in recheck(str(saved), timeout_s=10)] == [True, True]
    data = json.loads(saved.read_text())
    level = data[0]["certificate"]["loops"][0]["ranking"][-1]
    for f in level.values():
        f["constant"] = str(-1000)  # no longer bounded below where it decreases
    saved.write_text(json.dumps(data))
    first = recheck(str(saved), timeout_s=10)[0]
    assert first.confirmed is False and "certificate fails" in first.message


def test_few_iterations_that_no_linear_function_ranks_are_a_bounded_yes_rechecked(tmp_path):
    """x + 3k meets a multiple of 10 within 9 iterations (3 is invertible modulo 10); x + 5k from an odd
    x never does. The bound is re-checked, and a bound one too small is caught."""
    import json

    from solomonic.reason.recheck import recheck

    path = tmp_path / "pad.py"
    path.write_text(textwrap.dedent("""
        def by_threes(x: int) -> int:
            while x % 10 != 0:
                x += 3
            return x

        def by_fives(x: int) -> int:
            while x % 10 != 0:
                x += 5
            return x
        """))
    threes, fives = check(str(path), property="terminates", timeout=20)
    assert threes.verdict == Verdict.YES, threes.reason
    assert threes.certificate["kind"] == "bounded exploration" and threes.certificate["depth"] <= 16
    assert fives.verdict == Verdict.NO, fives.reason
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([threes.to_json()]))
    assert recheck(str(saved), timeout_s=10)[0].confirmed
    data = json.loads(saved.read_text())
    data[0]["certificate"]["depth"] = 9  # x = 1 takes 9 iterations, more steps than that with the exit
    saved.write_text(json.dumps(data))
    assert recheck(str(saved), timeout_s=10)[0].confirmed is False


def test_phases_are_rechecked_and_a_wrong_order_is_caught(tmp_path):
    import json

    from solomonic.reason.recheck import recheck

    path = tmp_path / "phases.py"
    path.write_text(textwrap.dedent(LOOPS["towards zero from either side"][0]))
    [r] = check(str(path), property="terminates", timeout=20)
    assert r.verdict == Verdict.YES and r.certificate["kind"] == "phased ranking functions", r.reason
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json()]))
    assert recheck(str(saved), timeout_s=10)[0].confirmed is True
    data = json.loads(saved.read_text())
    phases = data[0]["certificate"]["loops"][0]["phases"]
    phases[0]["region"], phases[1]["region"] = phases[1]["region"], phases[0]["region"]  # rankings now mismatched
    saved.write_text(json.dumps(data))
    again = recheck(str(saved), timeout_s=10)[0]
    assert again.confirmed is False and "certificate fails" in again.message


def test_a_loop_that_runs_down_an_array_element_ranks_by_it(tmp_path):
    source = """
        extern int __VERIFIER_nondet_int(void);
        void constant_index(void) {
            int a[8];
            for (int i = 0; i < 8; i++) a[i] = __VERIFIER_nondet_int();
            while (a[3] >= 0) a[3] = a[3] - 1;
        }
        void index_then_value(void) {
            int a[8];
            int k = 0;
            for (int i = 0; i < 8; i++) a[i] = __VERIFIER_nondet_int();
            while (k < 8 && a[k] >= 0) {
                if (__VERIFIER_nondet_int()) k++; else a[k]--;
            }
        }
        """
    r = answer(tmp_path, source, "constant_index", ".c")
    assert r.verdict == Verdict.YES, r.reason
    assert "a[3]" in r.certificate["loops"][-1]["ranking_text"][0]
    r = answer(tmp_path, source, "index_then_value", ".c")
    assert r.verdict == Verdict.YES, r.reason
    first, second = r.certificate["loops"][-1]["ranking_text"]
    assert "k" in first and "a[" not in first and "a[k]" in second  # the index, then the element


def test_a_pointer_s_element_ranks_by_its_offset_plus_the_index(tmp_path):
    """`p[j]` of `int *p = alloca(...)` reads the allocation at p's offset + j: named `a[p$offset+j]`,
    the same element over the step's values (SV-COMP's termination-memory-alloca)."""
    source = """
        extern int __VERIFIER_nondet_int(void);
        int main(void) {
            int n = __VERIFIER_nondet_int();
            if (n < 1) n = 1;
            int *p = __builtin_alloca(n * sizeof(int));
            for (int i = 0; i < n; i++) p[i] = __VERIFIER_nondet_int();
            int j = 0;
            while (j < n) { if (p[j] < 0) p[j]++; else j++; }
            return 0;
        }
        """
    r = answer(tmp_path, source, "main", ".c")
    assert r.verdict == Verdict.YES, r.reason
    first, second = r.certificate["loops"][-1]["ranking_text"]
    assert "j" in first and "[p$offset+j]" in second, (first, second)


def test_an_element_ranking_is_rechecked_and_tampering_is_caught(tmp_path):
    import json

    from solomonic.reason.recheck import recheck

    path = tmp_path / "down.c"
    path.write_text(textwrap.dedent("""
        extern int __VERIFIER_nondet_int(void);
        void f(void) {
            int a[4];
            a[1] = __VERIFIER_nondet_int();
            while (a[1] > 0) a[1]--;
        }
        """))
    [result] = check(str(path), property="terminates", timeout=20)
    assert result.verdict == Verdict.YES, result.reason
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([result.to_json()]))
    assert recheck(str(saved), timeout_s=10)[0].confirmed is True
    data = json.loads(saved.read_text())
    for level in data[0]["certificate"]["loops"][0]["ranking"]:
        for f in level.values():
            f["coefficients"] = {n.replace("a[1]", "a[2]"): a for n, a in f["coefficients"].items()}  # another
    saved.write_text(json.dumps(data))
    assert recheck(str(saved), timeout_s=10)[0].confirmed is False


@pytest.mark.parametrize("loop", ["while (x > 0) x = x / 2;", "while (x >= y && y > 1) x = x / y;"])
def test_division_ranks_by_the_value_itself(tmp_path, loop):
    r = answer(tmp_path, f"void f(int x, int y) {{ {loop} }}", "f", ".c")
    assert r.verdict == Verdict.YES, r.reason
    [ranking] = r.certificate["loops"][0]["ranking_text"]
    assert ranking in ("x", "2*x"), ranking  # over the rationals, x / 2 may only drop x by 1/2


def test_an_assertion_that_must_fail_ends_every_run(tmp_path):
    """The loop never exits, but the assertion fails at x == 11: sn == 2 * x and x <= 10 are
    invariants read off the program's own conditions."""
    source = """
        void reach_error(void) {}
        extern void abort(void);
        void __VERIFIER_assert(int cond) { if (!cond) { reach_error(); abort(); } }
        void f(void) {
            int sn = 0;
            unsigned int x = 0;
            while (1) {
                if (x < 10) sn = sn + 2;
                x++;
                __VERIFIER_assert(sn == x * 2 || sn == 0);
            }
        }
        """
    r = answer(tmp_path, source, "f", ".c")
    assert r.verdict == Verdict.YES, r.reason


def test_a_terminator_checked_before_the_loops_bounds_every_scan(tmp_path):
    """string-2 of SV-COMP: s[4] == 0 is checked once, then carried to every later loop head."""
    r = answer(tmp_path, """
        extern char __VERIFIER_nondet_char(void);
        void f(void) {
            char s[5];
            int n = 0, i = 1, j = 0;
            for (int k = 0; k < 5; k++) s[k] = __VERIFIER_nondet_char();
            if (s[4] != 0) return;
            while (s[n] != 0) n++;
            while (i < n) {
                if (s[i] == s[j]) { i++; j++; } else { i = i - j + 1; j = 0; }
            }
        }
        """, "f", ".c")
    assert r.verdict == Verdict.YES, r.reason
    assert any("s[4]" in inv["invariant"] for inv in r.certificate["invariants"])


RECHECKED = {
    # name: source of f, which terminates; the yes must come with a certificate recheck confirms
    "a step chosen by a conditional expression": """
        def f(a, b):
            while a != b:
                a += 1 if a < b else -1
        """,
    "abs in the guard, the sign in the step": """
        def f(x):
            while abs(x) > 0:
                x = x - 1 if x > 0 else x + 1
        """,
    "a remainder by a variable (Euclid)": """
        def f(a, b):
            while b != 0:
                a, b = b, a % b
            return a
        """,
    "a square in the guard": """
        def f(n):
            r = 0
            while (r + 1) * (r + 1) <= n:
                r += 1
            return r
        """,
    "a product in the guard": """
        def f(n):
            k = 0
            while k * (k + 1) // 2 < n:
                k += 1
            return k
        """,
    "flags set to constants bound a counter": """
        def f():
            lo = 0
            hi = 0
            while hi == 0:
                if lo == 0:
                    lo = 1
                else:
                    lo = 0
                    hi = 1
        """,
    "a step of two that stops at 0 or -1": """
        def f(x):
            if x > 0:
                while x != 0 and x != -1:
                    x -= 2
        """,
    "a direction fixed before the loop": """
        def f(y, z, up):
            d = 1 if up else -1
            while y < 100 and z < 100:
                y += d
                z -= d
        """,
}


@pytest.mark.parametrize("name", sorted(RECHECKED))
def test_yes_from_conditions_products_and_constants_is_rechecked(tmp_path, name):
    import json

    from solomonic.reason.recheck import recheck

    path = tmp_path / "program.py"
    path.write_text(textwrap.dedent(RECHECKED[name]))
    [r] = check(str(path), function="f", property="terminates", timeout=20)
    assert r.verdict == Verdict.YES, r.reason
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps([r.to_json()]))
    assert recheck(str(saved), timeout_s=10)[0].confirmed is True


@pytest.mark.parametrize("source", [
    """
    def f(n):
        i = 0
        while i * i != n:
            i += 1
    """,
    """
    def f(a, b):
        while b != 0:
            a, b = b, a % b + 1
    """,
    """
    def f(y, z, up):
        d = 1 if up else 0
        while y < 100 and z < 100:
            y += d
            z -= d
    """])
def test_the_same_shapes_that_do_not_terminate_get_no_yes(tmp_path, source):
    r = answer(tmp_path, source, "f", timeout=10)
    assert r.verdict != Verdict.YES, r.certificate


def test_a_ranking_with_rational_coefficients_over_a_square_is_rechecked_in_integers(tmp_path):
    import json

    from solomonic.reason.recheck import recheck

    path = tmp_path / "program.py"
    path.write_text(textwrap.dedent(RECHECKED["a square in the guard"]))
    [r] = check(str(path), function="f", property="terminates", timeout=20)
    assert r.verdict == Verdict.YES, r.reason
    data = [r.to_json()]
    for f in data[0]["certificate"]["loops"][0]["ranking"][-1].values():
        f["constant"] = "-1000/3"  # bounded below no more where (r + 1)^2 = n
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps(data))
    again = recheck(str(saved), timeout_s=10)[0]
    assert again.confirmed is False and "certificate fails" in again.message


@pytest.mark.parametrize("source", [
    """
    int f(int x) {
        if (x > 0) {
            while (x != 0 && x != -1) x = x - 2;
        }
        return 0;
    }
    """,
    """
    int f(int y, int z, int up) {
        int d;
        if (up) d = 1; else d = -1;
        while (y < 100 && z < 100 && y > -100 && z > -100) { y = y + d; z = z - d; }
        return 0;
    }
    """,
    """
    int f(void) {
        int lo = 0, hi = 0;
        while (hi == 0) {
            if (lo == 0) lo = 1; else { lo = 0; hi = 1; }
        }
        return 0;
    }
    """])
def test_c_loops_that_need_the_same_facts(tmp_path, source):
    r = answer(tmp_path, source, "f", suffix=".c", timeout=20)
    assert r.verdict == Verdict.YES, r.reason


@pytest.mark.parametrize("suffix, source", [
    (".c", """
        void settle(int x) {
            int c = 0;
            while (x > 0) {
                if (c < 1000) { x = x - 1; c = c + 1; }
                else { c = 1000; }
            }
        }
        """),
    (".py", """
        def settle(x: int) -> None:
            c = 0
            while x > 0:
                if c < 1000:
                    x, c = x - 1, c + 1
                else:
                    c = 1000
        """),
])
def test_a_loop_that_stops_changing_after_a_thousand_iterations_is_a_replayed_no(tmp_path, suffix, source):
    # the recurrent set (c == 1000, x > 0) is reached only after 1000 iterations, far past the unrolling;
    # a random run with x past the program's constant 1000 is still in the loop then
    r = answer(tmp_path, source, "settle", suffix)
    assert r.verdict == Verdict.NO, r.reason
    assert r.witness["replay"]["confirmed"] and r.witness["inputs"]["x"] > 1000
    assert "1000" in r.witness["recurrent_set"]["formula"], r.witness["recurrent_set"]


def test_a_loop_that_runs_long_and_ends_gets_no_no(tmp_path):
    # still in the loop after the long runs' 3000 iterations for x near INT_MAX, yet every run ends
    r = answer(tmp_path, """
        void slow(int x) {
            int c = 0;
            while (x > 0) { if (c < 1000) c = c + 1; x = x - 1; }
        }
        """, "slow", ".c")
    assert r.verdict == Verdict.YES, r.reason


def test_euclid_by_c_remainders_ranks_by_the_divisor(tmp_path):
    # b' = a % b lies in [0, b - 1] for a >= 0 < b: C's truncated remainder, |a| - |b|*(|a| / |b|)
    r = answer(tmp_path, """
        int gcd(int a, int b) {
            if (a <= 0 || b <= 0) return 0;
            while (b != 0) { int t = a % b; a = b; b = t; }
            return a;
        }
        """, "gcd", ".c")
    assert r.verdict == Verdict.YES, r.reason
