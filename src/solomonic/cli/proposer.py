"""`solomonic proposer`: the learned proof proposer (issue 28).

`proposer corpus` has the reasoner prove termination of generated loops (and of any files given), and
the assertions of generated loops that keep a relation no line states, and writes each re-checked
certificate (or the part of a relation a proof rested on) beside the loop it proves, one JSON object per line; `proposer train`
trains a small B'MOJO on such a corpus; `proposer propose` shows what a trained one proposes for each
loop of a function (candidates only: nothing here is checked or answered).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from solomonic.cli.conventions import EXIT_OK, EXIT_UNKNOWN


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    proposer = subparsers.add_parser(
        "proposer", help="the learned proof proposer's data: a corpus of the reasoner's own certificates",
        description="Commands for the proposer that learns which invariants to try from the reasoner's own "
                    "re-checked certificates: termination proofs of generated loops, and the relations that "
                    "generated loops keep where a re-checked proof of their assertion rested on them.")
    commands = proposer.add_subparsers(title="commands", metavar="COMMAND", required=True)
    corpus = commands.add_parser(
        "corpus", help="prove generated loops (and FILEs) and write each certificate beside its loop",
        description="Generates C loops whose termination is known by construction (counters, nested loops, "
                    "gcd-like, multiphase, lexicographic, non-linear; a quarter of them built not to terminate), "
                    "has the reasoner answer each in isolation, and writes one JSON object per proved loop: the "
                    "loop as text, the ranking argument its certificate states, the supporting invariant. "
                    "An answer that contradicts a generated program's known answer stops the run with exit "
                    "status 2 and the program: that would be a soundness bug.")
    corpus.add_argument("files", nargs="*", metavar="FILE", help="C or Python files whose proved loops are added")
    corpus.add_argument("--output", "-o", type=Path, required=True, metavar="FILE", help="the corpus (JSON Lines)")
    corpus.add_argument("--count", type=int, default=200, metavar="N",
                        help="generated programs (default: 200; 0 for the FILEs alone)")
    corpus.add_argument("--relations", type=int, default=0, metavar="N",
                        help="also N generated programs whose loops keep a relation no line states (nested "
                             "counts, transfers, sums in step); each relation is offered as a proposal for "
                             "the program's assertion, and the parts the re-checked proof rests on become "
                             "examples (default: 0)")
    corpus.add_argument("--seed", type=int, default=0, help="the generators' seed (default: 0)")
    corpus.add_argument("--timeout", type=float, default=10.0, metavar="S",
                        help="seconds per question (default: 10)")
    corpus.set_defaults(run=run_corpus)

    train = commands.add_parser(
        "train", help="train a proposer on a corpus",
        description="Trains a small B'MOJO (the bmojo preset) to complete a loop's text with its certificate "
                    "(the certificates task of `solomonic train`), then writes the model (safetensors) and "
                    "proposer.json to OUT. The run's checkpoint is in OUT/run.")
    train.add_argument("corpus", type=Path, metavar="CORPUS", help="JSON Lines from `solomonic proposer corpus`")
    train.add_argument("--out", type=Path, required=True, metavar="DIR")
    train.add_argument("--target", choices=["invariant", "ranking"], default="invariant",
                       help="what the model proposes (default: invariant)")
    train.add_argument("--steps", type=int, default=2000)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--length", type=int, default=1024, help="the training window in bytes (default: 1024)")
    train.add_argument("--batch-size", type=int, default=16, help="rows per step (default: 16)")
    train.add_argument("--no-progress", action="store_true")
    train.set_defaults(run=run_train)

    propose = commands.add_parser(
        "propose", help="what a trained proposer suggests for each loop of a function",
        description="Prints each loop of the function as the proposer reads it and the candidates it proposes "
                    "(the greedy one first). Candidates are not checked here.")
    propose.add_argument("file", metavar="FILE")
    propose.add_argument("--function", required=True)
    propose.add_argument("--model", type=Path, metavar="DIR",
                         help="a trained proposer (default: the one shipped, which `check --proposer` uses)")
    propose.add_argument("-k", type=int, default=4, help="candidates per loop (default: 4)")
    propose.add_argument("--seed", type=int, default=0)
    propose.set_defaults(run=run_propose)


def run_corpus(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from solomonic.bridge import corpus
    from solomonic.bridge.programs import generate
    from solomonic.bridge.relations import generate as relational

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True, disable=not console.is_terminal) as progress:
        task = progress.add_task("proving generated loops", total=args.count)
        relating = progress.add_task("proving generated relations", total=args.relations)
        try:
            found, tally = corpus.from_programs(generate(args.count, args.seed), args.timeout,
                                                progress=lambda *_: progress.advance(task))
            related, relations = corpus.from_relations(relational(args.relations, args.seed), args.timeout,
                                                       progress=lambda *_: progress.advance(relating))
        except corpus.Mislabelled as err:
            print(f"solomonic: error: a soundness bug: {err}", file=sys.stderr)
            return EXIT_UNKNOWN
    found.extend(related)
    found.extend(corpus.from_files(args.files, args.timeout))
    written = corpus.write(found, args.output)
    print(f"{args.output}: {written} examples ({tally.programs} generated programs: {tally.yes} yes, {tally.no} no, "
          f"{tally.unknown} unknown; {relations.programs} generated relations: {relations.yes} proved, "
          f"{relations.examples} examples; {written - tally.examples - relations.examples} examples from "
          f"{len(args.files)} files)", file=sys.stderr)
    return EXIT_OK


def run_train(args: argparse.Namespace) -> int:
    import json

    from solomonic.bridge.proposer import train

    summary = train(args.corpus, args.out, target=args.target, steps=args.steps, seed=args.seed, length=args.length,
                    batch_size=args.batch_size, progress=not args.no_progress)
    print(json.dumps(summary, indent=2))
    return EXIT_OK


def run_propose(args: argparse.Namespace) -> int:
    from solomonic.bridge.corpus import loop_texts
    from solomonic.bridge.proposer import SHIPPED, Proposer
    from solomonic.errors import UserError
    from solomonic.reason.api import CheckOptions, load
    from solomonic.reason.ir import Unsupported

    proposer = Proposer.load(args.model or SHIPPED)
    try:
        loops = loop_texts(load(args.file, CheckOptions()), args.function)
    except Unsupported as err:
        raise UserError(str(err)) from None
    if not loops:
        print(f"{args.file}: {args.function} has no loop", file=sys.stderr)
    for _, text in loops:
        print(text)
        for candidate in proposer.propose(text, k=args.k, seed=args.seed):
            print(f"  {proposer.description.target}? {candidate}")
    return EXIT_OK
