"""`check(path, ...)`: load a Python or C file and answer each (function, property) in isolation."""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from solomonic.reason.engines.dispatch import Options, analyse, applies
from solomonic.reason.ir import BadInput, Function, Unsupported
from solomonic.reason.isolate import Job, run_jobs
from solomonic.reason.memory import remembered, warn_discarded
from solomonic.reason.proposals import Proposer, conjuncts, used
from solomonic.reason.replay import sandbox
from solomonic.reason.result import PROPERTIES, Result, Verdict, shown_call

MAX_FILE_BYTES = 4 << 20  # larger files are refused up front: parsing alone could outlast any timeout
LANGUAGES = {".py": "python", ".c": "c", ".i": "c", ".h": "c"}


@dataclass
class CheckOptions:
    timeout_s: float = 10.0  # per (function, property)
    data_model: str = "LP64"
    include_dirs: tuple[str, ...] = ()
    defines: tuple[str, ...] = ()
    jobs: int = 1
    memory_mb: int = 4096
    max_file_bytes: int = MAX_FILE_BYTES
    memory: str | None = None  # the proof memory's file; None: no memory
    param_types: tuple[tuple[str, str], ...] = ()  # Python: parameter name -> type, before its declaration


@dataclass
class Source:
    """A parsed file: its functions in source order, and how to lower one of them."""

    path: str
    language: str
    functions: list[str]
    lines: dict[str, int]
    returns: dict[str, bool]  # whether returns-true applies
    lower: Callable[..., Function]  # (name, property="assert"): the function lowered for that property
    sha256: str = ""
    details: dict = field(default_factory=dict)


def load(path: str, options: CheckOptions) -> Source:
    language = LANGUAGES.get(os.path.splitext(path)[1])
    if language is None:
        raise BadInput(f"{path}: not a Python (.py) or C (.c, .i) file")
    try:
        # without blocking, so that a FIFO (whose open waits for a writer) is refused, not waited on
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            info = os.fstat(f.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise BadInput(f"{path}: not a regular file (a directory, FIFO, device or socket)")
            data = f.read(options.max_file_bytes + 1)
    except OSError as err:
        raise BadInput(f"{path}: cannot be read: {err.strerror}") from None
    size = max(info.st_size, len(data))  # it may have grown since
    if size > options.max_file_bytes:
        raise BadInput(f"{path}: {size / 2**20:.1f} MiB is more than the {options.max_file_bytes / 2**20:.0f} MiB "
                       "this tool parses (raise it with --max-file-size)")
    digest = hashlib.sha256(data).hexdigest()
    if language == "python":
        from solomonic.reason.frontends.python.lower import lower_python, parse_python, returns_value

        module = parse_python(path, data)
        names = module.definitions()
        param_types = dict(options.param_types)
        source = Source(path, language, names, {n: module.function_line(n) for n in names},
                        {n: returns_value(module.definition(n)) for n in names},
                        lambda name, prop="assert": lower_python(module, name, param_types), digest,
                        {"param_types": param_types} if param_types else {})
    else:
        from pycparser import c_ast

        from solomonic.reason.frontends.c.lower import lower_c, parse_c

        program = parse_c(path, options.include_dirs, options.defines, options.data_model)
        names = program.own_functions()

        def returns(name: str) -> bool:
            """Whether returns-true is asked of it: it returns something, and not a struct (by its tag)."""
            t = program.functions[name].decl.type.type
            return not (isinstance(t, c_ast.TypeDecl) and (isinstance(t.type, c_ast.Struct) or (
                isinstance(t.type, c_ast.IdentifierType) and t.type.names == ["void"])))

        source = Source(path, language, names, {n: program.function_line(n) for n in names},
                        {n: returns(n) for n in names},
                        lambda name, prop="assert": lower_c(program, name, prop), digest,
                        {"data_model": options.data_model, "include_dirs": list(options.include_dirs),
                         "defines": list(options.defines)})
    if not names:
        raise BadInput(f"{path}: no function definitions to check")
    return source


def questions(source: Source, function: str | None, prop: str) -> list[tuple[str, str]]:
    """The (function, property) pairs to answer, in source order."""
    if prop != "all" and prop not in PROPERTIES:
        raise BadInput(f"unknown property '{prop}' (choose from {', '.join(PROPERTIES)}, all)")
    if function is not None and function not in source.functions:
        raise BadInput(f"{source.path}: no function named '{function}' (defined here: "
                       f"{', '.join(source.functions)})")
    names = [function] if function is not None else source.functions
    pairs = []
    for name in names:
        for p in PROPERTIES if prop == "all" else (prop,):
            relevant = _relevant(source, name, p)
            if relevant or (prop != "all" and function is not None):
                pairs.append((name, p))
    if not pairs:
        raise BadInput(f"{source.path}: no function here to which {prop} applies")
    return pairs


def _relevant(source: Source, name: str, prop: str) -> bool:
    if prop == "no-overflow":
        return source.language == "c"
    if prop == "returns-true":
        return source.returns[name]
    return True


NOT_REPLAYED = "replays are off (--no-replay): none of the code under analysis runs"


def answer(source: Source, name: str, prop: str, timeout_s: float, memory: str | None = None,
           replay: bool = True, proposed: Proposed | None = None) -> dict:
    """Runs in the child process: lower the function and analyse it (without running any of its code
    where `replay` is off: then its answers have their own place in the proof memory, as do those
    asked with a proposer's candidates, which may answer what was unknown without them)."""
    if not replay:
        sandbox.forbid(NOT_REPLAYED)
    base: dict[str, Any] = {"file": source.path, "function": name, "property": prop, "line": source.lines[name],
            "language": source.language}
    try:
        function = source.lower(name, prop)
    except Unsupported as u:
        return Result(verdict=Verdict.UNKNOWN, reason=f"unsupported at {u.file}:{u.line}: {u.construct}",
                      **base).to_json()
    why_not = applies(function, prop)
    if why_not is not None:
        return Result(verdict=Verdict.UNKNOWN, reason=f"{prop} does not apply: {why_not}", **base).to_json()
    semantics, options = with_proposals(
        {"language": source.language, **source.details, **({} if replay else {"replay": False})}, timeout_s, proposed)
    result = remembered(memory, function, prop, semantics, timeout_s, lambda: analyse(function, prop, options))
    result = _standing(function, result)
    result.assumptions = list(function.assumptions)
    return result.to_json()


@dataclass(frozen=True)
class Proposed:
    """What a proposer proposed for one function: its name, and SMT-LIB conjuncts by loop head."""

    proposer: str
    by_head: dict[int, list[str]]
    loops: dict[int, str]  # the loops' texts it read, by head (each head of a nest has its loop's text)


def with_proposals(semantics: dict, timeout_s: float, proposed: Proposed | None) -> tuple[dict, Options]:
    """The question's semantics (its key in the proof memory) and the analysis' options, given what a
    proposer proposed: an answer found with a proposer's help is remembered apart (its name in the key)."""
    if proposed is None or not proposed.by_head:
        return semantics, Options(timeout_s=timeout_s)
    return {**semantics, "proposer": proposed.proposer}, Options(timeout_s=timeout_s, proposals=proposed.by_head)


def ask(proposer: Proposer, k: int, lower: Callable[[], Function], timeout_s: float, memory_mb: int) -> Proposed:
    """The proposer's candidates for each loop of the function that `lower` gives. The function is lowered
    and its loops described in a child process under the limits (it is untrusted input); only the
    proposer runs here, on the loops' text."""
    def describe() -> dict[int, str]:
        from solomonic.reason.engines.termination.loops import described  # as dispatch imports the engine

        try:
            return described(lower())
        except (Unsupported, BadInput):
            return {}  # the question itself says why

    [outcome] = run_jobs([Job("loops", describe, timeout_s)], parallel=1, memory_mb=memory_mb)
    loops = outcome.value or {}
    asked = {text: conjuncts(proposer.propose(text, k)) for text in dict.fromkeys(loops.values())}  # once a loop
    return Proposed(proposer.name, {head: asked[text] for head, text in loops.items()}, loops)


def _standing(function: Function, result: Result) -> Result:
    """A "no" stands only on a witness that shows it of this function; otherwise it is unknown, saying why
    (`_why_no_falls`)."""
    why = _why_no_falls(function, result) if result.verdict == Verdict.NO else None
    if why is None:
        return result
    return Result(result.file, result.function, result.property, Verdict.UNKNOWN, line=result.line,
                  language=result.language, seconds=result.seconds, reason=why)


def _why_no_falls(function: Function, result: Result) -> str | None:
    """Two reasons. A parameter of unknown type is an arbitrary value in the model, so its witness value is
    an int the function may never be meant to get (`f(xs=0)` raising TypeError): true of the real function,
    but no finding. And where the module rebinds the function's name, a replay, which calls the module's
    attribute, may not have run this def (the front end says so in `replay_context["unreplayable"]`)."""
    unknown_type = [i.display for i in function.inputs if i.source_type == "object"]
    if unknown_type:
        inputs = shown_call((result.witness or {}).get("inputs", {}))
        return (f"a counterexample needs a value of unknown type for {', '.join(unknown_type)} (found "
                f"{function.name}({inputs}), an int where the function may expect another type)")
    return function.replay_context.get("unreplayable")


def check(path: str, function: str | None = None, property: str = "all", timeout: float = 10.0,
          data_model: str = "LP64", include_dirs=(), defines=(), jobs: int = 1, memory_mb: int = 4096,
          max_file_bytes: int = MAX_FILE_BYTES, on_result: Callable[[Result], None] | None = None,
          memory: str | None = None, param_types: dict[str, str] | None = None,
          replay: bool = True, proposer: Proposer | None = None, proposals: int = 4) -> list[Result]:
    """Answer each (function, property) of the file; see `solomonic.reason.check`."""
    options = CheckOptions(timeout, data_model, tuple(include_dirs), tuple(defines), jobs, memory_mb,
                           max_file_bytes, memory, tuple((param_types or {}).items()))
    source = load(path, options)
    pairs = questions(source, function, property)
    proposed = {name: ask(proposer, proposals, functools.partial(source.lower, name), timeout, memory_mb)
                for name in dict.fromkeys(name for name, _ in pairs) if proposer is not None}
    jobs_ = [Job((name, prop), lambda n=name, p=prop: answer(source, n, p, timeout, memory, replay, proposed.get(n)),
                 timeout)
             for name, prop in pairs]
    results: dict[tuple[str, str], Result] = {}
    warned: set[str] = set()  # a store that cannot be used says so for every question: once is enough
    for outcome in run_jobs(jobs_, parallel=jobs, memory_mb=memory_mb):
        name, prop = outcome.key
        if outcome.value is not None:
            result = Result.from_json(outcome.value)
        else:
            result = Result(path, name, prop, Verdict.UNKNOWN, reason=_failure(outcome.failure, timeout, memory_mb),
                            seconds=round(outcome.seconds, 4), line=source.lines[name], language=source.language)
        result.details = {**result.details, **source.details, "sha256": source.sha256}
        discarded = result.details.get("memory_discarded")
        if discarded is not None and discarded not in warned:
            warn_discarded(f"{result.file}: {result.function} ({result.property})", discarded)
            warned.add(discarded)
        results[outcome.key] = result
        if proposer is not None and used(result):
            proposer.confirmed(result, proposed[name].loops)
        if on_result is not None:
            on_result(result)
    return [results[pair] for pair in pairs]


def _failure(failure: str, timeout: float, memory_mb: int) -> str:
    if failure == "timeout":
        return f"timeout: no answer within {timeout:g} s"
    if failure == "memory":
        return f"out of memory (limit {memory_mb} MiB)"
    return f"internal error: {failure.splitlines()[0] if failure else 'unknown'}"
