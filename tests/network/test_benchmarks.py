"""The hand-derived answers of benchmarks/network/questions.json, asked through the command line: `trace`
questions (the disposition, hops and blocker) and `reachable` ones (the verdict; a witness's path; for an
unreachable answer, components that each block the candidate paths: the union reported must lie among them,
since an unsat core names one blocker of several)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solomonic.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "network"
# questions.json: written by hand; questions-architectures.json: written by architectures/write.py from the
# answers its modules state by hand
ALL = [question for name in ("questions.json", "questions-architectures.json")
       for question in json.loads((CORPUS / name).read_text())]
QUESTIONS = [question for question in ALL if question.get("question", "trace") == "trace"]
REACHABLE = [question for question in ALL if question.get("question") == "reachable"]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: f"{q['snapshot']}:{q['from']}->{q['to']}")
def test_every_answer_is_the_one_derived_by_hand(capsys, question):
    status = main(["network", "trace", str(CORPUS / question["snapshot"]), "--from", question["from"],
                   "--to", question["to"], *question["args"], "--format", "json"])
    answer = json.loads(capsys.readouterr().out)
    assert (answer["disposition"], answer["hops"], answer["blocked_by"]) == (
        question["disposition"], question["hops"], question["blocked_by"]), answer["reason"]
    assert status == {"accepted": 1, "exits-network": 1, "unknown": 2}.get(question["disposition"], 0)


def test_the_corpus_covers_every_disposition():
    assert {q["disposition"] for q in QUESTIONS} == {"accepted", "exits-network", "denied-in", "denied-out",
                                                      "no-route", "no-destination", "unknown"}


@pytest.mark.parametrize("question", REACHABLE, ids=lambda q: f"{q['snapshot']}:{q['from']}->{q['to']}")
def test_every_reachable_answer_is_the_one_derived_by_hand(capsys, question):
    status = main(["network", "reachable", str(CORPUS / question["snapshot"]), "--from", question["from"],
                   "--to", question["to"], *question["args"], "--format", "json"])
    answer = json.loads(capsys.readouterr().out)
    assert answer["verdict"] == question["verdict"], answer["reason"]
    assert status == {"reachable": 1, "unknown": 2}.get(question["verdict"], 0)
    if question["verdict"] == "reachable":
        assert answer["witness"]["hops"] == question["hops"]
        assert answer["witness"]["disposition"] in ("accepted", "exits-network")
    if question["verdict"] == "unreachable":
        reported = {component for blocked in answer["blocked_by"] for component in blocked["components"]}
        assert reported and reported <= set(question["blocked_by"]), answer["blocked_by"]


def test_the_reachable_corpus_has_every_verdict():
    assert {q["verdict"] for q in REACHABLE} == {"reachable", "unreachable", "unknown"}


def test_the_corpus_is_the_size_issue_31_asks_for():
    snapshots = {question["snapshot"] for question in ALL}
    assert all((CORPUS / name).is_dir() for name in snapshots)
    assert len(snapshots) >= 30 and len(ALL) >= 300


PAIRS = json.loads((CORPUS / "pairs.json").read_text())


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p["new"])
def test_every_pair_compares_as_derived_by_hand(capsys, pair):
    status = main(["network", "compare", str(CORPUS / pair["old"]), str(CORPUS / pair["new"]), *pair["args"],
                   "--format", "json"])
    answer = json.loads(capsys.readouterr().out)
    assert answer["verdict"] == pair["verdict"], answer["reason"]
    assert status == (0 if pair["verdict"] == "equivalent" else 1)
    for key in ("a_not_b", "b_not_a"):
        assert (answer[key] is None) == (key not in pair)
        if key in pair:
            wanted, flow, other = pair[key], answer[key]["flow"], answer[f"{key}_other"]
            assert answer[key]["disposition"] in ("accepted", "exits-network")
            assert all(flow[field] == wanted[field] for field in ("protocol", "dst_port") if field in wanted)
            assert (other["disposition"], other["blocked_by"]) == (wanted["other"], wanted["blocked_by"])


def test_the_architectures_are_what_their_writer_writes(tmp_path):
    """The committed snapshots and questions of architectures/ are the writer's output, not edited apart
    from the answers stated in its modules."""
    import filecmp
    import subprocess
    import sys

    subprocess.run([sys.executable, str(CORPUS / "architectures" / "write.py"), "--into", str(tmp_path)],
                   check=True, capture_output=True)
    written = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert written and Path("questions-architectures.json") in written
    assert [str(p) for p in written if not filecmp.cmp(tmp_path / p, CORPUS / p, shallow=False)] == []
    folders = {p.parts[0] for p in written if len(p.parts) > 1}
    committed = {p.relative_to(CORPUS) for folder in folders for p in (CORPUS / folder).rglob("*") if p.is_file()}
    assert committed == {p for p in written if len(p.parts) > 1}
