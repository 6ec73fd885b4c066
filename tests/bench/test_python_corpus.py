"""The labels of the Python corpus (benchmarks/python/) are checked by running the functions, not believed.

A function labelled `no` is run on its witness under a tracer and must not end. The tracer stops it with
one of three kinds of evidence, strongest first:
- a repeated state: the same instruction of the same activation with the same locals, at the start of a
  line outside any `for`, `with` or `try` (where the interpreter's value stack is empty, so the locals are
  the activation's whole state). The corpus is deterministic and pure, so that activation repeats the same
  steps forever: a proof of non-termination.
- a repeated activation: a function called again, deeper in the same stack, with the same arguments; for
  a pure deterministic function that is a proof too.
- a step budget spent, or a recursion depth reached (state that grows, like `x += 1` forever): evidence,
  not proof. Each `no` test records which evidence it found (`record_property`, in the JUnit report).
A function labelled `yes` is run on a box of inputs (-20..20 per parameter unless its label says `box:`, a set
of short strs for a parameter its label names in `str:`, sampled when the box is large) and every run must
end, by returning or raising, within the budget.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import itertools
import math
import random
import sys
from pathlib import Path

import pytest

from solomonic.bench.python import Label, corpus_files, labels
from solomonic.errors import UserError

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "python"
YES_BUDGET = 200_000  # lines executed by one run of a terminating function
NO_BUDGET = 20_000  # lines before a run of a non-terminating one counts as still running
DEPTH = 400  # nested calls of corpus functions (below CPython's recursion limit)
SAMPLES = 300  # inputs tried per terminating function when its box holds more
# The strs a str parameter of a terminating function is run on: empty, spaces, repeats, a palindrome,
# vowels, punctuation and brackets, a character beyond ASCII.
STRS = ("", "a", " ", "x", "ab", "ba", "aa", " a", "a ", "a b", "  x ", "aeiou", "xyz", "abcba", "a,b;c", "(a(b))",
        "12 34", "\u00e9t\u00e9")


class Stopped(BaseException):
    """Raised by the tracer to stop a run; BaseException, so that no `except Exception` in it catches it."""

    def __init__(self, evidence: str, proof: bool):
        super().__init__(evidence)
        self.evidence, self.proof = evidence, proof


def stateful_lines(tree: ast.Module) -> set[int]:
    """Lines where the value stack may hold hidden state (a `for` loop's iterator, a `with` block's exit,
    an exception being handled): a repeated set of locals there proves nothing."""
    hidden = (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.Try, ast.ListComp, ast.SetComp, ast.DictComp,
              ast.GeneratorExp)
    return {line for node in ast.walk(tree) if isinstance(node, hidden)
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1)}


def frozen(value):
    """A value as a hashable snapshot of its contents (a list's items now, not the list object, which
    the run goes on changing)."""
    if isinstance(value, dict):
        return tuple((k, frozen(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(frozen(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return frozenset(frozen(v) for v in value)
    return value


def traced(function, kwargs: dict[str, int | str], budget: int, skip: set[int]) -> str | None:
    """Run `function(**kwargs)` under the tracer: None when it ends (returning or raising), else raises
    Stopped with the evidence that it runs forever."""
    filename = function.__code__.co_filename
    stack: list[tuple] = []  # (code, arguments) of the corpus activations now running
    seen: dict[object, set] = {}  # frame -> (instruction, locals) at the line starts it has passed
    steps = 0

    def local(frame, event, arg):
        nonlocal steps
        if event == "line":
            steps += 1
            if steps > budget:
                raise Stopped(f"still running after {budget} lines", proof=False)
            if frame.f_lineno not in skip:
                state = (frame.f_lasti, frozen(frame.f_locals))
                if state in seen[frame]:
                    raise Stopped(f"repeated state at line {frame.f_lineno}: {frame.f_locals}", proof=True)
                seen[frame].add(state)
        elif event == "return":
            seen.pop(frame, None)
            stack.pop()
        return local

    def call(frame, event, arg):
        if frame.f_code.co_filename != filename:
            return None
        key = (frame.f_code, tuple(frame.f_locals.items()))
        if key in stack:
            raise Stopped(f"repeated call {frame.f_code.co_name}{dict(key[1])}", proof=True)
        if len(stack) >= DEPTH:
            raise Stopped(f"recursion deeper than {DEPTH} calls", proof=False)
        stack.append(key)
        seen[frame] = set()
        return local

    sys.settrace(call)
    try:
        function(**kwargs)
    except Stopped:
        raise
    except Exception:  # raising is one way of terminating
        pass
    finally:
        sys.settrace(None)
    return None


def inputs(label: Label) -> list[dict[str, int | str]]:
    """The box's points, all of them or a sample (seeded by the function's name) when there are too many;
    a str parameter takes each of STRS instead of the box's ints."""
    lo, hi = label.box
    choices = [STRS if p in label.strs else range(lo, hi + 1) for p in label.parameters]
    if math.prod(len(c) for c in choices) <= SAMPLES:
        points = list(itertools.product(*choices))
    else:
        rng = random.Random(label.function)
        points = [tuple("" if p in label.strs else 0 for p in label.parameters)]
        points += [tuple(rng.choice(STRS) if p in label.strs else rng.randint(lo, hi) for p in label.parameters)
                   for _ in range(SAMPLES - 1)]
    return [dict(zip(label.parameters, p)) for p in points]


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"corpus_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MODULES = {path: (load(path), stateful_lines(ast.parse(path.read_text())))
           for path in corpus_files([str(CORPUS)])}
LABELS = [label for path in MODULES for label in labels(path)]


def test_corpus_size_and_balance():
    """Issue 22: at least 150 functions, about half of them terminating."""
    yes = sum(label.terminates for label in LABELS)
    assert len(LABELS) >= 150
    assert 0.4 <= yes / len(LABELS) <= 0.6, f"{yes} of {len(LABELS)} terminate"
    names = [(label.path, label.function) for label in LABELS]
    assert len(names) == len(set(names)), "a function defined twice in one module"


@pytest.mark.parametrize("label", [x for x in LABELS if x.terminates], ids=lambda x: x.function)
def test_terminating(label: Label):
    module, skip = MODULES[Path(label.path)]
    function = getattr(module, label.function)
    for kwargs in inputs(label):
        try:
            traced(function, kwargs, YES_BUDGET, skip)
        except Stopped as stop:
            pytest.fail(f"{label.path}:{label.line}: {label.function}({kwargs}) is labelled yes but "
                        f"{stop.evidence}")


def witness_run(label: Label) -> Stopped | None:
    """How the run on the witness was stopped (None: it ended); once per label, for both tests below."""
    return _witness_run(label.path, label.function)


@functools.cache
def _witness_run(path: str, function: str) -> Stopped | None:
    module, skip = MODULES[Path(path)]
    label = next(x for x in LABELS if (x.path, x.function) == (path, function))
    try:
        traced(getattr(module, function), label.witness or {}, NO_BUDGET, skip)
    except Stopped as stop:
        return stop
    return None


@pytest.mark.parametrize("label", [x for x in LABELS if not x.terminates], ids=lambda x: x.function)
def test_not_terminating(label: Label, record_property):
    stop = witness_run(label)
    assert stop is not None, f"{label.path}:{label.line}: {label.function}({label.witness}) is labelled no but ended"
    record_property("evidence", ("proof: " if stop.proof else "no end seen: ") + stop.evidence)


def test_most_witnesses_are_proofs():
    """At least 60 % of the `no` labels have a witness that runs into a repeated state or call (a proof), so
    that a change to the corpus that turns proofs into mere budget exhaustion shows."""
    stops = [witness_run(label) for label in LABELS if not label.terminates]
    assert sum(stop is not None and stop.proof for stop in stops) >= 0.6 * len(stops)


@pytest.mark.parametrize("text, error", [
    ("def f(x):\n    return x\n", "corpus.py:1: 'f' has no label"),
    ("# terminates: maybe\ndef f(x):\n    return x\n", "corpus.py:1: 'f': 'terminates: maybe' is neither"),
    ("# terminates: no\ndef f(x):\n    return x\n", "corpus.py:1: 'f' is labelled no without a witness"),
    ("# terminates: no  witness: x=one\ndef f(x):\n    return x\n", "corpus.py:1: 'f': malformed witness"),
    ("# terminates: no  witness: y=1\ndef f(x):\n    return x\n", "corpus.py:1: 'f': witness 'y' is not a"),
    ("# terminates: no  witness: ()\ndef f(x):\n    return x\n", "gives no value for x"),
    ("# terminates: yes  witness: x=1\ndef f(x):\n    return x\n", "labelled yes but names a witness"),
    ("# terminates: yes  box: 3..1\ndef f(x):\n    return x\n", "empty box 3..1"),
    ("# terminates: yes  str: y\ndef f(x):\n    return x\n", "str 'y' is not a parameter"),
    ("# terminates: no  witness: x='a,b'\ndef f(x):\n    return x\n", "malformed witness"),
])
def test_malformed_labels_are_clear_errors(tmp_path, text, error):
    path = tmp_path / "corpus.py"
    path.write_text("\n" * 0 + text)
    with pytest.raises(UserError, match=error.replace("(", r"\(").replace(")", r"\)")):
        labels(path)


def test_label_grammar():
    path = CORPUS / "literature.py"
    found = {label.function: label for label in labels(path)}
    assert found["ackermann"].box == (-2, 3) and found["ackermann"].terminates
    assert found["gcd_subtract"].witness == {"a": 0, "b": 1}
    strs = {label.function: label for label in labels(CORPUS / "strings.py")}
    assert strs["caesar"].strs == ("s",) and strs["caesar"].box == (-20, 20)
    assert strs["pad"].witness == {"s": "", "width": 1} and strs["skip_x"].witness == {"s": "x"}
