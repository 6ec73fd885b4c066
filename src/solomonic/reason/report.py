"""Rendering results: text for people, JSON for programs, SARIF 2.1.0 for code-scanning tools."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import quote

from solomonic import __version__
from solomonic.reason.result import Result, Verdict, shown_call

PROPERTY_TEXT = {
    "assert": "no assertion fails and no exception escapes",
    "no-overflow": "no signed integer overflow",
    "returns-true": "every return returns a true value",
    "terminates": "every execution leaves the function",
}


def text(results: list[Result], verbose: bool = True) -> str:
    out = []
    for r in results:
        memory = ", from memory" if r.details.get("from_memory") else ""
        out.append(f"{r.file}:{r.line}: {r.function}: {r.property}: {r.verdict.value.upper()}  ({r.seconds:.2f} s{memory})")
        if not verbose:
            if r.assumptions:
                out[-1] += f"  assuming {'; '.join(r.assumptions)}"
            continue
        if r.assumptions:
            out.append(f"    assuming {'; '.join(r.assumptions)}")
        if r.verdict == Verdict.YES and r.certificate:
            out.append(f"    proof: {r.certificate['summary']}")
            for inv in r.certificate.get("invariants", []):
                out.append(f"    invariant at line {inv['line']}: {inv['invariant']}")
        elif r.verdict == Verdict.NO and r.witness:
            w = r.witness
            out.append(f"    {r.reason}")
            args = shown_call(w["inputs"])
            out.append(f"    witness: {r.function}({args})")
            if w["nondet"]:
                values = ", ".join(_value_text(n["value"]) for n in w["nondet"][:12])
                more = f", ... ({len(w['nondet'])} in all)" if len(w["nondet"]) > 12 else ""
                out.append(f"    nondeterministic values, in order: {values}{more}")
            out.append(f"    path: lines {w['path_text']}")
            if "path_note" in w:
                out.append(f"    ({w['path_note']})")
            isolated = w["replay"].get("sandbox", "")
            weaker = "network reachable" in isolated or "processes not limited" in isolated
            unisolated = f" ({isolated})" if weaker else ""  # said only where the sandbox is not whole
            out.append(f"    replayed: {w['replay']['observed']}{unisolated}")
            if r.reproducer and r.language == "python":
                out.append("    reproduce:")
                out.extend("        " + line for line in r.reproducer.splitlines())
            elif r.reproducer:
                out.append("    reproduce: a C harness and its gcc command (--format json, or --save-reproducers DIR)")
        else:
            out.append(f"    {r.reason}")
    counts = Counter(r.verdict for r in results)
    total = sum(r.seconds for r in results)
    out.append(f"{counts[Verdict.YES]} yes, {counts[Verdict.NO]} no, {counts[Verdict.UNKNOWN]} unknown "
               f"({total:.2f} s of analysis)")
    return "\n".join(out)


def _value_text(value: object) -> str:
    """A witness's nondeterministic value in the text report: an array as `[0: 5, 3: 1, others 0]` (or
    `[every element 0]`)."""
    if not isinstance(value, dict):
        return str(value)
    cells = [f"{i}: {v}" for i, v in value["cells"].items()]
    rest = "others" if cells else "every element"
    others = f"{rest} as the solver chose" if value["otherwise"] is None else f"{rest} {value['otherwise']}"
    return "[" + ", ".join([*cells, others]) + "]"


def reason_category(reason: str) -> str:
    """The gist of an unknown's reason, so that like ones count together."""
    if reason.startswith("unsupported"):
        construct = reason.split(": ", 1)[-1]
        if "recursi" in construct:
            return "unsupported: recursion"
        if "pointer" in construct:
            return "unsupported: pointers"
        construct = re.sub(r"\s*\([^()]*(\([^()]*\)[^()]*)*\)", "", construct)  # the details in parentheses
        return "unsupported: " + re.sub(r"[`'][^`']*[`']", "…", construct)
    main = reason.removeprefix("timeout; ").split("; ")[0]
    return re.sub(r"\s*\(.*", "", re.sub(r"line \d+", "line N", main)) or reason


def summary(results: list[Result]) -> str:
    """A run over several files in a few lines: how many functions and questions, the verdicts, and the
    unknowns grouped by reason (`reason_category`), commonest first."""
    counts = Counter(r.verdict for r in results)
    files = len({r.file for r in results})
    functions = len({(r.file, r.function) for r in results})
    out = [f"summary: {len(results)} questions about {functions} functions in {files} files: "
           f"{counts[Verdict.YES]} yes, {counts[Verdict.NO]} no, {counts[Verdict.UNKNOWN]} unknown"]
    reasons = Counter(reason_category(r.reason) for r in results if r.verdict == Verdict.UNKNOWN)
    if reasons:
        out.append("unknown, by reason:")
        out += [f"  {n:5d}  {reason}" for reason, n in reasons.most_common()]
    return "\n".join(out)


def to_json(results: list[Result]) -> str:
    return json.dumps([r.to_json() for r in results], indent=2)


# SARIF's result.kind per verdict (§3.27.9): "open" is the spec's word for "could not tell pass from fail".
SARIF_KIND = {Verdict.YES: "pass", Verdict.NO: "fail", Verdict.UNKNOWN: "open"}
# Locations are relative to this base, so a log describes the checkout wherever the checkout lies, and code
# scanning can match its results to its own copy of the repository (§3.4.4, §3.14.14).
SRCROOT = "%SRCROOT%"


def sarif(results: list[Result], root: str | os.PathLike[str] | None = None) -> str:
    """A SARIF 2.1.0 log of one run, file locations relative to `root` (default: the working directory)."""
    base = Path(os.path.abspath(root if root is not None else os.getcwd()))
    rule_index = {p: i for i, p in enumerate(PROPERTY_TEXT)}
    rules = [sarif_rule(p, t, "error") for p, t in PROPERTY_TEXT.items()]
    entries = []
    for r in results:
        line = r.line
        if r.verdict == Verdict.NO and r.witness and "event" in r.witness:  # a lasso's witness has no event
            line = r.witness["event"]["line"]
        kind = SARIF_KIND[r.verdict]
        artifact = artifact_location(r.file, base)  # one file per result: its URI computed once, not per path step
        entry: dict[str, Any] = {
            "ruleId": r.property,
            "ruleIndex": rule_index[r.property],
            "kind": kind,
            # §3.27.10: a result whose kind is not "fail" has level "none"; a failure here is a real,
            # replayed violation of the property, hence an error.
            "level": "error" if kind == "fail" else "none",
            "message": {"text": _message(r)},
            "locations": [_location(artifact, line)],
            "properties": {"function": r.function, "verdict": r.verdict.value, "seconds": r.seconds},
        }
        if r.assumptions:
            entry["properties"]["assumptions"] = r.assumptions
        if r.verdict == Verdict.NO and r.witness:
            entry["codeFlows"] = [{"threadFlows": [{"locations": [
                {"location": _location(artifact, n)} for n in r.witness.get("path", [line])[:1000]]}]}]
            entry["properties"]["witness"] = r.witness["inputs"]
        if r.verdict == Verdict.YES and r.certificate:
            entry["properties"]["certificate"] = r.certificate
        entries.append(entry)
    return sarif_log(rules, entries, base)


def sarif_rule(code: str, text: str, level: str) -> dict[str, Any]:
    """A reporting descriptor (§3.49): the rule `code` ("public-access"), its name in PascalCase."""
    return {"id": code, "name": "".join(word.capitalize() for word in code.split("-")),
            "shortDescription": {"text": text}, "defaultConfiguration": {"level": level}}


def sarif_log(rules: list[dict[str, Any]], results: list[dict[str, Any]], base: Path) -> str:
    """One run of solomonic as a SARIF 2.1.0 log, its artifact locations relative to `base` (%SRCROOT%);
    every command's SARIF output (check, policy check, network exposure) is one of these."""
    base_uri = base.as_uri()
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "solomonic", "version": __version__,
                                      "informationUri": "https://github.com/solomonic/solomonic",
                                      "rules": rules}},
                  # §3.14.14: a base URI names a directory, so it ends with a slash
                  "originalUriBaseIds": {SRCROOT: {"uri": base_uri if base_uri.endswith("/") else base_uri + "/"}},
                  "results": results}],
    }
    return json.dumps(log, indent=2)


def _message(r: Result) -> str:
    assuming = f" (assuming {'; '.join(r.assumptions)})" if r.assumptions else ""
    return _verdict_message(r) + assuming


def _verdict_message(r: Result) -> str:
    if r.verdict == Verdict.YES:
        return f"{r.function}: {PROPERTY_TEXT[r.property]} (proved: {r.certificate['summary'] if r.certificate else ''})"
    if r.verdict == Verdict.NO:
        args = shown_call((r.witness or {}).get("inputs", {}))
        return f"{r.function}({args}): {r.reason}"
    return f"{r.function}: unknown whether {PROPERTY_TEXT[r.property]}: {r.reason}"


def _location(artifact: dict, line: int) -> dict:
    return {"physicalLocation": {"artifactLocation": artifact, "region": {"startLine": max(1, line)}}}


def artifact_location(file: str, base: Path) -> dict:
    """A relative URI under %SRCROOT% where the file lies below `base`, else an absolute file URI.

    The lexical path is tried first, as the user named it; the resolved one second, so that a symbolic
    link above the checkout (a working directory that os.getcwd reports resolved) still counts as inside.
    The relative path is percent-encoded from its bytes, as Path.as_uri encodes absolute ones, so spaces,
    '%', ':' and non-ASCII (even undecodable) names give valid URI references.
    """
    path = Path(os.path.abspath(file))
    for inner, outer in ((path, base), (path.resolve(), base.resolve())):
        if inner.is_relative_to(outer):
            return {"uri": quote(os.fsencode(inner.relative_to(outer).as_posix())), "uriBaseId": SRCROOT}
    return {"uri": path.as_uri()}
