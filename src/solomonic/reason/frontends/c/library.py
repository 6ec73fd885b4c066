"""C library functions the program calls without defining them (string functions, `abs`), lowered from
their definition in C.

A call to `strncpy` has no body to analyse, and treating it as anything but what C11 7.24 says would be
a guess. Each function here is that text, written out: the standard's own description of the copy or
the count, element by element, so the lowering inlines it like one of the program's functions and
every access it makes is checked like the program's own (an element past the end of the destination
or of the source array is undefined behaviour). What the text adds to the program is only what C11
requires of every call, and what it cannot say (the copies' objects overlapping, which is undefined)
the call refuses first (`calls.library_call`). The program's own prototype decides how the arguments
are converted, as it does for gcc's call; the replay runs the C library's real function. Where C fixes
less than the text computes (strcmp's result: only its sign) the text says so (`SIGN_OF`), and where
the model's objects of whole elements cannot follow a byte count (memset of part of an int) it stops
(`PARTIAL`): neither answer rests on one library's choice.

Every node of a definition is given the call's position, so that a check inside it is reported at the
line of the call, naming the function (`in strncpy()`).
"""

from __future__ import annotations

import copy
import functools

from pycparser import c_ast

from solomonic.reason.frontends.c.parse import GnuParser

# C11 7.24.2.4 (strncpy: copy up to n characters, stopping at the terminator, then pad with null
# characters to n), 7.24.2.3 (strcpy: the terminator included), 7.24.6.3 (strlen: the characters before
# the terminator); `SIZE` is the data model's size_t
DEFINITIONS = {
    "strncpy": """
        char *strncpy(char *dest, const char *src, SIZE n) {
            SIZE i = 0;
            while (i < n && src[i] != 0) { dest[i] = src[i]; i++; }
            while (i < n) { dest[i] = 0; i++; }
            return dest;
        }""",
    "strcpy": """
        char *strcpy(char *dest, const char *src) {
            SIZE i = 0;
            while (src[i] != 0) { dest[i] = src[i]; i++; }
            dest[i] = 0;
            return dest;
        }""",
    "strlen": """
        SIZE strlen(const char *s) {
            SIZE i = 0;
            while (s[i] != 0) i++;
            return i;
        }""",
    # C11 7.24.4.2 (strcmp), 7.24.4.4 (strncmp): the sign of the difference of the first pair of
    # characters that differ, compared as unsigned char; C fixes only the result's sign (SIGN_OF)
    "strcmp": """
        int strcmp(const char *s1, const char *s2) {
            SIZE i = 0;
            while (s1[i] != 0 && s1[i] == s2[i]) i++;
            return SIGN_OF((unsigned char) s1[i] - (unsigned char) s2[i]);
        }""",
    "strncmp": """
        int strncmp(const char *s1, const char *s2, SIZE n) {
            SIZE i = 0;
            if (n == 0) return 0;
            while (i < n - 1 && s1[i] != 0 && s1[i] == s2[i]) i++;
            return SIGN_OF((unsigned char) s1[i] - (unsigned char) s2[i]);
        }""",
    # C11 7.24.5.2 (strchr: the first occurrence of (char) c, the terminator included), 7.24.5.5 (strrchr:
    # the last, found scanning back from the terminator: two loops whose invariants are bounds), POSIX
    # strnlen (the characters before the terminator, at most n)
    "strchr": """
        char *strchr(const char *s, int c) {
            SIZE i = 0;
            while (s[i] != (char) c) {
                if (s[i] == 0) return 0;
                i++;
            }
            return (char *) s + i;
        }""",
    "strrchr": """
        char *strrchr(const char *s, int c) {
            SIZE i = 0;
            while (s[i] != 0) i++;
            while (s[i] != (char) c) {
                if (i == 0) return 0;
                i--;
            }
            return (char *) s + i;
        }""",
    "strnlen": """
        SIZE strnlen(const char *s, SIZE n) {
            SIZE i = 0;
            while (i < n && s[i] != 0) i++;
            return i;
        }""",
    # C11 7.24.3.1 (strcat: src appended at dest's terminator, with its own), 7.24.3.2 (strncat: at most n
    # characters of src, then a null character), 7.24.5.7 (strstr: the first place the needle's
    # characters occur, h itself for an empty needle), 7.24.5.6 and 7.24.5.3 (strspn, strcspn: the
    # length of the first run of characters in, or not in, the set)
    "strcat": """
        char *strcat(char *dest, const char *src) {
            SIZE d = 0, i = 0;
            while (dest[d] != 0) d++;
            while (src[i] != 0) { dest[d + i] = src[i]; i++; }
            dest[d + i] = 0;
            return dest;
        }""",
    "strncat": """
        char *strncat(char *dest, const char *src, SIZE n) {
            SIZE d = 0, i = 0;
            while (dest[d] != 0) d++;
            while (i < n && src[i] != 0) { dest[d + i] = src[i]; i++; }
            dest[d + i] = 0;
            return dest;
        }""",
    "strstr": """
        char *strstr(const char *h, const char *needle) {
            SIZE i = 0;
            if (needle[0] == 0) return (char *) h;
            while (h[i] != 0) {
                SIZE j = 0;
                while (needle[j] != 0 && h[i + j] == needle[j]) j++;
                if (needle[j] == 0) return (char *) h + i;
                i++;
            }
            return 0;
        }""",
    **{name: f"""
        SIZE {name}(const char *s, const char *set) {{
            SIZE i = 0;
            while (s[i] != 0) {{
                SIZE j = 0;
                while (set[j] != 0 && set[j] != s[i]) j++;
                if (set[j] {stop} 0) break;
                i++;
            }}
            return i;
        }}""" for name, stop in (("strspn", "=="), ("strcspn", "!="))},
    # C11 7.24.5.1 (memchr: the first of n bytes equal to (unsigned char) c), 7.24.4.1 (memcmp: the sign
    # of the first pair of n bytes that differ, as unsigned char): over objects of bytes only (BYTES),
    # since a wider element's bytes lie in the machine's order
    "memchr": """
        ELEM *memchr(const ELEM *s, int c, SIZE n) {
            SIZE i = 0;
            while (i < n) {
                if ((unsigned char) s[i] == (unsigned char) c) return (ELEM *) s + i;
                i++;
            }
            return 0;
        }""",
    "memcmp": """
        int memcmp(const ELEM *a, const ELEM *b, SIZE n) {
            SIZE i = 0;
            while (i < n) {
                if (a[i] != b[i]) return SIGN_OF((unsigned char) a[i] - (unsigned char) b[i]);
                i++;
            }
            return 0;
        }""",
    # C11 7.24.6.1 (memset: each of n bytes set to (unsigned char) c), 7.24.2.1 (memcpy: n bytes copied),
    # over the elements of the type the destination points to, ELEM (UELEM: its unsigned kind, REPEAT:
    # the byte 1 in each of its bytes, so that an element of bytes b is b * REPEAT); n must be whole
    # elements, and PARTIAL() is the event that a part of one is written, which decides nothing
    "memset": """
        ELEM *memset(ELEM *s, int c, SIZE n) {
            SIZE k = 0;
            if (n % sizeof(ELEM) != 0) PARTIAL();
            while (k < n / sizeof(ELEM)) { s[k] = (ELEM) ((UELEM) (unsigned char) c * (UELEM) REPEAT); k++; }
            return s;
        }""",
    "memcpy": """
        ELEM *memcpy(ELEM *dest, const ELEM *src, SIZE n) {
            SIZE k = 0;
            if (n % sizeof(ELEM) != 0) PARTIAL();
            while (k < n / sizeof(ELEM)) { dest[k] = src[k]; k++; }
            return dest;
        }""",
    # C11 7.4 (character handling) in the "C" locale, the one a program that never calls setlocale runs
    # in (and setlocale, a call without a body, is unsupported): c must be EOF or an unsigned char's
    # value (7.4p1), and a test returns nonzero, which C does not fix, where c is in its class
    **{name: f"int {name}(int c) {{ CHARACTER(c); return NONZERO_IF({test}); }}" for name, test in {
        "isdigit": "c >= '0' && c <= '9'",
        "isxdigit": "(c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')",
        "islower": "c >= 'a' && c <= 'z'",
        "isupper": "c >= 'A' && c <= 'Z'",
        "isalpha": "(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')",
        "isalnum": "(c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')",
        "isspace": "c == ' ' || (c >= 9 && c <= 13)",
        "isblank": "c == ' ' || c == 9",
        "iscntrl": "(c >= 0 && c <= 31) || c == 127",
        "isprint": "c >= 32 && c <= 126",
        "isgraph": "c >= 33 && c <= 126",
        "ispunct": "(c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)",
    }.items()},
    "tolower": "int tolower(int c) { CHARACTER(c); return c >= 'A' && c <= 'Z' ? c + 32 : c; }",
    "toupper": "int toupper(int c) { CHARACTER(c); return c >= 'a' && c <= 'z' ? c - 32 : c; }",
    # C11 7.22.6.1: the absolute value; "if the result cannot be represented, the behavior is undefined",
    # which is what `-j` of the most negative value is here too
    "abs": "int abs(int j) { return j < 0 ? -j : j; }",
    "labs": "long labs(long j) { return j < 0 ? -j : j; }",
    "llabs": "long long llabs(long long j) { return j < 0 ? -j : j; }",
}
CHARACTER_FUNCTIONS = ("isdigit", "isxdigit", "islower", "isupper", "isalpha", "isalnum", "isspace", "isblank",
                       "iscntrl", "isprint", "isgraph", "ispunct", "tolower", "toupper")
# what a declaration of each may add without changing it: `nonnull` (a null argument is undefined, C11
# 7.1.4, which the call checks for every pointer), `pure` for one that only reads, `const` for one that
# reads nothing but its arguments (glibc's abs)
ATTRIBUTES = {"strncpy": {"__attribute__((nonnull))"}, "strcpy": {"__attribute__((nonnull))"},
              **{name: {"__attribute__((nonnull))", "__attribute__((pure))"}
                 for name in ("strlen", "strcmp", "strncmp", "strchr", "strrchr", "strnlen")},
              "memset": {"__attribute__((nonnull))"}, "memcpy": {"__attribute__((nonnull))"},
              "strcat": {"__attribute__((nonnull))"}, "strncat": {"__attribute__((nonnull))"},
              **{name: {"__attribute__((nonnull))", "__attribute__((pure))"}
                 for name in ("strstr", "strspn", "strcspn", "memchr", "memcmp")},
              **{name: {"__attribute__((const))"} for name in ("abs", "labs", "llabs")},
              **{name: set() for name in CHARACTER_FUNCTIONS}}
# the functions whose definition is over the elements the first argument points to (ELEM)
BY_ELEMENT = {"memset", "memcpy", "memchr", "memcmp"}
BYTES = {"memchr", "memcmp"}  # of those, the ones whose elements must be bytes
# `NONZERO_IF(t)`: any int that is zero where t is and only there (C fixes no more of a character test's
# result); `CHARACTER(c)`: the event that c is neither EOF nor an unsigned char's value (undefined)
NONZERO_IF = "__solomonic_nonzero_if"
CHARACTER = "__solomonic_character"
# `SIGN_OF(d)`, in a definition above: any int of d's sign (the lowering's havoc, calls.py), so that no
# answer rests on the value one C library computes where C fixes only its sign
SIGN_OF = "__solomonic_sign_of"
# `PARTIAL()`: the call writes part of an element, which the lowering's objects of whole elements do not
# express (an event that makes the answer unknown)
PARTIAL = "__solomonic_partial_element"
# the pointer arguments that may not overlap (C11: "If copying takes place between objects that
# overlap, the behavior is undefined")
DISTINCT = {"strncpy": (0, 1), "strcpy": (0, 1), "memcpy": (0, 1), "strcat": (0, 1), "strncat": (0, 1)}


def definition(name: str, size_type: str, coord: object, element: tuple[str, int] | None = None) -> c_ast.FuncDef:
    """`name`'s definition with `size_type` for size_t and, for one of BY_ELEMENT, `element` (an integer
    type's name and size in bytes, at most 8) for ELEM; every node at `coord` (a fresh copy: the lowering
    keeps nodes by identity)."""
    fdef = copy.deepcopy(_parsed(name, size_type, element))
    for node in _nodes(fdef):
        node.coord = coord
    return fdef


@functools.cache
def _parsed(name: str, size_type: str, element: tuple[str, int] | None) -> c_ast.FuncDef:
    text = DEFINITIONS[name].replace("SIZE", size_type).replace("SIGN_OF", SIGN_OF).replace("PARTIAL", PARTIAL) \
        .replace("NONZERO_IF", NONZERO_IF).replace("CHARACTER", CHARACTER)
    if element is not None:
        elem, size = element
        unsigned = elem if elem.startswith("unsigned") else "unsigned char" if elem.endswith("char") else \
            f"unsigned {elem}"
        repeat = "0x" + "01" * size + "ULL"
        text = text.replace("UELEM", unsigned).replace("ELEM", elem).replace("REPEAT", repeat)
    tree = GnuParser().parse(f"int {SIGN_OF}(int d); void {PARTIAL}(void); int {NONZERO_IF}(int t); "
                             f"void {CHARACTER}(int c);" + text, f"<{name}>")
    *_, fdef = tree.ext
    assert isinstance(fdef, c_ast.FuncDef)
    return fdef


def _nodes(node: c_ast.Node):
    yield node
    for _, child in node.children():
        yield from _nodes(child)
