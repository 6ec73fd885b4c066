"""`solomonic memory`: the proof memory's size and contents, or emptying it."""

from __future__ import annotations

import argparse

from solomonic.cli.conventions import EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    memory = subparsers.add_parser(
        "memory", help="inspect or empty the proof memory",
        description="The proof memory keeps every answer `check` and `svcomp` found, keyed by the function\n"
                    "(with everything it calls), the property, the options and the engine's own version, so\n"
                    "that the same question is answered again at once. Default file: $SOLOMONIC_MEMORY, else\n"
                    "$XDG_CACHE_HOME/solomonic/proofs.sqlite (~/.cache when unset).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    memory.add_argument("action", choices=["stats", "clear"])
    memory.add_argument("--memory", metavar="PATH", help="the memory's file (default: see above)")
    memory.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
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
