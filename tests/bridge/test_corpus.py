"""The corpus holds only what the reasoner proved, each certificate beside the loop it proves, and a
generated program answered against its known answer stops the harvest."""

import json

import pytest

from solomonic.bridge import corpus
from solomonic.bridge.programs import Program, generate
from solomonic.cli import main

TIMEOUT_S = 8.0


def _one_each(*families: str) -> list[Program]:
    chosen: dict[str, Program] = {}
    for p in generate(80, seed=1):
        if p.family in families and p.terminates:
            chosen.setdefault(p.family, p)
    return [chosen[f] for f in families]


def test_proved_loops_become_examples_with_their_certificates():
    found, tally = corpus.from_programs(_one_each("counter", "nested"), TIMEOUT_S)
    assert tally.programs == 2 and tally.yes == 2
    by_origin = {e.origin: e for e in found}
    assert set(by_origin) == {"generated/counter", "generated/nested"}
    nested = by_origin["generated/nested"]
    # the nested loop's two heads, and the steps between them, are in its text
    assert nested.loop.count("head ") == 2 and "step " in nested.loop and "exit " in nested.loop
    assert nested.ranking and all(r.strip() for r in nested.ranking)
    assert "i" in nested.loop and "j" in nested.loop


def test_the_loop_text_is_the_same_for_the_same_loop(tmp_path):
    [program] = _one_each("gcd")
    first, _ = corpus.from_programs([program], TIMEOUT_S)
    again, _ = corpus.from_programs([program], TIMEOUT_S)
    assert first and [e.loop for e in first] == [e.loop for e in again]


def test_a_known_answer_contradicted_stops_the_harvest():
    [ends] = _one_each("counter")
    mislabelled = Program("counter-mislabelled", "counter", False, ends.source, (0, 1))
    with pytest.raises(corpus.Mislabelled, match="built not to terminate"):
        corpus.from_programs([mislabelled], TIMEOUT_S)


def test_no_and_unknown_answers_give_no_examples():
    forever = next(p for p in generate(40, seed=2) if p.family == "gcd" and not p.terminates)
    found, tally = corpus.from_programs([forever], TIMEOUT_S)
    assert found == [] and tally.yes == 0

def test_the_command_writes_json_lines_that_read_back(tmp_path, capsys):
    out = tmp_path / "corpus.jsonl"
    assert main(["proposer", "corpus", "--count", "2", "--seed", "4", "--timeout", str(TIMEOUT_S),
                 "--output", str(out)]) == 0
    lines = out.read_text().splitlines()
    assert all(json.loads(line)["loop"] for line in lines)
    assert corpus.read(out) == [corpus.Example(**json.loads(line)) for line in lines]
    assert f"{len(lines)} examples (2 generated programs" in capsys.readouterr().err
