"""The proposer learns to complete a loop with its certificate, and proposes only distinct, whole lines."""

import json

import pytest
import torch

from solomonic.bridge.proposer import Proposer, train
from solomonic.errors import UserError

LOOP = "head 3 (line 4): x: int\nstep 3 -> 3 when (x > {i}): x := (x - 1)\nexit 3 when !(x > {i})"


def _corpus(path, count=40):
    rows = [{"loop": LOOP.format(i=i), "ranking": ["x"], "invariant": "x >= 0", "proposal": "(>= x 0)",
             "kind": "linear", "origin": "t", "function": "main", "line": 4} for i in range(count)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    out = tmp_path_factory.mktemp("proposer")
    train(_corpus(out / "corpus.jsonl"), out, steps=20, length=96, batch_size=8, lr=1e-2, progress=False)
    return out


def test_a_trained_proposer_completes_a_loop_with_what_it_learned(trained):
    proposer = Proposer.load(trained)
    assert proposer.description.target == "invariant" and proposer.description.length == 96
    candidates = proposer.propose(LOOP.format(i=99), k=4, seed=0, max_bytes=24)
    assert candidates[0] == "(>= x 0)"  # the greedy completion comes first
    assert len(candidates) == len(set(candidates)) <= 4 and all(c and "\n" not in c for c in candidates)
    assert proposer.propose(LOOP.format(i=99), k=4, seed=0, max_bytes=24) == candidates  # deterministic under a seed


def test_a_directory_that_is_not_a_proposer_is_refused(tmp_path):
    with pytest.raises(UserError, match="not a trained proposer"):
        Proposer.load(tmp_path)
    with pytest.raises(UserError, match="proposes one of"):
        train(_corpus(tmp_path / "c.jsonl"), tmp_path, target="summary", steps=1)


def test_the_command_shows_each_loop_and_its_candidates(trained, tmp_path, capsys):
    from solomonic.cli import main

    source = tmp_path / "loop.c"
    source.write_text("int f(int x) {\n  while (x > 3) {\n    x = x - 1;\n  }\n  return x;\n}\n")
    assert main(["proposer", "propose", str(source), "--function", "f", "--model", str(trained), "-k", "2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("head ") and "exit " in out and "  invariant? " in out
    assert main(["proposer", "propose", str(source), "--function", "g", "--model", str(trained)]) == 2
    assert "no function named 'g'" in capsys.readouterr().err


def test_the_shipped_proposer_writes_invariants_the_reasoner_reads():
    """What `--proposer` loads: a model that, for a loop like those it learned from, proposes SMT-LIB terms
    over the loop head's variables (some parse), named by its weights' digest."""
    import z3

    from solomonic.bridge.proposer import SHIPPED
    from solomonic.reason.proposals import conjuncts, parse

    proposer = Proposer.load(SHIPPED)
    assert proposer.name.startswith("bmojo-invariant-") and proposer.description.target == "invariant"
    loop = ("head 14 (line 6): n: int, x: int\nstep 14 -> 14 when ((x < n) && noovf_add(x, 2)): x := (x + 2)\n"
            "exit 14 when ((x < n) && !noovf_add(x, 2))")
    threads = torch.get_num_threads()
    terms = conjuncts(proposer.propose(loop, k=4))
    assert torch.get_num_threads() == threads  # proposing runs on one thread, and gives the others back
    ctx = z3.Context()
    variables = {"n": z3.Int("n", ctx), "x": z3.Int("x", ctx)}
    assert any(parse(term, variables, ctx) is not None for term in terms), terms


def test_check_with_the_shipped_proposer_answers(tmp_path, capsys):
    from solomonic.cli import main

    source = tmp_path / "count.c"
    source.write_text("int f(int n) {\n  int x = 0;\n  if (n > 1000) return 0;\n  while (x < n) {\n    x = x + 2;\n"
                      "  }\n  return x;\n}\n")
    assert main(["check", str(source), "-f", "f", "-p", "terminates", "--proposer", "--no-memory", "--format",
                 "json"]) == 0
    assert '"verdict": "yes"' in capsys.readouterr().out


def test_the_proofs_a_proposer_helped_are_appended_to_its_record(trained, tmp_path):
    from solomonic.reason.api import check
    from tests.reason.test_proposals import COUNTERS, Fixed

    source = tmp_path / "counters.c"
    source.write_text(COUNTERS)
    helped = Fixed("(= x y)")
    [result] = check(str(source), function="main", property="terminates", proposer=helped)
    record = tmp_path / "cache" / "proposals.jsonl"
    learned = Proposer.load(trained, record=record)
    [(_, loops)] = helped.confirmations
    learned.confirmed(result, loops)
    learned.confirmed(result, loops)
    rows = [json.loads(line) for line in record.read_text().splitlines()]
    assert len(rows) == 2 and rows[0]["loop"] == helped.asked[0] and "(= x y)" in rows[0]["proposal"]
    assert rows[0]["origin"] == str(source) and rows[0]["function"] == "main"


def test_a_cut_proposal_keeps_its_whole_terms_and_the_loops_numbers_are_tried():
    """A proposal the byte limit cut off keeps the terms it completed; each term is also tried with its
    numbers (above 1) replaced jointly by the loop's own and 1."""
    from solomonic.bridge.proposer import _balanced, _constants, _with_constants

    loop = ("head 3 (line 4): v0: int, v1: int\nenter 3 when (10 <= nd!1) [fresh nd!1]: v0 := 0; v1 := nd!1\n"
            "step 3 -> 3 when (v0 < 500): v0 := (v0 + 1)\nexit 3 when !(v0 < 500)")
    assert _constants(loop) == ["10", "500"]
    assert not _balanced("(<= v1 (+ (* 13 v0)") and _balanced("(<= v1 (* 13 v0))")
    assert _with_constants(["(<= v1 (* 13 v0))", "(= v0 v1)"], ["10", "500"]) == [
        "(<= v1 (* 13 v0))", "(= v0 v1)", "(<= v1 (* 10 v0))", "(<= v1 (* 500 v0))", "(<= v1 (* 1 v0))"]
    two = _with_constants(["(>= v1 (+ (* 13 v0) (* 3 v2)))"], ["10"])
    assert "(>= v1 (+ (* 10 v0) (* 1 v2)))" in two and len(two) == 1 + 2 * 2
