"""Python constructs of ordinary loops (issue 22, deliverable 2): each modelled exactly, with Python's
semantics (unbounded ints, floor division and modulo, `bool` is an `int`, short-circuit evaluation,
exceptions as exits), or answered unknown with a reason that names it.

Each case is a small function and the answer CPython's semantics give it: YES (re-checked proof), NO (a
witness replayed in a fresh interpreter), or UNKNOWN with a fragment of the reason and its line.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import pytest

pytest.importorskip("z3")

from solomonic.reason import check
from solomonic.reason.result import Verdict


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    prop: str
    verdict: Verdict
    reason: str = ""  # for UNKNOWN: a fragment of the reason that names the construct
    line: int = 0  # for UNKNOWN: the line the reason names (0: not checked)


YES, NO, UNKNOWN = Verdict.YES, Verdict.NO, Verdict.UNKNOWN
CASES = [
    # ------------------------------------------------------------- for i in range(a, b, step)
    Case("range_negative_step_terminates", """
        def f(n: int):
            for i in range(n, 0, -1):
                pass
            return 0""", "terminates", YES),
    Case("range_step_two_terminates", """
        def f(n: int):
            for i in range(n, -n, -2):
                pass
            return 0""", "terminates", YES),
    Case("range_variable_step_terminates", """
        def f(a: int, b: int, s: int):
            t = 0
            for i in range(a, b, s):
                t += 1
            return t""", "terminates", YES),
    Case("range_negative_step_values", """
        from solomonic.reason import assume
        def f(n: int):
            assume(0 <= n <= 12)
            t = 0
            for i in range(n, 0, -2):
                assert 0 < i <= n
                t += 1
            return t == (n + 1) // 2""", "returns-true", YES),
    Case("range_negative_step_reaches_one", """
        def f(n: int):
            for i in range(n, 0, -3):
                assert i != 1
            return 0""", "assert", NO),
    Case("range_variable_step_zero_raises", """
        def f(s: int):
            for i in range(0, 3, s):
                pass
            return 0""", "assert", NO),
    Case("range_loop_variable_reassigned", """
        def f(n: int):
            for i in range(n, 0, -1):
                i = i + 5
            return 0""", "terminates", YES),
    Case("range_inner_loop_does_not_end", """
        def f(n: int):
            for i in range(n, 0, -1):
                while i > 0:
                    i += 1
            return 0""", "terminates", NO),
    Case("two_argument_pow_is_a_power", """
        def f(a: int):
            return pow(a, 2) == a * a and pow(2, 3) == 8 and (pow(a, 3) >= 0) == (a >= 0)""", "returns-true", YES),
    Case("pow_of_an_odd_exponent_can_be_negative", """
        def f(a: int):
            return pow(a, 3) >= 0""", "returns-true", NO),
    # --------------------------------------------------------------------------------------- tuples
    Case("divmod_is_floor_division_and_modulo", """
        def f(a: int, b: int):
            q, r = divmod(a, b)
            return q * b + r == a and (r == 0 or (r > 0) == (b > 0)) and q == a // b""", "returns-true", YES),
    Case("divmod_by_zero_raises", """
        def f(a: int, b: int):
            q, r = divmod(a, b)
            return 0""", "assert", NO),
    Case("divmod_indexed", """
        def f(a: int):
            return divmod(a, -7)[1] == a % -7 and divmod(a, 7)[-2] == a // 7""", "returns-true", YES),
    Case("divmod_kept_whole", """
        def f(a: int):
            t = divmod(a, 7)
            return 0""", "assert", YES),  # kept whole: a value of unknown type, made exactly
    Case("unpacking_too_many_names", """
        def f(a: int):
            x, y, z = divmod(a, 3)
            return x""", "assert", NO),
    Case("swap_with_modulo_keeps_the_old_values", """
        def f(a: int, b: int):
            if b == 0:
                return True
            a0, b0 = a, b
            a, b = b, a % b
            return a == b0 and b == a0 % b0""", "returns-true", YES),
    Case("euclid_counts_down", """
        from solomonic.reason import assume
        def f(a: int, b: int):
            assume(0 <= a <= 30 and 0 <= b <= 30)
            while b != 0:
                a, b = b, a % b
            return a >= 0""", "returns-true", YES),
    Case("function_returning_a_pair", """
        def bounds(a, b):
            if a > b:
                return b, a
            return a, b
        def f(x: int, y: int):
            lo, hi = bounds(x, y)
            steps = 0
            while lo < hi:
                lo += 1
                steps += 1
            return steps == abs(x - y)""", "returns-true", YES),
    Case("function_returning_a_pair_terminates", """
        def bounds(a, b):
            return min(a, b), max(a, b)
        def f(x: int, y: int):
            lo, hi = bounds(x, y)
            while lo < hi:
                hi -= 1
            return 0""", "terminates", YES),
    Case("function_returning_a_pair_or_none", """
        def pair(a):
            if a > 0:
                return a, a
        def f(x: int):
            p, q = pair(x)
            return p""", "assert", NO),
    Case("empty_tuple_is_false", """
        def f(a: int):
            if a > 3:
                return ()
            return a, a""", "returns-true", NO),
    # ------------------------------------------------------------------------ abs, min, max, **
    Case("abs_min_max_of_ints_and_bools", """
        def f(a: int, b: int, c: bool):
            return abs(a) >= max(a, -a, c - 1) and min(a, b, c) <= c and max(True, 0) == 1""",
         "returns-true", YES),
    Case("power_with_constant_exponent", """
        def f(a: int):
            return a ** 2 >= 0 and a ** 3 == a * a * a and a ** 0 == 1 and (-a) ** 2 == a ** 2""",
         "returns-true", YES),
    Case("power_with_variable_exponent_ends", """
        def f(a: int, n: int):
            y = a ** n
            while n > 0:
                n -= 1
            return y""", "terminates", YES),
    Case("power_with_variable_exponent_value_is_not_kept", """
        def f(a: int, n: int):
            y = 2 ** n
            while y > 0:
                y -= 1
            return y""", "terminates", UNKNOWN, "no linear ranking"),
    Case("floor_division_and_modulo_by_zero", """
        def f(a: int, b: int):
            return a // b + a % b""", "assert", NO),
    Case("floor_division_rounds_down", """
        def f(a: int):
            return (a // 2) * 2 <= a and -7 // 2 == -4 and -7 % 2 == 1 and 7 % -2 == -1""", "returns-true", YES),
    # ---------------------------------------------------------------- nested functions (closures)
    Case("nested_function_reads_the_enclosing_variable", """
        def f(n: int):
            step = 2
            def down(x):
                return x - step
            while n > 0:
                n = down(n)
            return n <= 0""", "terminates", YES),
    Case("nested_function_closure_is_late_bound", """
        def f(n: int):
            x = 1
            def get():
                return x
            x = n * n + 2
            return get() >= 2""", "returns-true", YES),
    Case("nested_function_two_levels", """
        K = 5
        def f(n: int):
            K = 7
            def outer(y):
                def inner():
                    return K + y
                return inner() * 2
            return outer(1) == 16""", "returns-true", YES),
    Case("nested_function_shadows_a_builtin", """
        def f(n: int):
            def max(a, b):
                return a
            return max(1, 2) == 1""", "returns-true", YES),
    Case("nested_function_that_does_not_terminate", """
        def f(n: int):
            def spin(x):
                while x != 0:
                    x -= 2
                return x
            return spin(n)""", "terminates", NO),
    Case("nested_function_returning_a_pair", """
        def f(a: int, b: int):
            def order(x, y):
                return (x, y) if x <= y else (y, x)
            lo, hi = order(a, b)
            return lo <= hi and lo + hi == a + b""", "returns-true", YES),
    Case("nested_function_free_variable_unbound", """
        def f(n: int):
            def get():
                return k
            if n > 0:
                k = 1
            return get()""", "assert", NO),
    Case("nested_function_called_before_its_def", """
        def f(n: int):
            if n > 3:
                return helper()
            def helper():
                return 1
            return helper()""", "assert", NO),
    Case("nested_function_escapes", """
        def f(n: int):
            def h():
                return n
            return h""", "assert", UNKNOWN, "escapes", 4),
    Case("nested_function_passed_on", """
        def apply(g, x):
            return g(x)
        def f(n: int):
            def h(x):
                return x
            return apply(h, n)""", "assert", UNKNOWN, "escapes", 6),
    Case("nested_function_nonlocal", """
        def f(n: int):
            t = 0
            def bump():
                nonlocal t
                t += 1
            bump()
            return t""", "assert", UNKNOWN, "nonlocal t", 4),
    Case("nested_function_recursive", """
        def f(n: int):
            def r(x):
                return r(x - 1) if x > 0 else 0
            return r(n)""", "terminates", UNKNOWN, "recursion through a nested function", 3),
    Case("nested_function_decorated", """
        import functools
        def f(n: int):
            @functools.lru_cache
            def g(x):
                return x
            return g(n)""", "assert", UNKNOWN, "decorated"),
    Case("nested_function_default_not_literal", """
        def f(n: int):
            def g(x=n):
                return x
            return g()""", "assert", UNKNOWN, "other than a literal", 2),
    # A nested function's own scope is not its definer's: its `return` is its own (f returns no value);
    # its `global` or `yield` are refused where it is defined, not taken for f's.
    Case("nested_global_is_not_the_definers", """
        X = 5
        def f():
            X = 1
            def g():
                global X
            return X == 1""", "returns-true", UNKNOWN, "`global X` in the nested function `g`", 5),
    Case("nested_return_value_is_not_the_definers", """
        def f(n: int):
            def g():
                return n
            while n > 0:
                n -= 1""", "returns-true", UNKNOWN, "returns no value"),
    Case("nested_generator_is_not_the_definers", """
        def f(n: int):
            def g():
                yield n
            while n > 0:
                n -= 1
            return n""", "terminates", UNKNOWN, "`g`, a generator function", 2),
    # ----------------------------------------------------------------------- calls and control flow
    Case("keyword_and_default_arguments", """
        def step(x, /, by=1, *, floor=0):
            return max(x - by, floor)
        def f(n: int):
            k = 0
            while n > 0:
                n = step(n, floor=-1, by=2)
                k += 1
            return (n >= -1 or k == 0) and step(5) == 4 and step(5, 3) == 2""", "returns-true", YES),
    Case("keyword_argument_order_of_evaluation", """
        def g(a, b):
            return a - b
        def f(n: int):
            return g(b=n // 0, a=n % 0)""", "assert", NO),
    Case("while_true_with_break_and_return", """
        def f(n: int):
            i = 0
            while True:
                if i >= n:
                    break
                i += 1
            while True:
                if n <= 0:
                    return i == max(i, 0)
                n -= 1""", "terminates", YES),
    Case("while_true_without_exit", """
        def f(n: int):
            while True:
                if n > 7:
                    return 1
                n = n * 1""", "terminates", NO),
    Case("for_else_and_while_else", """
        def f(n: int):
            for i in range(n, 0, -1):
                if i == 5:
                    break
            else:
                return n < 5
            while n > 0:
                n -= 1
                if n == 3:
                    break
            else:
                pass
            return n == 3""", "returns-true", YES),
    Case("chained_comparison_evaluates_once", """
        def f(a: int, b: int, c: int):
            if a < b < c:
                return a < c and not (a >= b) and 0 <= 0 < 1 != 2
            return True""", "returns-true", YES),
    Case("chained_comparison_short_circuits", """
        def f(a: int, b: int):
            return 1 < a < b // (a - 1) or True""", "assert", YES),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_construct(case: Case, tmp_path):
    path = tmp_path / f"{case.name}.py"
    path.write_text(textwrap.dedent(case.source).lstrip("\n") + "\n")
    [result] = check(str(path), function="f", property=case.prop, timeout=30)
    assert result.verdict == case.verdict, (result.verdict, result.reason)
    if case.verdict == UNKNOWN:
        assert case.reason in result.reason, result.reason
        if case.line:
            assert f"{path}:{case.line}:" in result.reason, result.reason
    if case.verdict == NO:
        assert result.witness["replay"]["confirmed"], result.witness["replay"]


def test_a_recursive_function_whose_result_no_call_uses_may_return_none(tmp_path):
    """Every call of `rec` is a statement: its None is never seen, so it is lowered as a procedure; where a
    call uses the result, None is still refused."""
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent("""
        def rec(x, y):
            if x <= 23 and x >= -42:
                rec(2 * y - 2, x + 1)

        def main(n: int):
            rec(n, n + 1)
            return 0

        def uses(x: int):
            if x > 0:
                return uses(x - 1)

        def caller(x: int):
            return uses(x) is None
    """))
    [r] = check(str(path), function="main", property="terminates", timeout=10)
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason
    [r] = check(str(path), function="caller", property="terminates", timeout=10)
    assert r.verdict == Verdict.UNKNOWN and "`uses` may return None" in r.reason


def test_a_recursive_function_that_always_returns_is_not_taken_to_fall_off(tmp_path):
    """Both branches return: the location after the if is unreachable, not a return of None."""
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent("""
        def mc91(n):
            if n > 100:
                return n - 10
            else:
                return mc91(mc91(n + 11))
    """))
    [r] = check(str(path), function="mc91", property="terminates", timeout=20)
    assert r.verdict == Verdict.YES, r.reason
