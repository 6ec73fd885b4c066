"""C library string functions lowered from their definition in C (frontends/c/library.py): each access
checked like the program's own, the program's prototype converting arguments and result, and what the
call may not do (overlap, a null pointer, a declaration that changes the function) undefined or
unsupported."""

from __future__ import annotations

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.result import Verdict
from tests.reason.frontends.c.test_pointers import answer


def in_main(body: str) -> str:
    return "#include <string.h>\nint main(void) {\n" + body + "\nreturn 0;\n}\n"

LIBRARY = """
    #include <string.h>
    int main(void) {
        char src[6] = {'h', 'e', 'l', 'l', 'o', 0};
        char dst[SIZE];
        int n = __VERIFIER_nondet_int();
        if (n < 0 || n > SIZE) return 0;
        strncpy(dst, src, n);
        if (n >= 6) __VERIFIER_assert(strlen(dst) == 5);
        if (n == SIZE) __VERIFIER_assert(dst[SIZE - 1] == CHECK);
        return 0;
    }
    """


@pytest.mark.parametrize("size, check, verdict", [(8, "0", Verdict.YES), (4, "'l'", Verdict.YES),
                                                   (4, "'x'", Verdict.NO)])
def test_strncpy_and_strlen_are_lowered_from_their_definition(tmp_path, size, check, verdict):
    program = LIBRARY.replace("SIZE", str(size)).replace("CHECK", check)
    r = answer(tmp_path, program, "assert", timeout=60)
    assert r.verdict == verdict, r.reason
    if verdict == Verdict.NO:
        assert r.witness["replay"]["confirmed"]


def test_a_program_may_declare_a_library_function_with_its_own_types(tmp_path):
    """As SV-COMP's verisec tasks do: `size_t` an unsigned int, strlen returning `unsigned`. The
    arguments and the result convert as the program's prototype says."""
    r = answer(tmp_path, """
        typedef unsigned int size_t;
        char *strcpy(char *dest, const char *src);
        unsigned strlen(const char *s);
        int main(void) {
            char src[4] = {'a', 'b', 'c', 0};
            char dst[4];
            strcpy(dst, src);
            __VERIFIER_assert(strlen(dst) == 3 && dst[3] == 0);
            return 0;
        }
        """, "assert")
    assert r.verdict == Verdict.YES, r.reason


@pytest.mark.parametrize("body, found", [
    ("""
        #include <string.h>
        int main(void) { char s[4] = {'a', 'b', 'c', 0}; char d[3]; strcpy(d, s); return d[0]; }
     """, "dereference out of bounds in `dest[i]` ('d') in strcpy()"),
    ("""
        #include <string.h>
        int main(void) { char s[6] = {'h', 'e', 'l', 'l', 'o', 0}; strcpy(s + 1, s); return 0; }
     """, "`strcpy` within one object, 's' (undefined where the two places overlap)"),
    ("""
        #include <string.h>
        int main(void) {
            char d[4], e[4];
            char *s = 0;
            if (__VERIFIER_nondet_int()) s = e;
            strncpy(d, s, 0);
            return 0;
        }
     """, "passes a null pointer to the C library's `strncpy`"),
    ("""
        int main(void) { char s[2] = {'a', 0}; return (int) strlen(s); }
     """, "without a prototype in scope"),
    ("""
        char *strncpy(char *dest, const char *src, unsigned long n) __attribute__((malloc));
        int main(void) { char s[2] = {'a', 0}; char d[2]; strncpy(d, s, 2); return d[0]; }
     """, "__attribute__((malloc)) is not modelled"),
])
def test_what_a_library_call_may_not_do_is_undefined_or_unsupported(tmp_path, body, found):
    r = answer(tmp_path, body, "assert")
    assert r.verdict == Verdict.UNKNOWN and found in r.reason, r.reason


def test_a_library_call_is_ordered_against_the_accesses_beside_it(tmp_path):
    r = answer(tmp_path, """
        #include <string.h>
        int main(void) {
            char s[4] = {'a', 'b', 'c', 0};
            int n = (int) strlen(s) + (s[1] = 0);
            return n;
        }
        """, "returns-true")
    assert r.verdict == Verdict.UNKNOWN and "side effects whose order C leaves open" in r.reason, r.reason


ABS = """
    #include <stdlib.h>
    int main(void) {
        int x = __VERIFIER_nondet_int();
        long long w = __VERIFIER_nondet_int();
        if (x < LOW) return 0;
        __VERIFIER_assert(abs(x) >= 0 && llabs(w * 3) % 3 == 0);
        return 0;
    }
    """


@pytest.mark.parametrize("low, prop, verdict", [("-2147483647", "assert", Verdict.YES),
                                                ("-2147483647", "no-overflow", Verdict.YES),
                                                ("-2147483647 - 1", "assert", Verdict.UNKNOWN)])
def test_abs_is_lowered_from_its_definition_and_undefined_at_the_most_negative_value(tmp_path, low, prop, verdict):
    """glibc declares abs `const`, which its definition is; abs(INT_MIN) is undefined (C11 7.22.6.1): the
    assertion cannot be decided past it."""
    r = answer(tmp_path, ABS.replace("LOW", low), prop, timeout=60)
    assert r.verdict == verdict, r.reason
    if verdict == Verdict.UNKNOWN:
        assert "in abs()" in r.reason, r.reason


def test_strcmp_fixes_only_the_sign_of_its_result(tmp_path):
    """C says strcmp's result is negative, zero or positive (C11 7.24.4.2), not which negative: a claim
    about the value itself is never answered from one C library's choice."""
    program = """
        #include <string.h>
        int main(void) {
            char a[3] = {'a', 'b', 0};
            char b[3] = {'a', 'c', 0};
            __VERIFIER_assert(CLAIM);
            return 0;
        }
        """
    assert answer(tmp_path, program.replace("CLAIM", "strcmp(a, b) < 0 && strcmp(b, a) > 0 && "
                                                      "strcmp(a, a) == 0"), "assert").verdict == Verdict.YES
    r = answer(tmp_path, program.replace("CLAIM", "strcmp(a, b) == -1"), "assert")
    assert r.verdict != Verdict.YES, r.reason  # glibc's gives -1 here, which C does not promise
    assert r.verdict == Verdict.UNKNOWN or r.witness["replay"]["confirmed"], r.reason


def test_string_literals_are_read_only_arrays_with_their_terminator(tmp_path):
    r = answer(tmp_path, """
        #include <string.h>
        int main(void) {
            const char *s = "a\\tb" "\\1" "2";
            __VERIFIER_assert(strlen(s) == 5 && s[1] == 9 && s[3] == 1 && s[4] == '2' && s[5] == 0);
            __VERIFIER_assert(strncmp(s, "a\\tc", 2) == 0 && strchr(s, 'b') == s + 2 && strrchr(s, 'x') == 0);
            return 0;
        }
        """, "assert", timeout=60)
    assert r.verdict == Verdict.YES, r.reason
    r = answer(tmp_path, """
        int main(void) {
            char *s = "ab";
            s[0] = 'x';
            return 0;
        }
        """, "assert")
    assert r.verdict == Verdict.UNKNOWN and "string literal" in r.reason and "program.c:" in r.reason


def test_a_comparison_as_unsigned_char_is_found_and_replayed(tmp_path):
    r = answer(tmp_path, """
        #include <string.h>
        int main(void) {
            char a[2] = {0, 0};
            a[0] = (char) __VERIFIER_nondet_int();
            __VERIFIER_assert(strcmp(a, "m") < 0 || a[0] >= 'm');
            return 0;
        }
        """, "assert")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason
    assert r.witness["nondet"][0]["value"] & 0x80  # a negative char is a large unsigned char


@pytest.mark.parametrize("declaration, claim, verdict", [
    ('char s[] = "abc";', "sizeof s == 4 && s[2] == 'c' && s[3] == 0", Verdict.YES),
    ('char s[8] = "abc";', "s[3] == 0 && s[7] == 0 && strlen(s) == 3", Verdict.YES),
    ('char s[3] = "abc";', "s[2] == 'c'", Verdict.YES),  # no room for the terminator: none (C11 6.7.9p14)
    ('unsigned char s[] = {"\\xff"};', "s[0] == 255 && sizeof s == 2", Verdict.YES),
    ('char s[] = "abc";', "s[1] == 'c'", Verdict.NO),
])
def test_a_character_array_initialised_with_a_string_literal(tmp_path, declaration, claim, verdict):
    r = answer(tmp_path, f"#include <string.h>\nint main(void) {{\n{declaration}\n__VERIFIER_assert({claim});\n"
                         "return 0;\n}\n", "assert")
    assert r.verdict == verdict, r.reason
    if verdict == Verdict.NO:
        assert r.witness["replay"]["confirmed"]


def test_a_string_longer_than_its_array_is_unknown(tmp_path):
    r = answer(tmp_path, 'int main(void) {\nchar s[2] = "abc";\nreturn s[0];\n}\n', "assert")
    assert r.verdict == Verdict.UNKNOWN and "initialised with a string longer than it" in r.reason


def test_character_tests_in_the_c_locale_fix_only_whether_they_are_zero(tmp_path):
    """isdigit and its kin (C11 7.4) in the "C" locale: nonzero exactly for their class (glibc's isdigit
    returns 2048, which C does not promise either way), and undefined for a value that is neither EOF
    nor an unsigned char's."""
    program = """
        #include <ctype.h>
        int main(void) {
            char c = __VERIFIER_nondet_char();
            CLAIM;
            return 0;
        }
        """.replace("__VERIFIER_nondet_char()", "(char) __VERIFIER_nondet_int()")
    yes = answer(tmp_path, program.replace("CLAIM", "__VERIFIER_assert(!isdigit((unsigned char) c) || "
                                                     "(c >= '0' && c <= '9' && isalnum((unsigned char) c) && "
                                                     "toupper((unsigned char) c) == c))"), "assert")
    assert yes.verdict == Verdict.YES, yes.reason
    exact = answer(tmp_path, program.replace("CLAIM", "__VERIFIER_assert(isdigit((unsigned char) c) <= 1)"), "assert")
    assert exact.verdict != Verdict.YES, exact.reason  # glibc's 2048 shows it false
    assert exact.verdict == Verdict.UNKNOWN or exact.witness["replay"]["confirmed"]
    signed = answer(tmp_path, program.replace("CLAIM", "__VERIFIER_assert(isspace(c) || 1)"), "assert")
    assert signed.verdict == Verdict.UNKNOWN and "takes EOF or an unsigned char's value" in signed.reason


@pytest.mark.parametrize("body, verdict", [
    ('char b[8] = "ab"; strcat(b, "cd"); __VERIFIER_assert(strlen(b) == 4 && b[3] == \'d\');', Verdict.YES),
    ('char b[8] = "ab"; strncat(b, "cdef", 2); __VERIFIER_assert(strlen(b) == 4 && b[4] == 0);', Verdict.YES),
    ('char b[8] = "ab"; strncat(b, "cdef", 2); __VERIFIER_assert(strlen(b) == 6);', Verdict.NO),
    ('__VERIFIER_assert(strspn("aabx", "ab") == 3 && strcspn("xyab", "ab") == 2 && strcspn("xy", "ab") == 2);',
     Verdict.YES),
    ('const char *h = "xabab"; __VERIFIER_assert(strstr(h, "ab") == h + 1 && strstr(h, "") == h && '
     'strstr(h, "ba") == h + 2 && strstr(h, "abc") == 0);', Verdict.YES),
    ('char b[4] = "abc"; __VERIFIER_assert(memchr(b, \'c\', 4) == b + 2 && memchr(b, \'z\', 3) == 0);', Verdict.YES),
    ('char a[3] = "ab", b[3] = "ac"; __VERIFIER_assert(memcmp(a, b, 2) < 0 && memcmp(a, b, 1) == 0);', Verdict.YES),
    ("int a[5]; memset(a, 0, sizeof a); __VERIFIER_assert(a[0] == 0 && a[4] == 0);", Verdict.YES),
    ("int a[3]; memset(a, 255, sizeof(a)); __VERIFIER_assert(a[1] == -1);", Verdict.YES),
    ("unsigned short a[2]; memset(a, 1, 4); __VERIFIER_assert(a[1] == 257);", Verdict.YES),
    ("unsigned short a[2]; memset(a, 1, 4); __VERIFIER_assert(a[1] == 1);", Verdict.NO),
    ("int a[3] = {1, 2, 3}, b[3]; memcpy(b, a, sizeof a); __VERIFIER_assert(b[2] == 3);", Verdict.YES),
    ("int a[3] = {1, 2, 3}, b[3] = {0}; memcpy(b, a, 8); __VERIFIER_assert(b[1] == 2 && b[2] == 0);", Verdict.YES),
    ("int a[3] = {1, 2, 3}, b[3] = {0}; memcpy(b, a, 8); __VERIFIER_assert(b[2] == 3);", Verdict.NO),
])
def test_string_and_memory_functions_from_their_c11_text(tmp_path, body, verdict):
    r = answer(tmp_path, in_main(body), "assert", timeout=60)
    assert r.verdict == verdict, r.reason
    if verdict == Verdict.NO:
        assert r.witness["replay"]["confirmed"]


@pytest.mark.parametrize("body, said", [
    ('char b[4] = "ab"; strcat(b, "cd");', "out of bounds"),
    ("int a[2] = {1, 2}, b[2] = {1, 2}; memcmp(a, b, 8);", "over elements of type int"),
    ("int a[2]; memset(a, 0, 6);", "writes part of an element"),
    ("int a[3]; memset(a, 0, 16);", "out of bounds"),
    ("int a[4] = {1, 2, 3, 4}; memcpy(a, a + 1, 8);", "within one object"),
])
def test_what_the_string_and_memory_functions_do_not_model_or_forbid_is_unknown(tmp_path, body, said):
    r = answer(tmp_path, in_main(body), "assert")
    assert r.verdict == Verdict.UNKNOWN and said in r.reason, r.reason
