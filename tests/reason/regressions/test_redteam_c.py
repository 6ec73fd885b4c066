"""C functions of the issue-30 red team that were answered right and must stay so: the hardest of the
hand-written probes (each checked against gcc -O0 -fsanitize=undefined on boundary inputs). The wrong
answers the red team found are the `*.c` files beside this one (test_regressions.py asks them)."""

from __future__ import annotations

import textwrap

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.result import Verdict

TIMEOUT_S = 20.0
YES, NO, UNKNOWN = Verdict.YES, Verdict.NO, Verdict.UNKNOWN

# (name, source of f, property, the answer gcc's runs give: YES, NO replayed, or UNKNOWN naming a fragment)
CASES = [
    ("bool_decrement_toggles", "int f(_Bool b) { _Bool c = b; c--; return c != b; }", "returns-true", YES, ""),
    ("bool_compound_assignment_is_a_test", "int f(int a) { _Bool b = 0; b += a; return b == (a != 0); }",
     "returns-true", YES, ""),
    ("short_increment_wraps_by_conversion", "int f(short s) { short t = s; t += 1; return t > s; }",
     "returns-true", NO, ""),
    ("unsigned_short_product_is_signed_int", "int f(unsigned short a) { unsigned x = a * a; return x >= a; }",
     "no-overflow", NO, ""),
    ("conditional_takes_the_usual_conversions", "int f(int a) { long l = -1; unsigned u = 1; return (a ? l : u) < 0; }",
     "returns-true", NO, ""),
    ("sizeof_does_not_evaluate", "int f(int a) { int b = a; int s = sizeof(b++); int z = 0; "
     "return b == a && s == 4 && sizeof(a / z) == 4; }", "returns-true", YES, ""),
    ("switch_case_converted_to_the_promoted_subject",
     "int f(unsigned u) { switch (u) { case -1: return u == 4294967295u; default: return u != 4294967295u; } }",
     "returns-true", YES, ""),
    ("switch_case_label_inside_an_if", """
        int f(int a) {
          int r = 0;
          switch (a) { case 0: if (a) { case 1: r = 5; } else r = 7; }
          return (a == 0 && r == 7) || (a == 1 && r == 5) || (a != 0 && a != 1 && r == 0);
        }""", "returns-true", YES, ""),
    ("duffs_device", """
        int f(int n) {
          if (n <= 0 || n > 100) return 1;
          int count = 0, k = (n + 3) / 4;
          switch (n % 4) { case 0: do { count++; case 3: count++; case 2: count++; case 1: count++; } while (--k > 0); }
          return count == n;
        }""", "returns-true", YES, ""),
    ("goto_into_a_loop_body", """
        int f(int n) {
          int i = 0, c = 0;
          if (n > 10 || n < 0) return 1;
          goto inside;
          for (i = 0; i < n; i++) {
          inside:
            c++;
          }
          return c == (n > 0 ? n : 1);
        }""", "returns-true", YES, ""),
    ("int128_mixed_with_unsigned_long_overflows",
     "int f(unsigned long a, __int128 b) { return (a + b) > b || a == 0 || b > ((__int128)1 << 120); }",
     "no-overflow", NO, ""),
    ("hex_literal_types", "int f(int a) { return sizeof(2147483648) == 8 && sizeof(0x80000000) == 4 "
     "&& -2147483648 < 0 && 0x80000000 > 0 && sizeof(0x7fffffff) == 4; }", "returns-true", YES, ""),
    ("enum_without_negatives_is_unsigned", "enum e { A, B }; int f(int a) { enum e v = a; return v / 2 == a / 2; }",
     "returns-true", NO, ""),
    ("a_local_that_hides_a_global_is_another_object", """
        int g;
        void h(void) { g = 0; }
        int f(int a) { int g = a; h(); return g == 0; }""", "returns-true", NO, ""),
    ("a_parameter_that_hides_a_global_read_by_a_callee", """
        int g;
        int h(void) { return g; }
        int f(int g) { return h() == g; }""", "returns-true", UNKNOWN, "hides the global"),
    ("an_asm_label_on_a_function_only_renames_it",
     "#include <stdlib.h>\nextern int renamed(int) __asm__(\"abs\");\nint f(int a) { return a - a == 0; }",
     "returns-true", YES, ""),
    # round 2 (session 9): statement expressions, switch subjects, VLA dimensions, exit in a callee
    ("break_in_a_for_step_statement_expression_leaves_the_enclosing_loop", """
        int f(int a) {
          int n = 0;
          for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 5; ({ i++; if (i == 2) break; })) n++;
            n += 100;
          }
          return n == 2;
        }""", "returns-true", YES, ""),
    ("break_in_a_while_condition_statement_expression_leaves_the_enclosing_loop", """
        int f(int a) {
          int n = 0, m = 0;
          for (int j = 0; j < 3; j++) {
            while (({ if (n == 2) break; }), n < 10) n++;
            m += 100;
          }
          return n + m == 2;
        }""", "returns-true", YES, ""),
    ("return_from_a_statement_expression_in_a_conditional_operand",
     "int f(int a) { int r = a ? ((({ return 0; })), 5) : 7; return r == 7; }", "returns-true", NO, ""),
    ("switch_on_unsigned_char_never_matches_case_minus_one",
     "int f(unsigned char c) { switch (c) { case -1: return 0; } return 1; }", "returns-true", YES, ""),
    ("a_vla_dimension_reads_the_name_declared_before_it_in_the_same_declaration", """
        int f(int a) {
          int n = 5;
          { int n = 3, v[n]; v[4] = 1; return v[4] == 1; }
        }""", "returns-true", UNKNOWN, "out of bounds"),
    ("exit_in_a_callee_ends_the_paths_that_would_overflow", """
        #include <stdlib.h>
        static void g(int a) { if (a > 5) exit(1); }
        int f(int a) { g(a); return a + 1 > a; }""", "no-overflow", YES, ""),
    ("a_write_through_a_cast_away_const_into_a_non_const_object_is_defined", """
        static void h(const int *q) { *(int *)q = 9; }
        int f(int a) { int x = 1; h(&x); return x == 9; }""", "returns-true", YES, ""),
    ("a_static_function_named_like_a_library_one_is_the_programs", """
        static int abs(int x) { return 42; }
        int f(int a) { return abs(a) == 42; }""", "returns-true", YES, ""),
]


@pytest.mark.parametrize(("name", "source", "prop", "want", "reason"), CASES, ids=[c[0] for c in CASES])
def test_redteam_c(tmp_path, name, source, prop, want, reason):
    path = tmp_path / f"{name}.c"
    path.write_text(textwrap.dedent(source).strip() + "\n")
    [result] = check(str(path), function="f", property=prop, timeout=TIMEOUT_S)
    assert result.verdict == want, (result.verdict, result.reason)
    if want == NO:
        assert result.witness["replay"]["confirmed"], result.witness
    if want == UNKNOWN:
        assert reason in result.reason, result.reason
