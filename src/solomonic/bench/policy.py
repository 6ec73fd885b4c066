"""`solomonic bench policy`: `solomonic policy check` on every policy of the corpus, and `compare` on every
policy against each of its mutants and on the hand-made pairs (issue 23's acceptance).

Every question is one whole command, `python -m solomonic policy ... --format json`, run and timed as a user
would run it (start-up, imports and the catalogue included), so the median is the latency a user sees. As for
an installed user, solomonic's modules are compiled to bytecode first (`pip install` does so; a checkout whose
environment sets PYTHONDONTWRITEBYTECODE would otherwise compile every module again in every call, some
50 ms of CPU that no user pays). The answers are then judged here, apart from the analysis that gave them:

* every witness is replayed by the concrete evaluator (`policy.evaluate`) in this process: a public witness
  must be an anonymous request the policy allows, a cross-account one a request from outside the owner account
  that it allows, `a_not_b` a request OLD allows and NEW does not (and `b_not_a` the reverse); any other
  outcome is a contradicted witness, and so is a verdict that disagrees with its witnesses;
* the labels of benchmarks/policy/manifest.json (public, cross-account, finding codes, pair verdicts) are
  compared with the answers: an unknown is not wrong, the other answer is;
* the exit status must be the one the answer calls for (1 for a finding or a difference, 2 for an unknown);
* a command that prints no JSON answer (an internal error, a parse error of a mutant) crashes, and so does
  one still running long after its --timeout (it is killed).

Any of these problems fails the bench; unknowns do not, they are counted by reason.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import json
import os
import py_compile
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from solomonic.bench.policy_mutants import mutants
from solomonic.bench.record import provenance, publish, stamp
from solomonic.errors import UserError
from solomonic.reason.report import reason_category

EXIT = {"equivalent": 0, "a-allows-more": 1, "b-allows-more": 1, "both-allow-more": 1, "unknown": 2}
# what can be wrong with an answer: a witness the evaluator does not confirm; a verdict its witnesses contradict
# (a yes or a difference without one, a witness where the verdict has none); an answer the manifest's label
# contradicts; an exit status that disagrees with the answer; a crash
PROBLEMS = ("witness", "verdict", "label", "exit status", "crash")


@dataclass
class Question:
    """One command of the bench and what became of it."""

    group: str  # "check", "mutants" or "pairs"
    argv: list[str]
    files: tuple[str, ...]
    label: dict[str, Any] = field(default_factory=dict)  # the manifest's truth, where known
    operator: str = ""  # for a mutant
    seconds: float = 0.0  # wall clock of the whole call
    cpu_seconds: float = 0.0  # its CPU time (user + system)
    answer: dict[str, Any] | None = None
    status: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)  # (PROBLEMS kind, what)


def run(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    manifest_path = corpus / "manifest.json"
    if not manifest_path.is_file():
        raise UserError(f"bench policy: {manifest_path}: no such file (the corpus's manifest)")
    manifest = json.loads(manifest_path.read_text())
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="solomonic-mutants-") as scratch:
        questions = plan(corpus, manifest, Path(args.mutants or scratch), args)
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            patience_s = 2 * args.timeout + 60  # twice the analysis's own limit, and start-up on a busy machine
            for done, question in enumerate(pool.map(functools.partial(ask, patience_s=patience_s), questions), 1):
                judge(question, manifest["account"])
                if done % 50 == 0 or done == len(questions):
                    print(f"{done}/{len(questions)} questions", file=sys.stderr, flush=True)
    results = summarise(questions, args)
    publish(results, markdown(results), args.output, args.docs, "policy")
    return 1 if results["problems"] else 0


def compile_bytecode() -> None:
    """Write the bytecode of solomonic's modules where Python looks for it (their `__pycache__`, ignored by
    git), as an install does. Checked against a hash of the source, not its time stamp, so a module edited
    while the bench runs is compiled afresh, never served stale. Where the package's folder is not writable
    the calls compile it themselves, as they would for that user; the run goes on."""
    package = Path(__file__).resolve().parents[1]
    compileall.compile_dir(package, quiet=2, invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)


def plan(corpus: Path, manifest: dict[str, Any], mutant_dir: Path, args: argparse.Namespace) -> list[Question]:
    """The commands of a run: check on each original, compare with each mutant, compare each pair."""
    options = ["--timeout", f"{args.timeout:g}"]
    originals = sorted(p for p in corpus.rglob("*.json")
                       if p.name != "manifest.json" and "pairs" not in p.relative_to(corpus).parts)
    if args.limit is not None:
        originals = originals[:args.limit]
    questions = []
    for path in originals:
        name = path.relative_to(corpus).as_posix()
        questions.append(Question("check", ["check", str(path), "--account", manifest["account"], *options],
                                  (str(path),), manifest["policies"].get(name, {})))
    for path in originals:
        name = path.relative_to(corpus).as_posix()
        for mutant in mutants(json.loads(path.read_text()), name, args.seed):
            target = mutant_dir / Path(name).with_suffix(f".{mutant.operator}.json")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(mutant.document, indent=4) + "\n")
            questions.append(Question("mutants", ["compare", str(path), str(target), *options],
                                      (str(path), str(target)), {}, mutant.operator))
    pairs = manifest["pairs"][:args.limit] if args.limit is not None else manifest["pairs"]
    for pair in pairs:
        old, new = str(corpus / pair["old"]), str(corpus / pair["new"])
        questions.append(Question("pairs", ["compare", old, new, *options], (old, new), {"verdict": pair["verdict"]}))
    return questions


def ask(question: Question, patience_s: float) -> Question:
    """Run the question's whole command and keep its JSON answer, exit status, wall time and CPU time. A
    command still running after `patience_s` hangs (it ignored its --timeout): it is killed and counted as a
    crash."""
    argv = [sys.executable, "-m", "solomonic", "policy", *question.argv, "--format", "json"]
    done = run_measured(argv, patience_s)
    question.seconds, question.cpu_seconds = done.seconds, done.cpu_seconds
    if done.killed:
        question.problems.append(("crash", f"hangs: still running {patience_s:g} s after it started; killed"))
        return question
    question.status = done.status
    try:
        question.answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        question.problems.append(("crash", f"exit status {done.status}: {tail}"))
    return question


@dataclass(frozen=True)
class Measured:
    """What became of one command (`run_measured`)."""

    status: int
    stdout: str
    stderr: str
    seconds: float  # wall clock, start to exit
    cpu_seconds: float  # user + system time of the process (and the children it waited for)
    killed: bool


def run_measured(argv: list[str], patience_s: float) -> Measured:
    """Run `argv` to its end, killed after `patience_s`. Besides the wall clock, the child's own CPU time
    (from `wait4`'s resource usage): on a shared machine the wall clock of a call grows with whatever else
    runs (one published check median tripled between two runs whose calls cost the same CPU), its CPU time
    does not, so a slower engine and a busier machine can be told apart."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=err)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            child.kill()

        watchdog = threading.Timer(patience_s, kill)
        watchdog.start()
        try:
            _, wait_status, usage = os.wait4(child.pid, 0)
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(wait_status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Measured(child.returncode, out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                        seconds, usage.ru_utime + usage.ru_stime, killed.is_set())


def judge(question: Question, account: str) -> None:
    """Replay the answer's witnesses and compare it with its label; what is wrong goes to `problems`."""
    from solomonic.policy import document

    answer = question.answer
    if answer is None:
        return
    policies = [document.load(path) for path in question.files]
    if question.group == "check":
        question.problems += _judge_check(answer, policies[0], account, question.label, question.status)
    else:
        question.problems += _judge_compare(answer, policies[0], policies[1], question.label, question.status)


def _judge_check(answer: dict[str, Any], policy, account: str, label: dict[str, Any],
                 status: int) -> list[tuple[str, str]]:
    problems = []
    for question, witness_key, confirmed in (("public", "public_witness", _is_public),
                                             ("cross_account", "cross_account_witness", _is_other_account)):
        witness = answer.get(witness_key)
        if answer.get(question) is True:
            if witness is None:
                problems.append(("verdict", f"{question}: yes without a witness"))
            elif not confirmed(witness, account) or _allowed(policy, witness) is not True:
                problems.append(("witness", f"{question}: not confirmed: {json.dumps(witness)}"))
        if question in label and answer.get(question) is not None and answer[question] != label[question]:
            problems.append(("label", f"{question}: answered {answer[question]}, labelled {label[question]}"))
    codes = {f["code"] for f in answer.get("findings", [])}
    unknown = answer.get("reason") or ""  # an identity policy's undecided findings are named there
    problems += [("label", f"finding {code} missing") for code in label.get("findings", [])
                 if code not in codes and not re.search(rf"(^|; ){re.escape(code)} \(line \d+\):", unknown)]
    expected = 1 if answer.get("public") or answer.get("cross_account") or codes else 2 if _unknown(answer) else 0
    if status != expected:
        problems.append(("exit status", f"{status}, where the answer calls for {expected}"))
    return problems


def _judge_compare(answer: dict[str, Any], old, new, label: dict[str, Any], status: int) -> list[tuple[str, str]]:
    problems = []
    verdict = answer.get("verdict")
    if verdict not in EXIT:
        return [("crash", f"verdict {verdict!r}")]
    for key, allows, denies, sides in (("a_not_b", old, new, ("a-allows-more", "both-allow-more")),
                                       ("b_not_a", new, old, ("b-allows-more", "both-allow-more"))):
        witness = answer.get(key)
        # an unknown may carry the one direction it confirmed; a decided verdict has exactly its witnesses
        if verdict != "unknown" and (witness is not None) != (verdict in sides):
            problems.append(("verdict", f"{verdict} with {key} {'set' if witness else 'null'}"))
        if witness is not None and (_allowed(allows, witness) is not True or _allowed(denies, witness) is not False):
            problems.append(("witness", f"{key}: not confirmed: {json.dumps(witness)}"))
    if status != EXIT[verdict]:
        problems.append(("exit status", f"{status} with verdict {verdict}"))
    if "verdict" in label and verdict != "unknown" and verdict != label["verdict"]:
        problems.append(("label", f"verdict {verdict}, labelled {label['verdict']}"))
    return problems


def _allowed(policy, witness: dict[str, Any]) -> bool | None:
    """Does the concrete evaluator allow a witness from the JSON contract, under every reading of the cases
    the IAM reference leaves open (`evaluate.allowed`)? None where it cannot say (a construct it does not
    model, readings that disagree): such a witness is confirmed on neither side."""
    from solomonic.policy import evaluate
    from solomonic.policy.model import Request

    context = {k: tuple(v) if isinstance(v, list) else v for k, v in witness.get("context", {}).items()}
    try:
        return evaluate.allowed(policy, Request(witness["principal"], witness["action"], witness["resource"],
                                                context))
    except evaluate.Unsupported:
        return None


def _is_public(witness: dict[str, Any], _: str) -> bool:
    return witness["principal"] == "*"


def _is_other_account(witness: dict[str, Any], account: str) -> bool:
    """An anonymous principal, a federated principal's users with the one call they send (whatever account
    the provider is in: Access Analyzer's external access), or an ARN or account id that is not the owner's."""
    from solomonic.policy.evaluate import federated

    principal = witness["principal"]
    if federated(principal) is not None:
        return witness["action"].lower() == federated(principal).lower()  # type: ignore[union-attr]
    fields = principal.split(":")
    owner = fields[4] if principal.startswith("arn:") and len(fields) > 4 else principal
    return principal == "*" or (owner.isdigit() and owner != account)


def summarise(questions: list[Question], args: argparse.Namespace) -> dict[str, Any]:
    groups = {}
    for group in ("check", "mutants", "pairs"):
        mine = [q for q in questions if q.group == group]
        if mine:
            groups[group] = _group_summary(mine)
    by_operator: dict[str, Counter[str]] = {}
    for q in questions:
        if q.group == "mutants" and q.answer is not None:
            by_operator.setdefault(q.operator, Counter())[str(q.answer.get("verdict"))] += 1
    problems = [{"question": " ".join(q.argv), "problems": [f"{kind}: {what}" for kind, what in q.problems]}
                for q in questions if q.problems]
    return {**stamp(), "settings": {"seed": args.seed, "timeout": args.timeout, "jobs": args.jobs,
                                    "limit": args.limit},
            "groups": groups, "mutants by operator": {op: dict(c) for op, c in sorted(by_operator.items())},
            "problems": problems}


def _group_summary(questions: list[Question]) -> dict[str, Any]:
    answered = [q for q in questions if q.answer is not None and not _unknown(q.answer)]
    unknown = [q for q in questions if q.answer is not None and _unknown(q.answer)]
    witnesses = sum(_witnesses(q.answer) for q in questions if q.answer is not None)
    kinds = Counter(kind for q in questions for kind, _ in q.problems)
    labelled = [q for q in questions if q.label and q.answer is not None]
    seconds = sorted(q.seconds for q in questions)
    cpu = sorted(q.cpu_seconds for q in questions)
    return {"questions": len(questions), "answered": len(answered), "unknown": len(unknown),
            "crashes": sum(1 for q in questions if q.answer is None),
            "witnesses": witnesses, "witnesses confirmed": witnesses - kinds["witness"],
            "contradicted": kinds["witness"] + kinds["verdict"],
            "labelled": len(labelled), "labels wrong": sum(1 for q in labelled if any(k == "label" for k, _ in q.problems)),
            "exit status wrong": kinds["exit status"],
            "median s": round(statistics.median(seconds), 3),
            "p90 s": round(seconds[min(len(seconds) - 1, int(0.9 * len(seconds)))], 3),
            "median CPU s": round(statistics.median(cpu), 3),
            "unknown reasons": dict(Counter(reason_category(_reason(q)) for q in unknown).most_common(8))}


def _reason(question: Question) -> str:
    """An unknown's reason with the files it names written OLD and NEW (or POLICY) and a request it quotes
    written {...}, so that like reasons count together across the corpus."""
    reason = re.sub(r"\{.*\}", "{...}", (question.answer or {}).get("reason") or "no reason given")  # a request
    names = ("POLICY",) if question.group == "check" else ("OLD", "NEW")
    for path, name in sorted(zip(question.files, names), key=lambda pair: -len(pair[0])):
        reason = reason.replace(path, name)
    return reason


def _unknown(answer: dict[str, Any]) -> bool:
    if "verdict" in answer:
        return answer["verdict"] == "unknown"
    return bool(answer.get("reason")) or (answer.get("kind") == "resource"
                                          and None in (answer.get("public"), answer.get("cross_account")))


def _witnesses(answer: dict[str, Any]) -> int:
    keys = ("a_not_b", "b_not_a") if "verdict" in answer else ("public_witness", "cross_account_witness")
    return sum(1 for key in keys if answer.get(key) is not None)


# unknowns that are right by design: the documentation gives the construct no meaning (issue 23's acceptance
# asks every pair answered; these are the argument for the ones that are not)
UNDEFINED = {
    "only under some readings of open cases": (
        "A case the IAM reference leaves open (here an `ArnLike` value of fewer than six ':'-separated fields: "
        "the change-value mutation halves an ARN value and adds `*`, `arn:aws:sns:eu-west-*`; the reference "
        "defines the ARN operators only as \"each of the six colon-delimited components of the ARN is checked "
        "separately\") is answered under every reading of it: the encoding makes AWS's answer an uninterpreted "
        "predicate, the evaluator decides each witness under each reading. \"Equivalent\" then holds whatever AWS "
        "does there, and a witness differs whatever AWS does there. These pairs are unknown because their "
        "verdict itself depends on the reading: if the short value matches nothing, the original allows more; "
        "if it matches as a glob, the mutant does; no request differs the same way under both."),
}


def markdown(results: dict[str, Any]) -> str:
    s = results["settings"]
    lines = [*provenance(results),
             f"Each question is one whole `solomonic policy ... --format json` call (timeout {s['timeout']:g} s, "
             f"{s['jobs']} at a time), timed from start to exit (wall clock) and by the CPU time it used (user + "
             f"system, which a busy machine does not inflate); mutants from seed {s['seed']}. Witnesses are "
             "replayed by the concrete evaluator in the bench.", "",
             "| questions | calls | answered | unknown | crashes | witnesses confirmed | contradicted | "
             "labels wrong / labelled | median s | p90 s | median CPU s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    titles = {"check": "`check` on every policy", "mutants": "`compare` policy / mutant",
              "pairs": "`compare` hand-made pairs"}
    for group, g in results["groups"].items():
        lines.append(f"| {titles[group]} | {g['questions']} | {g['answered']} | {g['unknown']} | {g['crashes']} | "
                     f"{g['witnesses confirmed']} of {g['witnesses']} | {g['contradicted']} | "
                     f"{g['labels wrong']} / {g['labelled']} | {g['median s']} | {g['p90 s']} | "
                     f"{g['median CPU s']} |")
    verdicts = ("equivalent", "a-allows-more", "b-allows-more", "both-allow-more", "unknown")
    if results["mutants by operator"]:
        lines += ["", "Verdicts of `compare ORIGINAL MUTANT` by mutation operator:", "",
                  "| operator | " + " | ".join(verdicts) + " |", "|---|" + "---:|" * len(verdicts)]
        for op, counts in results["mutants by operator"].items():
            lines.append(f"| {op} | " + " | ".join(str(counts.get(v, 0)) for v in verdicts) + " |")
    reasons = [f"- {group}: " + "; ".join(f"{n} × {r}" for r, n in g["unknown reasons"].items())
               for group, g in results["groups"].items() if g["unknown reasons"]]
    if reasons:
        lines += ["", "Unknowns by reason:", "", *reasons]
        notes = [text for marker, text in UNDEFINED.items() if any(marker in r for r in reasons)]
        lines += [line for note in notes for line in ("", note)]
    if results["problems"]:
        lines += ["", f"Problems ({len(results['problems'])} questions):", ""]
        lines += [f"- `{p['question']}`: {'; '.join(p['problems'])}" for p in results["problems"][:20]]
    return "\n".join(lines)
