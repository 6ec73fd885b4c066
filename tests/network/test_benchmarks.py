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
ALL = json.loads((CORPUS / "questions.json").read_text())
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
