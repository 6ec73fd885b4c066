"""Where the witness search stops and what it says there: a difference only on ARNs whose parts hold ':' is
none among well-formed requests (a definite answer that states its assumption), sets compared only for equality are explored with an element per value,
and a question that fixes the action tries the solver's own real action first."""

from __future__ import annotations

import z3

from solomonic.policy.analyse import check, compare
from solomonic.policy.arn_templates import shaped
from solomonic.policy.catalogue import catalogue
from solomonic.policy.encode import Encoder
from solomonic.policy.solve import WELL_FORMED_ONLY
from solomonic.policy.witness import Realism
from tests.policy.test_encode import grant, policy

VOLUME = ("arn:", ":ec2:", ":", ":volume/", "")  # arn:${Partition}:ec2:${Region}:${Account}:volume/${VolumeId}


def has_shape(resource: str, well_formed: bool) -> bool:
    solver = z3.Solver()
    solver.add(shaped(z3.StringVal(resource), {VOLUME}, well_formed))
    return solver.check() == z3.sat


def test_a_well_formed_arn_has_exactly_the_fields_of_its_template() -> None:
    real = "arn:aws:ec2:eu-west-1:111122223333:volume/vol-0abc"
    assert has_shape(real, False) and has_shape(real, True)
    for odd in ("arn:aws:ec2:eu-west-1:111122223333:volume/vol-1:111122223333:x",  # a ':' in the volume id
                "arn:aws:ec2:::volume/vol-0abc",  # no region, no account
                "arn:aws:ec2:eu-west-1:111122223333:volume/"):  # no id
        assert has_shape(odd, False) and not has_shape(odd, True), odd
    assert not has_shape("arn:aws:ec2:eu-west-1:111122223333:instance/i-1", False)


def test_a_difference_only_on_arns_whose_parts_hold_colons_is_none_among_well_formed_requests() -> None:
    # `arn:aws:ec2:*:111122223333:*` (its first '*' ends a segment, so it reaches across ':') matches
    # volume/vol-1:111122223333:x of another account; every well-formed instance or volume ARN both allow
    owner = {"StringEquals": {"aws:ResourceTag/Owner": "${aws:username}"}}
    volumes = grant(owner, Action="ec2:AttachVolume", Resource="arn:aws:ec2:*:111122223333:volume/*")
    old = policy(grant(owner, Action="ec2:AttachVolume", Resource="arn:aws:ec2:*:111122223333:instance/*"), volumes)
    new = policy(grant(owner, Action="ec2:AttachVolume", Resource="arn:aws:ec2:*:111122223333:*"), volumes)
    comparison = compare(old, new, timeout_s=120)
    assert comparison.verdict == "equivalent" and comparison.a_not_b is None and comparison.b_not_a is None
    assert comparison.real_requests_only and comparison.reason.startswith("among well-formed requests")
    assert "none among well-formed requests" in comparison.reason, comparison.reason
    assert WELL_FORMED_ONLY in comparison.assumptions  # the answer says what it leaves out


def grants_for(operations: list[str]):  # type: ignore[no-untyped-def]
    return policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"},
                   "Action": "kms:CreateGrant", "Resource": "*",
                   "Condition": {"ForAllValues:StringEquals": {"kms:GrantOperations": operations}}})


def test_a_set_compared_for_equality_gets_an_element_per_value() -> None:
    # seven operations and "none of them": eight classes, past the five of overlapping patterns
    operations = ["Decrypt", "Encrypt", "GenerateDataKey", "ReEncryptFrom", "ReEncryptTo", "CreateGrant",
                  "DescribeKey"]
    result = check(grants_for(operations), account="111122223333", timeout_s=120)
    assert (result.public, result.cross_account, result.reason) == (False, False, "")
    narrower = compare(grants_for(operations), grants_for(operations[:-1]), timeout_s=120)
    assert narrower.verdict == "a-allows-more", narrower.reason
    assert narrower.a_not_b is not None and "DescribeKey" in narrower.a_not_b.context["kms:GrantOperations"]


def test_a_question_that_fixes_the_action_tries_it_first() -> None:
    admin = policy(grant(Action="*", Resource="*"))
    realism = Realism(Encoder([admin]), catalogue, also=("iam:PassRole",))
    assert realism.ordered("iam:passrole")[0] == "iam:passrole"
    assert realism.ordered("iam:passrole") != realism.ordered("s3:getobject")


def test_a_try_left_undecided_is_asked_again_with_no_context_keys() -> None:
    """A dropped ABAC condition (a tag equal to the principal's tag, a policy variable) differs on a request
    with no tags at all; with the tags free, z3 leaves each try undecided in its small slice."""
    instances = {"Effect": "Allow", "Action": ["ec2:StartInstances", "ec2:StopInstances"],
                 "Resource": "arn:aws:ec2:*:111122223333:instance/*"}
    tagged = {**instances, "Condition": {"StringEquals": {"aws:ResourceTag/Project": "${aws:PrincipalTag/Project}"}}}
    encoder = Encoder([policy(tagged)])
    # the two tags absent; only the one compared with a variable, aws:ResourceTag/Project, absent
    everything, compared = Realism(encoder, catalogue).lighter()
    assert len(everything) == 2 and len(compared) == 1 and "resourcetag/project" in str(compared[0]).lower()
    comparison = compare(policy(tagged), policy(instances), timeout_s=10)
    assert comparison.verdict == "b-allows-more", comparison.reason
    # Alone, the lighter try with every tag absent finds it ({}); in a process that has built other queries
    # first (CI's test workers), z3's terms differ and an earlier try may decide it with a tag's value
    # ({'aws:ResourceTag/Project': ''}): which witness depends on that history; that one is found, replayed
    # by the concrete evaluator, does not
    assert comparison.b_not_a is not None


def test_a_deny_widened_only_over_names_no_action_has_is_equivalent_among_real_requests() -> None:
    """`ec2:Run*` and `ec2:RunInstances` differ only on names like `ec2:run`: each candidate EC2 action is
    ruled out on any resource before its examples are tried, and the proof over real requests answers."""
    def scp(denied: str):  # type: ignore[no-untyped-def]
        return policy({"Effect": "Allow", "Action": "*", "Resource": "*"},
                      {"Effect": "Deny", "Action": [denied, "ec2:CreateVolume"],
                       "Resource": ["arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:volume/*"],
                       "Condition": {"Null": {"aws:RequestTag/CostCenter": "true"}}})
    comparison = compare(scp("ec2:RunInstances"), scp("ec2:Run*"), timeout_s=60)
    assert comparison.verdict == "equivalent", comparison.reason
    assert comparison.real_requests_only and "none with a real action" in comparison.reason


def test_a_try_left_undecided_is_asked_again_without_the_keys_compared_with_a_variable() -> None:
    """A set compared with a policy variable (DynamoDB's leading keys against ${aws:userid}) left every try
    undecided in its slices; the difference is on another key (an attribute renamed), which the request with
    every key absent cannot show, and the one with only the variable-compared key absent shows at once."""
    def own_items(attribute: str):  # type: ignore[no-untyped-def]
        return policy({"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:Query"],
                       "Resource": "arn:aws:dynamodb:us-west-2:111122223333:table/GameScores",
                       "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:userid}"],
                                                                   "dynamodb:Attributes": ["UserId", attribute]}}})
    comparison = compare(own_items("TopScore"), own_items("TopScor0"), timeout_s=10)
    assert comparison.verdict == "both-allow-more", comparison.reason
    for witness in (comparison.a_not_b, comparison.b_not_a):
        assert witness is not None and "dynamodb:LeadingKeys" not in witness.context
