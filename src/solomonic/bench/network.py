"""`solomonic bench network`: the hand-derived corpus asked through the command line, and the scale curve
(issue 31's acceptance and its "Scale" target).

*Corpus.* Every question of benchmarks/network/questions.json is one whole command, `python -m solomonic
network trace|reachable ... --format json`, timed from start to exit as a user runs it. The answer is judged
here, apart from the analysis: a `trace` answer's disposition, hops and blocker against the hand-derived ones;
a `reachable` verdict against its label, the witness's hops, and for an unreachable answer the components it
names, which must lie among those derived by hand (an unsat core names one blocker of several); every
reachable witness is replayed by a second whole `trace` call, which must deliver the same packet along the
same hops; the exit status must be the one the answer calls for.

*Scale.* `network.synthetic` generates a seeded snapshot per size, in the issue's proportions (10,000
interfaces, 200 subnets, 20 VPCs, 500 groups that reference each other, some exposed to the internet). The
bench times reading it (`build.load`), each of `synthetic.questions`' reachable questions (the median of a few
runs; each verdict is compared with the one the layout implies) and `exposure`, in this process, against the
targets: one reachable question under 2 s, exposure under a minute.

A wrong answer, a contradicted witness, a wrong exit status or a crash fails the bench; unknowns do not.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from solomonic.bench.record import provenance, publish, save_figure, stamp
from solomonic.errors import UserError

EXPOSURE_TARGET_S, REACHABLE_TARGET_S = 60.0, 2.0
DELIVERED = ("accepted", "exits-network")


def run(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    if not (corpus / "questions.json").is_file():
        raise UserError(f"bench network: {corpus / 'questions.json'}: no such file (the corpus's questions)")
    asked = [ask_corpus(corpus, question) for question in json.loads((corpus / "questions.json").read_text())]
    print(f"{len(asked)} corpus questions", file=sys.stderr, flush=True)
    curve = [scale_point(size, args.seed, args.repeats) for size in sorted(args.sizes)]
    results = {**stamp(), "settings": {"sizes": sorted(args.sizes), "seed": args.seed, "repeats": args.repeats},
               "corpus": summarise(asked), "scale": curve,
               "problems": [p for q in asked for p in q["problems"]] + [p for s in curve for p in s["problems"]]}
    plots = plot(curve, Path(args.plots)) if args.plots and len(curve) > 1 else []
    publish(results, markdown(results, plots), args.output, args.docs, "network")
    return 1 if results["problems"] else 0


def cli(*argv: str) -> tuple[dict[str, Any] | None, int, float, str]:
    """One whole `solomonic network` command: its JSON answer (None if it printed none), exit status,
    seconds and last line of standard error."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "solomonic", "network", *argv, "--format", "json"],
                          capture_output=True, text=True, timeout=300)
    seconds = time.perf_counter() - started
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError:
        answer = None
    return answer, done.returncode, seconds, (done.stderr.strip().splitlines() or [""])[-1]


def ask_corpus(corpus: Path, question: dict[str, Any]) -> dict[str, Any]:
    kind = question.get("question", "trace")
    snapshot = str(corpus / question["snapshot"])
    name = f"{kind} {question['snapshot']} --from {question['from']} --to {question['to']} {' '.join(question['args'])}"
    answer, status, seconds, stderr = cli(kind, snapshot, "--from", question["from"], "--to", question["to"],
                                          *question["args"])
    asked = {"question": name, "kind": kind, "seconds": seconds, "answer": None, "witness": False,
             "problems": []}
    if answer is None:
        asked["problems"].append(f"{name}: crash, exit status {status}: {stderr}")
        return asked
    problems = _judge_trace(answer, question) if kind == "trace" else _judge_reachable(answer, question, snapshot)
    asked["answer"] = answer.get("disposition") if kind == "trace" else answer.get("verdict")
    asked["witness"] = kind == "reachable" and answer.get("witness") is not None
    expected = 2 if asked["answer"] == "unknown" else 1 if asked["answer"] in (*DELIVERED, "reachable") else 0
    if status != expected:
        problems.append(f"exit status {status}, where the answer calls for {expected}")
    asked["problems"] = [f"{name}: {problem}" for problem in problems]
    return asked


def _judge_trace(answer: dict[str, Any], question: dict[str, Any]) -> list[str]:
    got = (answer["disposition"], answer["hops"], answer["blocked_by"])
    wanted = (question["disposition"], question["hops"], question["blocked_by"])
    return [] if got == wanted else [f"answered {got}, derived by hand {wanted}"]


def _judge_reachable(answer: dict[str, Any], question: dict[str, Any], snapshot: str) -> list[str]:
    problems = []
    if answer["verdict"] != question["verdict"]:
        problems.append(f"verdict {answer['verdict']}, derived by hand {question['verdict']}")
    witness = answer.get("witness")
    if (witness is not None) != (answer["verdict"] == "reachable"):
        problems.append(f"verdict {answer['verdict']} with witness {'set' if witness else 'null'}")
    if witness is not None:
        if question["verdict"] == "reachable" and witness["hops"] != question["hops"]:
            problems.append(f"witness hops {witness['hops']}, derived by hand {question['hops']}")
        problems += confirm(snapshot, question["from"], witness)
    if answer["verdict"] == "unreachable":
        named = {component for blocked in answer["blocked_by"] for component in blocked["components"]}
        if not named <= set(question["blocked_by"]):
            problems.append(f"blocked by {sorted(named)}, none of them derived by hand {question['blocked_by']}")
    return problems


def confirm(snapshot: str, source: str, witness: dict[str, Any]) -> list[str]:
    """Replay a witness with a whole `trace` call: it must be delivered along the witness's hops."""
    flow = witness["flow"]
    argv = ["trace", snapshot, "--from", source, "--to", flow["dst_ip"], "--src-ip", flow["src_ip"],
            "--protocol", str(flow["protocol"])]
    for key, option in (("src_port", "--src-port"), ("dst_port", "--dst-port"), ("icmp_type", "--icmp-type"),
                        ("icmp_code", "--icmp-code")):
        if flow.get(key) is not None:
            argv += [option, str(flow[key])]
    replayed, _, _, stderr = cli(*argv)
    if replayed is None:
        return [f"the witness's trace crashed: {stderr}"]
    if replayed["disposition"] not in DELIVERED or replayed["hops"] != witness["hops"]:
        return [f"witness not confirmed: trace says {replayed['disposition']} along {replayed['hops']}"]
    return []


def summarise(asked: list[dict[str, Any]]) -> dict[str, Any]:
    groups = {}
    for kind in ("trace", "reachable"):
        mine = [q for q in asked if q["kind"] == kind]
        seconds = sorted(q["seconds"] for q in mine)
        groups[kind] = {"questions": len(mine), "right": sum(1 for q in mine if q["answer"] and not q["problems"]),
                        "unknown": sum(1 for q in mine if q["answer"] == "unknown"),
                        "crashes": sum(1 for q in mine if q["answer"] is None),
                        "witnesses": sum(1 for q in mine if q["witness"]),
                        "witnesses confirmed": sum(1 for q in mine if q["witness"] and not any(
                            "witness" in p for p in q["problems"])),
                        "median s": round(statistics.median(seconds), 3) if seconds else None,
                        "p90 s": round(seconds[min(len(seconds) - 1, int(0.9 * len(seconds)))], 3) if seconds
                        else None}
    return groups


def scale_point(size: int, seed: int, repeats: int) -> dict[str, Any]:
    """Generate one size, then time loading it, each reachable question and exposure."""
    from solomonic.network import build, synthetic
    from solomonic.network.exposure import exposure
    from solomonic.network.reachable import Question, answer, goal, sources

    shape = synthetic.Shape.scaled(size)
    files = synthetic.generate(shape, seed)
    with tempfile.TemporaryDirectory(prefix="solomonic-network-") as folder:
        synthetic.write(shape, Path(folder), seed)
        started = time.perf_counter()
        snapshot = build.load(folder)
        load_s = time.perf_counter() - started
    point: dict[str, Any] = {**vars(shape), "load s": round(load_s, 3), "reachable": [], "problems": []}
    for source, destination, ports, expected in synthetic.questions(files):
        times, verdict = [], None
        for _ in range(repeats):
            started = time.perf_counter()
            result = answer(snapshot, Question(sources(snapshot, source, None), goal(snapshot, destination),
                                               protocol=6, dst_ports=ports))
            times.append(time.perf_counter() - started)
            verdict = result.verdict
        point["reachable"].append({"from": source, "to": destination, "ports": list(ports), "verdict": verdict,
                                   "median s": round(statistics.median(times), 3)})
        if verdict != expected:
            point["problems"].append(f"size {size}: reachable {source} -> {destination} tcp/{ports[0]}-{ports[1]}: "
                                     f"{verdict}, where the layout implies {expected}")
    started = time.perf_counter()
    findings = exposure(snapshot)
    point["exposure s"] = round(time.perf_counter() - started, 3)
    point["public interfaces"] = sum(1 for i in snapshot.interfaces.values() if i.public_ips)
    point["exposed interfaces"] = sum(1 for f in findings if f.exposed)
    point["exposed ranges"] = sum(len(f.exposed) for f in findings)
    point["partly unknown"] = sum(1 for f in findings if f.unknown)
    point["slowest reachable s"] = max((q["median s"] for q in point["reachable"]), default=None)
    print(f"size {size}: load {load_s:.2f} s, exposure {point['exposure s']:.1f} s", file=sys.stderr, flush=True)
    return point


def plot(curve: list[dict[str, Any]], folder: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6, 4))
    sizes = [p["interfaces"] for p in curve]
    for key, label in (("load s", "load"), ("slowest reachable s", "one reachable (slowest median)"),
                       ("exposure s", "exposure")):
        ax.plot(sizes, [p[key] for p in curve], marker="o", label=label)
    ax.axhline(EXPOSURE_TARGET_S, color="grey", linestyle="--", linewidth=0.8, label="targets (60 s, 2 s)")
    ax.axhline(REACHABLE_TARGET_S, color="grey", linestyle="--", linewidth=0.8)
    ax.set(xscale="log", yscale="log", xlabel="network interfaces", ylabel="seconds",
           title="solomonic network at scale (generated snapshots)")
    ax.legend(fontsize=8)
    return save_figure(fig, folder, "network-scale")


def markdown(results: dict[str, Any], plots: list[str]) -> str:
    lines = [*provenance(results),
             "Corpus: each question of benchmarks/network/questions.json is one whole `solomonic network ... "
             "--format json` call, timed from start to exit; each reachable witness is replayed by a second "
             "whole `trace` call.", "",
             "| questions | calls | right | unknown | crashes | witnesses confirmed by trace | median s | p90 s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, g in results["corpus"].items():
        lines.append(f"| `{kind}` | {g['questions']} | {g['right']} | {g['unknown']} | {g['crashes']} | "
                     f"{g['witnesses confirmed']} of {g['witnesses']} | {g['median s']} | {g['p90 s']} |")
    lines += ["", f"Scale: generated snapshots (`network.synthetic`, seed {results['settings']['seed']}), timed "
              f"in one process; reachable is the median of {results['settings']['repeats']} runs of each question "
              f"(slowest shown). Targets: one reachable under {REACHABLE_TARGET_S:g} s, exposure under "
              f"{EXPOSURE_TARGET_S:g} s.", "",
              "| interfaces | subnets | VPCs | groups | load s | reachable s (verdicts) | exposure s | "
              "public / exposed interfaces, ranges | partly unknown | targets |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for p in results["scale"]:
        verdicts = ", ".join(q["verdict"] for q in p["reachable"])
        met = p["exposure s"] < EXPOSURE_TARGET_S and (p["slowest reachable s"] or 0) < REACHABLE_TARGET_S
        lines.append(f"| {p['interfaces']:,} | {p['subnets']} | {p['vpcs']} | {p['groups']} | {p['load s']} | "
                     f"{p['slowest reachable s']} ({verdicts}) | {p['exposure s']} | {p['public interfaces']} / "
                     f"{p['exposed interfaces']}, {p['exposed ranges']} | {p['partly unknown']} | "
                     f"{'met' if met else 'MISSED'} |")
    lines += ["", *[f"![time against size]({link})" for link in plots]] if plots else []
    if results["problems"]:
        lines += ["", f"Problems ({len(results['problems'])}):", ""]
        lines += [f"- {problem}" for problem in results["problems"][:20]]
    return "\n".join(lines)
