"""The generated programs' known answers hold when they are compiled and run: the terminating ones end on
every input tried (with signed overflow trapping, so the bound argument of each family is tested too),
and the others run on forever from the inputs they name."""

import random
import shutil
import subprocess

import pytest

from solomonic.bridge.programs import BOUND, FAMILIES, generate

pytestmark = pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc is not available")

# __VERIFIER_nondet_int reads the next int of standard input, 0 once it is used up
NONDET = '#include <stdio.h>\nint __VERIFIER_nondet_int(void) { int v; return scanf("%d", &v) == 1 ? v : 0; }\n'


def _compiled(source: str, tmp_path, name: str) -> str:
    (tmp_path / f"{name}.c").write_text(source)
    (tmp_path / "nondet.c").write_text(NONDET)
    binary = str(tmp_path / name)
    subprocess.run(["gcc", "-O0", "-ftrapv", "-o", binary, str(tmp_path / f"{name}.c"), str(tmp_path / "nondet.c")],
                   check=True, capture_output=True)
    return binary


def _ends(binary: str, inputs: list[int], seconds: float) -> bool:
    try:
        done = subprocess.run([binary], input=" ".join(map(str, inputs)), capture_output=True, text=True,
                              timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    assert done.returncode == 0, f"{binary} {inputs}: exit status {done.returncode} (a trapped overflow?)"
    return True


def _sample() -> list:
    """Per family, the first generated program built to terminate and the first built not to."""
    chosen = {}
    for p in generate(160, seed=3):
        chosen.setdefault((p.family, p.terminates), p)
    assert {family for family, _ in chosen} == set(FAMILIES)
    return list(chosen.values())


@pytest.mark.parametrize("program", _sample(), ids=lambda p: f"{p.family}-{'ends' if p.terminates else 'forever'}")
def test_the_known_answer_holds_when_run(program, tmp_path):
    binary = _compiled(program.source, tmp_path, program.name)
    rng = random.Random(0)
    edges = [-BOUND, -1, 0, 1, BOUND]
    trials = [[rng.choice(edges) for _ in range(4)] for _ in range(10)]
    trials += [[rng.randint(-BOUND - 50, BOUND + 50) for _ in range(4)] for _ in range(20)]
    if program.terminates:
        assert program.runs_forever_on == ()
        for inputs in trials:
            assert _ends(binary, inputs, 5.0), f"{program.name} runs on with inputs {inputs}:\n{program.source}"
    else:
        assert not _ends(binary, list(program.runs_forever_on), 0.5), program.source
        for inputs in trials[:3]:  # ending or not, no input overflows
            _ends(binary, inputs, 0.2)


def test_generation_is_deterministic_under_a_seed():
    assert generate(20, seed=7) == generate(20, seed=7)
    assert generate(20, seed=7) != generate(20, seed=8)
