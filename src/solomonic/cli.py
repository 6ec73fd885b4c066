"""The `solomonic` command. Subcommands parse arguments and call an engine; nothing else lives here."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from solomonic import __version__
from solomonic.errors import UserError

EXIT_OK, EXIT_NO, EXIT_UNKNOWN = 0, 1, 2


# top-level modules of the optional dependencies -> the extra that installs them (pyproject.toml)
EXTRAS = {"z3": "reason", "pycparser": "reason", "yaml": "reason", "rich": "reason", "torch": "bmojo",
          "safetensors": "bmojo", "numpy": "bmojo", "matplotlib": "bmojo", "transformers": "bench"}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UserError as err:
        print(f"solomonic: error: {err}", file=sys.stderr)
        return EXIT_UNKNOWN
    except KeyboardInterrupt:
        print("solomonic: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # never a traceback for the user; SOLOMONIC_DEBUG=1 shows it
        missing = (err.name or "") if isinstance(err, ModuleNotFoundError) else ""
        extra = EXTRAS.get(missing.split(".")[0])
        if extra is not None:  # an extra that this command needs is not installed
            print(f"solomonic: error: this command needs the '{missing}' package: "
                  f"pip install 'solomonic[{extra}]'", file=sys.stderr)
            return EXIT_UNKNOWN
        if os.environ.get("SOLOMONIC_DEBUG"):
            raise
        print(f"solomonic: internal error: {type(err).__name__}: {err} (set SOLOMONIC_DEBUG=1 for details)",
              file=sys.stderr)
        return EXIT_UNKNOWN


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="solomonic",
        description="Automated reasoning about programs (and, soon, the B'MOJO sequence models).",
    )
    parser.add_argument("--version", action="version", version=f"solomonic {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)

    check = sub.add_parser(
        "check", formatter_class=argparse.RawDescriptionHelpFormatter,
        help="prove or refute properties of Python and C functions",
        description="Does a property hold for every input of a function? Each (function, property) gets\n"
                    "yes (with a proof, re-checked), no (with inputs that violate it, replayed for real)\n"
                    "or unknown (with the reason).",
        epilog="properties:\n"
               "  assert        no assertion fails; Python: no exception escapes (a failed assume() excepted)\n"
               "  no-overflow   C: no signed integer overflow\n"
               "  returns-true  every return gives a true value (paths that never return do not count)\n"
               "  terminates    every execution leaves the function (yes: ranking functions; no: an input\n"
               "                that loops forever, replayed)\n"
               "  all           each of the above that applies (the default)\n\n"
               "inputs: Python int/bool parameters (annotations or leading `assert isinstance`) restricted\n"
               "by `assume(cond)` from solomonic.reason; C integer parameters over their full range,\n"
               "restricted by __VERIFIER_assume. C undefined behaviour makes other answers unknown.\n\n"
               "exit status: 1 if any answer is no, else 2 if any is unknown or the input is bad, else 0.")
    check.add_argument("files", nargs="+", metavar="FILE", help="a .py, .c or preprocessed .i file")
    check.add_argument("--function", "-f", help="check only this function (default: every function)")
    check.add_argument("--property", "-p", default="all",
                       choices=["assert", "no-overflow", "returns-true", "terminates", "all"])
    check.add_argument("--timeout", type=_positive, default=10.0, metavar="S",
                       help="seconds per function and property (default: 10); a hard limit")
    check.add_argument("--data-model", choices=["ILP32", "LP64"], default="LP64",
                       help="C: sizes of long and pointers (default: LP64)")
    check.add_argument("-I", dest="include_dirs", action="append", default=[], metavar="DIR",
                       help="C: add DIR to the include path")
    check.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VAL]",
                       help="C: define a preprocessor macro")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    check.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="questions answered in parallel")
    check.add_argument("--memory-limit", type=int, default=4096, metavar="MIB",
                       help="address-space limit of each analysis process (default: 4096)")
    check.add_argument("--max-file-size", type=int, default=4, metavar="MIB",
                       help="refuse larger files (default: 4)")
    _memory_options(check)
    check.add_argument("--save-reproducers", metavar="DIR", help="write each counterexample's reproducer to DIR")
    check.add_argument("--quiet", "-q", action="store_true", help="text: one line per answer")
    check.set_defaults(run=run_check)

    recheck = sub.add_parser(
        "recheck", help="re-verify the certificates and replay the witnesses of an earlier run",
        description="Reads the JSON of `solomonic check --format json`; checks every yes-certificate again\n"
                    "from the source and replays every no-witness. Exit status 1 if any does not hold.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    recheck.add_argument("results", metavar="RESULT.json")
    recheck.add_argument("--timeout", type=_positive, default=30.0, metavar="S", help="seconds per result")
    recheck.add_argument("--jobs", "-j", type=int, default=1, metavar="N")
    recheck.set_defaults(run=run_recheck)

    svcomp = sub.add_parser(
        "svcomp", help="run SV-COMP verification tasks and score the answers",
        description="Runs SV-COMP task definitions (.yml, format 2.0) for one property and scores them as\n"
                    "SV-COMP does (+2 correct true, +1 correct false, -32 wrong true, -16 wrong false).\n"
                    "Tasks that do not list the property are skipped. Exit status 1 if any answer is wrong.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    svcomp.add_argument("paths", nargs="+", metavar="PATH", help="task files or directories of them")
    svcomp.add_argument("--property", default="unreach-call", choices=["unreach-call", "no-overflow", "termination"])
    svcomp.add_argument("--timeout", type=_positive, default=60.0, metavar="S", help="seconds per task (default: 60)")
    svcomp.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="tasks run in parallel")
    svcomp.add_argument("--memory-limit", type=int, default=4096, metavar="MIB")
    svcomp.add_argument("--format", choices=["text", "json"], default="text")
    svcomp.add_argument("--output", "-o", metavar="FILE", help="also write the JSON report to FILE")
    _memory_options(svcomp)
    svcomp.set_defaults(run=run_svcomp)

    memory = sub.add_parser(
        "memory", help="inspect or empty the proof memory",
        description="The proof memory keeps every answer `check` and `svcomp` found, keyed by the function\n"
                    "(with everything it calls), the property, the options and the engine's own version, so\n"
                    "that the same question is answered again at once. Default file: $SOLOMONIC_MEMORY, else\n"
                    "$XDG_CACHE_HOME/solomonic/proofs.sqlite (~/.cache when unset).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    memory.add_argument("action", choices=["stats", "clear"])
    memory.add_argument("--memory", metavar="PATH", help="the memory's file (default: see above)")
    memory.set_defaults(run=run_memory)

    bmojo = sub.add_parser("bmojo", help="the B'MOJO model family: sizes and configurations")
    bmojo_sub = bmojo.add_subparsers(title="commands", metavar="COMMAND", required=True)
    info = bmojo_sub.add_parser(
        "info", help="parameter counts and generation-cache size of a configuration",
        description="Builds the model of a preset (with --set overrides) and prints its layers, its parameter\n"
                    "counts with and without the embedding table, and the bytes of its generation cache per\n"
                    "sequence at each --context (constant for every preset but `transformer`).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    info.add_argument("--preset", default="bmojo", help="transformer, swa, mamba, hybrid, bmojo_f or bmojo")
    info.add_argument("--set", dest="overrides", action="append", default=[], metavar="FIELD=VALUE",
                      help="override a configuration field (repeatable), e.g. --set window=128")
    info.add_argument("--context", type=int, action="append", metavar="N",
                      help="context lengths for the cache size (default: 1024 4096 16384 65536)")
    info.set_defaults(run=run_bmojo_info)

    generate = sub.add_parser("generate", help="continue a prompt with a trained B'MOJO checkpoint",
                              description="Loads a checkpoint (save_pretrained's directory), prefills the prompt "
                                          "and samples a continuation with a constant-size cache.")
    generate.add_argument("--checkpoint", required=True, metavar="DIR")
    generate.add_argument("--prompt", required=True, metavar="TEXT")
    generate.add_argument("--max-new-tokens", type=int, default=200, metavar="N")
    generate.add_argument("--temperature", type=float, default=0.8, help="0 samples greedily (default: 0.8)")
    generate.add_argument("--top-k", type=int, default=None, metavar="K")
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    generate.set_defaults(run=run_generate)

    train = sub.add_parser(
        "train", help="train a B'MOJO-family model on a recall task or on language modelling",
        description="AdamW with linear warmup and cosine decay, gradient clipping, optional bf16 autocast;\n"
                    "metrics as JSON lines in OUT/metrics.jsonl, an atomic checkpoint in OUT/checkpoint\n"
                    "(--resume continues exactly where it stopped). Runs unchanged under torchrun (DDP).\n\n"
                    "tasks: mqar, noisy_recall, fuzzy_recall, selective_copy, lm (the standard library's source)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    train.add_argument("--task", default="mqar")
    train.add_argument("--task-set", dest="task_params", action="append", default=[], metavar="PARAM=VALUE",
                       help="a task parameter, e.g. --task-set length=256 --task-set pairs=16")
    train.add_argument("--preset", default="bmojo")
    train.add_argument("--set", dest="overrides", action="append", default=[], metavar="FIELD=VALUE",
                       help="a model configuration field, e.g. --set window=16")
    train.add_argument("--steps", type=int, default=2000)
    train.add_argument("--batch-size", type=int, default=64, help="global batch size (default: 64)")
    train.add_argument("--lr", type=float, default=1e-3)
    train.add_argument("--weight-decay", type=float, default=0.1)
    train.add_argument("--warmup", type=float, default=0.05, help="fraction of the steps (default: 0.05)")
    train.add_argument("--clip", type=float, default=1.0, help="gradient-norm clip, 0 for none")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    train.add_argument("--bf16", action="store_true", help="bfloat16 autocast")
    train.add_argument("--compile", action="store_true",
                       help="run the training step's forward through torch.compile (falls back to eager if it fails; "
                            "1.4-1.5x on CPU for the SSM presets after a 1-2 minute compilation)")
    train.add_argument("--eval-every", type=int, default=250)
    train.add_argument("--eval-batches", type=int, default=4)
    train.add_argument("--log-every", type=int, default=10, help="steps between metric lines (default: 10)")
    train.add_argument("--checkpoint-every", type=int, default=500)
    train.add_argument("--out", metavar="DIR", help="metrics and checkpoint directory")
    train.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoint")
    train.add_argument("--no-progress", action="store_true")
    train.set_defaults(run=run_train)

    bench = sub.add_parser("bench", help="benchmarks; results go to JSON and docs/benchmarks.md")
    bench_sub = bench.add_subparsers(title="benchmarks", metavar="BENCHMARK", required=True)
    reason = bench_sub.add_parser(
        "reason", help="the reasoner: start-up latency of `check` and the SV-COMP loops suite",
        description="Times the whole `solomonic check` call on the essay's examples (median of several runs,\n"
                    "with `python -c pass` measured in the same run as a baseline) and runs `solomonic svcomp`\n"
                    "on the loops tasks. Writes JSON and updates docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    reason.add_argument("--runs", type=int, default=11, help="timed runs of each command (default: 11)")
    reason.add_argument("--svcomp", default="../shared/benchmarks/sv-comp/loops", metavar="DIR")
    reason.add_argument("--timeout", type=_positive, default=60.0, metavar="S", help="seconds per SV-COMP task")
    reason.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                        help="tasks at a time (default: 1; each already uses two cores)")
    reason.add_argument("--quick", action="store_true", help="latency only, no SV-COMP run")
    _bench_outputs(reason, "docs/results/bench-reason.json")
    reason.set_defaults(run=run_bench_reason)
    termination = bench_sub.add_parser(
        "termination", help="the reasoner: SV-COMP termination tasks, then the same again from the proof memory",
        description="Runs `solomonic svcomp --property termination` on the task directories from an empty proof\n"
                    "memory, then again, and reports the score, the unknowns by reason, and how the second run\n"
                    "was answered from memory. Writes JSON and updates docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    termination.add_argument("paths", nargs="*", default=["../shared/benchmarks/sv-comp"], metavar="PATH",
                             help="task files or directories (default: ../shared/benchmarks/sv-comp)")
    termination.add_argument("--timeout", type=_positive, default=60.0, metavar="S", help="seconds per task")
    termination.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="tasks at a time (default: 1)")
    _bench_outputs(termination, "docs/results/bench-termination.json")
    termination.set_defaults(run=run_bench_termination)
    soundness = bench_sub.add_parser(
        "soundness", help="the reasoner: a differential soundness campaign against gcc, csmith and CPython",
        description="Writes C functions that stress C's integer rules, csmith programs and Python functions, asks\n"
                    "every property of each, and checks every yes and no by running the program (gcc with UBSan;\n"
                    "CPython). Any disagreement fails the bench. Batches are cached, so a killed run resumes.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    soundness.add_argument("--c", type=int, default=200, metavar="N", help="generated C functions (default: 200)")
    soundness.add_argument("--csmith", type=int, default=10, metavar="M", help="csmith programs (default: 10)")
    soundness.add_argument("--python", type=int, default=200, metavar="K",
                           help="generated Python functions (default: 200)")
    soundness.add_argument("--seed", type=int, default=0)
    soundness.add_argument("--timeout", type=_positive, default=3.0, metavar="S", help="seconds per question")
    soundness.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="questions at a time (default: 1)")
    soundness.add_argument("--batch", type=int, default=50, metavar="N", help="C functions per file (default: 50)")
    soundness.add_argument("--cache", default="docs/results/soundness", metavar="DIR",
                           help="one JSONL file per batch (default: docs/results/soundness)")
    _bench_outputs(soundness, "docs/results/bench-soundness.json")
    soundness.set_defaults(run=run_bench_soundness)
    recall = bench_sub.add_parser(
        "recall", help="B'MOJO II: multi-query associative recall across presets at matched size",
        description="Trains every preset (and B'MOJO's memory variants) on MQAR over a grid of (length, pairs),\n"
                    "widths matched to B'MOJO's non-embedding parameter count; 3 seeds; each run cached so that an\n"
                    "interrupted bench resumes. Writes JSON, plots and a table in docs/benchmarks.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    recall.add_argument("--quick", action="store_true", help="one small configuration, one seed (minutes)")
    recall.add_argument("--models", nargs="+", metavar="NAME", help="only these presets or variants")
    recall.add_argument("--seeds", type=int, help="seeds per cell (default: 3; 1 with --quick)")
    recall.add_argument("--lr", type=float, default=3e-3)
    recall.add_argument("--batch-size", type=int, default=64)
    _bench_outputs(recall, None, grid="docs/results/recall")
    recall.set_defaults(run=run_bench_recall)
    lm = bench_sub.add_parser(
        "lm", help="B'MOJO II: language modelling at matched size, and length generalisation",
        description="Trains each preset on the standard library's source at length T and reports validation\n"
                    "perplexity at T, 2T, 4T, 8T and 16T. Each run cached; writes JSON, a plot and a table.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    lm.add_argument("--quick", action="store_true", help="a small model, briefly trained (minutes)")
    lm.add_argument("--presets", nargs="+", metavar="NAME")
    lm.add_argument("--seeds", type=int, default=1)
    _bench_outputs(lm, None, grid="docs/results/lm")
    lm.set_defaults(run=run_bench_lm)
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
    memory.set_defaults(run=run_bench_memory)
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
    speed.set_defaults(run=run_bench_speed)
    return parser


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


def _memory_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--memory", metavar="PATH",
                        help="the proof memory's file (default: $SOLOMONIC_MEMORY or ~/.cache/solomonic/proofs.sqlite)")
    parser.add_argument("--no-memory", action="store_true", help="neither read nor write the proof memory")


def _memory_path(args: argparse.Namespace) -> str | None:
    from solomonic.reason.memory import default_path

    return None if args.no_memory else str(args.memory or default_path())


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def run_check(args: argparse.Namespace) -> int:
    from solomonic.reason import report
    from solomonic.reason.api import check
    from solomonic.reason.ir import BadInput
    from solomonic.reason.result import Verdict

    results, bad = [], False
    for path in args.files:
        try:
            results += check(path, function=args.function, property=args.property, timeout=args.timeout,
                             data_model=args.data_model, include_dirs=args.include_dirs, defines=args.defines,
                             jobs=args.jobs, memory_mb=args.memory_limit, max_file_bytes=args.max_file_size << 20,
                             memory=_memory_path(args))
        except BadInput as err:
            print(f"solomonic: error: {err}", file=sys.stderr)
            bad = True
    if results:
        if args.format == "json":
            print(report.to_json(results))
        elif args.format == "sarif":
            print(report.sarif(results))
        else:
            print(report.text(results, verbose=not args.quiet))
    if args.save_reproducers:
        _save_reproducers(results, Path(args.save_reproducers))
    verdicts = {r.verdict for r in results}
    if Verdict.NO in verdicts:
        return EXIT_NO
    return EXIT_UNKNOWN if bad or Verdict.UNKNOWN in verdicts else EXIT_OK


def _save_reproducers(results, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for r in results:
        if r.reproducer:
            suffix = ".py" if r.language == "python" else ".sh"
            target = folder / f"{Path(r.file).stem}-{r.function}-{r.property}{suffix}"
            target.write_text(r.reproducer + "\n")
            print(f"reproducer: {target}", file=sys.stderr)


def run_recheck(args: argparse.Namespace) -> int:
    from solomonic.reason.recheck import recheck

    checks = recheck(args.results, timeout_s=args.timeout, jobs=args.jobs)
    failed = 0
    for c in checks:
        r = c.result
        status = "-" if c.confirmed is None else "confirmed" if c.confirmed else "NOT CONFIRMED"
        failed += c.confirmed is False
        print(f"{r.file}:{r.line}: {r.function}: {r.property}: {r.verdict.value}: {status}: {c.message}")
    print(f"{sum(c.confirmed is True for c in checks)} confirmed, {failed} not confirmed, "
          f"{sum(c.confirmed is None for c in checks)} unknown answers skipped")
    return EXIT_NO if failed else EXIT_OK


def run_svcomp(args: argparse.Namespace) -> int:
    import json

    from solomonic.reason import svcomp

    report = svcomp.run(args.paths, args.property, args.timeout, jobs=args.jobs, memory_mb=args.memory_limit,
                        memory=_memory_path(args))
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2) if args.format == "json" else svcomp.table(report))
    s = report["summary"]
    return EXIT_NO if s["wrong true"] or s["wrong false"] else EXIT_OK


def run_memory(args: argparse.Namespace) -> int:
    from solomonic.reason.memory import ProofMemory, default_path

    memory = ProofMemory(args.memory or default_path())
    try:
        if args.action == "clear":
            print(f"{_count(memory.clear(), 'answer')} removed from {memory.path}")
        else:
            stats = memory.stats()
            verdicts = ", ".join(f"{n} {v}" for v, n in sorted(stats["by verdict"].items())) or "none"
            print(f"{stats['path']}: {_count(stats['entries'], 'answer')} ({verdicts}), {stats['bytes'] / 1024:.0f} KiB")
    finally:
        memory.close()
    return EXIT_OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def run_bmojo_info(args: argparse.Namespace) -> int:
    from solomonic.bmojo import BMojoConfig, BMojoLM
    from solomonic.bmojo.config import parse_overrides

    config = BMojoConfig.preset(args.preset, **parse_overrides(args.overrides))
    model = BMojoLM(config)
    memory = f", eidetic memory: {config.k_mem} per block, capacity {config.mem_capacity}, {config.mem_eviction} " \
             f"eviction" if "M" in config.kinds and config.k_mem and config.mem_capacity else ""
    window = f", window {config.window}" if set(config.kinds) & set("AFM") else ""
    print(f"{config.preset_name}: {config.n_layers} layers ({config.kinds}), d_model {config.d_model}, "
          f"{config.n_heads} heads{window}, vocabulary {config.vocab_size}{memory}")
    print(f"parameters: {model.num_params():,} in all, {model.num_params(embeddings=False):,} without embeddings")
    print(f"generation cache per sequence ({str(model.embed.weight.dtype).replace('torch.', '')}):")
    for context in args.context or [1024, 4096, 16384, 65536]:
        size = model.cache_bytes(context)
        print(f"  context {context:>9,}: {size:>14,} bytes ({size / 2**20:,.2f} MiB)")
    return EXIT_OK


def run_generate(args: argparse.Namespace) -> int:
    import json

    import torch

    from solomonic.bmojo import BMojoLM, ByteTokenizer
    from solomonic.bmojo.model import TOKENIZER
    from solomonic.train import require_device

    require_device(args.device)
    model = BMojoLM.from_pretrained(args.checkpoint, map_location=args.device).eval()
    tokenizer_file = Path(args.checkpoint) / TOKENIZER
    tokenizer = ByteTokenizer.from_json(json.loads(tokenizer_file.read_text())) if tokenizer_file.exists() \
        else ByteTokenizer()
    prompt = torch.tensor(tokenizer.encode(args.prompt), device=args.device)
    if prompt.numel() == 0:
        raise UserError("--prompt is empty")
    generator = torch.Generator(device=args.device).manual_seed(args.seed)
    out = model.generate(prompt, args.max_new_tokens, temperature=args.temperature, top_k=args.top_k,
                         generator=generator)
    print(tokenizer.decode(out.tolist()))
    return EXIT_OK


def run_train(args: argparse.Namespace) -> int:
    import json

    from solomonic.bmojo.config import parse_overrides
    from solomonic.data.tasks import parse_task_overrides
    from solomonic.train import Trainer, TrainSettings

    settings = TrainSettings(
        task=args.task, task_params=parse_task_overrides(args.task_params), preset=args.preset,
        model_overrides=parse_overrides(args.overrides), steps=args.steps, batch_size=args.batch_size, lr=args.lr,
        weight_decay=args.weight_decay, warmup=args.warmup, clip=args.clip, seed=args.seed, device=args.device,
        bf16=args.bf16, compile=args.compile, eval_every=args.eval_every, eval_batches=args.eval_batches, log_every=args.log_every,
        checkpoint_every=args.checkpoint_every, out=args.out, progress=not args.no_progress)
    summary = Trainer(settings).run(resume=args.resume)
    if int(os.environ.get("RANK", "0")) == 0:
        print(json.dumps(summary, indent=2))
    return EXIT_OK


def run_bench_recall(args: argparse.Namespace) -> int:
    from solomonic.bench.recall import run

    return run(args)


def run_bench_lm(args: argparse.Namespace) -> int:
    from solomonic.bench.lm import run

    return run(args)


def run_bench_speed(args: argparse.Namespace) -> int:
    from solomonic.bench.speed import run

    return run(args)


def run_bench_memory(args: argparse.Namespace) -> int:
    from solomonic.bench.memory import run

    return run(args)


def run_bench_soundness(args: argparse.Namespace) -> int:
    from solomonic.bench.soundness import run

    return run(args)


def run_bench_termination(args: argparse.Namespace) -> int:
    from solomonic.bench.termination import run

    return run(args)


def run_bench_reason(args: argparse.Namespace) -> int:
    from solomonic.bench.reason import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
