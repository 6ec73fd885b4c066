"""Minimised programs on which the reasoner once gave, or still gives, a wrong answer.

Each `*.c` file here opens with a comment that says which question it asks and which answer would be
wrong, in `key: value` lines:

    function: f
    property: assert
    wrong: yes
    found: bench soundness, seed 3 (how it was found)
    xfail: the reason it still fails (only while it does; strict, so a fix must remove the line)

The test asks exactly that question and fails on the wrong answer. Most were found by `bench soundness`
(docs/benchmarks.md) and cut down with cvise; the comment says how gcc disagrees.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check

HERE = Path(__file__).parent
TIMEOUT_S = 20.0


def header(path: Path) -> dict[str, str]:
    comment = re.match(r"\s*/\*(.*?)\*/", path.read_text(), re.S)
    assert comment, f"{path.name}: no opening comment"
    return {m.group(1): m.group(2).strip() for m in re.finditer(r"^\s*\**\s*(\w+): (.*)$", comment.group(1), re.M)}


def cases() -> list:
    out = []
    for path in sorted(HERE.glob("*.c")):
        h = header(path)
        marks = [pytest.mark.xfail(strict=True, reason=h["xfail"])] if "xfail" in h else []
        out.append(pytest.param(path, h, marks=marks, id=path.stem))
    return out


@pytest.mark.parametrize(("path", "case"), cases())
def test_no_wrong_answer(path: Path, case: dict[str, str]):
    [result] = check(str(path), function=case["function"], property=case["property"], timeout=TIMEOUT_S)
    assert result.verdict.value != case["wrong"], f"{path.name}: {result.verdict.value} ({result.reason})"
