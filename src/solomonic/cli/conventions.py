"""What more than one subcommand shares: the exit statuses, the positive-number argument type, the
proof-memory options and the executor options (whose Ray side, `ray_executor`, is imported only when a
command runs with `--executor ray`)."""

from __future__ import annotations

import argparse

EXIT_OK, EXIT_NO, EXIT_UNKNOWN = 0, 1, 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a tool whose reader closed the pipe


def memory_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--memory", metavar="PATH",
                        help="the proof memory's file (default: $SOLOMONIC_MEMORY or ~/.cache/solomonic/proofs.sqlite)")
    parser.add_argument("--no-memory", action="store_true", help="neither read nor write the proof memory")


def executor_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--executor", choices=["local", "ray"], default="local",
                        help="where the analyses run: 'local', this machine's processes (the default), or "
                             "'ray', as Ray tasks on a cluster (the extra ray), each under the same limits")
    parser.add_argument("--ray-address", metavar="ADDRESS",
                        help="the Ray cluster to use, as ray.init takes it ('auto': the one running here, "
                             "'HOST:PORT', 'ray://HOST:10001'; default: $RAY_ADDRESS, else a new local instance)")


def memory_path(args: argparse.Namespace) -> str | None:
    from solomonic.reason.memory import default_path

    return None if args.no_memory else str(args.memory or default_path())


def positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value
