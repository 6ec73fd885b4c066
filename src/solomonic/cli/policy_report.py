"""Rendering `solomonic policy`'s answers: text for people, SARIF 2.1.0 for code-scanning tools (JSON is
`solomonic.policy.result`'s `to_json`, the stable contract).

A witness request is shown with the statement that decides it. That statement is found by asking the
concrete evaluator again, not taken from the analysis: the text then says what the evaluator, which every
witness was replayed on, holds of the request.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from solomonic.policy import evaluate
from solomonic.policy.model import Location, Policy, Request, Statement
from solomonic.policy.result import REAL_REQUESTS_ONLY, WELL_FORMED_REQUESTS_ONLY, CheckResult, Comparison
from solomonic.reason.report import artifact_location, sarif_log, sarif_rule

# the findings shown as a resource policy's two answers; every other finding is listed after them
ANSWERS = {"public-access": "PUBLIC", "cross-account-access": "CROSS-ACCOUNT"}
RULE_TEXT = {
    "public-access": "an anonymous request can be allowed",
    "cross-account-access": "a principal of another account can be allowed",
    "pass-role-on-any-role": "iam:PassRole is allowed on any role: the holder can give any role to a service",
    "allow-not-action": "Allow with NotAction: every action but the listed ones, those AWS adds later included",
    "full-admin": "every action on every resource is allowed",
    "unknown": "a question the analysis could not answer",
}
NO_TEXT = {"public-access": "no anonymous request is allowed",
           "cross-account-access": "no principal of another account is allowed"}
VERDICT_TEXT = {
    "equivalent": "EQUIVALENT: both allow exactly the same requests",
    "a-allows-more": "NEW IS NARROWER: OLD allows a request NEW denies; NEW allows nothing OLD denies",
    "b-allows-more": "NEW ALLOWS MORE: NEW allows a request OLD denies; OLD allows nothing NEW denies",
    "both-allow-more": "BOTH ALLOW MORE: each allows a request the other denies",
    "unknown": "UNKNOWN",
}
# the headline's scope of an answer that holds within one only, by how the answer's reason starts (the
# `assuming:` lines below it say in full what the scope leaves out)
SCOPE_TEXT = {
    WELL_FORMED_REQUESTS_ONLY: "among well-formed requests: catalogue actions on ARNs of types they take, no part "
                               "of an ARN holding ':'",
    REAL_REQUESTS_ONLY: "among requests real callers send: catalogue actions on resources of types they take",
}


def flagged(result: CheckResult) -> bool:
    """Is there something to look at: a public or cross-account grant, or any finding?"""
    return bool(result.public or result.cross_account or result.findings)


def unknown(result: CheckResult) -> bool:
    """Was a question left unanswered? (An identity policy is not asked the resource policy's two.)"""
    return bool(result.reason) or (result.kind == "resource" and None in (result.public, result.cross_account))


def check_text(result: CheckResult, policy: Policy) -> str:
    out = [f"{result.source}: {result.kind} policy: {_summary(result)}"]
    if result.kind == "resource":
        for code, answer, witness in (("public-access", result.public, result.public_witness),
                                      ("cross-account-access", result.cross_account, result.cross_account_witness)):
            if answer and witness is not None:
                who = "anyone" if witness.principal == "*" else witness.principal
                out.append(f"  {ANSWERS[code]}: {who} can {witness.action} {witness.resource}"
                           f"{_deciding(policy, witness)}")
                out.append(f"    request: {request_text(witness)}")
    if result.conditions:
        out.append(f"  grants limited by conditions on: {', '.join(result.conditions)}")
    for finding in result.findings:
        if finding.code not in ANSWERS:
            where = f" (line {finding.location.line})" if finding.location else ""
            out.append(f"  {finding.code}: {finding.message}{where}")
            if finding.witness is not None:
                out.append(f"    request: {request_text(finding.witness)}")
    if result.reason:
        out.append(f"  unknown: {result.reason}")
    out += _assumptions(result.assumptions)
    return "\n".join(out)


def _summary(result: CheckResult) -> str:
    others = [f for f in result.findings if f.code not in ANSWERS]
    findings = f"{len(others)} finding{'s' if len(others) != 1 else ''}" if others else "no findings"
    if result.kind != "resource":
        return findings if not result.reason else f"{findings}, unknown"
    public = {True: "PUBLIC", False: "not public", None: "public: unknown"}[result.public]
    cross = {True: "CROSS-ACCOUNT", False: "no cross-account access",
             None: "cross-account: unknown"}[result.cross_account]
    return f"{public}, {cross}" + (f", {findings}" if others else "")


def compare_text(comparison: Comparison, old: Policy, new: Policy) -> str:
    scope = next((f" ({text})" for start, text in SCOPE_TEXT.items() if comparison.reason.startswith(start)), "")
    out = [f"{old.source} -> {new.source}: {VERDICT_TEXT[comparison.verdict]}{scope} ({comparison.verdict})"]
    for label, witness in (("OLD allows and NEW denies", comparison.a_not_b),
                           ("NEW allows and OLD denies", comparison.b_not_a)):
        if witness is not None:
            out.append(f"  {label}: {request_text(witness)}")
            out.append(f"    OLD: {_decision_text(old, witness)}; NEW: {_decision_text(new, witness)}")
    if comparison.verdict == "unknown":
        out.append(f"  unknown: {comparison.reason}")
    out += _assumptions(comparison.assumptions)
    return "\n".join(out)


def _assumptions(assumptions: Sequence[str]) -> list[str]:
    """Each assumption an answer rests on, as a wrapped paragraph of its own."""
    return [textwrap.fill(text, width=110, initial_indent="  assuming: ", subsequent_indent=" " * 4)
            for text in assumptions]


def explain_text(policy: Policy, request: Request, evaluation: evaluate.Evaluation) -> str:
    decision = evaluation.decision.upper().replace("-", " ")
    out = [f"{policy.source}: {decision}: {request_text(request)}"]
    if evaluation.deciding:
        out.append(f"  decided by {', '.join(statement_name(policy, s) for s in evaluation.deciding)}")
    else:
        out.append("  no statement allows it")
    out += [f"  {note}" for note in evaluation.notes]
    return "\n".join(out)


def explain_json(request: Request, evaluation: evaluate.Evaluation) -> dict[str, Any]:
    return {"decision": evaluation.decision, "request": request.to_json(),
            "deciding": [{"sid": s.sid, "effect": s.effect, "line": s.location.line, "pointer": s.location.pointer}
                         for s in evaluation.deciding],
            "notes": list(evaluation.notes), "reason": ""}


def explain_unknown(policy: Policy, request: Request, reason: str, format: str) -> str:
    if format == "json":
        return json.dumps({"decision": None, "request": request.to_json(), "deciding": [], "notes": [],
                           "reason": reason}, indent=2)
    return f"{policy.source}: UNKNOWN: {request_text(request)}\n  {reason}"


def request_text(request: Request) -> str:
    """`anonymous s3:GetObject on arn:aws:s3:::b/x with aws:SecureTransport=true`: who, what, on what, and
    every context key the request has."""
    who = "anonymous" if request.principal == "*" else request.principal
    text = f"{who} {request.action} on {request.resource}"
    if request.context:
        keys = ", ".join(f"{k}={'[' + ', '.join(v) + ']' if isinstance(v, tuple) else v}"
                         for k, v in request.context.items())
        text += f" with {keys}"
    return text


def statement_name(policy: Policy, statement: Statement) -> str:
    """`statement 'PublicRead' (line 5)`, or by its index where it has no Sid."""
    name = repr(statement.sid) if statement.sid else str(policy.statements.index(statement))
    return f"statement {name} (line {statement.location.line})"


def _deciding(policy: Policy, request: Request) -> str:
    """` (statement 'PublicRead', line 5)`: the statements the evaluator says allow the request."""
    try:
        deciding = evaluate.decide(policy, request).deciding
    except evaluate.Unsupported:
        return ""
    names = [repr(s.sid) if s.sid else str(policy.statements.index(s)) for s in deciding]
    lines = ", ".join(str(s.location.line) for s in deciding)
    return f" (statement {', '.join(names)}, line {lines})" if deciding else ""


def _decision_text(policy: Policy, request: Request) -> str:
    try:
        evaluation = evaluate.decide(policy, request)
    except evaluate.Unsupported as err:
        return f"not modelled ({err})"
    by = ", ".join(statement_name(policy, s) for s in evaluation.deciding)
    if evaluation.decision == "allow":
        return f"allowed by {by}"
    return f"denied by {by}" if evaluation.deciding else "implicitly denied (no statement allows it)"


def sarif(results: Sequence[CheckResult], policies: Sequence[Policy],
          root: str | os.PathLike[str] | None = None) -> str:
    """A SARIF 2.1.0 log of `check`: per policy, its two answers (fail with the witness, pass, or open with
    the reason; resource policies only) and every other finding (fail), at the statement's line. Each result
    carries the assumptions its policy's answers rest on (`properties.assumptions`), a pass as much as a fail:
    "no anonymous request is allowed" holds of the requests the assumptions describe."""
    base = Path(os.path.abspath(root if root is not None else os.getcwd()))
    entries: list[dict[str, Any]] = []
    for result, policy in zip(results, policies):
        artifact = artifact_location(result.source, base)
        first = len(entries)
        if result.kind == "resource":
            for code, answer, witness in (("public-access", result.public, result.public_witness),
                                          ("cross-account-access", result.cross_account,
                                           result.cross_account_witness)):
                entries.append(_answer_entry(code, answer, witness, result, policy, artifact))
        for finding in result.findings:
            if finding.code not in ANSWERS:
                entries.append(_entry(finding.code, "fail", finding.message, finding.location, artifact,
                                      finding.witness))
        if result.kind != "resource" and result.reason:
            entries.append(_entry("unknown", "open", f"unknown: {result.reason}", None, artifact, None))
        if result.assumptions:
            for entry in entries[first:]:  # the results about this policy
                entry.setdefault("properties", {})["assumptions"] = list(result.assumptions)
    codes = list(dict.fromkeys(e["ruleId"] for e in entries))
    for entry in entries:
        entry["ruleIndex"] = codes.index(entry["ruleId"])
    rules = [sarif_rule(code, RULE_TEXT.get(code, code.replace("-", " ")),
                        "error" if code == "public-access" else "warning") for code in codes]
    return sarif_log(rules, entries, base)


def _answer_entry(code: str, answer: bool | None, witness: Request | None, result: CheckResult, policy: Policy,
                  artifact: dict) -> dict[str, Any]:
    """A resource policy's answer to one of its two questions, located at the statement that grants the
    access (the finding's, else the one the evaluator says allows the witness)."""
    finding = next((f for f in result.findings if f.code == code), None)
    if answer and witness is not None:
        location = finding.location if finding and finding.location else _granting(policy, witness)
        message = finding.message if finding else f"{request_text(witness)} is allowed"
        return _entry(code, "fail", message, location, artifact, witness)
    if answer is False:
        limited = f" (grants limited by {', '.join(result.conditions)})" if result.conditions else ""
        return _entry(code, "pass", f"{NO_TEXT[code]}{limited}", None, artifact, None)
    return _entry(code, "open", f"unknown whether {RULE_TEXT[code]}: {result.reason}", None, artifact, None)


def _granting(policy: Policy, request: Request) -> Location | None:
    try:
        deciding = evaluate.decide(policy, request).deciding
    except evaluate.Unsupported:
        return None
    return deciding[0].location if deciding else None


def _entry(code: str, kind: str, message: str, location: Location | None, artifact: dict,
           witness: Request | None) -> dict[str, Any]:
    # §3.27.10: only a result whose kind is "fail" has a level other than "none"
    level = ("error" if code == "public-access" else "warning") if kind == "fail" else "none"
    entry: dict[str, Any] = {
        "ruleId": code, "kind": kind, "level": level, "message": {"text": message},
        "locations": [{"physicalLocation": {"artifactLocation": artifact,
                                            "region": {"startLine": location.line if location else 1}}}]}
    if location is not None:
        entry["properties"] = {"pointer": location.pointer}
    if witness is not None:
        entry.setdefault("properties", {})["witness"] = witness.to_json()
    return entry

