"""The frontends give programs the semantics the real language gives them.

Random C expressions over parameters of mixed integer types are compiled by gcc (with UBSan) and run;
the C frontend's lowering, run by the concrete interpreter, must return the same value, or end in an
undefined-behaviour event exactly where UBSan reports one. gcc folds what it can see at compile time
(`1 + LLONG_MAX`, `(a - b) != 0` as `a != b`) before UBSan looks, so the program it judges reads every
parameter, literal and intermediate result through a volatile: the same values and types, nothing to fold. Random Python
expressions are compared with CPython the same way (values, and ZeroDivisionError).
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.reason.frontends.c.lower import lower_c, parse_c
from solomonic.reason.ir.interpret import run
from solomonic.reason.replay.c import can_compile_32bit
from tests.reason.frontends.python.cpython import assert_matches_cpython

C_TYPES = {  # name -> (bits under ILP32, bits under LP64, signed)
    "int": (32, 32, True), "unsigned int": (32, 32, False), "short": (16, 16, True),
    "unsigned short": (16, 16, False), "char": (8, 8, True), "signed char": (8, 8, True),
    "unsigned char": (8, 8, False), "long": (32, 64, True), "unsigned long": (32, 64, False),
    "long long": (64, 64, True), "unsigned long long": (64, 64, False), "_Bool": (1, 1, False),
}
LITERALS = ["0", "1", "2", "7", "255", "65535", "2147483647", "4294967295U", "0x80000000", "-1", "'a'", "'\\n'",
            "9223372036854775807LL", "3000000000", "1UL", "10L"]
BINARY = ["+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "<", "<=", ">", ">=", "==", "!=", "&&", "||"]


@st.composite
def c_expression(draw, depth=3) -> tuple[str, str]:
    """A random C expression, and the same expression for gcc to judge: every parameter, literal and
    intermediate result read through a volatile (`V`, `K`), of the same value and type, so that gcc can fold
    nothing away before UBSan looks (it folds `1 + LLONG_MAX`, and `(a - b) != 0` to `a != b`)."""
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        atom = draw(st.sampled_from(["a", "b", "c", *LITERALS]))
        return atom, f"V({atom})" if atom in ("a", "b", "c") else f"K({atom})"
    kind = draw(st.sampled_from(["binary", "binary", "unary", "cast", "ternary"]))
    if kind == "binary":
        (x, jx), op, (y, jy) = draw(c_expression(depth - 1)), draw(st.sampled_from(BINARY)), draw(c_expression(depth - 1))
        return f"({x} {op} {y})", f"K(({jx} {op} {jy}))"
    if kind == "unary":
        op, (x, jx) = draw(st.sampled_from(["-", "~", "!"])), draw(c_expression(depth - 1))
        return f"({op}{x})", f"K(({op}{jx}))"
    if kind == "cast":
        t, (x, jx) = draw(st.sampled_from(list(C_TYPES))), draw(c_expression(depth - 1))
        return f"(({t}) {x})", f"K((({t}) {jx}))"
    (c, jc), (x, jx), (y, jy) = (draw(c_expression(depth - 1)) for _ in range(3))
    return f"({c} ? {x} : {y})", f"K(({jc} ? {jx} : {jy}))"


def c_value(draw, name: str, model: str) -> int:
    bits32, bits64, signed = C_TYPES[name]
    bits = bits32 if model == "ILP32" else bits64
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return draw(st.one_of(st.integers(lo, hi), st.sampled_from([lo, hi, 0, 1, min(hi, 3)])))


def run_gcc(source: str, inputs: list[list[int]], model: str, tmp: str) -> list[str]:
    """Per input: the printed result, or "UB" when UBSan stops the program."""
    path = os.path.join(tmp, "judged.c")
    with open(path, "w") as f:
        f.write(source)
    exe = os.path.join(tmp, "judged")
    flags = ["-m32"] if model == "ILP32" else []
    subprocess.run(["gcc", "-std=gnu11", "-O0", "-w", "-fsanitize=undefined", "-fno-sanitize-recover=all",
                    *flags, path, "-o", exe], check=True, capture_output=True)
    out = []
    for args in inputs:
        done = subprocess.run([exe, *map(str, args)], capture_output=True, text=True,
                              env={**os.environ, "UBSAN_OPTIONS": "halt_on_error=1:exitcode=98"})
        # SIGFPE: the CPU trapped an integer division by zero (or INT_MIN / -1) that UBSan did not instrument
        # (gcc leaves out the check where the divisor is a promoted _Bool); both are undefined behaviour.
        ub = "runtime error" in done.stderr or done.returncode == -signal.SIGFPE
        out.append("UB" if ub else done.stdout.strip())
    return out


OPAQUE = ("#define V(x) (*(volatile __typeof__(x) *)&(x))\n"
          "#define K(x) (*(volatile __typeof__(x) *)&(__typeof__(x)){x})\n")


def c_program(types: list[str], expr: str) -> str:
    params = ", ".join(f"{t} {n}" for t, n in zip(types, "abc"))
    parse = "\n".join(f"  {t} {n} = ({t}) strtoull(argv[{i + 1}], 0, 0);" if "unsigned" in t or t == "_Bool"
                      else f"  {t} {n} = ({t}) strtoll(argv[{i + 1}], 0, 0);" for i, (t, n) in enumerate(zip(types, "abc")))
    return (f"long long f({params}) {{ return (long long) {expr}; }}\n"
            "#include <stdio.h>\n#include <stdlib.h>\n"
            f"int main(int argc, char **argv) {{\n{parse}\n"
            '  printf("%lld\\n", f(a, b, c));\n  return 0;\n}\n')


MODELS = ["LP64", "ILP32"] if can_compile_32bit() else ["LP64"]


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_c_expressions_match_gcc(model, data):
    types = [data.draw(st.sampled_from(list(C_TYPES))) for _ in range(3)]
    expr, judged = data.draw(c_expression())
    inputs = [[c_value(data.draw, t, model) for t in types] for _ in range(4)]
    source = c_program(types, expr)
    with tempfile.TemporaryDirectory() as tmp:
        expected = run_gcc(OPAQUE + c_program(types, judged), inputs, model, tmp)
        path = os.path.join(tmp, "f.c")
        with open(path, "w") as f:
            f.write(source)
        function = lower_c(parse_c(path, data_model=model), "f")
    for args, want in zip(inputs, expected):
        env = {i.var: i.var.type.wrap(v) for i, v in zip(function.inputs, args)}
        trace = run(function, env, lambda *_: 0, set())
        assert trace.event is not None, (source, args, trace.outcome)
        if want == "UB":
            assert trace.event.kind in ("overflow", "ub"), (expr, types, args, trace.event)
        else:
            assert trace.event.kind in ("return", "return-false"), (expr, types, args, trace.event)
            got = next(v for var, v in trace.env.items() if var.name == "$return")
            assert got == int(want), (expr, types, args, got, want)


@st.composite
def py_expression(draw, depth=3):
    if depth == 0 or draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(["a", "b", "0", "1", "2", "-3", "7", "True", "False", "10**20"]))
    kind = draw(st.sampled_from(["binary", "binary", "compare", "bool", "unary", "call", "ternary", "power"]))
    sub = lambda: draw(py_expression(depth - 1))  # noqa: E731
    if kind == "binary":
        return f"({sub()} {draw(st.sampled_from(['+', '-', '*', '//', '%']))} {sub()})"
    if kind == "compare":
        ops = [draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="])) for _ in range(draw(st.integers(1, 2)))]
        return "(" + sub() + "".join(f" {op} {sub()}" for op in ops) + ")"
    if kind == "bool":
        return f"({sub()} {draw(st.sampled_from(['and', 'or']))} {sub()})"
    if kind == "unary":
        return f"({draw(st.sampled_from(['-', '+', 'not ']))}{sub()})"
    if kind == "call":
        name = draw(st.sampled_from(["abs", "min", "max", "int", "bool", "divmod"]))
        if name == "divmod":  # a tuple, taken apart at once
            return f"divmod({sub()}, {sub()})[{draw(st.sampled_from([0, 1, -1, -2]))}]"
        arity = 1 if name in ("abs", "int", "bool") else draw(st.integers(2, 3))
        return f"{name}({', '.join(sub() for _ in range(arity))})"
    if kind == "power":
        return f"({sub()} ** {draw(st.integers(0, 5))})"
    return f"({sub()} if {sub()} else {sub()})"


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(expr=py_expression(), inputs=st.lists(st.tuples(st.integers(-6, 6), st.integers(-6, 6)), min_size=3,
                                             max_size=3))
def test_python_expressions_match_cpython(expr, inputs):
    source = f"def f(a: int, b: int):\n    return {expr}\n"
    assert_matches_cpython(source, inputs, (ZeroDivisionError,))


RANGE_BOUNDS = ["a", "b", "-a", "b - a", "0", "5", "-4"]
RANGE_STEPS = ["a", "b", "-1", "1", "2", "-3", "0"]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(bounds=st.tuples(*(st.sampled_from(RANGE_BOUNDS) for _ in range(2)), st.sampled_from(RANGE_STEPS)),
       parts=st.tuples(py_expression(2), py_expression(2), py_expression(2)),
       inputs=st.lists(st.tuples(st.integers(-6, 6), st.integers(-6, 6)), min_size=4, max_size=4))
def test_python_loops_and_unpacking_match_cpython(bounds, parts, inputs):
    """range() with three arguments (either sign of step, a step read at run time, step 0), `else` on the
    loop, divmod unpacked, and a swap that reads the old values: the front end agrees with CPython."""
    start, stop, step = bounds
    source = (f"def f(a: int, b: int):\n    t = 0\n    for i in range({start}, {stop}, {step}):\n"
              f"        t = t * 3 + i\n    else:\n        t += 1\n    q, r = divmod({parts[0]}, {parts[1]})\n"
              f"    a, b = b, a + t\n    return ({parts[2]}) + q * 5 + r * 7 + t * 11\n")
    assert_matches_cpython(source, inputs, (ZeroDivisionError, ValueError))
