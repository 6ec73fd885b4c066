"""Small C programs whose loops keep a relation known by construction: what the proposer learns to guess.

The reasoner reads its candidate invariants off the program: comparisons it contains, bounds of the
variables' types, equalities its runs show. What it cannot read off is a relation between variables
that no line of the program states: a counter of inner iterations bounded by `10*i + j` because the
inner loop runs at least 10 times, two variables that trade units so that `x + y` stays `n`, two that
grow in step. Those are what a proposer should propose (issue 28), so each family below builds a loop
around one such relation, with random names, constants and C spellings, asserts a consequence of it
after the loop, and states the relation as SMT-LIB conjuncts over the program's own variable names.

Nothing here is trusted: the corpus keeps a relation only where the reasoner proved the program's
assertion with it among its candidates and re-checked the certificate (corpus.from_relations). Values
are bounded by the program's early `return 0` (bounds from 1 to 10 000, as programs write them), so no
execution overflows (undefined behaviour, on which the reasoner answers unknown and the corpus learns
nothing).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

PRELUDE = """extern void abort(void);
extern void reach_error(void);
extern int __VERIFIER_nondet_int(void);
extern unsigned int __VERIFIER_nondet_uint(void);
extern _Bool __VERIFIER_nondet_bool(void);
void __VERIFIER_assert(int cond) {
  if (!(cond)) {
    reach_error();
    abort();
  }
}
"""
NAMES = ["i", "j", "k", "x", "y", "z", "a", "b", "c", "n", "m", "s", "t", "p", "q", "r", "w", "cnt", "sum", "len",
         "lo", "hi", "idx", "pos", "acc", "tmp", "u", "v", "d", "e"]


@dataclass(frozen=True)
class Relational:
    name: str  # unique within a generated set: family and index
    family: str
    source: str  # a whole C file whose `main` asserts a consequence of the relation after its loops
    relation: tuple[str, ...]  # the relation as SMT-LIB conjuncts; each is read at every loop head that has its names


Made = tuple[str, tuple[str, ...]]
LIMIT = 100_000_000  # no generated value exceeds this: far from INT_MAX, so no run overflows


def _low(rng: random.Random) -> int:
    """A lower bound, small or round like the ones programs write."""
    return rng.choice([rng.randint(1, 20), rng.randint(1, 100), rng.choice([10, 50, 100])])


def _span(rng: random.Random) -> int:
    return rng.choice([200, 1000, 10_000])


def _top(rng: random.Random) -> int:
    """An input's upper bound."""
    return rng.choice([100, 1000, 10_000, rng.randint(10, 10_000)])


def _names(rng: random.Random, count: int) -> list[str]:
    return rng.sample(NAMES, count)


def _bounded(rng: random.Random, name: str, low: int, high: int, unsigned: bool = False) -> str:
    """An input in [low, high], declared and bounded in one of the ways SV-COMP programs write it."""
    if unsigned:  # low is 0: only the upper bound is a guard
        return f"  unsigned int {name} = __VERIFIER_nondet_uint();\n  if ({name} > {high}) return 0;\n"
    decl = f"  int {name} = __VERIFIER_nondet_int();\n"
    style = rng.randrange(3)
    if style == 0:
        return decl + f"  if (!({low} <= {name} && {name} <= {high})) return 0;\n"
    if style == 1:
        return decl + f"  if ({name} < {low} || {name} > {high}) return 0;\n"
    return decl + f"  if ({name} < {low}) return 0;\n  if ({name} > {high}) return 0;\n"


def _counted(rng: random.Random, var: str, bound: str, body: str, indent: str = "  ") -> str:
    """`var` from 0 up to `bound`, as a for or a while loop."""
    inner = "".join(f"{indent}  {line}\n" for line in body.splitlines())
    if rng.random() < 0.5:
        return f"{indent}for ({var} = 0; {var} < {bound}; {var}++) {{\n{inner}{indent}}}\n"
    return f"{indent}{var} = 0;\n{indent}while ({var} < {bound}) {{\n{inner}{indent}  {var} = {var} + 1;\n{indent}}}\n"


def _main(body: str) -> str:
    return PRELUDE + "int main(void) {\n" + body + "  return 0;\n}\n"


def _times(c: int, v: str) -> str:
    return v if c == 1 else f"(* {c} {v})"


def nested_count(rng: random.Random) -> Made:
    """k counts the inner iterations of two nested loops over [0, n) and [0, m), m in [lo, hi]: so
    lo*i + j <= k <= hi*i + j in the inner loop (k grows by `step`, scaled likewise); the bounds are
    halved until k stays under LIMIT."""
    i, j, k, n, m = _names(rng, 5)
    n_lo, m_lo = _low(rng), _low(rng)
    n_hi, m_hi = n_lo + rng.randint(0, _span(rng)), m_lo + rng.randint(0, _span(rng))
    step = rng.choice([1, 1, 1, 2, 3])
    while step * n_hi * m_hi > LIMIT:  # k stays far from overflow
        n_hi, m_hi = max(n_lo, n_hi // 2), max(m_lo, m_hi // 2)
    inner = _counted(rng, j, m, f"{k} = {k} + {step};", indent="")
    body = (_bounded(rng, n, n_lo, n_hi) + _bounded(rng, m, m_lo, m_hi) + f"  int {k} = 0;\n  int {i}, {j};\n"
            + _counted(rng, i, n, inner))
    body += (f"  __VERIFIER_assert({k} >= {step * n_lo * m_lo});\n" if rng.random() < 0.5
             else f"  __VERIFIER_assert({k} <= {step * n_hi * m_hi});\n")
    low, high = step * m_lo, step * m_hi
    return _main(body), (f"(>= {k} {_times(low, i)})", f"(<= {k} {_times(high, i)})",
                         f"(>= {k} (+ {_times(low, i)} {_times(step, j)}))",
                         f"(<= {k} (+ {_times(high, i)} {_times(step, j)}))")


def transfer(rng: random.Random) -> Made:
    """x counts down from n while y counts up by `rate`: rate*x + y = rate*n throughout, so y = rate*n at
    the end (n at most 10 000, y at most 50 000; signed or unsigned, which never wraps here)."""
    x, y, n = _names(rng, 3)
    rate = rng.choice([1, 1, 1, 2, 3, 5])
    kind = rng.choice(["int", "unsigned int"])
    body = (_bounded(rng, n, 0, _top(rng), kind != "int") + f"  {kind} {x} = {n};\n  {kind} {y} = 0;\n"
            + f"  while ({x} > 0) {{\n    {x} = {x} - 1;\n    {y} = {y} + {rate};\n  }}\n"
            + f"  __VERIFIER_assert({y} == {_c_times(rate, n)});\n")
    return _main(body), (f"(= (+ {_times(rate, x)} {y}) {_times(rate, n)})",)


def _c_times(c: int, v: str) -> str:
    return v if c == 1 else f"{c} * {v}"


def choice(rng: random.Random) -> Made:
    """Each round adds p to one of a, b and q to the other, as a coin says: a + b = (p + q)*i, so the sum
    is (p + q)*n at the end (n at most 10 000)."""
    i, a, b, n = _names(rng, 4)
    p, q = rng.randint(1, 4), rng.randint(1, 4)
    round_ = (f"if (__VERIFIER_nondet_bool()) {{\n  {a} = {a} + {p};\n  {b} = {b} + {q};\n}} else {{\n"
              f"  {a} = {a} + {q};\n  {b} = {b} + {p};\n}}")
    body = (_bounded(rng, n, 0, _top(rng)) + f"  int {i};\n  int {a} = 0;\n  int {b} = 0;\n" + _counted(rng, i, n, round_)
            + f"  __VERIFIER_assert({a} + {b} == {_c_times(p + q, n)});\n")
    return _main(body), (f"(= (+ {a} {b}) {_times(p + q, i)})",)


def lockstep(rng: random.Random) -> Made:
    """x starts at x0 and grows by `step` each of n rounds: x = x0 + step*i, so x = x0 + step*n at the end."""
    i, x, x0, n = _names(rng, 4)
    step = rng.randint(1, 6)
    body = (_bounded(rng, n, 0, _top(rng)) + _bounded(rng, x0, -1000, 1000) + f"  int {i};\n  int {x} = {x0};\n"
            + _counted(rng, i, n, f"{x} = {x} + {step};")
            + f"  __VERIFIER_assert({x} == {x0} + {_c_times(step, n)});\n")
    return _main(body), (f"(= {x} (+ {x0} {_times(step, i)}))",)


def meet(rng: random.Random) -> Made:
    """lo climbs and hi falls by one a round until they meet: lo + hi = n throughout."""
    lo, hi, n = _names(rng, 3)
    kind = rng.choice(["int", "unsigned int"])
    body = (_bounded(rng, n, 0, _top(rng), kind != "int") + f"  {kind} {lo} = 0;\n  {kind} {hi} = {n};\n"
            + f"  while ({lo} < {hi}) {{\n    {lo} = {lo} + 1;\n    {hi} = {hi} - 1;\n  }}\n"
            + f"  __VERIFIER_assert({lo} + {hi} == {n});\n")
    return _main(body), (f"(= (+ {lo} {hi}) {n})",)


def lagging(rng: random.Random) -> Made:
    """x counts every round, y only some: y <= x throughout (and x - y counts the others), so y <= n."""
    x, y, n = _names(rng, 3)
    body = (_bounded(rng, n, 0, _top(rng)) + f"  int {x} = 0;\n  int {y} = 0;\n"
            + f"  while ({x} < {n}) {{\n    if (__VERIFIER_nondet_bool()) {{\n      {y} = {y} + 1;\n    }}\n"
            + f"    {x} = {x} + 1;\n  }}\n  __VERIFIER_assert({y} <= {n});\n")
    return _main(body), (f"(<= {y} {x})",)


FAMILIES: dict[str, Callable[[random.Random], Made]] = {
    "nested-count": nested_count, "transfer": transfer, "choice": choice, "lockstep": lockstep, "meet": meet,
    "lagging": lagging,
}


def generate(count: int, seed: int) -> list[Relational]:
    """`count` programs, cycling through the families."""
    rng = random.Random(seed)
    names = list(FAMILIES)
    out = []
    for index in range(count):
        family = names[index % len(names)]
        source, relation = FAMILIES[family](rng)
        out.append(Relational(f"{family}-{index:05d}", family, source, relation))
    return out
