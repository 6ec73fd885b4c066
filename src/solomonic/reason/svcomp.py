"""Running SV-COMP verification tasks (task-definition format 2.0) and scoring the answers.

A task names its C file, its properties with expected verdicts, and the data model. The runner asks the
one property requested of `main`, each task in its own process under the time and memory limits, and
scores as SV-COMP does: +2 for a correct true, +1 for a correct false, -32 for a wrong true, -16 for
a wrong false, 0 for unknown.
"""

from __future__ import annotations

import functools
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from solomonic.reason.api import Proposed, ask, with_proposals
from solomonic.reason.engines.dispatch import analyse
from solomonic.reason.ir import BadInput, Function, Unsupported
from solomonic.reason.isolate import Job, Outcome, run_jobs
from solomonic.reason.memory import remembered, warn_discarded
from solomonic.reason.proposals import Proposer, used
from solomonic.reason.result import SVCOMP_PROPERTIES, Result

POINTS = {("true", True): 2, ("false", False): 1, ("true", False): -32, ("false", True): -16}

# Runs tasks elsewhere (`--executor ray`): given (task name, work) pairs, where work takes the proof memory's
# path that it is to use there and gives the task's outcome, and the proof memory of this run, it yields the
# outcomes as they come.
Executor = Callable[[list[tuple[str, Callable[[str | None], Outcome]]], str | None], Iterable[Outcome]]


@dataclass
class Task:
    name: str
    path: str  # the .yml file
    input_file: str
    property: str
    expected: bool
    data_model: str


@dataclass
class TaskResult:
    task: str
    property: str
    expected: str
    verdict: str  # "true" | "false" | "unknown"
    correct: bool | None  # None for unknown
    points: int
    seconds: float  # wall clock, with process start and parsing
    reason: str
    analysis_seconds: float = 0.0  # the analysis alone (a memory lookup, when from memory)
    from_memory: bool = False
    proposals_used: int = 0  # a proposer's invariants that its certificate states
    proposing_seconds: float = 0.0  # asking the proposer (in the parent, before the task ran; not in `seconds`)


def find_tasks(paths: list[str], prop: str) -> tuple[list[Task], int]:
    """The tasks under `paths` (files or directories) that list `prop`, and how many did not."""
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files.extend(sorted(path.rglob("*.yml")))
        elif path.suffix == ".yml" and path.is_file():
            files.append(path)
        else:
            raise BadInput(f"{p}: not a task file (.yml) or a directory of them")
    tasks, skipped = [], 0
    for f in files:
        try:
            spec = yaml.safe_load(f.read_text())
        except (yaml.YAMLError, UnicodeDecodeError) as err:
            raise BadInput(f"{f}: not a valid task definition: {err}") from None
        if not isinstance(spec, dict) or "input_files" not in spec:
            continue  # not a task definition
        wanted = [p for p in spec.get("properties", []) if Path(p.get("property_file", "")).stem == prop
                  and "expected_verdict" in p]
        if not wanted:
            skipped += 1
            continue
        inputs = spec["input_files"]
        input_file = inputs if isinstance(inputs, str) else inputs[0]
        data_model = (spec.get("options") or {}).get("data_model", "ILP32")
        tasks.append(Task(str(f), str(f), str(f.parent / input_file), prop, bool(wanted[0]["expected_verdict"]),
                          data_model))
    return tasks, skipped


def lower_main(task: Task) -> Function:
    from solomonic.reason.frontends.c.lower import lower_c, parse_c

    program = parse_c(task.input_file, data_model=task.data_model)
    if "main" not in program.functions:
        raise BadInput(f"{task.input_file}: no main function")
    return lower_c(program, "main", SVCOMP_PROPERTIES[task.property])


def answer(task: Task, timeout_s: float, memory: str | None = None, proposed: Proposed | None = None) -> dict:
    """Runs in the child process."""
    semantics, options = with_proposals({"language": "c", "data_model": task.data_model}, timeout_s, proposed)
    try:
        function, prop = lower_main(task), SVCOMP_PROPERTIES[task.property]
        result = remembered(memory, function, prop, semantics, timeout_s, lambda: analyse(function, prop, options))
    except Unsupported as u:
        return {"verdict": "unknown", "reason": f"unsupported at line {u.line}: {u.construct}"}
    except BadInput as err:
        return {"verdict": "unknown", "reason": str(err)}
    verdict = {"yes": "true", "no": "false"}.get(result.verdict.value, "unknown")
    return {"verdict": verdict, "reason": result.reason, "from_memory": bool(result.details.get("from_memory")),
            "memory_discarded": result.details.get("memory_discarded"), "analysis_seconds": result.seconds,
            "proposals_used": len((result.details.get("proposals") or {}).get("used", [])),
            **({"result": result.to_json()} if used(result) else {})}


def answer_isolated(task: Task, timeout_s: float, memory_mb: int, memory: str | None,
                    proposed: Proposed | None = None) -> Outcome:
    """One task in a child process under the limits of the local pool: what an executor's worker runs."""
    return next(run_jobs([_job(task, timeout_s, memory, proposed)], parallel=1, memory_mb=memory_mb))


def _job(task: Task, timeout_s: float, memory: str | None, proposed: Proposed | None) -> Job:
    return Job(task.name, lambda: answer(task, timeout_s, memory, proposed), timeout_s)


def score(verdict: str, expected: bool) -> tuple[bool | None, int]:
    if verdict == "unknown":
        return None, 0
    return (verdict == "true") == expected, POINTS[(verdict, expected)]


def run(paths: list[str], prop: str, timeout_s: float, jobs: int = 1, memory_mb: int = 4096,
        progress: bool = True, memory: str | None = None, executor: Executor | None = None,
        proposer: Proposer | None = None, proposals: int = 4) -> dict:
    """The tasks under `paths` answered, `jobs` at a time in this machine's processes or by `executor`,
    and scored; with a proposer, its candidate invariants for the loops of each task are asked first, here,
    and given to the task's analysis."""
    tasks, skipped = find_tasks(paths, prop)
    if not tasks:
        raise BadInput(f"no task under {', '.join(paths)} lists the property {prop}")
    by_name = {t.name: t for t in tasks}
    proposed: dict[str, Proposed] = {}
    proposing: dict[str, float] = {}  # seconds spent asking the proposer, here, before each task ran
    if proposer is not None:
        for t in tasks:
            start = time.monotonic()
            proposed[t.name] = ask(proposer, proposals, functools.partial(lower_main, t), timeout_s, memory_mb)
            proposing[t.name] = round(time.monotonic() - start, 3)
    results: dict[str, TaskResult] = {}
    bar = _progress(len(tasks), progress)
    outcomes: Iterable[Outcome]
    if executor is None:
        outcomes = run_jobs([_job(t, timeout_s, memory, proposed.get(t.name)) for t in tasks], parallel=jobs,
                            memory_mb=memory_mb)
    else:
        outcomes = executor([(t.name, functools.partial(answer_isolated, t, timeout_s, memory_mb,
                                                        proposed=proposed.get(t.name))) for t in tasks], memory)
    for outcome in outcomes:
        task = by_name[outcome.key]
        answer_ = outcome.value or {"verdict": "unknown", "reason": outcome.failure.splitlines()[0]
                                    if outcome.failure else "no answer"}
        warn_discarded(task.name, answer_.get("memory_discarded"))
        if proposer is not None and "result" in answer_:
            proposer.confirmed(Result.from_json(answer_["result"]), proposed[task.name].loops)
        correct, points = score(answer_["verdict"], task.expected)
        results[task.name] = TaskResult(task.name, prop, str(task.expected).lower(), answer_["verdict"], correct,
                                        points, round(outcome.seconds, 3), answer_["reason"],
                                        answer_.get("analysis_seconds", 0.0), answer_.get("from_memory", False),
                                        answer_.get("proposals_used", 0), proposing.get(task.name, 0.0))
        if bar is not None:
            bar.advance(f"{Path(task.name).stem}: {answer_['verdict']}")
    if bar is not None:
        bar.close()
    ordered = [results[t.name] for t in tasks]
    return {"tasks": [asdict(r) for r in ordered], "summary": summarise(ordered, tasks, skipped, timeout_s)}


def summarise(results: list[TaskResult], tasks: list[Task], skipped: int, timeout_s: float) -> dict:
    maximum = sum(2 if t.expected else 1 for t in tasks)
    total = sum(r.points for r in results)
    return {
        "property": tasks[0].property,
        "tasks": len(tasks),
        "skipped (property not listed)": skipped,
        "expected true": sum(t.expected for t in tasks),
        "expected false": sum(not t.expected for t in tasks),
        "score": total,
        "max score": maximum,
        "score %": round(100 * total / maximum, 1) if maximum else 0.0,
        "correct true": sum(r.correct is True and r.verdict == "true" for r in results),
        "correct false": sum(r.correct is True and r.verdict == "false" for r in results),
        "wrong true": sum(r.correct is False and r.verdict == "true" for r in results),
        "wrong false": sum(r.correct is False and r.verdict == "false" for r in results),
        "unknown": sum(r.verdict == "unknown" for r in results),
        "median seconds": round(statistics.median(r.seconds for r in results), 3),
        "total seconds": round(sum(r.seconds for r in results), 1),
        "timeout s": timeout_s,
        "from memory": sum(r.from_memory for r in results),
        "with proposals used": sum(r.proposals_used > 0 for r in results),
        "slowest answer from memory (s)": max((r.analysis_seconds for r in results if r.from_memory), default=0.0),
    }


def table(report: dict) -> str:
    rows = [f"{'task':48} {'expected':8} {'verdict':8} {'points':>6} {'seconds':>8}"]
    for r in report["tasks"]:
        mark = "" if r["correct"] is not False else "  WRONG"
        rows.append(f"{Path(r['task']).name:48} {r['expected']:8} {r['verdict']:8} {r['points']:6d} "
                    f"{r['seconds']:8.2f}{mark}")
    s = report["summary"]
    rows.append("")
    rows.append(f"score {s['score']} of {s['max score']} ({s['score %']} %): correct true {s['correct true']}, "
                f"correct false {s['correct false']}, wrong true {s['wrong true']}, wrong false {s['wrong false']}, "
                f"unknown {s['unknown']}; median {s['median seconds']} s per task")
    if s["from memory"]:
        rows.append(f"{s['from memory']} answers from the proof memory, the slowest in "
                    f"{1000 * s['slowest answer from memory (s)']:.0f} ms of analysis")
    return "\n".join(rows)


class _Bar:
    def __init__(self, total: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("[bold]svcomp[/]"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.description}"),
                                 console=Console(stderr=True), transient=False)
        self.progress.start()
        self.task = self.progress.add_task("", total=total)

    def advance(self, description: str) -> None:
        self.progress.update(self.task, advance=1, description=description)

    def close(self) -> None:
        self.progress.stop()


def _progress(total: int, enabled: bool) -> _Bar | None:
    if not enabled or (not sys.stderr.isatty() and os.environ.get("SOLOMONIC_PROGRESS") != "1"):
        return None
    return _Bar(total)
