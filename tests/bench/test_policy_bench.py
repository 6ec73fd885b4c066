"""`bench policy` on a small slice of the corpus: every question asked as a whole command, every witness
replayed, labels checked; and the judge, which must catch a witness the evaluator rejects, a verdict its
witnesses contradict, a wrong label and a wrong exit status."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from solomonic.bench import policy as bench
from solomonic.policy import document

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "policy"
ACCOUNT = "111122223333"


def slice_of_corpus(root: Path, pairs: list[dict]) -> Path:
    for name in ("s3/public-read-website.json", "iam/passrole-star.json", "pairs/website-fix.old.json",
                 "pairs/website-fix.new.json", "pairs/reordered-statements.old.json",
                 "pairs/reordered-statements.new.json"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, root / name)
    manifest = {"account": ACCOUNT, "policies": {"s3/public-read-website.json": {"public": True},
                                                 "iam/passrole-star.json": {"findings": ["pass-role-on-any-role"]}},
                "pairs": pairs}
    (root / "manifest.json").write_text(json.dumps(manifest))
    return root


def arguments(tmp_path: Path, corpus: Path) -> argparse.Namespace:
    return argparse.Namespace(corpus=str(corpus), seed=0, timeout=10.0, jobs=2, limit=None,
                              mutants=str(tmp_path / "mutants"), output=str(tmp_path / "out.json"),
                              docs=str(tmp_path / "benchmarks.md"))


def test_the_bench_answers_every_question_and_confirms_every_witness(tmp_path):
    pairs = [{"old": "pairs/website-fix.old.json", "new": "pairs/website-fix.new.json", "verdict": "a-allows-more"},
             {"old": "pairs/reordered-statements.old.json", "new": "pairs/reordered-statements.new.json",
              "verdict": "equivalent"}]
    corpus = slice_of_corpus(tmp_path / "corpus", pairs)
    assert bench.run(arguments(tmp_path, corpus)) == 0
    out = json.loads((tmp_path / "out.json").read_text())
    assert out["problems"] == []
    groups = out["groups"]
    assert groups["check"]["questions"] == 2 and groups["pairs"]["questions"] == 2
    mutants = sorted((tmp_path / "mutants").rglob("*.json"))
    assert groups["mutants"]["questions"] == len(mutants) >= 6
    for g in groups.values():
        assert g["crashes"] == 0 and g["contradicted"] == 0
        assert g["witnesses confirmed"] == g["witnesses"]
        assert g["answered"] + g["unknown"] == g["questions"]
    assert groups["check"]["labelled"] == 2 and groups["pairs"]["labels wrong"] == 0
    assert sum(sum(c.values()) for c in out["mutants by operator"].values()) == len(mutants)
    for g in groups.values():
        assert not any(str(tmp_path) in reason for reason in g["unknown reasons"])  # files named OLD, NEW
    docs = (tmp_path / "benchmarks.md").read_text()
    assert "<!-- bench:policy -->" in docs and "`compare` policy / mutant" in docs


def test_a_wrong_label_fails_the_bench(tmp_path):
    pairs = [{"old": "pairs/reordered-statements.old.json", "new": "pairs/reordered-statements.new.json",
              "verdict": "a-allows-more"}]
    corpus = slice_of_corpus(tmp_path / "corpus", pairs)
    (corpus / "s3").rename(tmp_path / "s3-aside")  # only the identity policy and the pair are asked
    assert bench.run(arguments(tmp_path, corpus)) == 1
    out = json.loads((tmp_path / "out.json").read_text())
    (problem,) = out["problems"]
    assert problem["problems"] == ["label: verdict equivalent, labelled a-allows-more"]


PUBLIC = CORPUS / "pairs" / "website-fix.old.json"
FIXED = CORPUS / "pairs" / "website-fix.new.json"
ANONYMOUS_READ = {"principal": "*", "action": "s3:GetObject", "resource": "arn:aws:s3:::www.example-shop.com/a",
                  "context": {}}


def judge_compare(answer: dict, status: int, label: dict | None = None) -> list[tuple[str, str]]:
    return bench._judge_compare(answer, document.load(str(PUBLIC)), document.load(str(FIXED)), label or {}, status)


def test_the_judge_accepts_a_right_answer():
    answer = {"verdict": "a-allows-more", "a_not_b": ANONYMOUS_READ, "b_not_a": None, "reason": ""}
    assert judge_compare(answer, 1, {"verdict": "a-allows-more"}) == []


def test_the_judge_catches_a_witness_the_evaluator_rejects():
    answer = {"verdict": "b-allows-more", "a_not_b": None, "b_not_a": ANONYMOUS_READ, "reason": ""}
    assert [kind for kind, _ in judge_compare(answer, 1)] == ["witness"]


def test_the_judge_catches_a_verdict_its_witnesses_contradict_and_a_wrong_exit_status():
    answer = {"verdict": "equivalent", "a_not_b": ANONYMOUS_READ, "b_not_a": None, "reason": ""}
    assert sorted(kind for kind, _ in judge_compare(answer, 1)) == ["exit status", "verdict"]


def test_the_judge_of_check_wants_an_anonymous_witness_for_public_and_another_account_for_cross_account():
    policy = document.load(str(PUBLIC))
    mine = dict(ANONYMOUS_READ, principal=f"arn:aws:iam::{ACCOUNT}:role/app")
    answer = {"kind": "resource", "public": True, "public_witness": mine, "cross_account": True,
              "cross_account_witness": mine, "findings": [], "reason": ""}
    problems = bench._judge_check(answer, policy, ACCOUNT, {"public": True}, 1)
    assert [kind for kind, _ in problems] == ["witness", "witness"]
    answer |= {"public_witness": ANONYMOUS_READ, "cross_account_witness": ANONYMOUS_READ}
    assert bench._judge_check(answer, policy, ACCOUNT, {"public": True}, 1) == []
    assert [kind for kind, _ in bench._judge_check(answer, policy, ACCOUNT, {"public": False}, 1)] == ["label"]


def test_an_unknown_may_carry_the_direction_it_confirmed_but_not_a_rejected_one():
    answer = {"verdict": "unknown", "a_not_b": ANONYMOUS_READ, "b_not_a": None, "reason": "one way timed out"}
    assert judge_compare(answer, 2) == []
    answer = {"verdict": "unknown", "a_not_b": None, "b_not_a": ANONYMOUS_READ, "reason": "one way timed out"}
    assert [kind for kind, _ in judge_compare(answer, 2)] == ["witness"]


def test_a_command_that_outlives_its_patience_is_killed_and_counted_as_a_crash():
    question = bench.Question("pairs", ["compare", str(PUBLIC), str(FIXED)], (str(PUBLIC), str(FIXED)))
    bench.ask(question, patience_s=0.01)
    assert question.answer is None
    ((kind, what),) = question.problems
    assert kind == "crash" and what.startswith("hangs")


def test_a_witness_the_denying_policy_decides_only_under_some_readings_is_not_confirmed(tmp_path):
    # the judge once read "no decision" on the denying side as "not allowed", confirming such a witness
    grant = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}
    short = dict(grant, Condition={"ArnLike": {"aws:SourceArn": "arn:aws:sns:eu-west-*"}})  # an open case
    files = []
    for name, statement in (("open.json", grant), ("short.json", short)):
        (tmp_path / name).write_text(json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
        files.append(document.load(str(tmp_path / name)))
    witness = {"principal": "*", "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
               "context": {"aws:SourceArn": "arn:aws:sns:eu-west-1:111122223333:t"}}
    answer = {"verdict": "a-allows-more", "a_not_b": witness, "b_not_a": None, "reason": ""}
    assert [kind for kind, _ in bench._judge_compare(answer, *files, {}, 1)] == ["witness"]
    # without the key the short grant denies under every reading: that witness is confirmed
    answer["a_not_b"] = dict(witness, context={})
    assert bench._judge_compare(answer, *files, {}, 1) == []
