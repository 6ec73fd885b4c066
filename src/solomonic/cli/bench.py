"""`solomonic bench ...`: each benchmark's arguments, and the outputs they share; the benchmarks themselves
are solomonic.bench's."""

from __future__ import annotations

import argparse
import os

from solomonic.cli.conventions import positive


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    bench = subparsers.add_parser("bench", help="benchmarks; results go to JSON and docs/benchmarks.md")
    bench_sub = bench.add_subparsers(title="benchmarks", metavar="BENCHMARK", required=True)
    reason = bench_sub.add_parser(
        "reason", help="the reasoner: start-up latency of `check` and the SV-COMP loops suite",
        description="Times the whole `solomonic check` call on the essay's examples (median of several runs,\n"
                    "with `python -c pass` measured in the same run as a baseline) and runs `solomonic svcomp`\n"
                    "on the loops tasks. Writes JSON and updates docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    reason.add_argument("--runs", type=int, default=11, help="timed runs of each command (default: 11)")
    reason.add_argument("--svcomp", default="../shared/benchmarks/sv-comp/loops", metavar="DIR")
    reason.add_argument("--timeout", type=positive, default=60.0, metavar="S", help="seconds per SV-COMP task")
    reason.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="tasks at a time (default: 1; each already uses two cores)")
    reason.add_argument("--quick", action="store_true", help="latency only, no SV-COMP run")
    _bench_outputs(reason, "docs/results/bench-reason.json")
    reason.set_defaults(run=run_reason)
    stdlib = bench_sub.add_parser(
        "stdlib", help="the reasoner: `check --property terminates` on standard-library modules",
        description="Runs `solomonic check MODULE.py --property terminates` on pure-Python modules of this\n"
                    "interpreter's standard library and counts, per module, the functions and methods of the\n"
                    "source answered yes, no or unknown, the wall time and any crash. Writes JSON and updates\n"
                    "docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    stdlib.add_argument("modules", nargs="*", metavar="MODULE",
                        help="module names (default: bisect heapq colorsys graphlib textwrap calendar fractions "
                             "statistics)")
    stdlib.add_argument("--timeout", type=positive, default=5.0, metavar="S", help="seconds per function")
    stdlib.add_argument("--jobs", "-j", type=int, default=2, metavar="N", help="questions at a time (default: 2)")
    _bench_outputs(stdlib, "docs/results/bench-stdlib.json")
    stdlib.set_defaults(run=run_stdlib)
    termination = bench_sub.add_parser(
        "termination", help="the reasoner: SV-COMP termination tasks, then the same again from the proof memory",
        description="Runs `solomonic svcomp --property termination` on the task directories from an empty proof\n"
                    "memory, then again, and reports the score, the unknowns by reason, and how the second run\n"
                    "was answered from memory. Writes JSON and updates docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _svcomp_tasks(termination)
    _bench_outputs(termination, "docs/results/bench-termination.json")
    termination.set_defaults(run=run_termination)
    proposer = bench_sub.add_parser(
        "proposer", help="the learned proposer: SV-COMP tasks without and with `--proposer`",
        description="Runs `solomonic svcomp --property P` on the task directories twice in one process, for\n"
                    "each property asked, without a proof memory: without the proposer, then with it. Reports\n"
                    "unknowns before and after (the relative cut), the tasks each run alone decided, wrong\n"
                    "answers (exit status 1) and the time per task. Writes JSON and updates docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    _svcomp_tasks(proposer)
    proposer.add_argument("--property", nargs="+", default=["termination"], choices=["unreach-call", "no-overflow", "termination"],
                          metavar="P", help="the SV-COMP properties asked, each of the tasks that list it "
                                            "(default: termination; also unreach-call, no-overflow)")
    proposer.add_argument("--model", metavar="DIR", help="a trained proposer (default: the one shipped)")
    proposer.add_argument("--proposals", type=int, default=4, metavar="K", help="proposals per loop (default: 4)")
    _bench_outputs(proposer, "docs/results/bench-proposer.json")
    proposer.set_defaults(run=run_proposer)
    python = bench_sub.add_parser(
        "python", help="the reasoner: does each function of a labelled Python corpus terminate?",
        description="Runs `solomonic check FILE --property terminates` on every module of the corpus (small\n"
                    "untyped functions, each labelled with its answer and, for a no, a witness) and reports\n"
                    "right / wrong / unknown overall and per module, the unknowns by reason and the median\n"
                    "time per function. A wrong answer fails the bench. Writes JSON and docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    python.add_argument("paths", nargs="*", default=["benchmarks/python"], metavar="PATH",
                        help="corpus modules or directories (default: benchmarks/python)")
    python.add_argument("--timeout", type=positive, default=5.0, metavar="S", help="seconds per function (default: 5)")
    python.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="functions at a time (default: 1)")
    _bench_outputs(python, "docs/results/bench-python.json")
    python.set_defaults(run=run_python)
    policy = bench_sub.add_parser(
        "policy", help="the policy engine: check every corpus policy, compare each with its mutants",
        description="Runs `solomonic policy check` on every policy of the corpus and `solomonic policy compare`\n"
                    "on each policy and each of its seeded mutants (widened actions, dropped conditions, swapped\n"
                    "effects, NotAction, ...) and on the hand-made pairs, each as a whole timed command. Every\n"
                    "witness is replayed by the concrete evaluator and every label of the manifest checked; a\n"
                    "contradicted witness, a wrong label or a crash fails the bench. Writes JSON and updates\n"
                    "docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    policy.add_argument("corpus", nargs="?", default="benchmarks/policy", metavar="DIR",
                        help="the corpus, with its manifest.json (default: benchmarks/policy)")
    policy.add_argument("--seed", type=int, default=0, help="the mutation generator's seed (default: 0)")
    policy.add_argument("--timeout", type=positive, default=10.0, metavar="S", help="seconds per question")
    policy.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="commands at a time (default: 1, so that the times are a lone user's)")
    policy.add_argument("--limit", type=int, metavar="N", help="only the first N policies and N pairs")
    policy.add_argument("--mutants", metavar="DIR", help="keep the mutants in DIR (default: a temporary directory)")
    _bench_outputs(policy, "docs/results/bench-policy.json")
    policy.set_defaults(run=run_policy)
    network = bench_sub.add_parser(
        "network", help="the network engine: the hand-derived corpus, and time against size",
        description="Asks every question of the corpus's questions*.json files (32 snapshots in\n"
                    "benchmarks/network) as a whole `solomonic network` call, compares it with the answer\n"
                    "derived by hand and replays each witness with `trace`; then times load, reachable and\n"
                    "exposure on generated snapshots of growing size against issue 31's targets.\n"
                    "Writes JSON, a plot and a table in docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    network.add_argument("corpus", nargs="?", default="benchmarks/network", metavar="DIR",
                         help="the corpus: snapshot folders and questions*.json files (default: benchmarks/network)")
    network.add_argument("--sizes", nargs="+", type=int, default=[1000, 2500, 5000, 10000], metavar="N",
                         help="interfaces per generated snapshot (default: 1000 2500 5000 10000)")
    network.add_argument("--mutants", type=int, default=2, metavar="N",
                         help="mutants per kind and corpus snapshot (default: 2)")
    network.add_argument("--seed", type=int, default=0, help="the generator's seed (default: 0)")
    network.add_argument("--repeats", type=int, default=3, metavar="N", help="runs of each reachable question")
    network.add_argument("--plots", default="docs/plots", metavar="DIR")
    _bench_outputs(network, "docs/results/bench-network.json")
    network.set_defaults(run=run_network)
    soundness = bench_sub.add_parser(
        "soundness", help="the reasoner: a differential soundness campaign against gcc, csmith and CPython",
        description="Writes C functions that stress C's integer rules, csmith programs and Python functions, asks\n"
                    "every property of each, and checks every yes and no by running the program (gcc with UBSan;\n"
                    "CPython). Any disagreement fails the bench. Batches are cached, so a killed run resumes, and\n"
                    "each judged batch adds a line to the ledger, whose totals the report shows.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    soundness.add_argument("--c", type=int, default=200, metavar="N", help="generated C functions (default: 200)")
    soundness.add_argument("--csmith", type=int, default=10, metavar="M", help="csmith programs (default: 10)")
    soundness.add_argument("--python", type=int, default=200, metavar="K",
                           help="generated Python functions (default: 200)")
    soundness.add_argument("--seed", type=int, default=0)
    soundness.add_argument("--timeout", type=positive, default=3.0, metavar="S", help="seconds per question")
    soundness.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="questions at a time (default: 1)")
    soundness.add_argument("--batch", type=int, default=50, metavar="N", help="C functions per file (default: 50)")
    soundness.add_argument("--cache", default="docs/results/soundness", metavar="DIR",
                           help="one JSONL file per batch (default: docs/results/soundness)")
    soundness.add_argument("--ledger", default="docs/results/soundness-ledger.jsonl", metavar="FILE",
                           help="one line per judged batch, committed so that campaigns on different machines add "
                                "up; '' for none (default: docs/results/soundness-ledger.jsonl)")
    _bench_outputs(soundness, "docs/results/bench-soundness.json")
    soundness.set_defaults(run=run_soundness)
    recall = bench_sub.add_parser(
        "recall", help="B'MOJO II: multi-query associative recall across presets at matched size",
        description="Trains every preset (and B'MOJO's memory variants) on MQAR over a grid of (length, pairs),\n"
                    "widths matched to B'MOJO's non-embedding parameter count; 3 seeds; each run cached so that an\n"
                    "interrupted bench resumes. Writes JSON, plots and a table in docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    recall.add_argument("--quick", action="store_true", help="one small configuration, one seed (minutes)")
    recall.add_argument("--models", nargs="+", metavar="NAME", help="only these presets or variants")
    recall.add_argument("--seeds", type=int, help="seeds per cell (default: 3; 1 with --quick)")
    recall.add_argument("--lr", type=float, help="one learning rate for every model (default: each model's best of "
                                                 "a sweep, trained first where its runs are missing)")
    recall.add_argument("--batch-size", type=int, default=64)
    _bench_outputs(recall, None, grid="docs/results/recall")
    recall.set_defaults(run=run_recall)
    lm = bench_sub.add_parser(
        "lm", help="B'MOJO II: language modelling at matched size, and length generalisation",
        description="Trains each preset on the standard library's source at length T and reports validation\n"
                    "perplexity at T, 2T, 4T, 8T and 16T. Each run cached; writes JSON, a plot and a table.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    lm.add_argument("--quick", action="store_true", help="a small model, briefly trained (minutes)")
    lm.add_argument("--presets", nargs="+", metavar="NAME")
    lm.add_argument("--seeds", type=int, default=1)
    _bench_outputs(lm, None, grid="docs/results/lm")
    lm.set_defaults(run=run_lm)
    memory = bench_sub.add_parser(
        "memory", help="B'MOJO: peak memory of a forward pass against sequence length",
        description="Runs one forward pass per (preset, length, mode), each in a fresh process, and records the\n"
                    "peak resident memory above the level before the pass. Linear growth in T is the claim.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    memory.add_argument("--presets", nargs="+", default=["bmojo", "bmojo_f", "swa", "mamba", "transformer"])
    memory.add_argument("--lengths", nargs="+", type=int, default=[2048, 4096, 8192, 16384])
    memory.add_argument("--modes", nargs="+", choices=["inference", "training"], default=["inference", "training"])
    memory.add_argument("--d-model", type=int, default=256)
    memory.add_argument("--layers", type=int, default=4)
    memory.add_argument("--heads", type=int, default=4)
    memory.add_argument("--window", type=int, default=128)
    memory.add_argument("--quick", action="store_true", help="lengths 1024 and 2048 only")
    _bench_outputs(memory, "docs/results/bench-memory.json")
    memory.set_defaults(run=run_memory)
    speed = bench_sub.add_parser(
        "speed", help="B'MOJO III: training throughput, generation latency and cache, against reference code",
        description="Times training steps (T = 512 and 2,048) of every preset at one width and parameter count,\n"
                    "a plain SDPA Transformer and transformers' Mamba2; generation after a real prefill at\n"
                    "contexts of 1k to 64k tokens; FLOP/s against this machine's matmul peak. The models are\n"
                    "timed in interleaved rounds; medians, every ratio from the same run. About 25 minutes on\n"
                    "two cores (--quick: under 5). Pause other work on the machine while it runs.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    speed.add_argument("--quick", action="store_true", help="a smaller model and shorter contexts (minutes)")
    speed.add_argument("--output", metavar="FILE", help="the JSON result (default: docs/results/bench-speed.json, "
                                                         "or bench-speed-quick.json)")
    speed.add_argument("--docs", default="docs/benchmarks.md", metavar="FILE")
    speed.add_argument("--plots", default="docs/plots", metavar="DIR")
    speed.add_argument("--threads", type=int, default=os.cpu_count() or 1, help="torch threads (default: all cores)")
    speed.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                       help="where the models run (cuda: results go to bench-speed-cuda.json and their own section)")
    speed.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                       help="also time the torch.compile path (default: on, off with --quick)")
    speed.set_defaults(run=run_speed)


def _svcomp_tasks(parser: argparse.ArgumentParser) -> None:
    """The SV-COMP task directories a benchmark runs, and the limits of each task."""
    parser.add_argument("paths", nargs="*", default=["../shared/benchmarks/sv-comp"], metavar="PATH",
                        help="task files or directories (default: ../shared/benchmarks/sv-comp)")
    parser.add_argument("--timeout", type=positive, default=60.0, metavar="S", help="seconds per task")
    parser.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="tasks at a time (default: 1)")


def _bench_outputs(parser: argparse.ArgumentParser, output: str | None, grid: str | None = None) -> None:
    """Where a benchmark writes: its JSON, its section of docs/benchmarks.md; for training grids also
    the per-run cache, the plots, and the torch threads and device each run uses."""
    parser.add_argument("--output", default=output, metavar="FILE", help="the JSON result")
    parser.add_argument("--docs", default="docs/benchmarks.md", metavar="FILE")
    if grid is not None:
        parser.add_argument("--cache", metavar="DIR", help=f"per-run results (default: {grid}; a temporary "
                                                           "directory with --quick)")
        parser.add_argument("--plots", default="docs/plots", metavar="DIR")
        parser.add_argument("--threads", type=int, default=2, help="torch threads (default: 2)")
        parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu",
                            help="where the runs train (default: cpu); each run's result records it")
        parser.add_argument("--report-only", action="store_true",
                            help="write the JSON, table and plots from the runs already cached; train nothing")
        parser.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                            help="train through torch.compile, falling back to eager if it fails (default: on, "
                                 "off with --quick, where compiling takes longer than the runs)")


def run_recall(args: argparse.Namespace) -> int:
    from solomonic.bench.recall import run

    return run(args)


def run_lm(args: argparse.Namespace) -> int:
    from solomonic.bench.lm import run

    return run(args)


def run_speed(args: argparse.Namespace) -> int:
    from solomonic.bench.speed import run

    return run(args)


def run_memory(args: argparse.Namespace) -> int:
    from solomonic.bench.memory import run

    return run(args)


def run_soundness(args: argparse.Namespace) -> int:
    from solomonic.bench.soundness import run

    return run(args)


def run_termination(args: argparse.Namespace) -> int:
    from solomonic.bench.termination import run

    return run(args)


def run_proposer(args: argparse.Namespace) -> int:
    from solomonic.bench.proposer import run

    return run(args)


def run_stdlib(args: argparse.Namespace) -> int:
    from solomonic.bench.stdlib import run

    return run(args)


def run_policy(args: argparse.Namespace) -> int:
    from solomonic.bench.policy import run

    return run(args)


def run_network(args: argparse.Namespace) -> int:
    from solomonic.bench.network import run

    return run(args)


def run_python(args: argparse.Namespace) -> int:
    from solomonic.bench.python import run

    return run(args)


def run_reason(args: argparse.Namespace) -> int:
    from solomonic.bench.reason import run

    return run(args)
