"""The learned proposer's options, shared by `check` and `svcomp` (issue 28).

Apart from those commands, which must never load a neural network library: this module imports the
proposer (torch) only when `--proposer` or `--proposer-model` is given.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from solomonic.cli.conventions import memory_path

if TYPE_CHECKING:
    from solomonic.reason.proposals import Proposer

RECORD = "proposals.jsonl"  # beside the proof memory: the proofs a proposer helped, as corpus examples


def proposer_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--proposer", action="store_true",
                        help="ask the shipped learned proposer for candidate invariants of each loop first "
                             "(termination: among Houdini's candidates; safety: Spacer starts from those "
                             "Houdini keeps); each is checked like the reasoner's own, and every certificate "
                             "is re-checked, so a wrong one costs time, never an answer. Proofs it helped "
                             f"are added to {RECORD} beside the proof memory (not with --no-memory)")
    parser.add_argument("--proposer-model", type=Path, metavar="DIR",
                        help="use this trained proposer (from `solomonic proposer train`; implies --proposer)")
    parser.add_argument("--proposals", type=int, default=4, metavar="K",
                        help="proposals asked per loop (default: 4; the first greedy, the rest sampled)")


def load_proposer(args: argparse.Namespace) -> Proposer | None:
    """The proposer the options ask for, or None."""
    if not (args.proposer or args.proposer_model):
        return None
    from solomonic.bridge.proposer import SHIPPED
    from solomonic.bridge.proposer import Proposer as Learned

    memory = memory_path(args)
    return Learned.load(args.proposer_model or SHIPPED, record=Path(memory).parent / RECORD if memory else None)
