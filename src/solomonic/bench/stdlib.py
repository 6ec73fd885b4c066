"""`solomonic bench stdlib`: `check --property terminates` on pure-Python modules of the standard library.

The question issue 22 asks of the Python front end: on code nobody wrote for this tool, how much does it
answer? For each module, every function and method counted in the source (a `def` in the module or in a
class body, at any depth of classes; nested functions belong to their definer), the verdicts `check`
gives, how long the module took (wall clock, with `--jobs`), and any crash (an internal error, or a
function the source has that no answer names). The modules come from the interpreter running the bench.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import time
from collections import Counter
from pathlib import Path
from typing import Any

from solomonic.bench.record import provenance, publish, stamp
from solomonic.errors import UserError
from solomonic.reason.report import reason_category

MODULES = ("bisect", "heapq", "colorsys", "graphlib", "textwrap", "calendar", "fractions", "statistics")


def run(args: argparse.Namespace) -> int:
    from solomonic.reason.api import check

    rows: list[dict[str, Any]] = []
    for name in args.modules or MODULES:
        path = module_file(name)
        defined = definitions(path)
        started = time.monotonic()
        answers = check(str(path), property="terminates", timeout=args.timeout, jobs=args.jobs, memory=None)
        seconds = time.monotonic() - started
        verdicts = Counter(r.verdict.value for r in answers)
        crashes = [r.function for r in answers if r.reason.startswith("internal error")]
        unnamed = sorted(set(defined) - {r.function for r in answers})
        rows.append({"module": name, "file": str(path), "functions": len(defined), **{v: verdicts[v] for v in
                     ("yes", "no", "unknown")}, "not answered": unnamed, "crashes": crashes,
                     "seconds": round(seconds, 1),
                     "unknown reasons": dict(Counter(reason_category(r.reason) for r in answers
                                                     if r.verdict.value == "unknown").most_common(8))})
        print(f"{name}: {len(defined)} functions, {verdicts['yes']} yes, {verdicts['no']} no, "
              f"{verdicts['unknown']} unknown, {len(crashes)} crashes, {seconds:.1f} s", flush=True)
    total = sum(r["functions"] for r in rows)
    answered = sum(r["yes"] + r["no"] for r in rows)
    results = {**stamp(), "settings": {"timeout": args.timeout, "jobs": args.jobs}, "modules": rows,
               "summary": {"functions": total, "answered": answered,
                           "answered %": round(100 * answered / total, 1) if total else 0.0,
                           "crashes": sum(len(r["crashes"]) + len(r["not answered"]) for r in rows)}}
    publish(results, markdown(results), args.output, args.docs, "stdlib")
    return 1 if results["summary"]["crashes"] else 0


def module_file(name: str) -> Path:
    """The source file of a pure-Python module of this interpreter's standard library."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        raise UserError(f"bench stdlib: '{name}' is not a pure-Python module here")
    return Path(spec.origin)


def definitions(path: Path) -> list[str]:
    """Every function and method the source defines, as check names them (`f`, `Class.method`)."""
    out: list[str] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                out.append(prefix + node.name)
            elif isinstance(node, ast.ClassDef):
                visit(node.body, f"{prefix}{node.name}.")

    visit(ast.parse(path.read_bytes()).body, "")
    return out


def markdown(results: dict) -> str:
    s = results["summary"]
    lines = [*provenance(results),
             f"`solomonic check MODULE.py --property terminates --jobs {results['settings']['jobs']}` (timeout "
             f"{results['settings']['timeout']:g} s per function) on pure-Python modules of the standard library; "
             "functions and methods counted in the source.", "",
             "| module | functions | yes | no | unknown | answered % | crashes | seconds |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results["modules"]:
        share = 100 * (r["yes"] + r["no"]) / r["functions"] if r["functions"] else 0.0
        lines.append(f"| {r['module']} | {r['functions']} | {r['yes']} | {r['no']} | {r['unknown']} | {share:.0f} | "
                     f"{len(r['crashes']) + len(r['not answered'])} | {r['seconds']} |")
    lines += [f"| **all** | {s['functions']} | | | | **{s['answered %']}** | {s['crashes']} | |", "",
              "Commonest unknowns, per module:", ""]
    for r in results["modules"]:
        reasons = "; ".join(f"{n} × {reason}" for reason, n in list(r["unknown reasons"].items())[:3])
        lines.append(f"- {r['module']}: {reasons or 'none'}")
    return "\n".join(lines)
