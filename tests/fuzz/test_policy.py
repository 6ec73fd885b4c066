"""`solomonic policy check` and `policy compare` on hostile and broken policies: the benchmark's policies
with bytes edited in, a value of the wrong type at every place, huge arrays, deep nesting, and bytes
that are not UTF-8. Each runs in a forked copy of the test's process: `policy` ends its process itself
where it gives an analysis up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.harness import edits, fuzz, mutate, solomonic_forked

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks" / "policy"
POLICIES = sorted(p for p in BENCHMARKS.rglob("*.json") if p.name != "manifest.json")
BOUND_S = 60
QUICK = ("--timeout", "2", "--format", "json")

TOKENS = ['"', "{", "}", "[", "]", ",", ":", "null", "true", "0", "-1e999", "1" * 5000, '"*"', '"s3:*"',
          '"arn:aws:s3:::*"', '"Principal"', '"Condition"', '"NotAction"', '"Deny"', '"StringLike"', "\\u0000",
          "\\ud800", "\x00", "\udcff", "\n", "/*", "NaN", "Infinity"]
WRONG = [None, True, False, 0, -1, 1.5, 10**30, "", "*", "x", "arn:aws:s3:::*", [], [None], [[]], {}, {"": None},
         {"*": "*"}, {"StringEquals": 1}]


def write(tmp_path: Path, data: bytes, name: str = "policy.json") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def places(value, path=()):
    """Every JSON path in `value`, the root included."""
    yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from places(inner, (*path, key))
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from places(inner, (*path, i))


def replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = replaced(value[path[0]], path[1:], new)
    return copy


@fuzz(examples=8)
@given(policy=st.sampled_from(POLICIES), changes=edits(TOKENS))
def test_mutated_policies(tmp_path_factory, policy, changes):
    path = write(tmp_path_factory.mktemp("policy"), mutate(policy.read_bytes(), changes))
    solomonic_forked("policy", "check", path, *QUICK, bound_s=BOUND_S).assert_clean(BOUND_S)
    solomonic_forked("policy", "compare", str(policy), path, *QUICK, bound_s=BOUND_S).assert_clean(BOUND_S)


@fuzz(examples=12)
@given(policy=st.sampled_from(POLICIES), data=st.data(), wrong=st.sampled_from(WRONG))
def test_a_wrong_type_at_any_place(tmp_path_factory, policy, data, wrong):
    original = json.loads(policy.read_text())
    where = data.draw(st.sampled_from(list(places(original))), label="place")
    path = write(tmp_path_factory.mktemp("policy"), json.dumps(replaced(original, where, wrong)).encode())
    solomonic_forked("policy", "check", path, *QUICK, bound_s=BOUND_S).assert_clean(BOUND_S)
    solomonic_forked("policy", "compare", path, str(policy), *QUICK, bound_s=BOUND_S).assert_clean(BOUND_S)


def statement(**extra) -> dict:
    return {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", **extra}


HOSTILE = {
    "empty": b"",
    "only white space": b" \n\t\n",
    "a JSON list": b"[]",
    "a JSON string": b'"policy"',
    "NUL byte": json.dumps({"Version": "2012-10-17", "Statement": [statement(Sid="a\x00b")]}).encode(),
    "a raw NUL byte": b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow\x00"}]}',
    "not UTF-8": b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow\xff"}]}',
    "UTF-16": json.dumps({"Version": "2012-10-17", "Statement": [statement()]}).encode("utf-16"),
    "UTF-8 byte order mark": b"\xef\xbb\xbf" + json.dumps({"Version": "2012-10-17", "Statement": [statement()]}).encode(),
    "a lone surrogate": json.dumps({"Version": "2012-10-17", "Statement": [statement(Sid="\ud800")]}).encode(),
    "NaN": b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", '
           b'"Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": NaN}}}]}',
    "a 5000-digit number": b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", '
                           b'"Action": "s3:*", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": '
                           + b"9" * 5000 + b"}}}]}",
    "arrays nested 100000 deep": b'{"Version": "2012-10-17", "Statement": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "objects nested 3000 deep in a condition": json.dumps({"Version": "2012-10-17", "Statement": [statement()]})
    .replace('"Resource"', '"Condition": ' + '{"a": ' * 3000 + "1" + "}" * 3000 + ', "Resource"').encode(),
    "200000 actions": json.dumps({"Version": "2012-10-17",
                                  "Statement": [statement(Action=["s3:GetObject"] * 200_000)]}).encode(),
    "5000 statements": json.dumps({"Version": "2012-10-17", "Statement": [statement(Sid=f"s{i}")
                                                                          for i in range(5000)]}).encode(),
    "a key written twice": b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Deny", '
                           b'"Principal": "*", "Action": "s3:*", "Resource": "*"}]}',
    "a 1 MB action name": json.dumps({"Version": "2012-10-17",
                                      "Statement": [statement(Action="s3:" + "a" * 1_000_000)]}).encode(),
    "a wildcard pattern of many stars": json.dumps({"Version": "2012-10-17",
                                                    "Statement": [statement(Resource="*?" * 2000)]}).encode(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_policies(tmp_path, name):
    path = write(tmp_path, HOSTILE[name])
    run = solomonic_forked("policy", "check", path, *QUICK, bound_s=BOUND_S)
    run.assert_clean(BOUND_S)
    run.assert_refusals_name(path)
    solomonic_forked("policy", "compare", path, path, *QUICK, bound_s=BOUND_S).assert_clean(BOUND_S)
