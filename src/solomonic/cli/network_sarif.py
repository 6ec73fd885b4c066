"""`solomonic network exposure --format sarif`: each exposed range as a SARIF 2.1.0 result at the
security-group rule that admits its witness (the snapshot file, and the rule's JSON pointer as a logical
location, since a describe-* response is data without meaningful lines), so that a code-scanning view shows
the rule a user has to narrow. An interface whose exposure is partly unknown is an "open" result."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from solomonic.cli.network_report import exposed_text, packet_text
from solomonic.network.exposure import Finding
from solomonic.reason.report import artifact_location, sarif_log, sarif_rule

RULES = {"internet-exposure": "a network interface is reachable from the internet",
         "unknown-exposure": "whether a network interface is reachable from the internet is not known"}


def exposure_sarif(findings: list[Finding], root: str | os.PathLike[str] | None = None) -> str:
    base = Path(os.path.abspath(root if root is not None else os.getcwd()))
    codes = list(RULES)
    entries: list[dict[str, Any]] = []
    for finding in findings:
        interface = finding.interface
        named = f"{interface.node} ({interface.id})"
        for exposed in finding.exposed:
            where = exposed.rule or interface.origin
            entries.append({
                "ruleId": codes[0], "ruleIndex": 0, "kind": "fail", "level": "warning",
                "message": {"text": f"{named} is reachable from the internet on {exposed_text(exposed)}, e.g. "
                                    f"{packet_text(exposed.witness.flow)} ({' > '.join(exposed.witness.hops)})"},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(where.file, base)},
                               "logicalLocations": [{"fullyQualifiedName": where.pointer, "kind": "object"}]}]})
        for reason in finding.unknown:
            entries.append({
                "ruleId": codes[1], "ruleIndex": 1, "kind": "open", "level": "none",
                "message": {"text": f"unknown whether {named} is reachable from the internet: {reason}"},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_location(interface.origin.file, base)},
                               "logicalLocations": [{"fullyQualifiedName": interface.origin.pointer,
                                                     "kind": "object"}]}]})
    return sarif_log([sarif_rule(code, text, "warning") for code, text in RULES.items()], entries, base)
