"""C pointers: an object fixed at lowering time plus an offset, with every access checked."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.result import Verdict

PRELUDE = """
    #include <stdlib.h>
    extern int __VERIFIER_nondet_int(void);
    extern void __VERIFIER_assert(int);
    """

STRING = """
    char *nondet_string(void) {
        int length = __VERIFIER_nondet_int();
        if (length < 1) length = 1;
        char *s = (char *) malloc(length * sizeof(char));
        s[length - 1] = '\\0';
        return s;
    }
    """


def answer(tmp_path: Path, body: str, prop: str, timeout: float = 30.0):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(PRELUDE + body))
    [result] = check(str(path), function="main", property=prop, timeout=timeout)
    return result


def test_a_string_loop_terminates_by_its_terminator(tmp_path):
    r = answer(tmp_path, STRING + """
        int main(void) {
            char *s = nondet_string();
            char *p = s;
            while (*p != '\\0')
                p++;
            return (int) (p - s);
        }
        """, "terminates")
    assert r.verdict == Verdict.YES, r.reason
    invariant = " ".join(i["invariant"] for i in r.certificate["invariants"])
    assert "[(malloc#1$size - 1)] == 0" in invariant  # the terminator the loop runs up to


def test_without_a_terminator_the_scan_may_run_off_the_end(tmp_path):
    r = answer(tmp_path, """
        int main(void) {
            int n = __VERIFIER_nondet_int();
            if (n < 1) return 0;
            char *s = (char *) malloc(n);
            char *p = s;
            while (*p != 0)
                p++;
            return 0;
        }
        """, "terminates")
    assert r.verdict == Verdict.UNKNOWN and "undefined behaviour" in r.reason, r.reason


def test_a_counter_through_pointers_to_locals_and_alloca(tmp_path):
    r = answer(tmp_path, """
        int main(void) {
            int x = __VERIFIER_nondet_int();
            int *p = &x;
            int *bit = __builtin_alloca(sizeof(int));
            *bit = 0;
            while (*p < 100 && *bit == 0) {
                (*p)++;
            }
            return 0;
        }
        """, "terminates")
    assert r.verdict == Verdict.YES, r.reason


@pytest.mark.parametrize("body, message", [
    ("int *a = malloc(4 * sizeof(int)); a[4] = 1;", "out of bounds"),
    ("int *a = malloc(sizeof(int)); free(a); *a = 1;", "after it is freed"),
    ("int *a = malloc(sizeof(int)); free(a); free(a);", "does not free a live allocation"),
    ("int *a = malloc(2 * sizeof(int)); int *b = a + 3;", "pointer arithmetic out of bounds"),
    ("int y = 0; int *a; if (__VERIFIER_nondet_int()) a = &y; int x = *a;", "uninitialised pointer"),
    ("int y = 0; int *a = &y; if (__VERIFIER_nondet_int()) a = 0; *a = 1;", "null pointer dereference"),
])
def test_every_bad_access_is_found_and_replayed(tmp_path, body, message):
    r = answer(tmp_path, f"int main(void) {{ {body} return 0; }}", "no-overflow")
    assert r.verdict != Verdict.YES
    assert message in r.reason, r.reason


def test_a_search_that_may_return_null(tmp_path):
    program = """
        char *find(char *s, char c) {
            while (*s != '\\0' && *s != c)
                s++;
            return *s == c ? s : NULL;
        }
        int main(void) {
            char *s = nondet_string();
            char *hit = find(s, 'x');
            if (hit)
                __VERIFIER_assert(*hit == 'x');
            __VERIFIER_assert(hit == NULL || hit - s >= 0);
            return 0;
        }
        """
    r = answer(tmp_path, STRING + program, "terminates")
    assert r.verdict == Verdict.YES, r.reason


def test_null_travels_through_returns_and_conditions(tmp_path):
    r = answer(tmp_path, """
        int *positive(int *p) {
            return *p > 0 ? p : NULL;
        }
        int main(void) {
            int x = __VERIFIER_nondet_int();
            int *q = positive(&x);
            if (q)
                __VERIFIER_assert(*q > 0);
            if (!q)
                __VERIFIER_assert(x <= 0 && q == 0);
            return 0;
        }
        """, "assert")
    assert r.verdict == Verdict.YES, r.reason


def test_calloc_zeroes_and_differences_count_elements(tmp_path):
    r = answer(tmp_path, """
        int main(void) {
            int *a = calloc(3, sizeof(int));
            int *end = a + 3;
            __VERIFIER_assert(a[2] == 0 && end - a == 3);
            return 0;
        }
        """, "assert")
    assert r.verdict == Verdict.YES, r.reason


@pytest.mark.parametrize("body, construct", [
    ("int x, y; int *p = &x; if (x) p = &y;", "may point into 'x' or 'y'"),
    ("int *a; for (int i = 0; i < 3; i++) { a = malloc(sizeof(int)); } free(a);",
     "allocated in a loop, kept in 'a', declared outside it"),
    ("for (int i = 0; i < 3; i++) { int *a = alloca(sizeof(int)); *a = i; }", "inside a loop"),
    ("int i = 0; while (malloc(sizeof(int)) != 0 && i < 3) i++;", "in a loop's condition or step"),
    ("int **pp;", "pointer to pointer"),
    ("int *p = 0; *p = 1;", "before it is assigned an object"),
])
def test_what_the_model_cannot_express_is_unsupported_with_its_line(tmp_path, body, construct):
    r = answer(tmp_path, f"int main(void) {{\n {body}\n return 0; }}", "no-overflow")
    assert r.verdict == Verdict.UNKNOWN and construct in r.reason, r.reason
    assert "program.c:" in r.reason


def test_memory_allocated_in_a_loop_lives_in_its_iteration(tmp_path):
    """A heap allocation in a loop's body is a new object at each iteration on the same variables: exact
    where only pointers declared in that loop hold it. Contents start unknown each time (calloc's zero),
    and what one iteration frees the next allocates again."""
    body = """
        int main(void) {
            int n = __VERIFIER_nondet_int();
            if (n < 0 || n > 100) return 0;
            int total = 0;
            for (int i = 0; i < n; i++) {
                int *cell = calloc(1, sizeof(int));
                if (cell == 0) return 0;
                *cell += i;
                total += *cell;
                FREE
            }
            __VERIFIER_assert(total >= 0);
            return 0;
        }
        """
    for prop in ("assert", "terminates"):
        assert answer(tmp_path, body.replace("FREE", "free(cell);"), prop).verdict == Verdict.YES
    r = answer(tmp_path, body.replace("FREE", "free(cell); *cell = 1;"), "assert")
    assert r.verdict == Verdict.UNKNOWN and "after it is freed" in r.reason, r.reason


def test_a_global_pointer_first_named_in_a_loop_holds_no_memory_allocated_there(tmp_path):
    """A global is declared where the program first names it; a loop around that point is not its scope."""
    r = answer(tmp_path, """
        int *keep;
        int main(void) {
            for (int i = 0; i < 2; i++) { int *p = malloc(sizeof(int)); keep = p; }
            return 0;
        }
        """, "assert")
    assert r.verdict == Verdict.UNKNOWN and "kept in 'keep'" in r.reason, r.reason


@pytest.mark.parametrize("other, verdict", [('"cd"', Verdict.YES), ('"xab" + 1', Verdict.UNKNOWN),
                                            ('"ab"', Verdict.UNKNOWN), ('"xab"', Verdict.YES)])
def test_two_string_literals_are_equal_only_where_one_could_be_the_others_tail(tmp_path, other, verdict):
    """C11 6.4.5p7 lets literals share storage: gcc merges "ab" with "ab", and at -O2 with "xab" + 1."""
    r = answer(tmp_path, f"""
        int main(void) {{
            const char *a = "ab", *b = {other};
            __VERIFIER_assert(a != b);
            return 0;
        }}
        """, "assert")
    assert r.verdict == verdict, r.reason
    if verdict == Verdict.UNKNOWN:
        assert "may share storage" in r.reason, r.reason


FILL = """
    int *last;
    void fill(int *first, int *end) {
        for (int *p = first; p <= end; p++) {
            __VERIFIER_assert(p <= last);
            *p = 1;
        }
    }
    int main(void) {
        int buf[4];
        last = buf + LAST;
        fill(buf, buf + 3);
        return 0;
    }
    """


@pytest.mark.parametrize("last, verdict", [(3, Verdict.YES), (2, Verdict.NO)])
def test_a_global_pointer_set_in_main_is_read_in_a_callee(tmp_path, last, verdict):
    r = answer(tmp_path, FILL.replace("LAST", str(last)), "assert")
    assert r.verdict == verdict, r.reason
    if verdict == Verdict.NO:
        assert r.witness["replay"]["confirmed"]


def test_a_global_pointer_starts_null(tmp_path):
    r = answer(tmp_path, """
        int *g;
        int main(void) {
            int x = 3;
            g = &x;
            if (__VERIFIER_nondet_int()) g = 0;
            return *g;
        }
        """, "no-overflow")
    assert r.verdict == Verdict.UNKNOWN and "null pointer dereference" in r.reason, r.reason


@pytest.mark.parametrize("body, construct", [
    ("""
        int *g;
        void keep(void) { int local[2]; local[0] = 5; g = local; }
        int main(void) { keep(); return *g == 5; }
     """, "stored in the global 'g' (it could outlive the call)"),
    ("""
        int *g;
        void set(int *p) { g = p; }
        void keep(void) { int local[2]; local[0] = 5; set(local); }
        int main(void) { keep(); return *g == 5; }
     """, "stored in the global 'g' (it could outlive the call)"),  # handed down as another callee's argument
    ("""
        int a[2];
        int *g = a;
        int main(void) { return *g; }
     """, "global pointer 'g' initialised other than with null"),
])
def test_a_global_pointer_that_could_dangle_or_is_set_before_main_is_unsupported(tmp_path, body, construct):
    r = answer(tmp_path, body, "assert")
    assert r.verdict == Verdict.UNKNOWN and construct in r.reason, r.reason


def test_a_global_pointer_is_only_modelled_from_the_start_of_main(tmp_path):
    path = tmp_path / "program.c"
    path.write_text(textwrap.dedent(PRELUDE + """
        int *g;
        int f(void) { int a[2] = {1, 2}; g = a; return *g; }
        """))
    [result] = check(str(path), function="f", property="assert", timeout=10)
    assert result.verdict == Verdict.UNKNOWN
    assert "global pointer 'g' used by a function other than main" in result.reason


def test_sizeof_an_element_of_a_pointer_that_points_nowhere_yet(tmp_path):
    """`int *p = malloc(n * sizeof *p)`: the size of *p is its type's, read before p has an object."""
    r = answer(tmp_path, """
        int main(void) {
            long *p = malloc(3 * sizeof *p);
            if (!p) return 0;
            __VERIFIER_assert(sizeof *p == sizeof p[0] && sizeof *p == sizeof(long));
            p[2] = 1;
            free(p);
            return 0;
        }
        """, "assert")
    assert r.verdict == Verdict.YES, r.reason


def test_an_array_parameter_of_a_called_function_is_a_pointer(tmp_path):
    """`int a[]` and `int a[10]` declare a pointer (C11 6.7.6.3p7): the callee indexes the caller's
    object, bounds checked against it, and sizeof gives a pointer's size whatever the bound says."""
    r = answer(tmp_path, """
        int total(int a[], int n) {
            int s = 0;
            for (int i = 0; i < n; i++)
                s += a[i];
            return s;
        }
        int size(int a[10]) { return sizeof(a) == sizeof(int *); }
        int main(void) {
            int b[3] = {1, 2, 3};
            return total(b, 3) == 6 && size(b);
        }
        """, "returns-true")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        int total(int a[3], int n) {
            int s = 0;
            for (int i = 0; i < n; i++)
                s += a[i];
            return s;
        }
        int main(void) {
            int b[2] = {1, 2};
            return total(b, 3) == 3;
        }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "out of bounds" in r.reason, r.reason


def test_a_called_functions_static_array_bound_is_refused(tmp_path):
    """`a[static 2]` promises at least two elements, which calls do not check: not modelled."""
    r = answer(tmp_path, """
        int second(int a[static 2]) { return a[1]; }
        int main(void) { int b[1] = {0}; return second(b) == 0; }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "[static ...]" in r.reason, r.reason


def test_alloca_in_a_called_function_is_that_calls_memory(tmp_path):
    """alloca's memory lives until its function returns: inlined, it is an object of the call, like a
    local, each call its own; a pointer to it returned or kept in a global is refused."""
    r = answer(tmp_path, """
        int twice(int x) {
            int *p = alloca(2 * sizeof(int));
            p[0] = x;
            p[1] = x + 1;
            return p[0] + p[1];
        }
        int count(int n) {
            int *c = alloca(sizeof(int));
            *c = n;
            while (*c > 0)
                *c = *c - 1;
            return *c;
        }
        int main(void) {
            return twice(1) + twice(2) == 8 && count(__VERIFIER_nondet_int()) <= 0;
        }
        """, "returns-true")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        int over(void) { int *p = alloca(2 * sizeof(int)); p[2] = 0; return 0; }
        int main(void) { return over() == 0; }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "out of bounds" in r.reason, r.reason
    r = answer(tmp_path, """
        int *make(void) { int *p = alloca(sizeof(int)); *p = 3; return p; }
        int main(void) { int *q = make(); return *q == 3; }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "which ends with the call" in r.reason, r.reason
    r = answer(tmp_path, """
        int *kept;
        void keep(void) { int *p = alloca(sizeof(int)); kept = p; }
        int main(void) { keep(); return 1; }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "outlive the call" in r.reason, r.reason


def test_a_pointer_converted_to_an_integer_is_its_address_which_is_not_modelled(tmp_path):
    """`(int) p` is the address's bits (gcc's definition): null is 0 and `(_Bool) p` says whether p is
    null, both exact; any other address is any value at each conversion, so nothing rests on where an
    object lies."""
    r = answer(tmp_path, """
        int x;
        int main(void) {
            int *p = __VERIFIER_nondet_int() ? &x : 0;
            return p ? (_Bool) p : (long) p == 0 && (unsigned char) p == 0 && !(_Bool) p;
        }
        """, "returns-true")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        int x;
        int main(void) { return (long) &x != 12345; }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN, r.reason  # a witness placing x at 12345 does not replay
    r = answer(tmp_path, """
        char *last(char *s, int c) {
            char *found = 0;
            for (; *s; s++)
                if (*s == c)
                    found = s;
            return found;
        }
        int main(void) {
            int n = __VERIFIER_nondet_int();
            if (n < 1 || n > 1000) return 1;
            char *s = alloca(n);
            s[n - 1] = 0;
            return (int) last(s, __VERIFIER_nondet_int());
        }
        """, "terminates")
    assert r.verdict == Verdict.YES, r.reason


def test_a_void_pointer_is_a_byte_pointer_converted_back(tmp_path):
    """`void *` is GNU C's byte pointer (arithmetic in bytes, sizeof(void) 1), never read or written
    through: bound to an object of bytes and converted back, it is exact; bound to ints, refused."""
    r = answer(tmp_path, """
        void *last_of(const void *s, int c, size_t n) {
            const unsigned char *cp;
            if (n != 0) {
                cp = (unsigned char *) s + n;
                do {
                    if (*(--cp) == (unsigned char) c)
                        return (void *) cp;
                } while (--n != 0);
            }
            return 0;
        }
        int main(void) {
            char b[4] = "abc";
            void *p = b;
            char *c = (char *) p + 2;
            return *c == 'c' && sizeof(*p) == 1 && last_of(b, 'b', 3) == (void *) (b + 1)
                && last_of(b, 'z', 3) == 0;
        }
        """, "returns-true")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        int main(void) { int a[2] = {0, 0}; void *p = a; unsigned char *q = p; return q[0] == 0; }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "a pointer to void" in r.reason, r.reason


def test_bytes_are_read_and_written_through_a_pointer_of_the_other_signedness(tmp_path):
    """`unsigned char *d` over char storage (memset, memcmp written by hand): a write stores the bits of
    the unsigned value, a read gives them as unsigned, `/` and `>>` through the view see 255, not -1."""
    r = answer(tmp_path, """
        int main(void) {
            char b[4] = {0, 0, 0, -1};
            unsigned char *d = (unsigned char *) b;
            for (int i = 0; i < 3; i++)
                d[i] = 200;
            d[0] += 100;           /* 300 -> 44 as an unsigned char */
            return b[1] == -56 && b[0] == 44 && d[3] / 2 == 127 && (d[3] >> 4) == 15 && *(d + 2) == 200;
        }
        """, "returns-true")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        int main(void) {
            char b[2] = {1, 0};
            _Bool *p = (_Bool *) b;
            *p = 0;
            return 1;
        }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "_Bool" in r.reason, r.reason


def test_indexing_a_pointer_to_a_single_object_is_its_dereference(tmp_path):
    """`p[i]` is `*(p + i)`: over one alloca'd int or `&x`, index 0 is the object and any other index
    is out of bounds (undefined), as the dereference's own check says."""
    r = answer(tmp_path, """
        int main(void) {
            int x = 3, *q = &x;
            int *p = alloca(sizeof(int));
            p[0] = 5;
            p[0] += 1;
            return p[0] == 6 && *p == 6 && q[0] == 3;
        }
        """, "returns-true")
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        int main(void) {
            int *p = alloca(sizeof(int));
            p[0] = 1;
            return p[__VERIFIER_nondet_int() & 1] == 1;
        }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "out of bounds" in r.reason, r.reason
