"""`bench network` on a slice of the corpus and two small sizes: every question asked as a whole command, every
witness replayed by `trace`, each mutant compared with its original, the generated networks answered as their layout implies; and the judge, which
must catch an answer that disagrees with the hand-derived one."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from solomonic.bench import network as bench
from solomonic.network import build, synthetic
from solomonic.network.exposure import exposure

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "network"
QUESTIONS = json.loads((CORPUS / "questions.json").read_text())


def slice_of_corpus(root: Path, questions: list[dict]) -> Path:
    root.mkdir()
    shutil.copytree(CORPUS / "public-private-nat", root / "public-private-nat")
    shutil.copytree(CORPUS / "pairs" / "ssh-widened", root / "pairs" / "ssh-widened")
    (root / "questions.json").write_text(json.dumps(questions))
    pairs = json.loads((CORPUS / "pairs.json").read_text())
    (root / "pairs.json").write_text(json.dumps([p for p in pairs if p["new"] == "pairs/ssh-widened"]))
    return root


def arguments(tmp_path: Path, corpus: Path, sizes: list[int]) -> argparse.Namespace:
    return argparse.Namespace(corpus=str(corpus), sizes=sizes, mutants=1, seed=0, repeats=1, plots=str(tmp_path / "plots"),
                              output=str(tmp_path / "out.json"), docs=str(tmp_path / "benchmarks.md"))


def mine() -> list[dict]:
    return [q for q in QUESTIONS if q["snapshot"] == "public-private-nat"]


def test_the_bench_answers_the_corpus_and_times_each_size(tmp_path):
    questions = mine()
    corpus = slice_of_corpus(tmp_path / "corpus", questions)
    assert bench.run(arguments(tmp_path, corpus, [1000, 200])) == 0
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["problems"] == []
    trace, reachable = out["corpus"]["trace"], out["corpus"]["reachable"]
    assert trace["questions"] + reachable["questions"] == len(questions)
    assert reachable["witnesses"] >= 1 and reachable["witnesses confirmed"] == reachable["witnesses"]
    assert trace["right"] == trace["questions"] and trace["crashes"] == 0
    mutants = out["mutants"]
    assert mutants["compared"] == 4 and mutants["crashes"] == 0  # one route, group and ACL, and the pair
    assert mutants["witnesses"] >= 2 and mutants["witnesses contradicted"] == 0
    assert mutants["verdicts"]["widen-group"] == {"b-delivers-more": 1}
    assert mutants["verdicts"]["deny-first"] == {"a-delivers-more": 1}
    assert mutants["verdicts"]["pair"] == {"b-delivers-more": 1}
    assert [p["interfaces"] for p in out["scale"]] == [200, 1000]
    big = out["scale"][-1]
    assert (big["subnets"], big["vpcs"], big["groups"]) == (20, 2, 50)
    assert [q["verdict"] for q in big["reachable"]] == ["reachable", "reachable", "unreachable"]
    assert big["compare"] == "b-delivers-more" and big["compare s"] > 0
    assert big["exposed interfaces"] >= 1 and big["whole reachable call s"] > big["slowest reachable s"]
    docs = (tmp_path / "benchmarks.md").read_text()
    assert "<!-- bench:network -->" in docs and "plots/network-scale.png" in docs
    assert "4 compared, 0 crashes" in docs and "{" not in docs
    assert (tmp_path / "plots" / "network-scale.png").is_file()


def test_an_answer_unlike_the_hand_derived_one_fails_the_bench(tmp_path):
    wrong = dict(next(q for q in mine() if q.get("question", "trace") == "trace" and q["blocked_by"] == "sg-0web"))
    wrong["disposition"] = "accepted"
    corpus = slice_of_corpus(tmp_path / "corpus", [wrong])
    assert bench.run(arguments(tmp_path, corpus, [100])) == 1
    (problem,) = json.loads((tmp_path / "out.json").read_text())["problems"]
    assert "answered ('denied-in'" in problem and "derived by hand ('accepted'" in problem


def test_every_generated_exposure_is_one_the_layout_opens(tmp_path):
    """Exposure on a generated network finds tcp/443 or tcp/22 only (the groups' rules from anywhere; the
    ACL of every fourth subnet denies 22), on public interfaces alone."""
    snapshot = build.load(str(synthetic.write(synthetic.generate(synthetic.Shape.scaled(600)), tmp_path / "net")))
    findings = [f for f in exposure(snapshot) if f.exposed]
    assert findings
    for finding in findings:
        assert finding.interface.public_ips and not finding.unknown
        assert {(e.protocol, e.low, e.high) for e in finding.exposed} <= {(6, 443, 443), (6, 22, 22)}
