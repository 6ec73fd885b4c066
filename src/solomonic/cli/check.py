"""`solomonic check`: its arguments, the reasoner's answers to them as text, JSON or SARIF, and the
reproducers of the counterexamples, saved on request."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

from solomonic.cli.conventions import (
    EXIT_NO,
    EXIT_OK,
    EXIT_UNKNOWN,
    executor_options,
    memory_options,
    memory_path,
    positive,
)
from solomonic.cli.proposing import load_proposer, proposer_options


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    check = subparsers.add_parser(
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
               "inputs: Python int/bool parameters (declared, given by --param-types, or assumed int and said\n"
               "so) restricted by `assume(cond)` from solomonic.reason; C integer parameters over their full\n"
               "range, restricted by __VERIFIER_assume. C undefined behaviour makes other answers unknown.\n\n"
               "paths: files, or directories and packages, walked for .py and .c files (hidden directories and\n"
               "__pycache__ skipped, symbolic link loops reported and not followed); with several files a\n"
               "summary follows the answers, and a progress bar runs on a terminal's stderr.\n\n"
               "exit status: 1 if any answer is no, else 2 if the input is bad (a file that cannot be read or\n"
               "parsed) or, unless --fail-on no, if any answer is unknown, else 0.")
    check.add_argument("files", nargs="+", metavar="PATH",
                       help="a .py, .c or preprocessed .i file, or a directory or package to walk")
    check.add_argument("--function", "-f", help="check only this function (default: every function)")
    check.add_argument("--property", "-p", default="all",
                       choices=["assert", "no-overflow", "returns-true", "terminates", "all"])
    check.add_argument("--timeout", type=positive, default=10.0, metavar="S",
                       help="seconds per function and property (default: 10); a hard limit")
    check.add_argument("--data-model", choices=["ILP32", "LP64"], default="LP64",
                       help="C: sizes of long and pointers (default: LP64)")
    check.add_argument("-I", dest="include_dirs", action="append", default=[], metavar="DIR",
                       help="C: add DIR to the include path")
    check.add_argument("-D", dest="defines", action="append", default=[], metavar="NAME[=VAL]",
                       help="C: define a preprocessor macro")
    check.add_argument("--param-types", type=param_types, default={}, metavar="'NAME: TYPE, ...'",
                       help="Python: types for parameters by name, for example 'x: int, flag: bool', taken before "
                            "the functions' own annotations. A parameter with no type from here, an annotation, "
                            "a `# type:` comment or its default is assumed int, and every answer says so")
    check.add_argument("--format", choices=["text", "json", "sarif"], default="text")
    check.add_argument("--jobs", "-j", type=int, default=1, metavar="N",
                       help="questions answered in parallel (with --executor ray: of each file, whose Ray task "
                            "reserves N CPUs)")
    check.add_argument("--memory-limit", type=int, default=4096, metavar="MIB",
                       help="address-space limit of each analysis process (default: 4096)")
    check.add_argument("--max-file-size", type=int, default=4, metavar="MIB",
                       help="refuse larger files (default: 4)")
    memory_options(check)
    proposer_options(check)
    executor_options(check)
    check.add_argument("--no-replay", action="store_true",
                       help="run none of the code under analysis: a counterexample is then not confirmed, so "
                            "the answer is unknown ('not replayed'), with the witness and reproducer to run "
                            "yourself; a yes is unaffected (see SECURITY.md for what a replay may do)")
    check.add_argument("--save-reproducers", metavar="DIR", help="write each counterexample's reproducer to DIR")
    check.add_argument("--fail-on", choices=["no", "unknown"], default="unknown",
                       help="the weakest answer that fails the run: 'unknown' (the default) fails on unknown "
                            "answers too (exit status 2); 'no' lets them pass (exit status 0 where nothing is no "
                            "and the input is good), as a pre-commit hook or CI gate wants")
    check.add_argument("--quiet", "-q", action="store_true", help="text: one line per answer")
    check.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from solomonic.reason import report
    from solomonic.reason.files import source_files
    from solomonic.reason.result import Verdict

    found = source_files(args.files)
    for line in found.skipped:
        print(f"solomonic: note: {line}", file=sys.stderr)
    for line in found.problems:
        print(f"solomonic: error: {line}", file=sys.stderr)
    by_file: dict[str, list] = {}
    bad = bool(found.problems)
    with _progress(len(found.files)) as bar:
        for path, answers, error in _answers(args, found.files, bar):
            if error:
                print(f"solomonic: error: {error}", file=sys.stderr)
                bad = True
            by_file[path] = answers
            bar.finished()
    results = [r for path in found.files for r in by_file.get(path, [])]
    if results:
        if args.format == "json":
            print(report.to_json(results))
        elif args.format == "sarif":
            print(report.sarif(results))
        else:
            print(report.text(results, verbose=not args.quiet))
            if len(found.files) > 1:
                print(report.summary(results))
    if args.save_reproducers:
        _save_reproducers(results, Path(args.save_reproducers))
    verdicts = {r.verdict for r in results}
    if Verdict.NO in verdicts:
        return EXIT_NO
    failing_unknown = args.fail_on == "unknown" and Verdict.UNKNOWN in verdicts
    return EXIT_UNKNOWN if bad or failing_unknown else EXIT_OK


def _answers(args: argparse.Namespace, files: list[str], bar: _FileBar) -> Iterator[tuple[str, list, str]]:
    """Each file's answers as (path, results, bad-input message or ""): one file after another here, or
    as Ray tasks on a cluster (then in the order they finish)."""
    from solomonic.reason.api import check
    from solomonic.reason.ir import BadInput

    options = {"function": args.function, "property": args.property, "timeout": args.timeout,
               "data_model": args.data_model, "include_dirs": args.include_dirs, "defines": args.defines,
               "jobs": args.jobs, "memory_mb": args.memory_limit, "max_file_bytes": args.max_file_size << 20,
               "param_types": args.param_types, "replay": not args.no_replay}
    if args.executor == "ray":
        if args.proposer or args.proposer_model:
            yield "", [], "--proposer runs on this machine: not with --executor ray"
            return
        from solomonic.cli.ray_executor import check_files

        for path, results, error in check_files(files, options, args.ray_address, memory_path(args)):
            for result in results:
                bar.answered(result)
            yield path, results, error
        return
    proposer = load_proposer(args)
    for path in files:
        bar.start(path)
        try:
            yield path, check(path, memory=memory_path(args), on_result=bar.answered, proposer=proposer,
                              proposals=args.proposals, **options), ""
        except BadInput as err:
            yield path, [], str(err)


class _FileBar:
    """The progress bar's view of a run: which file is being checked, how many answers so far."""

    def __init__(self, progress, task) -> None:
        self.progress, self.task, self.answers = progress, task, 0

    def start(self, path: str) -> None:
        self.progress.update(self.task, description=path)

    def answered(self, _: object) -> None:
        self.answers += 1
        self.progress.update(self.task, answers=self.answers)

    def finished(self) -> None:
        self.progress.update(self.task, advance=1)


@contextlib.contextmanager
def _progress(files: int) -> Iterator[_FileBar]:
    """A progress bar over the files on stderr, where stderr is a terminal and there is more than one file."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[answers]} answers"))
    with Progress(*columns, console=console, transient=True,
                  disable=files < 2 or not console.is_terminal) as progress:
        yield _FileBar(progress, progress.add_task("checking", total=files, answers=0))


def param_types(text: str) -> dict[str, str]:
    """--param-types' value, checked when the command line is read."""
    from solomonic.reason.frontends.python.parameters import parse_param_types

    try:
        return parse_param_types(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _save_reproducers(results, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for r in results:
        if r.reproducer:
            suffix = ".py" if r.language == "python" else ".sh"
            target = folder / f"{Path(r.file).stem}-{r.function}-{r.property}{suffix}"
            target.write_text(r.reproducer + "\n")
            print(f"reproducer: {target}", file=sys.stderr)
