"""`solomonic bench python` on a tiny labelled module: right answers counted, a wrong label caught.

The functions are annotated so that today's front end answers them; the corpus itself is untyped.
"""

from __future__ import annotations

import json

import pytest

from solomonic.cli import main

MODULE = '''\
# terminates: yes
def down(x: int):
    while x > 0:
        x = x - 1
    return x


# terminates: no  witness: x=1
def up(x: int):
    while x > 0:
        x = x + 1
    return x


# terminates: no  witness: x=0
def mislabelled(x: int):
    while x > 0:
        x = x - 2
    return x
'''


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "tiny.py").write_text(MODULE)
    return folder


def test_wrong_label_fails_the_bench(corpus, tmp_path, capsys):
    output, docs = tmp_path / "bench.json", tmp_path / "benchmarks.md"
    status = main(["bench", "python", str(corpus), "--timeout", "20", "--output", str(output), "--docs", str(docs)])
    results = json.loads(output.read_text())
    by_name = {r["function"]: r for r in results["functions"]}
    assert by_name["down"]["outcome"] == "right" and by_name["down"]["verdict"] == "yes"
    assert by_name["up"]["outcome"] == "right" and by_name["up"]["verdict"] == "no"
    assert by_name["mislabelled"]["outcome"] == "wrong"
    assert results["modules"][str(corpus / "tiny.py")]["wrong"] == 1
    assert (results["summary"]["functions"], results["summary"]["right"], results["summary"]["wrong"]) == (3, 2, 1)
    assert status == 1
    text = docs.read_text()
    assert "<!-- bench:python -->" in text and "`tiny.mislabelled` (line 16): answered yes, labelled no" in text
    assert "**Wrong: 1.**" in capsys.readouterr().out


def test_right_labels_pass(corpus, tmp_path):
    path = corpus / "tiny.py"
    path.write_text(MODULE.replace("# terminates: no  witness: x=0\ndef mislabelled", "# terminates: yes\n"
                                   "def mislabelled"))
    status = main(["bench", "python", str(path), "--timeout", "20", "--output", "", "--docs", ""])
    assert status == 0


def test_missing_label_is_a_clear_error(corpus, capsys):
    (corpus / "tiny.py").write_text("def f(x):\n    return x\n")
    assert main(["bench", "python", str(corpus), "--output", "", "--docs", ""]) == 2
    assert "tiny.py:1: 'f' has no label" in capsys.readouterr().err
