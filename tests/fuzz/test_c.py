"""`solomonic check FILE.c` on hostile and broken C: programs from the soundness generator and hand
seeds with bytes and tokens edited in, unbalanced braces, huge literals, an #include of a missing file,
NUL bytes, and deep nesting."""

from __future__ import annotations

import random

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from solomonic.bench.soundness.c.writer import write_batch
from tests.fuzz.harness import edits, fuzz, mutate, solomonic, solomonic_process

BOUND_S = 60
QUICK = ("--no-memory", "--timeout", "1", "--format", "json")

TOKENS = ["{", "}", "(", ")", ";", "[", "]", "\n", '#include "missing.h"\n', "#include <nothere.h>\n", "#define x (",
          "#if 1\n", "#endif\n", "0x", "99999999999999999999999", "9" * 5000, "0x" + "f" * 40, "/*", "*/", '"',
          "'", "\\", "\n#", "goto L;", "L:", "switch (x) {", "case 1:", "default:", "int *p;", "*p", "&x",
          "__VERIFIER_nondet_int()", "while (1)", "for (;;)", "struct S", "...", "<<", ">>", "/ 0", "% 0", "->",
          "sizeof", "_Alignof", "__int128", "float", "return", "break;", "continue;", "\x00", "\udcff", "?", ":"]

SEEDS = {
    "arithmetic": "int f(int x) {\n  int y = x * 2;\n  if (y > 10) return y - x;\n  return x;\n}\n",
    "loop": "int f(unsigned n) {\n  unsigned s = 0;\n  for (unsigned i = 0; i < n; i++) s += i;\n  return s > 0;\n}\n",
    "asserts": "#include <assert.h>\nint f(int x) {\n  if (x > 0 && x < 100) assert(x * x < 10000);\n  return 1;\n}\n",
    "nondet": ("extern int __VERIFIER_nondet_int(void);\nvoid __VERIFIER_assert(int);\nint main(void) {\n"
               "  int x = __VERIFIER_nondet_int();\n  while (x > 0) x--;\n  __VERIFIER_assert(x <= 0);\n"
               "  return 0;\n}\n"),
    "pointers": "int f(int x) {\n  int a[4] = {1, 2, 3, 4};\n  int *p = a + (x & 3);\n  return *p;\n}\n",
}


def write(tmp_path, data: bytes, name: str = "fuzzed.c") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def generated(seed: int, index: int) -> bytes:
    """Two functions of the soundness generator, their holes filled with bounds drawn from `seed`."""
    batch, rng = write_batch(seed, index, 2), random.Random(seed)
    return batch.source(lambda hole: hole.condition(rng)).encode()


@fuzz(examples=10)
@given(seed=st.integers(0, 2**32), index=st.integers(0, 1000), changes=edits(TOKENS))
def test_mutated_generated_programs(tmp_path_factory, seed, index, changes):
    path = write(tmp_path_factory.mktemp("c"), mutate(generated(seed, index), changes))
    solomonic("check", path, "--property", "assert", *QUICK).assert_clean(BOUND_S)


@fuzz(examples=10)
@given(seed=st.sampled_from(sorted(SEEDS)), changes=edits(TOKENS))
@example(seed="arithmetic", changes=[(1.0, "insert", b"...")])  # a GNU range cut short: IndexError
@example(seed="nondet", changes=[(0.75, "repeat-line", b"{"), (0.890625, "delete", b"return")])  # an
# argument cut out of __VERIFIER_assert(...): IndexError
def test_mutated_hand_seeds(tmp_path_factory, seed, changes):
    path = write(tmp_path_factory.mktemp("c"), mutate(SEEDS[seed].encode(), changes))
    solomonic("check", path, "--property", "assert", *QUICK).assert_clean(BOUND_S)


SHAPES = {"negation": ("- ", ""), "parentheses": ("(", ")"), "sum": ("x + ", ""), "conditional": ("x ? x : ", ""),
          "block": ("{ ", " }"), "if": ("if (x) { ", " }"), "cast": ("(int) ", ""), "call": ("g(", ")")}


@fuzz(examples=6)
@given(depth=st.integers(1, 4000), shape=st.sampled_from(sorted(SHAPES)))
@example(depth=3000, shape="sum")  # the lowering ran out of recursion: "internal error: RecursionError"
@example(depth=500, shape="parentheses")  # pycparser ran out of recursion: called a syntax error
def test_deep_nesting(tmp_path_factory, depth, shape):
    prefix, suffix = SHAPES[shape]
    if shape in ("block", "if"):
        body = f"{prefix * depth}x = x + 1;{suffix * depth} return x;"
    else:
        body = f"return {prefix * depth}x{suffix * depth};"
    text = f"static int g(int x) {{ return x; }}\nint f(int x) {{ {body} }}\n"
    path = write(tmp_path_factory.mktemp("c"), text.encode())
    run = solomonic("check", path, "--function", "f", "--property", "assert", *QUICK)
    run.assert_clean(BOUND_S)
    if "nested" in run.stderr + run.stdout:
        assert f"{path}:2" in run.stderr + run.stdout


HOSTILE = {
    "empty": b"",
    "only comments": b"/* one */\n// two\n",
    "unbalanced open brace": b"int f(int x) {\n  if (x) {\n    return 1;\n}\n",
    "unbalanced close brace": b"int f(int x) {\n  return x;\n}\n}\n",
    "syntax error on the last line": b"int f(int x) {\n  return x;\n}\nint g(",
    "a missing quoted include": b'#include "missing.h"\nint f(int x) {\n  return x;\n}\n',
    "a missing system include": b"#include <missing/nothere.h>\nint f(int x) {\n  return x;\n}\n",
    "an include of itself": b'#include "fuzzed.c"\nint f(int x) {\n  return x;\n}\n',
    "#error": b"#error stop here\nint f(int x) {\n  return x;\n}\n",
    "NUL byte": b"int f(int x) {\n  return x\x00;\n}\n",
    "not UTF-8 in code": b"int f(int x) {\n  return x \xff 1;\n}\n",
    "not UTF-8 in a comment": b"int f(int x) { /* caf\xe9 */\n  return x;\n}\n",
    "a 5000-digit literal": b"int f(int x) {\n  return x + " + b"9" * 5000 + b";\n}\n",
    "a literal past 64 bits": b"int f(int x) {\n  return x + 99999999999999999999999;\n}\n",
    "a hex literal past 64 bits": b"int f(int x) {\n  return x + 0x" + b"f" * 40 + b";\n}\n",
    "an octal literal of many zeros": b"int f(int x) {\n  return x + 0" + b"0" * 5000 + b"1;\n}\n",
    "a shift past any width": b"int f(int x) {\n  return x << 100000000000;\n}\n",
    "a huge array": b"int f(int x) {\n  int a[1000000000];\n  a[0] = x;\n  return a[0];\n}\n",
    "a long string literal": b'int f(int x) {\n  char *s = "' + b"a" * 100_000 + b'";\n  return x;\n}\n',
    "a long identifier": b"int f(int x) {\n  int " + b"a" * 100_000 + b" = x;\n  return x;\n}\n",
    "mutually recursive macros": b"#define A B\n#define B A\nint f(int x) {\n  return A;\n}\n",
    "a switch of 100 cases": b"int f(int x) {\n  switch (x) {\n" + b"".join(b"  case %d: x++;\n" % i for i in range(100))
                             + b"  }\n  return x;\n}\n",
    "K&R definition": b"int f(x)\n  int x;\n{\n  return x;\n}\n",
    "a function without a body": b"int f(int x);\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files(tmp_path, name):
    path = write(tmp_path, HOSTILE[name])
    run = solomonic("check", path, "--property", "assert", *QUICK)
    run.assert_clean(BOUND_S)
    run.assert_refusals_name(path)


def test_nothing_hangs_as_a_separate_process(tmp_path):
    path = write(tmp_path, b"int f(int x) {\n  while (x != 3) x += 2;\n  return x;\n}\n")
    solomonic_process("check", path, *QUICK, bound_s=BOUND_S).assert_clean(BOUND_S)
