"""The policy corpus (benchmarks/policy) and its mutants: real action names, valid documents, labels that
name files that exist, and mutants that are reproducible and change what their operator says."""

from __future__ import annotations

import copy
import fnmatch
import json
import random
from pathlib import Path

import pytest

from solomonic.bench import policy_mutants
from solomonic.bench.policy_mutants import NEGATION, OPERATORS, mutants
from solomonic.policy import document
from solomonic.policy.catalogue import Catalogue

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "policy"
MANIFEST = json.loads((CORPUS / "manifest.json").read_text())
POLICIES = sorted(p for p in CORPUS.rglob("*.json") if p.name != "manifest.json")
ORIGINALS = [p for p in POLICIES if "pairs" not in p.relative_to(CORPUS).parts]


def _listed(value) -> list:
    return [value] if isinstance(value, str) else list(value)


def test_the_corpus_has_over_a_hundred_policies_each_a_valid_document():
    assert len(ORIGINALS) >= 100
    kinds = {document.load(str(p)).kind for p in POLICIES}
    assert kinds == {"resource", "identity"}


def test_every_action_the_corpus_names_is_a_real_action():
    catalogue = Catalogue.load()
    for path in POLICIES:
        for statement in json.loads(path.read_text())["Statement"]:
            for action in _listed(statement.get("Action", statement.get("NotAction", []))):
                assert action == "*" or catalogue.actions(action), f"{path.name}: {action} names no action"


def test_the_manifest_names_files_of_the_corpus():
    for name in MANIFEST["policies"]:
        assert (CORPUS / name).is_file(), name
    for pair in MANIFEST["pairs"]:
        assert (CORPUS / pair["old"]).is_file() and (CORPUS / pair["new"]).is_file(), pair
        assert pair["verdict"] in ("equivalent", "a-allows-more", "b-allows-more", "both-allow-more")
    assert len(MANIFEST["account"]) == 12 and MANIFEST["account"].isdigit()


def test_mutants_are_reproduced_by_their_seed_and_differ_between_seeds():
    def run(seed: int) -> list:
        return [(m.operator, m.change, m.document) for p in ORIGINALS
                for m in mutants(json.loads(p.read_text()), p.name, seed)]

    assert run(0) == run(0)
    assert run(0) != run(1)


def test_a_policy_gets_a_mutant_from_every_operator_that_applies_and_all_of_them_parse():
    counts = dict.fromkeys(OPERATORS, 0)
    for path in ORIGINALS:
        original = json.loads(path.read_text())
        for mutant in mutants(original, path.name, seed=0):
            assert mutant.document != original
            counts[mutant.operator] += 1
            document.parse(json.dumps(mutant.document, indent=4), f"{path.name} ({mutant.operator})")
    assert all(n >= 50 for n in counts.values()), counts
    assert sum(counts.values()) >= 500


STATEMENT = {"Sid": "Read", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
             "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/reports/*",
             "Condition": {"IpAddress": {"aws:SourceIp": "192.0.2.0/24"},
                           "ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["Owner"]}}}


@pytest.mark.parametrize("seed", range(8))
def test_each_operator_edits_what_it_says(seed):
    changed = {m.operator: m.document["Statement"][0] for m in
               mutants({"Version": "2012-10-17", "Statement": [STATEMENT]}, "one", seed)}
    assert set(changed) == set(OPERATORS)
    (action,) = changed["widen-action"]["Action"]
    assert action in ("s3:Get*", "s3:*") and fnmatch.fnmatch("s3:GetObject", action)
    dropped = changed["drop-condition"].get("Condition", {})
    assert sum(len(keys) for keys in dropped.values()) == 1
    assert changed["swap-effect"]["Effect"] == "Deny"
    assert "Action" not in changed["not-action"] and changed["not-action"]["NotAction"] == "s3:GetObject"
    (resource,) = changed["widen-resource"]["Resource"]
    assert resource in ("*", "arn:aws:s3:::*")
    assert changed["widen-principal"]["Principal"] == "*"
    assert changed["change-value"]["Condition"] != STATEMENT["Condition"]
    assert set(changed["change-value"]["Condition"]) == set(STATEMENT["Condition"])
    negated = set(changed["negate-operator"]["Condition"]) - set(STATEMENT["Condition"])
    assert negated <= {"NotIpAddress", "ForAnyValue:StringNotEqualsIfExists"} and len(negated) == 1


def test_a_changed_ip_range_is_a_wider_network_and_numbers_and_dates_move():
    rng = random.Random(0)
    assert policy_mutants._neighbour("192.0.2.0/24", "IpAddress", rng) in ("192.0.0.0/23", "192.0.0.0/16")
    assert policy_mutants._neighbour("3600", "NumericLessThan", rng) == "36001"
    assert policy_mutants._neighbour("2026-03-31T23:59:59Z", "DateLessThan", rng) == "2027-03-31T23:59:59Z"
    assert policy_mutants._neighbour("true", "Bool", rng) == "false"
    assert policy_mutants._neighbour("repo:org/app", "StringLike", rng) == "repo:o*"


def test_negation_is_an_involution_and_a_block_that_has_both_forms_is_left_alone():
    assert all(NEGATION[NEGATION[op]] == op for op in NEGATION)
    both = {"Version": "2012-10-17", "Statement": [dict(copy.deepcopy(STATEMENT), Condition={
        "StringEquals": {"aws:PrincipalTag/team": "a"}, "StringNotEquals": {"aws:PrincipalTag/role": "b"}})]}
    assert "negate-operator" not in {m.operator for m in mutants(both, "both", 0)}
