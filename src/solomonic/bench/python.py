"""`solomonic bench python`: does every function of a labelled Python corpus always terminate?

The corpus (benchmarks/python/) is small functions written as people write Python: untyped, ints as
inputs, grouped by origin into modules. Each top-level function carries its answer on the line directly
above its `def`:

    # terminates: yes
    # terminates: yes  box: -3..3
    # terminates: no  witness: x=-1, y=0
    # terminates: yes  str: s
    # terminates: no  witness: s='a x', i=0

A `no` names inputs on which the function runs forever (ints, or strs written as Python literals without
commas; `witness: ()` for a function without parameters); `str` names the parameters that take strs, on
which tests/bench/test_python_corpus.py runs a terminating function with short strs instead of ints;
`box` narrows the ints it tries (the default, -20..20, is too much for Ackermann's). That test is what makes the labels
trustworthy; this bench only compares `check`'s answers with them. Nested functions are part of the
function that defines them and carry no label.

Each module is checked as a whole file, as a user would run `solomonic check FILE --property terminates`.
An answer is right when it is the label, wrong when it is the other decisive answer (the bench then exits
non-zero), and unknown otherwise; unknowns are grouped by the gist of their reason, as in
`bench termination`.
"""

from __future__ import annotations

import argparse
import ast
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from solomonic.bench.record import provenance, publish, stamp
from solomonic.errors import UserError
from solomonic.reason.report import reason_category

DEFAULT_BOX = (-20, 20)
_LABEL = re.compile(r"#\s*terminates:\s*(?P<verdict>\S+)(?P<rest>.*)$")
_WITNESS = re.compile(r"\s+witness:\s*(?P<witness>.*)")
_BOX = re.compile(r"\s+box:\s*(?P<lo>-?\d+)\.\.(?P<hi>-?\d+)\s*$")
_STRS = re.compile(r"\s+str:\s*(?P<names>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)")
_ARGUMENT = re.compile(r"\s*(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<value>[+-]?\d+|'[^',]*'|\"[^\",]*\")\s*")


@dataclass(frozen=True)
class Label:
    """A corpus function's expected answer, with what the corpus test needs to confirm it."""

    path: str
    function: str
    line: int  # of the `def`
    terminates: bool
    witness: dict[str, int | str] | None  # the inputs that run forever, for a `no`
    box: tuple[int, int]  # the range of each int input the corpus test tries, for a `yes`
    parameters: tuple[str, ...]  # in order, keyword-only ones included
    required: tuple[str, ...]  # those without a default
    strs: tuple[str, ...] = ()  # the parameters that take strs


def corpus_files(paths: list[str]) -> list[Path]:
    """The corpus modules under `paths` (files, or directories searched recursively), sorted."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(f for f in p.rglob("*.py") if f.name != "__init__.py")
        elif p.is_file():
            files.append(p)
        else:
            raise UserError(f"{p}: no such file or directory")
    if not files:
        raise UserError(f"no Python files in {', '.join(paths)}")
    return files


def labels(path: Path) -> list[Label]:
    """Every top-level function's label, in source order; a missing or malformed one is an error that
    names the file and line."""
    source = path.read_text()
    try:
        tree = ast.parse(source, filename=str(path))
    except SyntaxError as err:
        raise UserError(f"{path}:{err.lineno}: syntax error: {err.msg}") from None
    lines = source.splitlines()
    found = []
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef):
            raise UserError(f"{path}:{node.lineno}: '{node.name}' is async; the corpus holds plain functions")
        if isinstance(node, ast.FunctionDef):
            found.append(_label(path, lines, node))
    if not found:
        raise UserError(f"{path}: no functions")
    return found


def _label(path: Path, lines: list[str], node: ast.FunctionDef) -> Label:
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    where = f"{path}:{first - 1 if first > 1 else first}"
    above = lines[first - 2].strip() if first > 1 else ""
    match = _LABEL.fullmatch(above)
    if match is None:
        raise UserError(f"{where}: '{node.name}' has no label on the line above it "
                        "('# terminates: yes' or '# terminates: no  witness: x=..., ...')")
    args = node.args
    if args.vararg or args.kwarg or args.posonlyargs:
        raise UserError(f"{where}: '{node.name}': the corpus takes named int parameters only")
    parameters = tuple(a.arg for a in [*args.args, *args.kwonlyargs])
    with_default = {a.arg for a in args.args[len(args.args) - len(args.defaults):]}
    with_default |= {a.arg for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}
    required = tuple(p for p in parameters if p not in with_default)
    verdict, rest = match["verdict"], match["rest"]
    if verdict not in ("yes", "no"):
        raise UserError(f"{where}: '{node.name}': 'terminates: {verdict}' is neither yes nor no")
    strs: tuple[str, ...] = ()
    if (t := _STRS.match(rest)) is not None:
        strs = tuple(n.strip() for n in t["names"].split(","))
        if unknown := [n for n in strs if n not in parameters]:
            raise UserError(f"{where}: '{node.name}': str '{unknown[0]}' is not a parameter")
        rest = rest[t.end():]
    box = DEFAULT_BOX
    if (b := _BOX.search(rest)) is not None:
        box = (int(b["lo"]), int(b["hi"]))
        if box[0] > box[1]:
            raise UserError(f"{where}: '{node.name}': empty box {b['lo']}..{b['hi']}")
        rest = rest[:b.start()]
    witness = None
    if (w := _WITNESS.fullmatch(rest)) is not None:
        witness = _witness(where, node.name, w["witness"], parameters, required)
    elif rest.strip():
        raise UserError(f"{where}: '{node.name}': cannot read '{rest.strip()}' (expected 'witness: x=1, y=0' "
                        "or 'box: -3..3')")
    if verdict == "no" and witness is None:
        raise UserError(f"{where}: '{node.name}' is labelled no without a witness")
    if verdict == "yes" and witness is not None:
        raise UserError(f"{where}: '{node.name}' is labelled yes but names a witness")
    return Label(str(path), node.name, node.lineno, verdict == "yes", witness, box, parameters, required, strs)


def _witness(where: str, name: str, text: str, parameters: tuple[str, ...],
             required: tuple[str, ...]) -> dict[str, int | str]:
    """`x=-1, s='ab'` as {"x": -1, "s": "ab"}: each a parameter, at most once, every required one given."""
    if text.strip() == "()":
        pairs: list[str] = []
    else:
        pairs = text.split(",")
    witness: dict[str, int | str] = {}
    for pair in pairs:
        m = _ARGUMENT.fullmatch(pair)
        if m is None:
            raise UserError(f"{where}: '{name}': malformed witness '{text.strip()}' (expected name=int or "
                            "name='str', separated by commas, or '()')")
        if m["name"] not in parameters or m["name"] in witness:
            what = "names it twice" if m["name"] in witness else "is not a parameter"
            raise UserError(f"{where}: '{name}': witness '{m['name']}' {what}")
        witness[m["name"]] = ast.literal_eval(m["value"])
    missing = [p for p in required if p not in witness]
    if missing:
        raise UserError(f"{where}: '{name}': the witness gives no value for {', '.join(missing)}")
    return witness


def run(args: argparse.Namespace) -> int:
    files = corpus_files(args.paths)
    corpus = {str(f): labels(f) for f in files}  # every label read before any analysis starts
    functions = [judge(path, found, args.timeout, args.jobs) for path, found in corpus.items()]
    modules = {path: summary(rows) for path, rows in zip(corpus, functions)}
    rows = [row for module in functions for row in module]
    results = {**stamp(), "settings": {"paths": args.paths, "timeout": args.timeout, "jobs": args.jobs},
               "summary": summary(rows), "modules": modules, "functions": rows}
    publish(results, markdown(results), args.output, args.docs, "python")
    return 1 if results["summary"]["wrong"] else 0


def judge(path: str, found: list[Label], timeout: float, jobs: int) -> list[dict]:
    """`check` on one module; each labelled function's answer against its label. A module the reasoner
    refuses as a whole leaves each of its functions unknown with that reason."""
    from solomonic.reason.api import check
    from solomonic.reason.ir import BadInput

    try:
        results = check(path, property="terminates", timeout=timeout, jobs=jobs)
    except BadInput as err:
        return [_row(path, label, None, f"module refused: {err}") for label in found]
    answers = {r.function: r for r in results}
    unlabelled = sorted(set(answers) - {label.function for label in found})
    if unlabelled:
        raise UserError(f"{path}: check answered for functions without a label: {', '.join(unlabelled)}")
    unanswered = [label.function for label in found if label.function not in answers]
    if unanswered:
        raise UserError(f"{path}: check gave no answer for {', '.join(unanswered)}")
    return [_row(path, label, answers[label.function], "") for label in found]


def _row(path: str, label: Label, result, refused: str) -> dict:
    """One function's line of the report; `result` is None where the module was refused."""
    expected = "yes" if label.terminates else "no"
    verdict = result.verdict.value if result is not None else "unknown"
    reason = (result.reason if result is not None else refused) if verdict == "unknown" else ""
    outcome = "right" if verdict == expected else "unknown" if verdict == "unknown" else "wrong"
    return {"module": Path(path).stem, "function": label.function, "line": label.line, "expected": expected,
            "verdict": verdict, "outcome": outcome, "reason": reason,
            "seconds": result.seconds if result is not None else 0.0}


def summary(rows: list[dict]) -> dict:
    counts = Counter(r["outcome"] for r in rows)
    expected = Counter(r["expected"] for r in rows)
    return {
        "functions": len(rows), "terminating": expected["yes"], "not terminating": expected["no"],
        "right": counts["right"], "wrong": counts["wrong"], "unknown": counts["unknown"],
        "right %": round(100 * counts["right"] / len(rows), 1) if rows else 0.0,
        "median seconds": round(statistics.median(r["seconds"] for r in rows), 3) if rows else 0.0,
        "unknown reasons": dict(Counter(reason_category(r["reason"]) for r in rows if r["outcome"] == "unknown")
                                .most_common()),
    }


def markdown(results: dict) -> str:
    s = results["settings"]
    lines = [*provenance(results),
             f"`check --property terminates` on each module of {', '.join(s['paths'])}, timeout {s['timeout']:g} s "
             f"per function, {s['jobs']} at a time. Right: the label's answer (yes: proof re-checked; no: witness "
             "replayed); wrong: the other one; unknown: no answer.", "",
             "| module | functions | terminating | not | right | wrong | unknown | right % | median s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for path, m in [*((Path(p).stem, m) for p, m in results["modules"].items()), ("**all**", results["summary"])]:
        lines.append(f"| {path} | {m['functions']} | {m['terminating']} | {m['not terminating']} | {m['right']} | "
                     f"{m['wrong']} | {m['unknown']} | {m['right %']} | {m['median seconds']} |")
    wrong = [r for r in results["functions"] if r["outcome"] == "wrong"]
    lines += ["", f"**Wrong: {len(wrong)}.**"]
    lines += [f"- `{r['module']}.{r['function']}` (line {r['line']}): answered {r['verdict']}, labelled {r['expected']}"
              for r in wrong]
    lines += ["", "Unknowns by reason:", ""]
    lines += [f"- {n} × {reason}" for reason, n in results["summary"]["unknown reasons"].items()]
    lines += ["", "<details><summary>per function</summary>", "",
              "| module | function | label | answer | s | reason |", "|---|---|---|---|---:|---|"]
    for r in results["functions"]:
        reason = r["reason"].replace("|", "\\|")[:100]
        lines.append(f"| {r['module']} | {r['function']} | {r['expected']} | {r['verdict']} | {r['seconds']} | "
                     f"{reason} |")
    lines += ["", "</details>"]
    return "\n".join(lines)
