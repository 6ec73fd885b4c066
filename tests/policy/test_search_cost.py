"""What made comparisons time out on a busy machine, each fixed at its cause: the catalogue pass of the witness
search was quadratic under `Action: *`, a universe model with a capital in its action was asked again with a
costly lower-case constraint it did not need, and a form identical to another was solved twice."""

from __future__ import annotations

import time

import z3

from solomonic.policy import portfolio, witness
from solomonic.policy.catalogue import catalogue
from solomonic.policy.encode import Encoder
from solomonic.policy.portfolio import Deadline, decide
from solomonic.policy.solve import _holds_lowered
from solomonic.policy.witness import Realism
from tests.policy.test_encode import policy

EVERYTHING = {"Effect": "Allow", "Action": "*", "Resource": "*"}
COST_TAGS = {"Effect": "Deny", "Action": ["ec2:RunInstances", "ec2:CreateVolume"],
             "Resource": ["arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:volume/*"],
             "Condition": {"Null": {"aws:RequestTag/CostCenter": "true"}}}


def test_the_catalogue_pass_under_action_star_is_linear_and_meets_each_template_once(monkeypatch) -> None:
    scp = policy(EVERYTHING, COST_TAGS)
    wider = policy(EVERYTHING, {**COST_TAGS, "Action": ["ec2:Run*", "ec2:CreateVolume"]})
    realism = Realism(Encoder([scp, wider]), catalogue)
    met: list[str] = []
    real_may_meet = witness.may_meet
    monkeypatch.setattr(witness, "may_meet", lambda t, p, r: met.append(t) or real_may_meet(t, p, r))
    catalogue().actions("*")  # loaded before the clock starts
    started = time.process_time()
    assert realism.real_request(Deadline(120)) is not None
    spent = time.process_time() - started
    # every action has the one signature `*`: the takers were a list whose membership test made the pass
    # quadratic (2.6 s of CPU here before, under 0.4 s after)
    assert spent < 1.5, spent
    # `may_meet` is asked once per template (the granted pattern `*` meets each at once), not once per action
    # that takes the template: 26 000 calls here before, about 2 000 after
    assert met and len(met) == len(set(met))


def test_a_model_whose_action_has_a_capital_is_lowered_without_a_second_query() -> None:
    not_s3 = policy({"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"})
    encoder = Encoder([not_s3])
    query = [*encoder.universe, encoder.encode(not_s3).allows]
    for action, holds in (("EC2:RUN", True), ("S3:GETOBJECT", False)):
        solver = z3.Solver()
        solver.add(*query, encoder.request.action == z3.StringVal(action))
        assert solver.check() == z3.sat  # a capital escapes every lower-case pattern, even s3:*
        # lowered, ec2:run is still outside s3:*; s3:getobject is not, and needs the query asked again
        assert _holds_lowered(solver.model(), query, encoder) is holds


def test_a_form_identical_to_an_earlier_one_is_not_solved_again(monkeypatch) -> None:
    x = z3.String("x")
    anything = z3.Star(z3.AllChar(z3.ReSort(z3.StringSort())))
    query = [z3.Not(z3.InRe(x, z3.Concat(z3.Re("arn:a:"), anything))), z3.Length(x) > 3]
    asked: list[str] = []
    real_check = portfolio._check
    monkeypatch.setattr(portfolio, "_check", lambda s, d: asked.append(s.sexpr()) or real_check(s, d))
    # no policy variable: `equational` writes the query as it is written; no equality: `propagated` writes
    # it as `monadic` does. Two forms are solved, not four
    assert decide(query, Deadline(30), (1,)).verdict == z3.unknown
    assert len(asked) == len(set(asked)) == 2


def test_realistic_tries_come_before_the_largest_slice_over_every_request(monkeypatch) -> None:
    # a KMS key policy and its mutant with a second principal: z3 leaves the question over every request
    # undecided in 5 M units (3.9 s of CPU), where the first realistic try finds the witness in 0.07 s
    import json
    from pathlib import Path

    from solomonic.bench.policy_mutants import mutants
    from solomonic.policy import solve
    from solomonic.policy.analyse import compare
    from solomonic.policy.document import load, parse

    path = Path(__file__).parents[2] / "benchmarks" / "policy" / "kms" / "grants-for-aws-resources.json"
    (widened,) = [m for m in mutants(json.loads(path.read_text()), "kms/grants-for-aws-resources.json", 0)
                  if m.operator == "widen-principal"]
    slices: list[tuple[int, ...]] = []
    real_decide = solve.decide
    monkeypatch.setattr(solve, "decide", lambda q, d, s=portfolio.SLICES, *a: slices.append(s) or real_decide(q, d, s, *a))
    comparison = compare(load(str(path)), parse(json.dumps(widened.document), "widened.json"), timeout_s=30)
    assert comparison.verdict == "b-allows-more", comparison.reason
    assert all(portfolio.SLICES[-1] not in asked for asked in slices), slices


def test_an_action_no_allow_can_grant_on_its_resource_types_is_not_tried() -> None:
    bucket = policy({"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                     "NotAction": "s3:*", "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]})
    realism = Realism(Encoder([bucket]), catalogue, also=("ec2:RunInstances", "ssm:SendCommand", "s3:GetObject"))
    assert not realism.may_be_granted("ec2:runinstances")  # instances, images, ...: never an S3 ARN
    assert realism.may_be_granted("ssm:sendcommand")  # takes a bucket (the witness NotAction has here)
    assert realism.may_be_granted("s3:getobject")
    anything = Realism(Encoder([policy(EVERYTHING)]), catalogue, also=("ec2:RunInstances",))
    assert anything.may_be_granted("ec2:runinstances")


def test_a_deadline_counts_the_cpu_the_question_uses_not_the_time_it_waits() -> None:
    # on a busy machine a call waits for a core; the wait costs it none of its budget, up to the backstop
    waiting = Deadline(0.2)
    time.sleep(0.3)
    assert not waiting.expired and waiting.milliseconds() > 0
    working = Deadline(0.2)
    end = time.process_time() + 0.25
    while time.process_time() < end:
        pass
    assert working.expired
    backstop = Deadline(0.05)  # three times 0.05 s by the wall clock, whatever the CPU
    time.sleep(0.05 * portfolio.WALL_FACTOR + 0.05)
    assert backstop.expired
    half = Deadline(10).share(0.5)
    assert 4.5 < half.end - time.process_time() <= 5 and half.wall_end - time.monotonic() <= 15
