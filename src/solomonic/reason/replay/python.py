"""Replaying a Python counterexample for real: the function is called in a fresh interpreter, under
time and memory limits, and what it did (returned a value, raised) is reported back."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from solomonic.reason.ir import BOOL, Function, Var
from solomonic.reason.ir.evaluate import ArrayValue, Value
from solomonic.reason.replay import sandbox

# Runs in the child interpreter, in the sandbox: argv = the module's private copy, the directory it came
# from (for its imports of its neighbours), function name, a file of JSON args (a list may be longer than
# one argv string may be), output file, the seconds the import and the call may each take, and whether to
# watch for a repeated state (a question of termination). The import and the call have a clock each, so
# module-level code that never ends is a failed import, never a call still running.
_RUNNER = r"""
import ast, dis, importlib.util, json, signal, sys, types
path, origin, name, args, out, import_seconds, seconds, watch = sys.argv[1:9]
sys.path.append(origin)
lines = []
report = {"lines": lines}
# A run proves itself non-terminating when it comes back to a state it was in: the same instruction in
# every frame of the module on the stack, with the same values of every local. That is the whole state,
# so the run repeats for ever, where (checked below) nothing else can change: no frame of other code in
# between, every local an immutable int, bool, None, str or tuple of them, no code of the module
# that writes a global, an attribute or an item, or imports, and no frame at a line inside a `for`, `with`
# or `try` statement, where the value stack may hold more (a loop's iterator, a manager's exit, an
# exception being handled): `for i in (0, 0, 0): j = 1` shows the same locals twice and still ends.
HIDDEN = (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.Try) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())
hidden_lines = set()
WRITES = {"STORE_GLOBAL", "DELETE_GLOBAL", "STORE_ATTR", "DELETE_ATTR", "STORE_SUBSCR", "DELETE_SUBSCR",
          "IMPORT_NAME", "IMPORT_FROM"}
SIMPLE = (int, bool, str, type(None))
seen, entry, activations = set(), None, {}
# Whether the clock has rung: code under test may catch the Alarm it raises (a bare `except:`, `except
# BaseException`, a context manager's __exit__ that returns true) and go on, so how the run went on after
# that is not how it would have gone. (Repeated cannot be caught so: it is raised only where no frame is
# inside a `try` or `with`.)
rang = False
def writes(code):
    return any(i.opname in WRITES for i in dis.get_instructions(code)) or \
        any(writes(c) for c in code.co_consts if isinstance(c, types.CodeType))
def simple(v):
    return type(v) in SIMPLE or (type(v) is tuple and all(simple(x) for x in v))
def state(frame):
    frames = []
    while frame is not None and frame is not entry.f_back:
        if frame.f_code.co_filename != path or frame.f_lineno in hidden_lines or \
                not all(simple(v) for v in frame.f_locals.values()):
            return None
        frames.append((frame.f_code, frame.f_lasti, tuple(sorted(frame.f_locals.items()))))
        frame = frame.f_back
    return tuple(frames) if frame is not None else None
# A value as the report shows it: never by code that can fail where the call did not (str() of an int
# past 4300 digits raises ValueError), and short.
def shown(v):
    if type(v) is int and v.bit_length() > 1000:
        return f"<an int of {v.bit_length()} bits>"
    try:
        return repr(v)[:200]
    except BaseException:
        return f"<a {type(v).__name__}>"
class Repeated(BaseException):
    pass
# How many calls deeper than an activation still on the stack with the same function and the same
# arguments this one is, or None: the new one will do as that one did, call again, for ever (an unbounded
# recursion; CPython stops it with RecursionError). Every activation's key is kept while it runs (None
# where its arguments are not simple values), so a frame's id is never matched stale.
def repeated_call(frame):
    simple_args = all(simple(v) for v in frame.f_locals.values())
    key = (frame.f_code, tuple(sorted(frame.f_locals.items()))) if simple_args else None
    activations[id(frame)] = key
    if key is None or state(frame) is None:
        return None
    depth, outer = 0, frame.f_back
    while outer is not None and outer is not entry.f_back:
        depth += 1
        if activations.get(id(outer)) == key:
            return depth
        outer = outer.f_back
    return None
def tracer(frame, event, arg):
    global entry
    if frame.f_code.co_filename != path:
        return None
    if entry is None:
        entry = frame
    if event == "return":
        activations.pop(id(frame), None)
    if event == "call" and watching:
        depth = repeated_call(frame)
        if depth is not None:
            report["repeated_call"] = {"function": frame.f_code.co_qualname, "depth": depth,
                                       "arguments": {k: shown(v) for k, v in frame.f_locals.items()}}
            raise Repeated
    if event == "line":
        if len(lines) < 10000 and (not lines or lines[-1] != frame.f_lineno):
            lines.append(frame.f_lineno)
        if watching and len(seen) < 200000:
            now = state(frame)
            if now is not None:
                if now in seen:
                    report["repeated"] = {"line": frame.f_lineno, "locals": {k: shown(v) for k, v in
                                                                              frame.f_locals.items()}}
                    raise Repeated
                seen.add(now)
    return tracer
class Alarm(BaseException):
    pass
def ring(signum, frame):
    global rang
    rang = True
    raise Alarm
signal.signal(signal.SIGALRM, ring)
phase = "import"
try:
    spec = importlib.util.spec_from_file_location("__solomonic_replay__", path)
    module = importlib.util.module_from_spec(spec)
    signal.setitimer(signal.ITIMER_REAL, float(import_seconds))
    spec.loader.exec_module(module)
    signal.setitimer(signal.ITIMER_REAL, 0)
    if rang:
        raise Alarm
    function = module
    for part in name.split("."):
        function = getattr(function, part)
    with open(path, "rb") as f:
        source = f.read()
    watching = watch == "1" and not writes(compile(source, path, "exec"))
    hidden_lines = {line for node in ast.walk(ast.parse(source)) if isinstance(node, HIDDEN)
                    for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}
    with open(args) as f:
        arguments = json.load(f)
    phase = "call"
    sys.settrace(tracer)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
    try:
        value = function(*arguments)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.settrace(None)
    if rang:
        raise Alarm
    phase = "result"
    report.update(outcome="returned", value=shown(value), truthy=bool(value))
except BaseException as exc:
    sys.settrace(None)
    signal.setitimer(signal.ITIMER_REAL, 0)
    if rang and phase != "result" and type(exc) is not Alarm:  # what the code did after the clock rang
        exc = Alarm().with_traceback(exc.__traceback__)  # does not count; where it was still does
    tb, line = exc.__traceback__, 0
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == path:
            line = tb.tb_lineno
        tb = tb.tb_next
    if type(exc) is Repeated:
        report.update(outcome="repeated")
    elif phase == "result":  # the call returned; its value's truth (user code, for an object) failed
        report.update(outcome="not read", message=f"{type(exc).__name__}: {str(exc)[:200]}")
    elif phase == "import":
        what = f"still running after {import_seconds} s" if type(exc) is Alarm else \
            f"{type(exc).__name__}: {str(exc)[:200]}"
        report.update(outcome="not imported", message=what, line=line)
    elif type(exc) is Alarm:
        report.update(outcome="still running")
    else:
        report.update(outcome="raised", exception=type(exc).__name__, message=str(exc)[:200], line=line)
with open(out, "w") as f:
    json.dump(report, f)
"""


@dataclass
class Replay:
    confirmed: bool
    observed: str  # what the real run did, in words
    lines: list[int]
    reproducer: str
    raised: str = ""  # the exception's name, where the call raised one


IMPORT_S = 5.0  # what the module's own top-level code may take, on a clock of its own
MAX_LIST = 100_000  # elements of a witness's list the replay builds; a longer one is not replayed

Argument = int | bool | list[int] | str | None
# The kind of the input that says whether a Python `int | None` parameter is None: the front end gives
# such a parameter this second input, its flag, the IR variable named after the parameter's own + "$none".
NONE_FLAG = "none flag"


def none_flag(var: Var) -> Var:
    """The flag of an `int | None` variable: true where it holds None (the front end's, the replay's and the
    witness readers' one name for it)."""
    return Var(var.name + "$none", BOOL)


STR = "str"  # the source type of a Python str parameter: an array of code points, its length in cell -1
MAX_CODE_POINT = 0x10FFFF
# What a witness's str holds where the model's array holds no code point: a cell the run never reads
# (the front end assumes every character it reads is a code point), so any character does.
UNREAD = "?"


class TooLong(Exception):
    """A witness's list too long to build for a replay (the answer stays unknown)."""


def call_arguments(function: Function, inputs: Mapping[Var, Value]) -> list[Argument]:
    """The arguments a witness's call passes, in order: the model's values, a bool parameter's as a bool,
    a list's as a Python list (see `list_argument`), a str's as a str (`str_argument`), None for an `int | None` parameter whose flag (an
    input of its own, not an argument) is true."""
    out: list[Argument] = []
    for i in function.inputs:
        if i.kind == NONE_FLAG:
            continue
        if inputs.get(none_flag(i.var)):
            out.append(None)
            continue
        value = inputs[i.var]
        if isinstance(value, ArrayValue):
            out.append(str_argument(value) if i.source_type == STR else list_argument(value))
            continue
        out.append(bool(value) if i.source_type == "bool" else value)
    return out


def str_argument(value: ArrayValue) -> str:
    """The str a str parameter's array holds: its length in cell -1, its code points in cells 0 to
    length - 1 (frontends/python/lower.py)."""
    return "".join(chr(c) if 0 <= c <= MAX_CODE_POINT else UNREAD for c in list_argument(value))


def str_array(text: str) -> ArrayValue:
    """The inverse of `str_argument`: a str as the array a str parameter is."""
    return ArrayValue(0, ((-1, len(text)), *enumerate(ord(c) for c in text)))


def list_argument(value: ArrayValue) -> list[int]:
    """The list a list parameter's array holds: the front end keeps its length in cell -1 and its
    elements in cells 0 to length - 1 (frontends/python/lower.py)."""
    length = value.get(-1)
    if length > MAX_LIST:
        raise TooLong(f"the witness's list has {length} elements, too many to build for a replay")
    return [value.get(k) for k in range(max(0, length))]


def replay(path: str, function: str, args: list[Argument], prop: str, timeout_s: float = 10.0,
           memory_mb: int = 2048) -> Replay:
    """Call `function(*args)` in a fresh interpreter; for `terminates`, watch the run for a repeated
    state or call, which shows it never returns."""
    return _replay(path, function, args, prop, timeout_s, memory_mb, watch=prop == "terminates")


def replay_unwatched(path: str, function: str, args: list[Argument], timeout_s: float,
                     memory_mb: int = 2048) -> Replay:
    """A termination witness's call, not watched: where a proof, not the run, shows that it never
    returns. Watching walks the stack at every line, which makes a deep recursion crawl towards the
    recursion limit instead of reaching it at once."""
    return _replay(path, function, args, "terminates", timeout_s, memory_mb, watch=False)


def _replay(path: str, function: str, args: list[Argument], prop: str, timeout_s: float, memory_mb: int,
            watch: bool) -> Replay:
    """The call in the sandbox (replay/sandbox.py), on a private copy of the module: what its code writes
    beside itself lands in the replay's own directory, deleted with it."""
    path = str(Path(path).resolve())
    reproducer = _reproducer(path, function, args, prop)
    if sandbox.refusal() is not None:
        return Replay(False, str(sandbox.refusal()), [], reproducer)
    with tempfile.TemporaryDirectory(prefix="solomonic-replay-") as tmp:
        copy = shutil.copy(path, os.path.join(tmp, os.path.basename(path)))
        out, arguments = os.path.join(tmp, "report.json"), os.path.join(tmp, "arguments.json")
        with open(arguments, "w") as f:
            json.dump(args, f)
        command = [sys.executable, "-I", "-c", _RUNNER, copy, os.path.dirname(path), function, arguments, out,
                   f"{IMPORT_S:g}", f"{timeout_s:g}", "1" if watch else "0"]
        budget = IMPORT_S + timeout_s
        ran = sandbox.run(command, tmp, sandbox.Limits(cpu_s=budget + 1, memory_mb=memory_mb), budget + 2)
        if not os.path.exists(out):
            died = "blocked past its clocks" if ran.timed_out else \
                f"died without a report ({_death(ran.returncode)})"
            return Replay(False, f"the replay {died}", [], reproducer)
        with open(out) as f:
            report = json.load(f)
    lines = report.get("lines", [])
    if report["outcome"] == "not imported":
        at = f" (line {report['line']})" if report["line"] else ""
        return Replay(False, f"the module could not be imported{at}: {report['message']}", lines, reproducer)
    if report["outcome"] == "not read":
        return Replay(False, f"the call returned a value whose truth could not be read: {report['message']}", lines,
                      reproducer)
    if report["outcome"] == "still running":
        return Replay(prop == "terminates", f"the call was still running after {timeout_s:g} s", lines, reproducer)
    if report["outcome"] == "repeated" and "repeated_call" in report:
        at = report["repeated_call"]
        arguments = ", ".join(f"{k}={v}" for k, v in at["arguments"].items())
        return Replay(prop == "terminates", f"`{at['function']}({arguments})` called itself again with the same "
                                            f"arguments, {at['depth']} calls deeper, so it never returns (CPython "
                                            "would stop it with RecursionError)", lines, reproducer)
    if report["outcome"] == "repeated":
        at = report["repeated"]
        values = ", ".join(f"{k}={v}" for k, v in at["locals"].items())
        return Replay(prop == "terminates", f"the call came back to a state it was in (line {at['line']}: "
                                            f"{values or 'no locals'}), so it never returns", lines, reproducer)
    if report["outcome"] == "raised":
        exc = report["exception"]
        observed = f"raised {exc}" + (f": {report['message']}" if report["message"] else "") + \
            (f" at line {report['line']}" if report["line"] else "")
        if exc == "AssumptionViolated":
            return Replay(False, "the input violates an assume(): " + observed, lines, reproducer)
        return Replay(prop == "assert", observed, lines, reproducer, raised=exc)
    observed = f"returned {report['value']}"
    return Replay(prop == "returns-true" and not report["truthy"], observed, lines, reproducer)


def _death(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        return f"signal {signal.Signals(-returncode).name}: a limit of time or memory, or a crash"
    return f"exit status {returncode}"


def _reproducer(path: str, function: str, args: list[Argument], prop: str) -> str:
    call = f"module.{function}({', '.join(repr(a) for a in args)})"
    last = {"returns-true": f"print({call})  # prints a false value",
            "terminates": f"{call}  # never returns"}.get(prop, f"{call}  # raises")
    return "\n".join([
        "import importlib.util",
        f"spec = importlib.util.spec_from_file_location({Path(path).stem!r}, {path!r})",
        "module = importlib.util.module_from_spec(spec)",
        "spec.loader.exec_module(module)",
        last,
    ])
