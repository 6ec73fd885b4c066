"""The principal's ARN in conditions: a glob against it taken apart at its pieces (`encode_pieces`) holds
exactly when the whole string matches (checked against Python's own regular expressions), and the service
control policies that exempt roles by their ARN (StringNotLike, ArnNotLike) are decided where z3 gave no
answer before."""

from __future__ import annotations

import re

import z3
from hypothesis import given, settings
from hypothesis import strategies as st

from solomonic.policy import portfolio
from solomonic.policy.encode import Encoder
from solomonic.policy.encode_pieces import Piece, glob_pieces
from solomonic.policy.encode_strings import read
from tests.policy.test_encode import policy

ALPHABET = "a1:"


def python_glob(pattern: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.DOTALL)


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET + "*?", max_size=8), st.lists(st.tuples(st.booleans(), st.text(ALPHABET, max_size=4)),
                                                        min_size=1, max_size=4))
def test_taken_apart_a_glob_matches_exactly_the_concatenation(pattern: str, shape: list[tuple[bool, str]]) -> None:
    pieces: list[str | Piece] = []
    pinned = []
    for index, (variable, text) in enumerate(shape):
        if variable:
            term = z3.String(f"v{index}")
            pieces.append(Piece(term))
            pinned.append(term == z3.StringVal(text))
        else:
            pieces.append(text)
    formula = glob_pieces(read(pattern, variables=False), pieces)
    assert formula is not None
    solver = z3.Solver()
    solver.add(*pinned, formula)
    whole = "".join(text for _, text in shape)
    assert (solver.check() == z3.sat) is bool(python_glob(pattern).fullmatch(whole))


def test_digits_leave_out_the_places_no_account_id_spans() -> None:
    """An account id is twelve digits: it cannot stand where the pattern has letters, nor be shorter."""
    account = z3.String("account")
    formula = glob_pieces(read("x:12345678901?:y", variables=False), ["x:", Piece(account, digits=12), ":y"])
    assert formula is not None
    solver = z3.Solver()
    solver.add(formula, z3.Length(account) == 12)
    assert solver.check() == z3.sat and solver.model()[account].as_string().startswith("12345678901")
    assert z3.is_false(glob_pieces(read("x:abc:y", variables=False), ["x:", Piece(account, digits=12), ":y"]))


def test_a_role_exempted_by_string_not_like_on_its_arn_is_decided() -> None:
    """As one membership of `arn:` + partition + `:iam::` + account + `:` + name, z3 gave no answer in 20
    million resource units; taken apart, the difference is found within the portfolio's slices."""
    exempt = {"Effect": "Deny", "Action": "ec2:ModifyInstanceMetadataOptions", "Resource": "*",
              "Condition": {"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/ec2-admin"}}}
    every = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    old, new = policy(every, exempt), policy(every, {**exempt, "Condition": {
        "StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/ec2-admi0"}}})
    encoder = Encoder([old, new])
    a, b = encoder.encode(old), encoder.encode(new)
    query = [*encoder.universe, encoder.request.is_identity, b.allows, z3.Not(a.allows)]
    outcome = portfolio.decide(query, portfolio.Deadline(60))
    assert outcome.verdict == z3.sat and outcome.model is not None
    arn = outcome.model.eval(encoder.request.iam_arn, model_completion=True).as_string()
    assert arn.endswith(":role/ec2-admi0")


def test_a_role_exempted_by_arn_not_like_beside_another_is_decided() -> None:
    """Two exempted roles under ArnNotLike, one of them mutated: with the name's memberships a disjunction and
    its non-emptiness a length, z3 gave no answer in 5 million resource units; as one membership of the union
    of the names, and non-emptiness a regular constraint, it answers within the first slices."""
    exempt = {"Effect": "Deny", "Action": "cloudtrail:StopLogging", "Resource": "*",
              "Condition": {"ArnNotLike": {"aws:PrincipalArn": [
                  "arn:aws:iam::*:role/security-admin",
                  "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAudit_*"]}}}
    every = {"Effect": "Allow", "Action": "*", "Resource": "*"}
    mutated = {**exempt, "Condition": {"ArnNotLike": {"aws:PrincipalArn": [
        "arn:aws:iam::*:role/security-admin",
        "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_SecurityAudit_*x"]}}}
    old, new = policy(every, exempt), policy(every, mutated)
    encoder = Encoder([old, new])
    a, b = encoder.encode(old), encoder.encode(new)
    query = [*encoder.universe, encoder.request.is_identity, a.allows, z3.Not(b.allows)]
    outcome = portfolio.decide(query, portfolio.Deadline(60), slices=(500_000,))
    assert outcome.verdict == z3.sat and outcome.model is not None
    name = outcome.model.eval(encoder.request.name, model_completion=True).as_string()
    assert "AWSReservedSSO_SecurityAudit_" in name and not name.endswith("x")
