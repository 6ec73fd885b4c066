"""The hand-derived answers of benchmarks/network/questions.json, asked through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from solomonic.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "network"
QUESTIONS = json.loads((CORPUS / "questions.json").read_text())


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
