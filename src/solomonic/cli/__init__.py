"""The `solomonic` command: the top-level parser, assembled from one module per subcommand, and `main`,
which runs the chosen subcommand and turns every failure into one line and an exit status. The
subcommands parse arguments and call an engine; nothing else lives here.

Why the subcommand modules are imported by name, and only the one a command line names: a call such as
`solomonic policy compare` is a whole process, so every module it imports is paid for on every call (an
issue 23 acceptance figure is the latency of that whole call). The parser therefore imports the chosen
subcommand's module alone; `solomonic --help`, a bare `solomonic` or an unknown command import all of them,
so the help and argparse's "invalid choice" message still list every command.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from solomonic import __version__
from solomonic.cli.conventions import EXIT_BROKEN_PIPE, EXIT_UNKNOWN
from solomonic.errors import UserError

# top-level modules of the optional dependencies -> the extra that installs them (pyproject.toml); transformers
# -> hf, whose range (export-hf, import-hf) also satisfies bench's (the reference Mamba2 of `bench speed`)
EXTRAS = {"z3": "reason", "pycparser": "reason", "yaml": "reason", "rich": "reason", "torch": "bmojo",
          "safetensors": "bmojo", "numpy": "bmojo", "matplotlib": "bmojo", "transformers": "hf",
          "policy_sentry": "policy", "json_source_map": "policy"}


# the subcommands in the order `solomonic --help` lists them; each module's `add_parser` adds its parser
COMMANDS = ("check", "policy", "network", "recheck", "svcomp", "memory", "bmojo", "generate", "train", "bench",
            "proposer")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except UserError as err:
        print(f"solomonic: error: {err}", file=sys.stderr)
        return EXIT_UNKNOWN
    except KeyboardInterrupt:
        print("solomonic: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of standard output went away (`solomonic ... | head`): stop quietly, as Unix tools do.
        # Output still buffered would fail again at exit, so standard output is pointed at /dev/null first
        # (the recipe of Python's `signal` documentation, "Note on SIGPIPE").
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
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


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: with the subcommand that `argv` names first, that one alone, else (no `argv`,
    an option such as --help first, an unknown command) all of them."""
    parser = argparse.ArgumentParser(
        prog="solomonic",
        description="Automated reasoning about programs, AWS access policies and AWS networks, and the B'MOJO "
                    "sequence models.",
    )
    parser.add_argument("--version", action="version", version=f"solomonic {__version__}")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    chosen = [argv[0]] if argv and argv[0] in COMMANDS else COMMANDS
    for name in chosen:
        importlib.import_module(f"solomonic.cli.{name}").add_parser(sub)
    return parser
