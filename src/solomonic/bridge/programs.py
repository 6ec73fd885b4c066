"""Small C programs with loops whose termination is known by construction: the proposer's training ground.

Issue 28 asks for a corpus of the reasoner's own certificates harvested, among other places, from "a
generator for loops with known answers: counters, nested loops, gcd-like, multiphase, non-linear". Each
family below is a template with random constants; its answer is argued in its docstring, for every
input the program admits. The argument is what makes the label trustworthy, so every template keeps
its values small: inputs are bounded by an early `return 0`, and no loop can drive a value past
±2,000,000, so no execution has signed overflow (undefined behaviour, on which SV-COMP defines no
verdict and the reasoner answers unknown). A "no" family always admits an input on which the loop
runs forever without overflowing (the state repeats, or stays inside a bounded set).

The label is not what the corpus learns from (the certificates are), but it is checked against the
reasoner's answer whenever both exist: a disagreement is a soundness bug, reported as such.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

BOUND = 1000  # every input lies in [-BOUND, BOUND] (or a sub-range the template states)

PRELUDE = "extern int __VERIFIER_nondet_int(void);\n"


@dataclass(frozen=True)
class Program:
    name: str  # unique within a generated set: family and index
    family: str
    terminates: bool  # the answer known by construction
    source: str  # a whole C file whose `main` is the question
    # where it does not terminate: the values its __VERIFIER_nondet_int() calls return, in order (then 0),
    # on which it runs forever; the tests run it compiled to see that it does
    runs_forever_on: tuple[int, ...] = ()


def _inputs(rng: random.Random, names: list[str], low: int = -BOUND, high: int = BOUND) -> str:
    """Declarations of nondeterministic inputs and the guard bounding them to [low, high]."""
    decls = "".join(f"  int {n} = __VERIFIER_nondet_int();\n" for n in names)
    outside = " || ".join(f"{n} < {low} || {n} > {high}" for n in names)
    return decls + f"  if ({outside}) return 0;\n"


def _main(body: str) -> str:
    return PRELUDE + "int main(void) {\n" + body + "  return 0;\n}\n"


Made = tuple[str, tuple[int, ...]]  # the source, and the inputs on which it runs forever (none if it ends)


def counter(rng: random.Random, terminates: bool) -> Made:
    """`x` moves towards `n` by `step`. With step >= 1 it passes n after at most 2*BOUND/step rounds and
    stays within [-BOUND - step, BOUND + step]; with step 0, any x on the far side of n repeats its state
    forever."""
    step = rng.randint(1, 7) if terminates else 0
    if rng.random() < 0.5:
        loop, forever = f"  while (x < n) {{\n    x = x + {step};\n  }}\n", (0, 1)
    else:
        loop, forever = f"  while (x > n) {{\n    x = x - {step};\n  }}\n", (1, 0)
    return _main(_inputs(rng, ["x", "n"]) + loop), () if terminates else forever


def parity(rng: random.Random, terminates: bool) -> Made:
    """Even x grows by `even_step`, odd x by `odd_step` (both >= 1 when it terminates; then x passes n).
    Without termination the odd step is 0, and an odd x < n (e.g. x = -1, n = 0) repeats forever.
    C's `%` of a negative odd number is -1, which is not 0, so the test reads "odd" for every odd x."""
    even_step = rng.randint(1, 4)
    odd_step = rng.randint(1, 4) if terminates else 0
    body = (_inputs(rng, ["x", "n"])
            + f"  while (x < n) {{\n    if (x % 2 == 0) {{\n      x = x + {even_step};\n    }} else {{\n"
            + f"      x = x + {odd_step};\n    }}\n  }}\n")
    return _main(body), () if terminates else (-1, 0)


def nested(rng: random.Random, terminates: bool) -> Made:
    """Two nested counting loops over [0, n) and [0, i), n in [0, BOUND]: at most BOUND^2 / 2 rounds.
    Without termination the inner loop forgets its increment: for i >= 1 (n >= 2), j = 0 < i forever."""
    inner = rng.randint(1, 3) if terminates else 0
    body = (_inputs(rng, ["n"], 0, BOUND)
            + "  int i = 0;\n  while (i < n) {\n    int j = 0;\n"
            + f"    while (j < i) {{\n      j = j + {inner};\n    }}\n    i = i + 1;\n  }}\n")
    return _main(body), () if terminates else (2,)


def gcd(rng: random.Random, terminates: bool) -> Made:
    """Euclid by subtraction. For a, b in [1, BOUND] both stay positive and a + b falls every round; if
    inputs may be 0 (a = 0, b = 1), b - a leaves b unchanged and the state repeats forever."""
    low = 1 if terminates else 0
    body = (_inputs(rng, ["a", "b"], low, BOUND)
            + "  while (a != b) {\n    if (a > b) {\n      a = a - b;\n    } else {\n      b = b - a;\n    }\n  }\n")
    return _main(body), () if terminates else (0, 1)


def multiphase(rng: random.Random, terminates: bool) -> Made:
    """x grows by y while y falls by `fall` >= 1: after at most 2*BOUND rounds y is negative and x falls.
    x never exceeds BOUND + BOUND*(BOUND+1)/2 (about 500,000). Without termination y changes sign every
    round instead: with y != 0 and x > |y| (x = 5, y = 1), x alternates between two positive values."""
    fall = rng.randint(1, 3)
    update = f"    y = y - {fall};\n" if terminates else "    y = -y;\n"
    body = _inputs(rng, ["x", "y"]) + "  while (x > 0) {\n    x = x + y;\n" + update + "  }\n"
    return _main(body), () if terminates else (5, 1)


def lexicographic(rng: random.Random, terminates: bool) -> Made:
    """y counts down to 0, then x falls by one and y is refilled with a value in [0, BOUND]: (x, y) falls
    lexicographically. Without termination the refill leaves x unchanged: x = 1, y = 0 refills forever."""
    refill_low = rng.randint(0, 10)
    x_step = "    x = x - 1;\n" if terminates else ""
    body = (_inputs(rng, ["x", "y"])
            + "  while (x > 0) {\n    if (y > 0) {\n      y = y - 1;\n    } else {\n" + x_step
            + "      y = __VERIFIER_nondet_int();\n"
            + f"      if (y < {refill_low} || y > {BOUND}) {{\n        y = {refill_low};\n      }}\n"
            + "    }\n  }\n")
    return _main(body), () if terminates else (1, 0)


def quadratic(rng: random.Random, terminates: bool) -> Made:
    """x in [0, BOUND] climbs until x*x reaches n in [0, BOUND]: x stays below 1,000 + step, so x*x below
    2,000,000. Without termination the step is 0, and x = 0 < n = 1 repeats forever."""
    step = rng.randint(1, 3) if terminates else 0
    body = (_inputs(rng, ["x"], 0, BOUND) + _inputs(rng, ["n"], 0, BOUND)
            + f"  while (x * x < n) {{\n    x = x + {step};\n  }}\n")
    return _main(body), () if terminates else (0, 1)


def bounded_sum(rng: random.Random, terminates: bool) -> Made:
    """Two counters that both move while the sum stays under a limit: x + y grows by `a` + `b` >= 1 a
    round, from at least -2*BOUND to the limit, so it ends. Without termination both steps are 0."""
    a, b = (rng.randint(0, 3), rng.randint(1, 3)) if terminates else (0, 0)
    limit = rng.randint(10, BOUND)
    body = (_inputs(rng, ["x", "y"])
            + f"  while (x + y < {limit}) {{\n    x = x + {a};\n    y = y + {b};\n  }}\n")
    return _main(body), () if terminates else (0, 0)


FAMILIES: dict[str, Callable[[random.Random, bool], Made]] = {
    "counter": counter, "parity": parity, "nested": nested, "gcd": gcd, "multiphase": multiphase,
    "lexicographic": lexicographic, "quadratic": quadratic, "bounded-sum": bounded_sum,
}


def generate(count: int, seed: int, terminating_share: float = 0.75) -> list[Program]:
    """`count` programs, cycling through the families, each terminating with the given probability (the
    proposer learns from the terminating ones' certificates; the others keep the labels honest)."""
    rng = random.Random(seed)
    names = list(FAMILIES)
    out = []
    for i in range(count):
        family = names[i % len(names)]
        terminates = rng.random() < terminating_share
        source, forever = FAMILIES[family](rng, terminates)
        out.append(Program(f"{family}-{i:05d}", family, terminates, source, forever))
    return out
