"""Python functions of the issue-30 red team (hand-written probes against CPython 3.11): the wrong
answers it found, each asked again, and probes that were answered right and stay so.

Wrong answers found: CPython converts a count or a position to a C ssize_t before it acts (`[v] * n`,
`xs.insert(i, v)`, `xs.pop(i)`, `list(range(n))`'s length), and an int outside it raises OverflowError
(`pop` raises that, not IndexError); past the item pointers it will allocate, MemoryError. The model
had none of these: `assert` was proved for functions whose real runs raise.

Round 2: an operand is computed before the operands after it run (`x + (x := 5)` adds the old x; in
`xs[0] += g(xs)` the item is read before g changes it; `len(xs) != g(xs)` measures before g appends).
The lowering built terms that name variables, read where the whole expression was used: after a later
operand had rebound a name or changed a list. returns-true was proved of functions that return False."""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("z3")

from solomonic.reason import check
from solomonic.reason.result import Verdict

TIMEOUT_S = 20.0

# (name, source, property, the answer CPython's runs give: NO replayed, or YES)
CASES = [
    # ----------------------------------------------------------------------- wrong yes answers, fixed
    ("repeat_past_ssize_t", """
        def f(a: int):
            xs = [0] * a
            return True""", "assert", Verdict.NO),  # a = 2**63 (or -2**63 - 1): OverflowError
    ("repeat_past_what_cpython_allocates", """
        def f(a: int):
            if 0 < a < 2**63:
                xs = [7] * a
            return True""", "assert", Verdict.NO),  # a = 2**60: MemoryError, on any machine
    ("insert_past_ssize_t", """
        def f(xs: list[int], i: int):
            xs.insert(i, 5)
            return True""", "assert", Verdict.NO),
    ("pop_past_ssize_t_is_no_index_error", """
        def f(xs: list[int], i: int):
            try:
                xs.pop(i)
            except IndexError:
                return True
            return True""", "assert", Verdict.NO),
    ("list_of_a_range_past_ssize_t", """
        def f(a: int, b: int):
            xs = list(range(a, b))
            return True""", "assert", Verdict.NO),
    # ------------------------------------------- wrong yes answers of round 2, fixed: operands read late
    # Python computes an operand before the next one runs; a term naming variables read them where it was
    # used, after a later operand had rebound a name (`:=`) or changed a list (a call)
    ("augmented_item_read_before_the_value", """
        def g(ys: list[int]) -> int:
            ys[0] = 100
            return 1
        def f(xs: list[int]):
            if len(xs) == 0:
                return True
            xs[0] = 0
            xs[0] += g(xs)
            return xs[0] == 101""", "returns-true", Verdict.NO),  # CPython: 0 + 1, stored over the 100
    ("augmented_item_read_before_the_value_holds", """
        def g(ys: list[int]) -> int:
            ys[0] = 100
            return 1
        def f(xs: list[int]):
            if len(xs) == 0:
                return True
            xs[0] = 0
            xs[0] += g(xs)
            return xs[0] == 1""", "returns-true", Verdict.YES),
    ("walrus_after_a_read_of_its_name", """
        def f(x: int):
            y = x + (x := 5)
            return y == 10""", "returns-true", Verdict.NO),
    ("walrus_after_a_read_of_its_name_holds", """
        def f(x: int):
            old = x
            y = x + (x := 5)
            return y == old + 5 and x == 5""", "returns-true", Verdict.YES),
    ("walrus_gives_the_value_stored", """
        def f(x: int):
            return (x := x + 1) != x""", "returns-true", Verdict.NO),
    ("walrus_in_a_builtin_argument", """
        def f(x: int):
            return max(x, (x := x - 1)) == x""", "returns-true", Verdict.NO),
    ("walrus_after_a_str", """
        def f(s: str):
            return s == (s := s + "a")""", "returns-true", Verdict.NO),
    ("walrus_after_an_optional", """
        from typing import Optional
        def f(x: Optional[int]):
            return (x is None) == ((x := 3) is None)""", "returns-true", Verdict.NO),
    ("walrus_after_a_conditional_expression", """
        def f(x: int):
            y = (x if x > 0 else -x) + (x := 0)
            return y == 0""", "returns-true", Verdict.NO),
    ("conditional_whose_else_changes_its_test", """
        def f(x: int):
            y = (x := 100) if x > 0 else (x := 5)
            return y == 100 or x == 5 and y == 5""", "returns-true", Verdict.YES),
    ("length_before_a_callee_appends", """
        def g(ys: list[int]) -> int:
            ys.append(1)
            return len(ys) - 1
        def f(xs: list[int]):
            return len(xs) != g(xs)""", "returns-true", Verdict.NO),
    ("length_as_an_argument_before_a_callee_appends", """
        def h(a: int, b: int) -> int:
            return a - b
        def g(ys: list[int]) -> int:
            ys.append(1)
            return len(ys)
        def f(xs: list[int]):
            return h(len(xs), g(xs)) == 0""", "returns-true", Verdict.NO),
    ("item_before_a_callee_stores", """
        def g(ys: list[int]) -> int:
            ys[0] = 100
            return 0
        def f(xs: list[int]):
            if not xs:
                return True
            xs[0] = 1
            return xs[0] + g(xs) == 100""", "returns-true", Verdict.NO),
    ("length_in_a_display_before_a_pop", """
        def f(xs: list[int]):
            if len(xs) < 1:
                return True
            ys = [len(xs), xs.pop()]
            return ys[0] == len(xs)""", "returns-true", Verdict.NO),
    ("value_stored_at_an_index_a_callee_computes", """
        def g(ys: list[int]) -> int:
            ys[0] = 55
            return 0
        def f(xs: list[int]):
            if len(xs) < 2:
                return True
            xs[0] = 1
            xs[1] = 2
            xs[g(xs)] = xs[1] + xs[0]
            return xs[0] == 3""", "returns-true", Verdict.YES),
    ("insert_position_before_a_callee_appends", """
        def g(ys: list[int]) -> int:
            ys.append(5)
            return 7
        def f(xs: list[int]):
            xs.insert(len(xs), g(xs))
            return xs[-1] == 5 and xs[-2] == 7""", "returns-true", Verdict.YES),
    # ------------------------------------------------------- hard probes answered right, kept right
    ("floor_division_and_modulo_of_negatives", """
        def f(a: int, b: int):
            if b == 0:
                return True
            return (a // b) * b + a % b == a and (a % b == 0 or (a % b > 0) == (b > 0))""",
     "returns-true", Verdict.YES),
    ("and_or_give_an_operand", """
        def f(a: int, b: int):
            x = a and b
            y = a or b
            return x == (b if a else a) and y == (a if a else b)""", "returns-true", Verdict.YES),
    ("chained_comparison_evaluates_the_middle_once", """
        def f(a: int, b: int):
            return (1 < a != b > 0) == (1 < a and a != b and b > 0)""", "returns-true", Verdict.YES),
    ("negative_index_reads_from_the_end", """
        def f(xs: list[int]):
            return xs[-2] != 12345""", "returns-true", Verdict.NO),
    ("repeat_of_a_small_count", """
        def f(a: int):
            if a < 0 or a > 1000:
                return True
            return len([0] * a) == a""", "returns-true", Verdict.YES),
]


@pytest.mark.parametrize(("name", "source", "prop", "want"), CASES, ids=[c[0] for c in CASES])
def test_redteam_python(tmp_path, name, source, prop, want):
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source).strip() + "\n")
    [result] = check(str(path), function="f", property=prop, timeout=TIMEOUT_S)
    assert result.verdict == want, (result.verdict, result.reason)
    if want == Verdict.NO:
        assert result.witness["replay"]["confirmed"], result.witness


# names bound where no binding statement shows it: the module is then read as after `from m import *`
DYNAMIC = [
    ("builtins_module_rebinds_abs", "import builtins\nbuiltins.abs = lambda x: -1\n"),
    ("globals_dict_rebinds_abs", 'globals()["abs"] = lambda x: -1\n'),
    ("exec_defines_abs", 'exec("def abs(x): return -1")\n'),
    ("code_replaced_in_place", "def abs(x):\n    return 1\nabs.__code__ = (lambda x: -1).__code__\n"),
    ("defaults_replaced_in_place", "def abs(x, y=1):\n    return y\nabs.__defaults__ = (-1,)\n"),
]


@pytest.mark.parametrize(("name", "prelude"), DYNAMIC, ids=[c[0] for c in DYNAMIC])
def test_a_builtin_rebound_dynamically_is_not_taken_for_the_builtin(tmp_path, name, prelude):
    """Each was a wrong yes: `abs(a) >= 0` proved while CPython runs the rebound abs and returns False."""
    path = tmp_path / f"{name}.py"
    path.write_text(prelude + "def f(a: int):\n    return abs(a) >= 0\n")
    [result] = check(str(path), function="f", property="returns-true", timeout=TIMEOUT_S)
    assert result.verdict != Verdict.YES, result.reason


# CPython raises RecursionError past its recursion limit (1000 frames by default): a recursion over an
# unbounded int lets an exception escape, however the recursion itself ends
RECURSIONS = [
    ("recursion_over_an_int", """
        def f(n: int):
            if n <= 0:
                return 0
            return 1 + f(n - 1)""", "assert", None),  # f(1000): RecursionError
    ("mutual_recursion_over_an_int", """
        def even(n: int) -> bool:
            if n == 0:
                return True
            return odd(n - 1)
        def odd(n: int) -> bool:
            if n == 0:
                return False
            return even(n - 1)
        def f(n: int):
            if n < 0:
                return True
            return even(n) or odd(n)""", "assert", None),
    # RecursionError cuts a run short: what the recursion returns, and that it ends, are still proved
    ("recursion_returns_what_it_counts", """
        def g(n: int) -> int:
            if n <= 0:
                return 0
            return 1 + g(n - 1)
        def f(n: int):
            if n < 0:
                return True
            return g(n) == n""", "returns-true", Verdict.YES),
    ("recursion_ends", """
        def f(n: int):
            if n <= 0:
                return 0
            return 1 + f(n - 1)""", "terminates", Verdict.YES),
]


@pytest.mark.parametrize(("name", "source", "prop", "want"), RECURSIONS, ids=[c[0] for c in RECURSIONS])
def test_recursion_may_reach_the_recursion_limit(tmp_path, name, source, prop, want):
    """The first two were wrong yes answers (assert proved over the recursion's unfolding)."""
    path = tmp_path / f"{name}.py"
    path.write_text(textwrap.dedent(source).strip() + "\n")
    [result] = check(str(path), function="f", property=prop, timeout=TIMEOUT_S)
    if want is None:
        assert result.verdict != Verdict.YES, result.reason
        if result.verdict == Verdict.NO:
            assert result.witness["replay"]["confirmed"], result.witness
    else:
        assert result.verdict == want, (result.verdict, result.reason)
