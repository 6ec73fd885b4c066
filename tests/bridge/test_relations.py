"""The generated relational programs keep the relation they state: compiled and run on random inputs
(signed overflow trapping), the relation holds at every loop head a run passes and the assertion after
the loops holds; the corpus keeps the parts of a relation a re-checked proof rests on, and a program
whose assertion can fail stops the harvest."""

import random
import re
import shutil
import subprocess

import pytest

from solomonic.bridge import corpus
from solomonic.bridge.relations import FAMILIES, Relational, generate

gcc = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not available")

# the nondeterministic functions read the next int of standard input (0 once it is used up); a failed
# assertion exits with status 3
HARNESS = """#include <stdio.h>
#include <stdlib.h>
int __VERIFIER_nondet_int(void) { int v; return scanf("%d", &v) == 1 ? v : 0; }
unsigned int __VERIFIER_nondet_uint(void) { return (unsigned int) __VERIFIER_nondet_int(); }
_Bool __VERIFIER_nondet_bool(void) { return __VERIFIER_nondet_int() != 0; }
void reach_error(void) { exit(3); }
"""


def _sample() -> list[Relational]:
    chosen: dict[str, Relational] = {}
    for p in generate(60, seed=5):
        chosen.setdefault(p.family, p)
    assert set(chosen) == set(FAMILIES)
    return list(chosen.values())


def _c(term: str) -> str:
    """An SMT-LIB conjunct of the generator's forms as a C expression."""
    tokens = re.findall(r"\(|\)|[^\s()]+", term)

    def expr(i: int) -> tuple[str, int]:
        if tokens[i] != "(":
            return tokens[i], i + 1
        op, i = tokens[i + 1], i + 2
        args = []
        while tokens[i] != ")":
            arg, i = expr(i)
            args.append(arg)
        return "(" + f" {'==' if op == '=' else op} ".join(args) + ")", i + 1

    return expr(0)[0]


def _instrumented(program: Relational) -> str:
    """The program with the relation checked at the top of its last loop's body (exit status 4 if it fails):
    for the nested count, its conjuncts about the inner loop's state (those with its counter); the
    others read at the outer head only, where the inner counter is not live."""
    parts = [t for t in program.relation if program.family != "nested-count" or "(+" in t]
    check = " && ".join(_c(t) for t in parts)
    *_, last = re.finditer(r"(?:while|for) \(.*\) \{\n", program.source)
    return program.source[:last.end()] + f"if (!({check})) exit(4);\nputchar('L');\n" + program.source[last.end():]


@gcc
@pytest.mark.parametrize("program", _sample(), ids=lambda p: p.family)
def test_the_relation_holds_in_every_loop_of_a_run(program, tmp_path):
    source = "#include <stdio.h>\n#include <stdlib.h>\n" + _instrumented(program).replace("extern void abort(void);\n", "")
    (tmp_path / "p.c").write_text(source)
    (tmp_path / "h.c").write_text(HARNESS)
    binary = str(tmp_path / "p")
    subprocess.run(["gcc", "-O0", "-ftrapv", "-Wno-implicit-function-declaration", "-o", binary,
                    str(tmp_path / "p.c"), str(tmp_path / "h.c")], check=True, capture_output=True)
    rng = random.Random(0)
    looped = 0
    for _ in range(40):
        inputs = [rng.randint(low, high) for low, high in _bounds(program.source)]
        inputs += [rng.randint(0, 1) for _ in range(3000)]
        done = subprocess.run([binary], input=" ".join(map(str, inputs)), capture_output=True, text=True, timeout=10)
        assert done.returncode == 0, f"{program.name} on {inputs[:2]}: exit status {done.returncode}\n{source}"
        looped += "L" in done.stdout
    assert looped >= 20, f"only {looped} of 40 runs reached the loop's body"


def _bounds(source: str) -> list[tuple[int, int]]:
    """Each input's range as its guard states it (the first and last number of the guard's lines; an
    unsigned input's lower bound is 0), widened by one on each side so that the guards are run too."""
    out = []
    lines = source.splitlines()
    for i, line in enumerate(lines):
        if " = __VERIFIER_nondet_u" in line or " = __VERIFIER_nondet_int" in line:
            guard = " ".join(g for g in lines[i + 1:i + 3] if g.strip().startswith("if") and "return 0" in g)
            numbers = [int(n) for n in re.findall(r"-?\d+", guard.replace("return 0", ""))]
            low, high = (0, numbers[-1]) if "nondet_u" in line else (numbers[0], numbers[-1])
            out.append((low - 1, high + 1))
    return out


def test_the_parts_of_a_relation_a_proof_rests_on_become_examples_for_their_loops():
    """A nested count's assertion is proved with its relation offered: the inner head's companion
    (`k >= lo*i + j`, over the inner counter) is among what the proof rests on, so the proposals reached
    the inner head, and each example's conjuncts speak only of its loop's variables."""
    nested = next(p for p in generate(12, seed=7) if p.family == "nested-count")
    found, tally = corpus.from_relations([nested], 10.0)
    assert tally.yes == 1 and len(found) == 1
    [example] = found
    assert example.kind == "relation" and example.loop.count("head ") == 2 and "enter " in example.loop
    kept = example.proposal.split(" ; ")
    assert set(kept) <= set(nested.relation)
    assert any("(+" in part for part in kept), kept  # a conjunct only the inner head can read


def test_an_assertion_the_relation_does_not_give_stops_the_harvest():
    """A program whose assertion fails on some run is a generator bug: the reasoner's "no" stops the harvest."""
    program = next(p for p in generate(12, seed=7) if p.family == "transfer")
    head, tail = program.source.rsplit("__VERIFIER_assert(", 1)  # the call after the loop, not the definition
    broken = Relational("transfer-broken", "transfer", head + "__VERIFIER_assert(1 + " + tail, program.relation)
    with pytest.raises(corpus.Mislabelled, match="assertion can fail"):
        corpus.from_relations([broken], 10.0)
