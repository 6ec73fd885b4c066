"""The solver portfolio: each form means what the query means, the shapes that defeated one form are decided,
and the deadline holds whatever z3 does."""

from __future__ import annotations

import time

import z3

from solomonic.policy import encode_strings as strings
from solomonic.policy.analyse import compare
from solomonic.policy.evaluate import decide as evaluate
from solomonic.policy.portfolio import Deadline, as_written, decide, equational, monadic
from tests.policy.test_encode import grant, policy

EC2 = "arn:aws:ec2:us-east-1:111122223333:"
OTHER_RESOURCES = [f"{EC2}network-interface/*", f"{EC2}subnet/*", f"{EC2}security-group/*", f"{EC2}volume/*",
                   "arn:aws:ec2:us-east-1::image/ami-*"]


def _run_instances(*types: str) -> list[dict]:
    return [grant({"StringLike": {"ec2:InstanceType": list(types)}}, Action="ec2:RunInstances",
                  Resource=f"{EC2}instance/*"),
            grant(Action="ec2:RunInstances", Resource=OTHER_RESOURCES)]


def test_the_forms_are_equivalent_to_the_query() -> None:
    # on values: z3 does not prove such equivalences symbolically in reasonable time (why there are forms)
    x = z3.String("x")
    anything = z3.Star(z3.AllChar(z3.ReSort(z3.StringSort())))
    queries = [z3.And(z3.Not(z3.InRe(x, z3.Concat(z3.Re("arn:a:"), anything))), x != z3.StringVal("b")),
               z3.If(x == z3.StringVal("a"), z3.InRe(x, anything), z3.Not(z3.InRe(x, z3.Concat(anything, z3.Re("/"))))),
               z3.Implies(z3.InRe(x, z3.Concat(z3.Re("a"), anything, z3.Re("b"))), z3.Not(z3.InRe(x, z3.Re("ab"))))]
    for query in queries:
        for form in (monadic, equational):
            rewritten = form(query)
            for text in ("", "a", "b", "ab", "axb", "arn:a:", "arn:a:x", "arn:b", "x/", "/"):
                value = (x, z3.StringVal(text))
                expected = z3.simplify(z3.substitute(query, value))
                assert z3.is_true(expected) or z3.is_false(expected)
                assert z3.simplify(z3.substitute(rewritten, value)).eq(expected), (form.__name__, query, text)


def test_a_pattern_with_a_variable_as_ordered_occurrences_matches_as_the_glob_does() -> None:
    # `home/${user}/*/x*y`: prefix, the middle pieces in order, suffix; checked on values (z3 cannot prove
    # the equivalence symbolically: that is why the form exists)
    x, user = z3.String("x"), z3.String("user")
    anything = z3.Star(z3.AllChar(z3.ReSort(z3.StringSort())))
    pattern = z3.Concat(z3.Re("home/"), z3.Re(user), z3.Re("/"), anything, z3.Re("/x"), anything, z3.Re("y"))
    query = z3.InRe(x, pattern)
    rewritten = equational(query)
    assert not rewritten.eq(query)
    for text, name in [("home/u/a/xby", "u"), ("home/u//xy", "u"), ("home/u/xy", "u"), ("home/u/a/x", "u"),
                       ("home/v/a/xy", "u"), ("home/u/a/xy/xy", "u"), ("home//a/xy", ""), ("home/u/ay/x", "u")]:
        values = [(x, z3.StringVal(text)), (user, z3.StringVal(name))]
        expected = z3.simplify(z3.substitute(query, *values))
        assert z3.is_true(expected) or z3.is_false(expected)
        assert z3.simplify(z3.substitute(rewritten, *values)).eq(expected), (text, name)


def test_a_resource_outside_several_negated_prefixes_is_decided() -> None:
    # as written, z3 gave no answer in 10 s: five negated `prefixof` beside the instance ARN; monadic: 0.03 s
    old, new = policy(*_run_instances("t3.*", "t4g.*")), policy(*_run_instances("t3.*x", "t4g.*"))
    result = compare(old, new, timeout_s=120)
    assert result.verdict == "a-allows-more", result.reason
    assert result.a_not_b is not None
    assert evaluate(old, result.a_not_b).decision == "allow" and evaluate(new, result.a_not_b).decision != "allow"


def test_a_variable_pattern_inside_another_is_proved() -> None:
    # home/${aws:username}/*x lies inside home/${aws:username}/*: no form but `equational` proves it
    def listing(prefix: str) -> dict:
        return grant({"StringLike": {"s3:prefix": prefix}}, Action="s3:ListBucket", Resource="arn:aws:s3:::b")
    result = compare(policy(listing("home/${aws:username}/*")), policy(listing("home/${aws:username}/*x")),
                     timeout_s=120)
    assert result.verdict == "a-allows-more", result.reason
    assert result.b_not_a is None


def test_the_deadline_stops_a_query_z3_cannot_finish() -> None:
    x, user = z3.String("x"), z3.String("user")
    home = z3.Concat(z3.Re("home/"), z3.Re(user), z3.Re("/"), z3.Option(z3.Plus(z3.AllChar(z3.ReSort(z3.StringSort())))))
    hard = [z3.InRe(x, z3.Concat(home, z3.Re("x"))), z3.Not(z3.InRe(x, home))]
    started = time.monotonic()
    outcome = decide(hard, Deadline(0.5), slices=(10**12,), forms=(as_written,))
    assert outcome.verdict == z3.unknown and outcome.reason == "the time limit"
    assert time.monotonic() - started < 2.0


def test_a_set_needs_one_element_per_realized_class_of_its_patterns() -> None:
    like = [strings.glob_regex(strings.read(p), {}, star=strings.ANY_TEXT) for p in ("app-*", "app-*x")]
    # app-*x lies inside app-*, and Name is like neither: 4 classes of the 8 combinations
    assert strings.classes([*like, z3.Re("Name")], limit=10) == 4
    assert strings.classes([z3.Re("a"), z3.Re("b"), z3.Re("c")], limit=10) == 4
    assert strings.classes([z3.Re("a"), z3.Re("b"), z3.Re("c")], limit=2) == 3  # counting stops past the limit
    # with the exact count, a tag-key allow-list and its narrowed mutant are compared without truncation
    keys = {"ForAllValues:StringLike": {"aws:TagKeys": ["app-*", "Name"]}}
    narrower = {"ForAllValues:StringLike": {"aws:TagKeys": ["app-*x", "Name"]}}
    result = compare(policy(grant(keys, Action="ec2:CreateTags", Resource="*")),
                     policy(grant(narrower, Action="ec2:CreateTags", Resource="*")), timeout_s=120)
    assert result.verdict == "a-allows-more", result.reason


def test_a_witness_may_need_an_action_of_a_service_the_policies_do_not_name() -> None:
    # NotAction dynamodb:* on DynamoDB tables allows what takes such ARNs outside DynamoDB: AWS Backup copies
    # recovery points of any vendor (`arn:${Partition}:${Vendor}:${Region}:*:...`), which the first
    # candidates (the services the policies name) do not include
    tables = "arn:aws:dynamodb:*:111122223333:table/*"
    admin = policy({"Effect": "Allow", "Action": "dynamodb:*", "Resource": tables})
    others = policy({"Effect": "Allow", "NotAction": "dynamodb:*", "Resource": tables})
    result = compare(admin, others, timeout_s=120)
    assert result.verdict == "both-allow-more", result.reason
    assert result.b_not_a is not None and not result.b_not_a.action.startswith("dynamodb:")
    assert evaluate(others, result.b_not_a).decision == "allow" and evaluate(admin, result.b_not_a).decision != "allow"
