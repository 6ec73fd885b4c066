"""`solomonic bench network`: the hand-derived corpus asked through the command line, and the scale curve
(issue 31's acceptance and its "Scale" target).

*Corpus.* Every question of benchmarks/network/questions*.json (the hand-written snapshots' and those of
`architectures/write.py`) is one whole command, `python -m solomonic
network trace|reachable ... --format json`, timed from start to exit as a user runs it. The answer is judged
here, apart from the analysis: a `trace` answer's disposition, hops and blocker against the hand-derived ones;
a `reachable` verdict against its label, the witness's hops, and for an unreachable answer the components it
names, which must lie among those derived by hand (an unsat core names one blocker of several); every
reachable witness is replayed by a second whole `trace` call, which must deliver the same packet along the
same hops; the exit status must be the one the answer calls for.

*Mutants and pairs.* Each corpus snapshot is mutated the three ways issue 31 names, one resource at a time (at most
`--mutants` per kind and snapshot): a route that is not `local` dropped, a security group widened (all traffic
from 0.0.0.0/0 admitted), a network ACL deny of everything inbound inserted before its first rule. `network
compare ORIGINAL MUTANT`, from the first instance of the mutated resource's VPC (the internet where it has
none; for a widened group, its first instance outside the group) to every destination, is one whole call; every witness is replayed by `trace` in both snapshots (delivered
along its hops in the one, not delivered there in the other), and the two monotone mutations must not differ
the impossible way (a widened group delivers nothing less, an inserted deny nothing more). The hand-made pairs of
pairs.json are asked the same way, their verdicts compared with the ones derived by hand.

*Scale.* `network.synthetic` generates a seeded snapshot per size, in the issue's proportions (10,000
interfaces, 200 subnets, 20 VPCs, 500 groups that reference each other, some exposed to the internet). The
bench times reading it (`build.load`), each of `synthetic.questions`' reachable questions (the median of a few
runs; each verdict is compared with the one the layout implies), `exposure`, and `compare` from the internet to
every instance against a copy with one exposed group opened to all traffic (`synthetic.opened`; it must
deliver more), in this process, against the targets: one reachable question under 2 s, exposure under a minute.

A wrong answer, a contradicted witness, a wrong exit status or a crash fails the bench; unknowns do not.
"""

from __future__ import annotations

import argparse
import copy
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from solomonic.bench.record import provenance, publish, save_figure, stamp
from solomonic.errors import UserError

EXPOSURE_TARGET_S, REACHABLE_TARGET_S = 60.0, 2.0
DELIVERED = ("accepted", "exits-network")


def run(args: argparse.Namespace) -> int:
    corpus = Path(args.corpus)
    files = sorted(corpus.glob("questions*.json"))
    if not files:
        raise UserError(f"bench network: {corpus}: no questions*.json file (the corpus's questions)")
    asked = [ask_corpus(corpus, question) for path in files for question in json.loads(path.read_text())]
    print(f"{len(asked)} corpus questions", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="solomonic-network-mutants-") as scratch:
        compared = [ask_mutant(corpus, mutant) for mutant in mutants(corpus, Path(scratch), args.mutants)]
    pairs_path = corpus / "pairs.json"
    pairs = json.loads(pairs_path.read_text()) if pairs_path.is_file() else []
    compared += [ask_pair(corpus, pair) for pair in pairs]
    print(f"{len(compared)} mutants and pairs compared", file=sys.stderr, flush=True)
    curve = [scale_point(size, args.seed, args.repeats) for size in sorted(args.sizes)]
    results = {**stamp(), "settings": {"sizes": sorted(args.sizes), "mutants": args.mutants, "seed": args.seed, "repeats": args.repeats},
               "corpus": summarise(asked), "snapshots": len({q["snapshot"] for q in asked}), "mutants": summarise_mutants(compared), "scale": curve,
               "problems": [p for q in [*asked, *compared] for p in q["problems"]]
               + [p for s in curve for p in s["problems"]]}
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
    asked = {"question": name, "snapshot": question["snapshot"], "kind": kind, "seconds": seconds, "answer": None,
             "witness": False, "problems": []}
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
    """Replay a witness with a whole `trace` call: it must be delivered along the witness's hops (from a
    subnet, the interface that sent it, which its first hop names)."""
    sender = witness["hops"][0] if source.startswith("subnet-") else source
    replayed, _, _, stderr = cli(*_trace_argv(snapshot, sender, witness["flow"], witness["hops"]))
    if replayed is None:
        return [f"the witness's trace crashed: {stderr}"]
    if replayed["disposition"] not in DELIVERED or replayed["hops"] != witness["hops"]:
        return [f"witness not confirmed: trace says {replayed['disposition']} along {replayed['hops']}"]
    return []


IMPOSSIBLE = {"widen-group": ("a-delivers-more", "both-deliver-more"),
              "deny-first": ("b-delivers-more", "both-deliver-more"), "drop-route": (), "pair": ()}


def mutants(corpus: Path, scratch: Path, per_kind: int) -> Iterator[tuple[str, Path, Path, str]]:
    """(operator, original, mutant, source) for each mutation of each corpus snapshot, written under scratch."""
    for original in sorted(p for p in corpus.iterdir() if p.is_dir() and p.name != "pairs" and any(p.rglob("*.json"))):
        counts: Counter[str] = Counter()
        for path in sorted(original.rglob("*.json")):
            response = json.loads(path.read_text())
            for operator, index, vpc in _mutable(path.stem, response):
                if counts[operator] >= per_kind:
                    continue
                counts[operator] += 1
                target = scratch / f"{original.name}.{operator}.{counts[operator]}"
                shutil.copytree(original, target)
                changed = copy.deepcopy(response)
                _mutate(operator, changed[path.stem][index])
                (target / path.relative_to(original)).write_text(json.dumps(changed))
                widened = changed[path.stem][index]["GroupId"] if operator == "widen-group" else None
                yield operator, original, target, _first_instance(original, vpc, widened)


def _mutable(key: str, response: dict[str, Any]) -> Iterator[tuple[str, int, str]]:
    """(operator, index of the resource in the response, its VPC) for each resource a mutation applies to."""
    for index, item in enumerate(response.get(key, []) if isinstance(response, dict) else []):
        if key == "RouteTables" and any(r.get("GatewayId") != "local" for r in item.get("Routes", [])):
            yield "drop-route", index, item["VpcId"]
        elif key == "SecurityGroups":
            yield "widen-group", index, item["VpcId"]
        elif key == "NetworkAcls" and any(not e["Egress"] for e in item.get("Entries", [])):
            yield "deny-first", index, item["VpcId"]


def _mutate(operator: str, item: dict[str, Any]) -> None:
    if operator == "drop-route":
        item["Routes"].remove(next(r for r in item["Routes"] if r.get("GatewayId") != "local"))
    elif operator == "widen-group":
        item["IpPermissions"].append({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
                                      "PrefixListIds": [], "UserIdGroupPairs": []})
    else:
        first = min(e["RuleNumber"] for e in item["Entries"] if not e["Egress"])
        item["Entries"].insert(0, {"RuleNumber": max(1, first - 1), "RuleAction": "deny", "CidrBlock": "0.0.0.0/0",
                                   "Egress": False, "Protocol": "-1"})


def _first_instance(snapshot: Path, vpc: str, outside: str | None) -> str:
    """The first instance of `vpc` that is not a member of the group `outside` (whose widening it would
    not see), else the internet."""
    for path in sorted(snapshot.rglob("Reservations.json")):
        for reservation in json.loads(path.read_text()).get("Reservations", []):
            for instance in reservation.get("Instances", []):
                groups = {group["GroupId"] for interface in instance.get("NetworkInterfaces", [])
                          for group in interface.get("Groups", [])}
                if instance.get("VpcId") == vpc and outside not in groups:
                    return str(instance["InstanceId"])
    return "internet"


def ask_pair(corpus: Path, pair: dict[str, Any]) -> dict[str, Any]:
    """A hand-made pair of pairs.json, judged like a mutant and against its hand-derived verdict."""
    source = pair["args"][pair["args"].index("--from") + 1] if "--from" in pair["args"] else "internet"
    return ask_mutant(corpus, ("pair", corpus / pair["old"], corpus / pair["new"], source), pair["args"],
                      pair["verdict"])


def ask_mutant(corpus: Path, mutant: tuple[str, Path, Path, str], args: list[str] | None = None,
               label: str | None = None) -> dict[str, Any]:
    operator, original, changed, source = mutant
    args = ["--from", source] if args is None else args
    name = f"compare {original.relative_to(corpus)} {changed.name} {' '.join(args)}"
    answer, status, seconds, stderr = cli("compare", str(original), str(changed), *args)
    asked: dict[str, Any] = {"question": name, "operator": operator, "seconds": seconds, "answer": None,
                             "witnesses": 0, "problems": []}
    if answer is None:
        asked["problems"].append(f"{name}: crash, exit status {status}: {stderr}")
        return asked
    verdict, problems = answer["verdict"], []
    asked["answer"] = verdict
    if verdict in IMPOSSIBLE[operator]:
        problems.append(f"{verdict} after {operator}, which cannot deliver that")
    if label is not None and verdict != label:
        problems.append(f"verdict {verdict}, derived by hand {label}")
    for key, here, there, sides in (("a_not_b", original, changed, ("a-delivers-more", "both-deliver-more")),
                                    ("b_not_a", changed, original, ("b-delivers-more", "both-deliver-more"))):
        witness = answer.get(key)
        if verdict != "unknown" and (witness is not None) != (verdict in sides):
            problems.append(f"{verdict} with {key} {'set' if witness else 'null'}")
        if witness is not None:
            asked["witnesses"] += 1
            problems += [f"{key}: {p}" for p in confirm(str(here), source, witness)]
            problems += [f"{key}: {p}" for p in refute(str(there), source, witness)]
    expected = {"equivalent": 0, "unknown": 2}.get(verdict, 1)
    if status != expected:
        problems.append(f"exit status {status}, where the answer calls for {expected}")
    asked["problems"] = [f"{name}: {problem}" for problem in problems]
    return asked


def refute(snapshot: str, source: str, witness: dict[str, Any]) -> list[str]:
    """Replay a witness in the snapshot that must not deliver it: `trace` must not end where it ends."""
    replayed, _, _, stderr = cli(*_trace_argv(snapshot, source, witness["flow"], witness["hops"]))
    if replayed is None:
        return [f"the witness's trace crashed: {stderr}"]
    if replayed["disposition"] in DELIVERED and replayed["hops"][-1:] == witness["hops"][-1:]:
        return [f"contradicted: the other snapshot delivers it too, along {replayed['hops']}"]
    return []


def _trace_argv(snapshot: str, source: str, flow: dict[str, Any], hops: list[str]) -> list[str]:
    """The `trace` call of a witness; through a load balancer, for the target the witness reaches (the
    balancer may pick any of several; `trace` shows the path to that one when it may pick it)."""
    argv = ["trace", snapshot, "--from", source, "--to", flow["dst_ip"], "--src-ip", flow["src_ip"],
            "--protocol", str(flow["protocol"])]
    if any(":loadbalancer/" in hop for hop in hops):
        argv += ["--target", hops[-1]]
    for key, option in (("src_port", "--src-port"), ("dst_port", "--dst-port"), ("icmp_type", "--icmp-type"),
                        ("icmp_code", "--icmp-code")):
        if flow.get(key) is not None:
            argv += [option, str(flow[key])]
    return argv


def summarise_mutants(compared: list[dict[str, Any]]) -> dict[str, Any]:
    seconds = sorted(q["seconds"] for q in compared)
    return {"compared": len(compared), "crashes": sum(1 for q in compared if q["answer"] is None),
            "witnesses": sum(q["witnesses"] for q in compared),
            "witnesses contradicted": sum(1 for q in compared for p in q["problems"] if ": a_not_b: " in p
                                          or ": b_not_a: " in p),
            "verdicts": {op: dict(Counter(str(q["answer"]) for q in compared if q["operator"] == op))
                         for op in IMPOSSIBLE},
            "median s": round(statistics.median(seconds), 3) if seconds else None,
            "p90 s": round(seconds[min(len(seconds) - 1, int(0.9 * len(seconds)))], 3) if seconds else None}


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
    from solomonic.network.compare import compare
    from solomonic.network.exposure import exposure
    from solomonic.network.reachable import Question, answer, goal, sources

    shape = synthetic.Shape.scaled(size)
    files = synthetic.generate(shape, seed)
    with tempfile.TemporaryDirectory(prefix="solomonic-network-") as folder:
        synthetic.write(files, Path(folder))
        started = time.perf_counter()
        snapshot = build.load(folder)
        load_s = time.perf_counter() - started
        asked = synthetic.questions(files)
        source, destination, ports, _ = asked[0]
        whole = cli("reachable", folder, "--from", source, "--to", destination, "--protocol", "tcp",
                    "--dst-port", f"{ports[0]}-{ports[1]}")
    point: dict[str, Any] = {**vars(shape), "load s": round(load_s, 3), "reachable": [], "problems": [],
                             "whole reachable call s": round(whole[2], 3)}
    if whole[0] is None or whole[0]["verdict"] != asked[0][3]:
        point["problems"].append(f"size {size}: the whole reachable call answered "
                                 f"{whole[0] and whole[0]['verdict']} ({whole[3]}), where the layout implies "
                                 f"{asked[0][3]}")
    for source, destination, ports, expected in asked:
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
    exposed = next((q[1] for q in asked if q[0] == "internet"), None)
    if exposed is not None:
        with tempfile.TemporaryDirectory(prefix="solomonic-network-") as folder:
            changed = build.load(str(synthetic.write(synthetic.opened(files, exposed), Path(folder))))
        started = time.perf_counter()
        difference = compare(snapshot, changed, None, None)
        point["compare s"] = round(time.perf_counter() - started, 3)
        point["compare"] = difference.verdict
        if difference.verdict != "b-delivers-more":
            point["problems"].append(f"size {size}: compare with {exposed}'s group opened to all traffic: "
                                     f"{difference.verdict}, where the change implies b-delivers-more")
    print(f"size {size}: load {load_s:.2f} s, exposure {point['exposure s']:.1f} s, "
          f"compare {point.get('compare s')} s", file=sys.stderr, flush=True)
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
    ax.plot(sizes, [p["whole reachable call s"] for p in curve], marker="o", label="one whole reachable call")
    if all("compare s" in p for p in curve):
        ax.plot(sizes, [p["compare s"] for p in curve], marker="o", label="compare (from the internet, to all)")
    ax.axhline(EXPOSURE_TARGET_S, color="grey", linestyle="--", linewidth=0.8, label="targets (60 s, 2 s)")
    ax.axhline(REACHABLE_TARGET_S, color="grey", linestyle="--", linewidth=0.8)
    ax.set(xscale="log", yscale="log", xlabel="network interfaces", ylabel="seconds",
           title="solomonic network at scale (generated snapshots)")
    ax.legend(fontsize=8)
    return save_figure(fig, folder, "network-scale")


def _targets(point: dict[str, Any]) -> str:
    """Whether one size meets the issue's targets: the query and exposure, and the whole call said apart."""
    met = point["exposure s"] < EXPOSURE_TARGET_S and (point["slowest reachable s"] or 0) < REACHABLE_TARGET_S
    if not met:
        return "MISSED"
    if point["whole reachable call s"] >= REACHABLE_TARGET_S:
        return f"met by the query; the whole call (load included) over {REACHABLE_TARGET_S:g} s"
    return "met, the whole call too"


def markdown(results: dict[str, Any], plots: list[str]) -> str:
    lines = [*provenance(results),
             f"Corpus: {results['snapshots']} snapshots; each question of benchmarks/network/questions*.json (the "
             "hand-written snapshots' and the architectures' of `architectures/write.py`, every answer derived by "
             "hand) is one whole `solomonic network ... --format json` call, timed from start to exit; each "
             "reachable witness is replayed by a second whole `trace` call.", "",
             "| question | asked | right | unknown | crashes | witnesses confirmed by trace | median s | p90 s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, g in results["corpus"].items():
        lines.append(f"| `{kind}` | {g['questions']} | {g['right']} | {g['unknown']} | {g['crashes']} | "
                     f"{g['witnesses confirmed']} of {g['witnesses']} | {g['median s']} | {g['p90 s']} |")
    m = results["mutants"]
    verdicts = ("equivalent", "a-delivers-more", "b-delivers-more", "both-deliver-more", "unknown")
    lines += ["", f"Mutants: `network compare ORIGINAL MUTANT` on each corpus snapshot and each of its mutants (at "
              f"most {results['settings']['mutants']} per kind), and on the hand-made pairs of pairs.json (row "
              f"`pair`, each verdict compared with the one derived by hand), one whole call each: {m['compared']} compared, "
              f"{m['crashes']} crashes, {m['witnesses']} witnesses each replayed by `trace` in both snapshots, "
              f"{m['witnesses contradicted']} contradicted; median {m['median s']} s, p90 {m['p90 s']} s.", "",
              "| mutation | " + " | ".join(verdicts) + " |", "|---|" + "---:|" * len(verdicts)]
    for operator, counts in m["verdicts"].items():
        lines.append(f"| {operator} | " + " | ".join(str(counts.get(v, 0)) for v in verdicts) + " |")
    lines += ["", f"Scale: generated snapshots (`network.synthetic`, seed {results['settings']['seed']}), timed "
              f"in one process; reachable is the median of {results['settings']['repeats']} runs of each question "
              f"(slowest shown), after the snapshot is loaded; the whole reachable call is one `solomonic network reachable` command "
              f"(start-up and load included) on the first question; compare is `compare` from the internet to every "
              f"instance, against a copy where the exposed instance's first group admits all traffic. Targets: one reachable under {REACHABLE_TARGET_S:g} s, exposure under "
              f"{EXPOSURE_TARGET_S:g} s.", "",
              "| interfaces | subnets | VPCs | groups | load s | reachable s (verdicts) | whole reachable call s | exposure s | "
              "compare s (verdict) | "
              "public / exposed interfaces, ranges | partly unknown | targets |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for p in results["scale"]:
        shown = ", ".join(q["verdict"] for q in p["reachable"])
        lines.append(f"| {p['interfaces']:,} | {p['subnets']} | {p['vpcs']} | {p['groups']} | {p['load s']} | "
                     f"{p['slowest reachable s']} ({shown}) | {p['whole reachable call s']} | {p['exposure s']} | "
                     f"{p.get('compare s', '-')} ({p.get('compare', 'not asked')}) | {p['public interfaces']} / "
                     f"{p['exposed interfaces']}, {p['exposed ranges']} | {p['partly unknown']} | "
                     f"{_targets(p)} |")
    lines += ["", *[f"![time against size]({link})" for link in plots]] if plots else []
    if results["problems"]:
        lines += ["", f"Problems ({len(results['problems'])}):", ""]
        lines += [f"- {problem}" for problem in results["problems"][:20]]
    return "\n".join(lines)
