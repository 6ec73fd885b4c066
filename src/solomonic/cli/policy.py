"""`solomonic policy`: questions about AWS access policies (issue 23) — is it public or open to other
accounts (`check`), does an edit allow more (`compare`), what is decided for one request (`explain`).

This module reads the command line, calls `solomonic.policy` and chooses the exit status; the answers are
rendered by `policy_report`. The engine is imported inside each `run_*`, so `solomonic --help` loads no z3.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from solomonic.cli.conventions import EXIT_NO, EXIT_OK, EXIT_UNKNOWN, positive
from solomonic.errors import UserError

T = TypeVar("T")
GRACE_S = 2.0  # past --timeout's wall-clock backstop, before an answer still being computed is given up (the engine's own deadline
# stops z3 in time almost always; this bounds the rare call where z3 ignores its interrupt)

CHECK_EPILOG = """\
questions:
  resource policies (a statement with Principal or NotPrincipal; S3 bucket, KMS key, Lambda,
  SNS, SQS, role trust policies):
    public         can an anonymous request be allowed? (Principal "*" or {"AWS": "*"})
    cross-account  can a principal outside --account be allowed?
    Each yes comes with a request that is allowed, replayed by the concrete evaluator, and the
    conditions that limit a grant (aws:SourceIp, aws:SourceVpce, aws:PrincipalOrgID, ...) are named.
  identity policies: findings such as iam:PassRole on any role, "*" on "*", NotAction with Allow.

example:
  $ solomonic policy check bucket.json --account 111122223333
  bucket.json: resource policy: PUBLIC, CROSS-ACCOUNT
    PUBLIC: anyone can s3:GetObject arn:aws:s3:::bucket/x (statement 'PublicRead', line 5)

output: text, JSON (one object for one file, a list of objects for several; the README gives the
contract) or SARIF 2.1.0 (one result per finding, at its statement's line).

exit status: 1 if any policy is public, cross-account or has a finding; else 2 if any answer is
unknown or a file is bad; else 0."""

COMPARE_EPILOG = """\
Does NEW allow a request that OLD denies, and the reverse? Verdicts: equivalent, a-allows-more
(OLD allows a request NEW denies, and not the reverse), b-allows-more, both-allow-more, unknown.
Each difference comes with a request one policy allows and the other does not, replayed by the
concrete evaluator on both.

example:
  $ solomonic policy compare old.json new.json
  old.json -> new.json: NEW IS NARROWER (a-allows-more): it allows nothing OLD denies
    OLD allows and NEW denies: anonymous s3:GetObject on arn:aws:s3:::bucket/x

exit status: 1 if the policies differ, 2 if unknown or a file is bad, 0 if equivalent."""

EXPLAIN_EPILOG = """\
The decision (allow, explicit deny, implicit deny) for one request, and the statements that made it,
by AWS's evaluation logic for a single policy: an explicit Deny wins, then an Allow, else the request
is implicitly denied.

--principal: an ARN (arn:aws:iam::111122223333:role/app), an account root, a service principal
(cloudfront.amazonaws.com), or * for an anonymous request (the default for a resource policy; an
identity policy needs the ARN it is attached to).
--context KEY=VALUE: a request context key (aws:SourceIp=192.0.2.7). Repeat a key for a multi-valued
key (--context aws:TagKeys=Owner --context aws:TagKeys=Project), or give a JSON list
(aws:TagKeys='["Owner"]', '[]' for an empty set). A key not given is absent from the request.

example:
  $ solomonic policy explain bucket.json --action s3:GetObject --resource arn:aws:s3:::bucket/x \\
        --context aws:SecureTransport=false
  bucket.json: EXPLICIT DENY: anonymous s3:GetObject on arn:aws:s3:::bucket/x
    decided by statement 'DenyInsecureTransport' (line 12)

exit status: 0 when a decision is made (whatever it is), 2 when it is unknown or the input is bad."""


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    policy = subparsers.add_parser(
        "policy", help="questions about AWS access policies: public? what does an edit change?",
        description="Automated reasoning about AWS access policies (IAM JSON): every yes or difference comes\n"
                    "with a concrete request, replayed by a concrete evaluator written apart from the solver;\n"
                    "what cannot be confirmed is unknown, with the reason.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    questions = policy.add_subparsers(title="questions", metavar="QUESTION", required=True)

    check = questions.add_parser("check", help="is it public, open to other accounts, or risky?",
                                 description="Access Analyzer's questions about each policy file.",
                                 epilog=CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    check.add_argument("files", nargs="+", metavar="FILE", help="a policy document (JSON)")
    _kind_option(check)
    check.add_argument("--account", metavar="ID", type=account_id,
                       help="the account that owns the resources (12 digits): other accounts are cross-account")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    _timeout_option(check)
    check.set_defaults(run=run_check)

    compare = questions.add_parser("compare", help="does NEW allow what OLD denies, or the reverse?",
                                   description="Compare two policies request by request.",
                                   epilog=COMPARE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    compare.add_argument("old", metavar="OLD", help="the policy before the edit")
    compare.add_argument("new", metavar="NEW", help="the policy after the edit")
    _kind_option(compare)
    compare.add_argument("--format", choices=["text", "json"], default="text")
    _timeout_option(compare)
    compare.set_defaults(run=run_compare)

    explain = questions.add_parser("explain", help="the decision for one request, and why",
                                   description="Evaluate one concrete request against a policy.",
                                   epilog=EXPLAIN_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    explain.add_argument("file", metavar="FILE", help="a policy document (JSON)")
    _kind_option(explain)
    explain.add_argument("--action", required=True, metavar="A", help="the action, e.g. s3:GetObject")
    explain.add_argument("--resource", required=True, metavar="R", help="the resource ARN")
    explain.add_argument("--principal", metavar="P", help="who sends the request (default: * for a resource policy)")
    explain.add_argument("--context", action="append", type=context_item, default=[], metavar="KEY=VALUE",
                         help="a context key of the request; repeatable")
    explain.add_argument("--format", choices=["text", "json"], default="text")
    explain.set_defaults(run=run_explain)


def _kind_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", choices=["resource", "identity"],
                        help="the policy's kind (default: resource if a statement has Principal or NotPrincipal)")


def _timeout_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=positive, default=10.0, metavar="S",
                        help="seconds of CPU time per question (default: 10), so that a busy machine gets the "
                             "same answer, and at most three times as long by the wall clock; past either the "
                             "answer is unknown")


def account_id(text: str) -> str:
    if len(text) != 12 or not text.isdigit():
        raise argparse.ArgumentTypeError(f"not an AWS account id (12 digits): {text}")
    return text


def context_item(text: str) -> tuple[str, str | tuple[str, ...]]:
    """One --context KEY=VALUE: a string, or a JSON list of strings for a multi-valued key."""
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE: {text}")
    if not value.startswith("["):
        return key, value
    try:
        values = json.loads(value)
    except json.JSONDecodeError as err:
        raise argparse.ArgumentTypeError(f"{key}: not a JSON list of strings: {err.msg}") from None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise argparse.ArgumentTypeError(f"{key}: not a JSON list of strings: {value}")
    return key, tuple(values)


def context(items: list[tuple[str, str | tuple[str, ...]]]) -> dict[str, str | tuple[str, ...]]:
    """The request context from the --context items: a key given more than once is multi-valued, with every
    value given (a JSON list counts as its values)."""
    values: dict[str, list[str]] = {}
    listed: set[str] = set()
    for key, value in items:
        if isinstance(value, tuple):
            listed.add(key)
            values.setdefault(key, []).extend(value)
        else:
            values.setdefault(key, []).append(value)
    return {key: (tuple(vs) if key in listed or len(vs) != 1 else vs[0]) for key, vs in values.items()}


def run_check(args: argparse.Namespace) -> int:
    from solomonic.cli import policy_report
    from solomonic.policy import analyse, document
    from solomonic.policy.portfolio import WALL_FACTOR
    from solomonic.policy.result import CheckResult

    results, policies, bad, late = [], [], False, False
    for path in args.files:
        try:
            policy = document.load(path, kind=args.kind)
        except UserError as err:
            print(f"solomonic: error: {err}", file=sys.stderr)
            bad = True
            continue
        policies.append(policy)
        result = in_time(args.timeout * WALL_FACTOR, functools.partial(analyse.check, policy, account=args.account,
                                                                       timeout_s=args.timeout))
        late = late or result is None
        results.append(result or CheckResult(policy.source, policy.kind, None, None, None, None,
                                             reason=_late(args.timeout)))
    if args.format == "json":
        objects = [r.to_json() for r in results]
        if objects:
            print(json.dumps(objects[0] if len(args.files) == 1 else objects, indent=2))
    elif args.format == "sarif":
        print(policy_report.sarif(results, policies))
    else:
        for policy, result in zip(policies, results):
            print(policy_report.check_text(result, policy))
    if any(policy_report.flagged(r) for r in results):
        return _exit(EXIT_NO, late)
    return _exit(EXIT_UNKNOWN if bad or any(policy_report.unknown(r) for r in results) else EXIT_OK, late)


def run_compare(args: argparse.Namespace) -> int:
    from solomonic.cli import policy_report
    from solomonic.policy import analyse, document
    from solomonic.policy.portfolio import WALL_FACTOR
    from solomonic.policy.result import Comparison

    old, new = document.load(args.old, kind=args.kind), document.load(args.new, kind=args.kind)
    answer = in_time(args.timeout * WALL_FACTOR, lambda: analyse.compare(old, new, timeout_s=args.timeout))
    comparison = answer or Comparison("unknown", None, None, _late(args.timeout))
    if args.format == "json":
        print(json.dumps(comparison.to_json(), indent=2))
    else:
        print(policy_report.compare_text(comparison, old, new))
    if comparison.verdict == "unknown":
        return _exit(EXIT_UNKNOWN, answer is None)
    return EXIT_OK if comparison.verdict == "equivalent" else EXIT_NO


def in_time(seconds: float, work: Callable[[], T]) -> T | None:
    """`work()`, run in a thread of its own; None if it is still running `GRACE_S` after `seconds`. Its
    exceptions are raised here."""
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, work()))
        except BaseException as error:  # raised again below, in the caller's thread
            outcome.append((False, error))

    thread = threading.Thread(target=run, daemon=True, name="policy analysis")
    thread.start()
    thread.join(seconds + GRACE_S)
    if not outcome:
        return None
    done, value = outcome[0]
    if not done:
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[return-value]


def _late(seconds: float) -> str:
    return f"the analysis ran past its time limit ({seconds:g} s) and was given up"


def _exit(status: int, late: bool) -> int:
    """`status`; where an analysis was given up, the process ends here: its thread may still be inside z3,
    which an orderly interpreter shutdown would wait on or crash in."""
    if late:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    return status


def run_explain(args: argparse.Namespace) -> int:
    from solomonic.cli import policy_report
    from solomonic.policy import document, evaluate
    from solomonic.policy.model import Request

    policy = document.load(args.file, kind=args.kind)
    principal = args.principal
    if principal is None:
        if policy.kind == "identity":
            raise UserError(f"{args.file}: an identity policy applies to the identity it is attached to: "
                            "give its ARN with --principal")
        principal = "*"
    request = Request(principal, args.action, args.resource, context(args.context))
    try:
        evaluation = evaluate.decide(policy, request)
    except evaluate.Unsupported as err:
        print(policy_report.explain_unknown(policy, request, str(err), args.format))
        return EXIT_UNKNOWN
    print(policy_report.explain_text(policy, request, evaluation) if args.format == "text"
          else json.dumps(policy_report.explain_json(request, evaluation), indent=2))
    return EXIT_OK
