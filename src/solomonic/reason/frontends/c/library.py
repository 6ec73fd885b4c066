"""C library functions the program calls without defining them (string functions, `abs`), lowered from
their definition in C.

A call to `strncpy` has no body to analyse, and treating it as anything but what C11 7.24 says would be
a guess. Each function here is that text, written out: the standard's own description of the copy or
the count, element by element, so the lowering inlines it like one of the program's functions and
every access it makes is checked like the program's own (an element past the end of the destination
or of the source array is undefined behaviour). What the text adds to the program is only what C11
requires of every call, and what it cannot say (the copies' objects overlapping, which is undefined)
the call refuses first (`calls.library_call`). The program's own prototype decides how the arguments
are converted, as it does for gcc's call; gcc's `-fsanitize=address` replay runs the real function.

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
    # C11 7.22.6.1: the absolute value; "if the result cannot be represented, the behavior is undefined",
    # which is what `-j` of the most negative value is here too
    "abs": "int abs(int j) { return j < 0 ? -j : j; }",
    "labs": "long labs(long j) { return j < 0 ? -j : j; }",
    "llabs": "long long llabs(long long j) { return j < 0 ? -j : j; }",
}
# what a declaration of each may add without changing it: `nonnull` (a null argument is undefined, C11
# 7.1.4, which the call checks for every pointer), `pure` for one that only reads, `const` for one that
# reads nothing but its arguments (glibc's abs)
ATTRIBUTES = {"strncpy": {"__attribute__((nonnull))"}, "strcpy": {"__attribute__((nonnull))"},
              "strlen": {"__attribute__((nonnull))", "__attribute__((pure))"},
              **{name: {"__attribute__((const))"} for name in ("abs", "labs", "llabs")}}
# the pointer arguments that may not overlap (C11: "If copying takes place between objects that
# overlap, the behavior is undefined")
DISTINCT = {"strncpy": (0, 1), "strcpy": (0, 1)}


def definition(name: str, size_type: str, coord: object) -> c_ast.FuncDef:
    """`name`'s definition with `size_type` for size_t, every node at `coord` (a fresh copy: the
    lowering keeps nodes by identity)."""
    fdef = copy.deepcopy(_parsed(name, size_type))
    for node in _nodes(fdef):
        node.coord = coord
    return fdef


@functools.cache
def _parsed(name: str, size_type: str) -> c_ast.FuncDef:
    tree = GnuParser().parse(DEFINITIONS[name].replace("SIZE", size_type), f"<{name}>")
    [fdef] = tree.ext
    assert isinstance(fdef, c_ast.FuncDef)
    return fdef


def _nodes(node: c_ast.Node):
    yield node
    for _, child in node.children():
        yield from _nodes(child)
