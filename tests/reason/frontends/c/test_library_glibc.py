"""The C library's functions as library.py writes them, against the real ones: hypothesis draws two
strings (bytes 1 to 255, so high bytes that are negative chars too), a character and a count; glibc,
called through ctypes, says what each function gives; a closed program asserts exactly that of the
model's functions, and the IR interpreter runs it. Where the model leaves a result open (strcmp's: any
int of a sign; isdigit's: any nonzero int), the run is given glibc's own value for it, which the
model's assumption must admit. The run must end: an assertion that fails is the model computing
another value than glibc, an assumption that blocks it the model excluding glibc's."""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason.frontends.c.lower import lower_c, parse_c
from solomonic.reason.ir import Havoc
from solomonic.reason.ir.interpret import run

LIBC = ctypes.CDLL(ctypes.util.find_library("c"))
for _name in ("strchr", "strrchr", "strstr", "memchr"):
    getattr(LIBC, _name).restype = ctypes.c_void_p
for _name in ("strlen", "strnlen", "strspn", "strcspn"):
    getattr(LIBC, _name).restype = ctypes.c_size_t
CTYPE = ("isdigit", "isxdigit", "islower", "isupper", "isalpha", "isalnum", "isspace", "isblank", "iscntrl",
         "isprint", "isgraph", "ispunct")

strings = st.binary(max_size=5).filter(lambda b: 0 not in b) | st.text(alphabet="ab .1", max_size=4).map(str.encode)


def literal(b: bytes) -> str:
    return '"' + "".join(f"\\{x:03o}" for x in b) + '"'


def at(call: str, expected: int | None, start: int) -> str:
    """An assertion that `call`, a pointer into `a` or null, is where glibc's was (`expected`)."""
    where = "p == 0" if expected is None else f"p != 0 && p - a == {expected - start}"
    return f"  p = {call}; __VERIFIER_assert({where});"


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(strings, strings, st.integers(1, 255), st.integers(0, 6))
def test_the_models_functions_give_what_glibcs_give(tmp_path_factory, a, b, c, n):
    ca, cb = ctypes.create_string_buffer(a), ctypes.create_string_buffer(b)
    start, common = ctypes.addressof(ca), min(len(a), len(b)) + 1
    joined = ctypes.create_string_buffer(a, len(a) + n + 1)
    LIBC.strncat(joined, cb, n)
    # the results the model leaves open, by the call's text: glibc's own
    open_results = {"strcmp(a, b)": LIBC.strcmp(ca, cb), f"strncmp(a, b, {n})": LIBC.strncmp(ca, cb, n),
                    f"memcmp(a, b, {common})": LIBC.memcmp(ca, cb, common),
                    **{f"{f}({c})": getattr(LIBC, f)(c) for f in CTYPE}}
    lines = [
        *(f"  __VERIFIER_assert({call} == {value});" for call, value in open_results.items()),
        f"  __VERIFIER_assert(strlen(a) == {LIBC.strlen(ca)} && strnlen(a, {n}) == {LIBC.strnlen(ca, n)});",
        f"  __VERIFIER_assert(strspn(a, b) == {LIBC.strspn(ca, cb)} && strcspn(a, b) == {LIBC.strcspn(ca, cb)});",
        f"  __VERIFIER_assert(toupper({c}) == {LIBC.toupper(c)} && tolower({c}) == {LIBC.tolower(c)});",
        at(f"strchr(a, {c})", LIBC.strchr(ca, c), start),
        at(f"strrchr(a, {c})", LIBC.strrchr(ca, c), start),
        at("strstr(a, b)", LIBC.strstr(ca, cb), start),
        at(f"memchr(a, {c}, {len(a) + 1})", LIBC.memchr(ca, c, len(a) + 1), start),
        f"  strncat(d, b, {n}); __VERIFIER_assert(strcmp(d, {literal(joined.value)}) == 0);",
    ]
    open_results[f"strcmp(d, {literal(joined.value)})"] = 0
    program = textwrap.dedent("""
        #include <string.h>
        #include <ctype.h>
        extern void __VERIFIER_assert(int);
        size_t strnlen(const char *s, size_t n);  /* POSIX: string.h declares it only outside strict C */
        int main(void) {
          const char a[] = A, b[] = B;
          char d[SIZE] = A;
          const char *p;
        """).replace("A", literal(a)).replace("B", literal(b)).replace("SIZE", str(len(a) + n + 1))
    program += "\n".join(lines) + "\n  return 0;\n}\n"
    path = tmp_path_factory.mktemp("glibc") / "program.c"
    path.write_text(program)
    function = lower_c(parse_c(str(path)), "main")

    def glibc(_edge: int, _step: int, stmt: Havoc) -> int:
        call = re.match(r"the result of `(.*?)`", stmt.origin)
        assert call is not None and call.group(1) in open_results, stmt.origin
        return open_results[call.group(1)]

    trace = run(function, {}, glibc, set(), max_steps=1_000_000, strict=True)
    assert trace.outcome == "event" and trace.event is not None and trace.event.kind.startswith("return"), \
        f"{trace.outcome}: {trace.event}\n{program}"


@pytest.mark.parametrize("name", [*CTYPE, "toupper", "tolower"])
def test_each_character_function_agrees_with_glibc_on_every_character(tmp_path, name):
    """EOF and every unsigned char's value (C11 7.4p1): each test's result, given glibc's value, admitted
    by the model (nonzero exactly where glibc's is: else its assumption blocks the run), toupper and
    tolower computing glibc's."""
    f = getattr(LIBC, name)
    checks = [f"  __VERIFIER_assert({name}({c}) == {f(c)});" for c in range(-1, 256)]
    path = tmp_path / "program.c"
    path.write_text("#include <ctype.h>\nextern void __VERIFIER_assert(int);\nint main(void) {\n" + "\n".join(checks)
                    + "\n  return 0;\n}\n")
    function = lower_c(parse_c(str(path)), "main")
    values = {f"{name}({c})": f(c) for c in range(-1, 256)}

    def glibc(_edge: int, _step: int, stmt: Havoc) -> int:
        call = re.match(r"the result of `(.*?)`", stmt.origin)
        assert call is not None, stmt.origin
        return values[call.group(1)]

    trace = run(function, {}, glibc, set(), max_steps=1_000_000, strict=True)
    assert trace.outcome == "event" and trace.event is not None and trace.event.kind.startswith("return"), trace.event
