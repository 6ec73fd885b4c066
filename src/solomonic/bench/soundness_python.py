"""A differential soundness campaign: the Python front end (and the engine behind it) against CPython.

Small functions are written from a seed, a hundred to a file, in the corners of Python's integer
semantics where a translation to logic is most easily wrong: big integers, floor division and `%` of
negatives, `**`, bools as ints, chained comparisons whose later operands raise, `and`/`or` returning
operands rather than bools, reads of locals that may be unbound, module constants shadowed by locals,
calls to earlier functions (keyword arguments in shuffled order, defaults that name module constants),
chained and tuple assignments, `isinstance`, bindings after the last `return` (unreachable, yet they make
a name local), `raise` and assertion messages, loops that end and loops that do not, true and
deliberately false `assert`s. Some constructs outside the supported subset (shifts, `divmod`, `~`, `is`)
are mixed in so that the front end's refusals are exercised as well; those functions are answered
unknown, which is right.

`check` answers returns-true, assert and terminates for every function of a file. Each function is
then run by CPython, in a separate interpreter (a crash, or a hang in compiled code, costs the judge
that one function), on boundary values, the function's own constants and their neighbours, and
random inputs. The judge, for each decisive answer:

* yes, assert: no run raises anything (result.py: an escaping exception violates `assert`);
* yes, returns-true: no run returns a false value (raising is not returning);
* yes, terminates: no run is still going after a CPU-time bound far above what any terminating
  function of the writer needs; a run past it is run again with a long bound before it is reported;
* no: the tool's own replay confirmed the witness, and calling the function here on the witness inputs
  shows the violation (an exception; a false return; no return within the long bound).

Everything else is a disagreement, reported with the function's self-contained program text.
"""

from __future__ import annotations

import ast
import itertools
import json
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

PROPERTIES = ("returns-true", "assert", "terminates")
VERSION = 1  # of the writer and the judge: cached batches from another version are redone
BATCH = 100  # functions per file: one `check` call per property answers a whole file
# CPU seconds per run. The writer's terminating loops take at most a few milliseconds; a sampled run
# past SAMPLE_BOUND_S is a hang. After HANGS_BEFORE_SHORT hangs in one function its remaining samples get
# SHORT_BOUND_S (still several times the slowest terminating run), so that a function that loops on most
# inputs costs the judge a second, not a minute. Witness replays and re-runs of suspects get LONG_BOUND_S.
SAMPLE_BOUND_S = 0.1
SHORT_BOUND_S = 0.02
HANGS_BEFORE_SHORT = 3
LONG_BOUND_S = 2.0
RUNNER_MEMORY_MB = 2048
WALL_BASE_S = 20

BOUNDARY = (0, 1, -1, 2, -2, 3, -3, 7, -7, 2**31, -2**31, 2**63 - 1, -2**63, 2**63, 2**64 + 1, -2**64 - 1,
            10**30, -10**30)
CORE = (0, 1, -1, 2, -2, 3, -3)

# ------------------------------------------------------------------------------------------- the writer

SMALL = ("0", "1", "2", "3", "5", "7", "10", "-1", "-2", "-3", "-7")
NONZERO = ("1", "2", "3", "5", "7", "-1", "-2", "-3", "-5", "(2 ** 64)", "(-(2 ** 63))")
POSITIVE = ("1", "2", "3", "5", "7", "10", "(2 ** 64)")
BIG = ("(2 ** 63)", "(2 ** 63 - 1)", "(2 ** 64 + 1)", "(-(2 ** 63))", "(10 ** 20)", "18446744073709551615")
CONSTANTS = "K = 7\nNEG = -3\nBIG = 2 ** 64 + 1\nFLAG = True\n"
CONSTANT_NAMES = ("K", "NEG", "BIG", "FLAG")
CLASSES = ("int", "bool", "(str, int)", "float", "object")

# Facts about Python's integers: templates over subexpressions {a} {b} {c}, nonzero constants {k},
# positive ones {p}, and big ones {big}. The true ones hold for every value; the wrong ones fail for some.
TRUE_FACTS = (
    "{a} // {k} * {k} + {a} % {k} == {a}",
    "0 <= {a} % {p} < {p}",
    "-{p} < {a} % -{p} <= 0",
    "abs({a}) >= {a}",
    "abs({a}) >= 0",
    "max({a}, {b}) >= min({a}, {b})",
    "min({a}, {b}) <= {a} <= max({a}, {b})",
    "({a} and {b}) == ({b} if {a} else {a})",
    "({a} or {b}) == ({a} if {a} else {b})",
    "{a} ** 2 == {a} * {a}",
    "{a} ** 3 == {a} * {a} * {a}",
    "({a} < {b} < {c}) == ({a} < {b} and {b} < {c})",
    "({a} == True) == ({a} == 1)",
    "True + {a} == {a} + 1",
    "int({a} > {b}) + int({a} <= {b}) == 1",
    "({a} > 0) + ({a} < 0) + ({a} == 0) == 1",
    "{a} % 2 == 0 or {a} % 2 == 1",
    "({a} * {big}) // {big} == {a}",
    "({a} + {big}) - {big} == {a}",
    "-{a} // {p} == -(({a} + {p} - 1) // {p})",
    "{a} // -{p} == -({a} // {p}) - ({a} % {p} != 0)",
    "not ({a} and not {a})",
    "bool({a}) == ({a} != 0)",
    "max({a}, {b}) + min({a}, {b}) == {a} + {b}",
    "abs({a} * {b}) == abs({a}) * abs({b})",
    "{a} - {a} % {p} == {p} * ({a} // {p})",
    "({a} or 0) == {a}",
    "(({a} > {b}) or {c}) == (True if {a} > {b} else {c})",
    "divmod({a}, {k}) == ({a} // {k}, {a} % {k})",
    "{a} << 1 == {a} * 2",
    "{a} >> 1 == {a} // 2",
)
WRONG_FACTS = (
    "-{a} // {p} == -({a} // {p})",
    "{a} % -{p} >= 0",
    "{a} // 2 * 2 == {a}",
    "abs({a}) == {a}",
    "{a} ** 2 > {a}",
    "({a} and {b}) == ({a} != 0 and {b} != 0)",
    "({a} or {b}) == bool({a} or {b})",
    "{a} < {b} < {c} or {c} <= {b} <= {a}",
    "{a} * {a} != 2 * {a}",
    "max({a}, {b}) > {a}",
    "{a} // {b} * {b} + {a} % {b} == {a}",
    "{a} % {p} < {p} - 1",
    "({a} == True) == bool({a})",
    "{a} + 1 != {big}",
    "{a} * {b} != {c}",
    "{a} - {b} != {c} + 2",
    "{a} // {k} != {c}",
    "{a} >> 64 == 0",
)
# Return values that are true for every input, and ones that are not.
TRUE_RETURNS = ("abs({a}) + 1", "{a} * {a} + 1", "max({a}, 1)", "{a} % {p} + 1", "{a} or {p}", "{a} or True",
                "not ({a} and not {a})", "({a} ** 2 >= 0) + 0", "min({a}, -1)", "{a} if {a} else {p}")


@dataclass
class Generated:
    """One written function: its source text, parameters, and the earlier functions it calls."""

    name: str
    params: list[tuple[str, str]]  # (name, "int" | "bool")
    text: str
    callees: list[str] = field(default_factory=list)
    optional: int = 0  # how many of the last parameters have defaults


@dataclass
class Batch:
    """One file of written functions."""

    header: str  # docstring and module constants
    functions: list[Generated]

    @property
    def source(self) -> str:
        return self.header + "".join("\n\n" + f.text for f in self.functions)

    def program(self, name: str) -> str:
        """The function with all it needs (the constants and the functions it calls), runnable alone."""
        by_name = {f.name: f for f in self.functions}
        parts = [CONSTANTS] + [by_name[c].text for c in by_name[name].callees] + [by_name[name].text]
        return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


def _outside(template: str) -> bool:
    """Whether a fact uses something outside the front end's subset."""
    return any(s in template for s in ("<<", ">>", "divmod"))


class _Writer:
    """Writes one function; `rng` decides everything, so the seed names the whole batch.

    It tracks which locals are definitely assigned (`readable`) and which only on some paths (`shaky`,
    read now and then to raise UnboundLocalError), and which are updated in loops (`grown`): expressions
    assigned in a loop never mention those, so no value grows faster than linearly per iteration and
    every loop that ends, ends within milliseconds."""

    def __init__(self, rng: random.Random, name: str, callees: list[Generated]):
        self.rng = rng
        self.name = name
        self.callees = callees
        self.used: list[str] = []
        self.readable: list[str] = []
        self.shaky: list[str] = []
        self.grown: set[str] = set()
        self.in_loop = 0
        self.fresh = 0
        self.lines: list[str] = []
        self.has_loop = False
        # Constructs outside the subset make the whole function unknown, so only some functions use them.
        self.stress = rng.random() < 0.15

    # ------------------------------------------------------------------------------------- expressions

    def pick(self, options):
        return self.rng.choice(options)

    def var(self) -> str:
        names = [v for v in self.readable if not (self.in_loop and v in self.grown)]
        return self.pick(names)

    def atom(self) -> str:
        r = self.rng.random()
        if r < 0.55:
            return self.var()
        if r < 0.78:
            return self.pick(SMALL)
        if r < 0.84:
            return self.pick(BIG)
        if r < 0.89:
            return self.pick(("True", "False"))
        if r < 0.95:
            return self.pick(CONSTANT_NAMES)
        return self.pick(self.shaky) if self.shaky else self.var()

    def raising(self) -> str:
        """An operand that raises for some inputs."""
        a = self.var()
        return self.pick((f"(1 // {a})", f"({self.atom()} % {a})", f"(7 // ({a} - 1))"))

    def expr(self, depth: int) -> str:
        if depth <= 0 or self.rng.random() < 0.2:
            return self.atom()
        e = lambda: self.expr(depth - 1)  # noqa: E731
        kind = self.rng.choices(
            ("arith", "div", "pow", "unary", "minmax", "compare", "boolop", "ifexp", "conv", "call",
             "boolint", "stress"),
            (25, 12, 4, 5, 10, 10, 8, 6, 3, 5, 4, 3 if self.stress else 0))[0]
        if kind == "arith":
            return f"({e()} {self.pick('+-*')} {e()})"
        if kind == "div":
            r = self.rng.random()
            divisor = self.pick(NONZERO) if r < 0.5 else self.atom() if r < 0.75 else f"(abs({e()}) + 1)"
            return f"({e()} {self.pick(('//', '%'))} {divisor})"
        if kind == "pow":
            exponent = self.rng.randint(0, 5)
            if self.rng.random() < 0.1:
                exponent = self.pick(("-1", "64", f"({self.var()} % 4)") if self.stress else ("64",))
            return f"({self.atom()} ** {exponent})"
        if kind == "unary":
            return self.pick((f"(-{e()})", f"(+{e()})", f"(not {e()})", f"-{self.atom()} ** 2"))
        if kind == "minmax":
            f = self.pick(("abs", "min", "max", "max"))
            args = [e() for _ in range(1 if f == "abs" else self.rng.randint(2, 3))]
            return f"{f}({', '.join(args)})"
        if kind == "compare":
            return self.comparison(depth - 1)
        if kind == "boolop":
            op = self.pick((" and ", " or "))
            values = [e() for _ in range(self.rng.randint(2, 3))]
            if self.rng.random() < 0.25:
                values[-1] = self.raising()
            return f"({op.join(values)})"
        if kind == "ifexp":
            body, orelse = e(), e()
            if self.rng.random() < 0.25:
                body = self.raising()
            return f"({body} if {self.condition(depth - 1)} else {orelse})"
        if kind == "conv":
            return f"{self.pick(('int', 'bool'))}({e()})"
        if kind == "call" and self.callees:
            callee = self.pick(self.callees)
            if callee.name not in self.used:
                self.used.append(callee.name)
            return f"{callee.name}({self.arguments(callee, e)})"
        if kind == "boolint":
            return self.pick((f"(True + {e()})", f"({e()} == True)", f"(False - {e()})", f"({e()} != False)",
                              f"({e()} is True)" if self.stress else f"({e()} - True)",
                              f"isinstance({e()}, {self.pick(CLASSES)})"))
        return self.pick((f"({e()} << {self.rng.randint(0, 3)})", f"({e()} >> {self.atom()})",
                          f"divmod({e()}, {self.pick(NONZERO)})[0]", f"(~{e()})", f"({e()} & {e()})",
                          f"pow({e()}, 2)"))

    def arguments(self, callee: Generated, e: Callable[[], str]) -> str:
        """A call's arguments: positional, or partly by keyword in a shuffled order (Python evaluates them
        as written), leaving out some that have defaults."""
        names = [p for p, _ in callee.params]
        given = len(names) - self.rng.randint(0, callee.optional)
        values = [e() for _ in range(given)]
        split = self.rng.randint(0, given) if self.rng.random() < 0.4 else given
        keywords = [f"{n}={v}" for n, v in zip(names[split:given], values[split:])]
        self.rng.shuffle(keywords)
        return ", ".join(values[:split] + keywords)

    def comparison(self, depth: int) -> str:
        n = self.rng.choice((1, 1, 2, 2, 3))
        operands = [self.expr(depth) for _ in range(n + 1)]
        if n > 1 and self.rng.random() < 0.3:
            operands[self.rng.randint(1, n)] = self.raising()
        text = operands[0]
        for o in operands[1:]:
            text += f" {self.pick(('<', '<=', '>', '>=', '==', '!='))} {o}"
        return f"({text})"

    def condition(self, depth: int) -> str:
        return self.comparison(depth) if self.rng.random() < 0.7 else self.expr(depth)

    def fact(self, true: bool) -> str:
        templates = [t for t in (TRUE_FACTS if true else WRONG_FACTS) if self.stress or not _outside(t)]
        template = self.pick(templates)
        depth = self.rng.choice((0, 0, 1))
        return template.format(a=self.operand(depth), b=self.operand(depth), c=self.operand(depth),
                               k=self.pick(NONZERO), p=self.pick(POSITIVE), big=self.pick(BIG))

    def operand(self, depth: int) -> str:
        """An expression to put into a template: parenthesised, so that `{a} ** 2` squares all of it."""
        text = self.expr(depth)
        return text if text.isidentifier() or text.isdigit() else f"({text})"

    # -------------------------------------------------------------------------------------- statements

    def emit(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def new_name(self) -> str:
        self.fresh += 1
        return f"v{self.fresh}"

    def assign(self, name: str) -> None:
        if name not in self.readable:
            self.readable.append(name)
        if name in self.shaky:
            self.shaky.remove(name)

    def statements(self, depth: int, count: int, loops: bool) -> None:
        for _ in range(count):
            self.statement(depth, loops)

    def statement(self, depth: int, loops: bool) -> None:
        kind = self.rng.choices(
            ("assign", "chain", "tuple", "aug", "if", "assert", "loop", "shadow", "return", "raise"),
            (22, 3, 4, 8, 15, 25, 20 if loops else 0, 2, 3, 2))[0]
        if kind == "chain":  # every target gets the value from before the first is assigned
            names = [self.var() if self.rng.random() < 0.5 else self.new_name() for _ in range(2)]
            value = self.expr(2)
            if self.rng.random() < 0.5:  # the value computed from the first target's old value
                value = f"{names[0]} + {value}" if names[0] in self.readable else value
            self.emit(depth, f"{names[0]} = {names[1]} = {value}")
            for name in names:
                self.assign(name)
            if names[0] != names[1] and self.rng.random() < 0.5:  # true, or deliberately wrong
                self.emit(depth, f"assert {names[0]} {self.pick(('==', '!='))} {names[1]}")
        elif kind == "tuple":  # all right-hand sides are evaluated before the first store
            first = self.var()
            second = self.var() if self.rng.random() < 0.5 else self.new_name()
            second = self.new_name() if second == first else second
            values = (self.pick((first, self.expr(1))), self.expr(1))
            self.emit(depth, f"{first}, {second} = {values[1]}, {values[0]}")
            self.assign(first)
            self.assign(second)
        elif kind == "raise":
            self.emit(depth, f"if {self.condition(1)}:")
            self.emit(depth + 1, self.pick(('raise ValueError("generated")', "raise ArithmeticError",
                                            f"assert {self.condition(1)}, f\"{{{self.var()}}}\"")))
        elif kind == "assign" or (kind == "aug" and not self.readable):
            name = self.new_name() if self.rng.random() < 0.7 or not self.readable else self.var()
            self.emit(depth, f"{name} = {self.expr(2)}")
            self.assign(name)
        elif kind == "aug":
            name = self.var()
            op, operand = self.pick((("+=", self.expr(1)), ("-=", self.expr(1)), ("*=", self.pick(SMALL)),
                                     ("//=", self.pick(NONZERO)), ("%=", self.pick(NONZERO)),
                                     ("//=", self.atom())))
            self.emit(depth, f"{name} {op} {operand}")
        elif kind == "if":
            self.if_statement(depth, loops)
        elif kind == "assert":
            r = self.rng.random()
            test = self.fact(True) if r < 0.45 else self.fact(False) if r < 0.75 else self.comparison(1)
            self.emit(depth, f"assert {test}")
        elif kind == "loop":
            self.loop(depth)
        elif kind == "shadow":  # a module constant made local on one path: reading it may be unbound
            name = self.pick(CONSTANT_NAMES)
            self.emit(depth, f"if {self.condition(1)}:")
            self.emit(depth + 1, f"{name} = {self.expr(1)}")
            if name not in self.readable and name not in self.shaky:
                self.shaky.append(name)
        else:
            self.emit(depth, f"if {self.condition(1)}:")
            self.emit(depth + 1, f"return {self.expr(2)}")

    def if_statement(self, depth: int, loops: bool) -> None:
        before, shaky = list(self.readable), list(self.shaky)
        self.emit(depth, f"if {self.condition(2)}:")
        self.statements(depth + 1, self.rng.randint(1, 2), loops)
        yes = list(self.readable)
        self.readable, self.shaky = list(before), shaky
        no = list(before)
        if self.rng.random() < 0.6:
            self.emit(depth, "else:")
            self.statements(depth + 1, self.rng.randint(1, 2), loops)
            no = list(self.readable)
        self.readable = [v for v in yes if v in no]
        self.shaky += [v for v in yes + no if v not in self.readable and v not in self.shaky]

    def update(self, name: str) -> str:
        """An update of a loop-carried variable that grows it at most linearly per iteration."""
        e = self.expr(1)
        return self.pick((f"{name} += {e}", f"{name} -= {e}", f"{name} = max({name}, {e})",
                          f"{name} = min({name}, {e})", f"{name} = {name} // 2 + {e}",
                          f"{name} = ({name} * {self.pick(SMALL)} + {e}) % {self.pick(POSITIVE)}",
                          f"{name} = {e} if {self.condition(1)} else {name}"))

    def loop(self, depth: int) -> None:
        self.has_loop = True
        acc = self.new_name()
        self.emit(depth, f"{acc} = {self.expr(1)}")
        self.assign(acc)
        self.grown.add(acc)
        bound = self.rng.randint(1, 12 if self.in_loop else 20)
        a = self.var()
        kind = self.rng.choices(("for", "for3", "countdown", "halve", "guarded", "forever"),
                                (35, 12, 15, 8, 15, 6))[0]
        counter = None
        if kind == "for":
            stop = self.pick((f"{a} % {bound}", f"min({a}, {bound})", str(bound), f"abs({a}) % {bound}",
                              f"{bound} - {a} % {bound}"))
            counter = f"i{self.fresh}"
            self.emit(depth, f"for {counter} in range({stop}):")
        elif kind == "for3":
            step = self.pick(("1", "2", "-1", "-3", f"{self.var()} % 5 - 2"))
            counter = f"i{self.fresh}"
            stop = f"{self.var()} % {bound} - {bound // 2}"
            self.emit(depth, f"for {counter} in range({a} % {bound}, {stop}, {step}):")
        else:
            counter = f"n{self.fresh}"
            start = a if kind == "halve" else self.pick((f"abs({a}) % {bound}", f"{a} % {bound}"))
            self.emit(depth, f"{counter} = {start}")
            self.assign(counter)
            self.grown.add(counter)
            if kind == "countdown":
                self.emit(depth, f"while {counter} > 0:")
            elif kind == "halve":
                self.emit(depth, f"while {counter} != 0 and {counter} != -1:")
            elif kind == "guarded":
                self.emit(depth, f"while {counter} < {bound} and {self.condition(1)}:")
            else:
                target = self.rng.randint(0, 3)
                self.emit(depth, self.pick((f"while {counter} != 0:", f"while {counter} != {target}:",
                                            "while True:")))
        self.in_loop += 1
        if kind in ("for", "for3"):
            self.readable.append(counter)
        before = list(self.readable)
        body_depth = depth + 1
        if kind in ("countdown", "guarded", "halve", "forever"):
            step = {"countdown": f"{counter} -= {self.pick(('1', '2', f'1 + abs({self.var()}) % 3'))}",
                    "guarded": f"{counter} += 1", "halve": f"{counter} //= 2",
                    "forever": self.pick((f"{counter} -= 2", f"{counter} = ({counter} + 2) % {bound + 1}",
                                          f"{counter} = ({counter} + {self.var()}) % {bound + 1}"))}[kind]
            if kind == "forever" and self.lines[-1].endswith("while True:"):
                self.emit(body_depth, f"if {counter} % 3 == {self.pick(('0', '1', '2'))}:")
                self.emit(body_depth + 1, "break")
                step = f"{counter} += 0"
            self.emit(body_depth, step)
        self.emit(body_depth, self.update(acc))
        for _ in range(self.rng.randint(0, 2)):
            r = self.rng.random()
            if r < 0.3:
                self.emit(body_depth, f"if {self.condition(1)}:")
                self.emit(body_depth + 1, self.pick(("break", "continue", f"return {self.expr(1)}")))
            elif r < 0.55:
                self.emit(body_depth, f"assert {self.fact(self.rng.random() < 0.6)}")
            elif r < 0.7 and self.in_loop < 2:
                self.loop(body_depth)
            else:
                self.emit(body_depth, self.update(acc))
        self.in_loop -= 1
        after = [v for v in self.readable if v not in before]
        self.readable = [v for v in before if v != counter or kind not in ("for", "for3")]
        if kind in ("for", "for3"):
            self.shaky.append(counter)  # unbound after an empty range
        self.shaky += [v for v in after if v not in self.shaky]
        if self.rng.random() < 0.15:
            self.emit(depth, "else:")
            self.emit(depth + 1, self.update(acc))

    def function(self, params: list[tuple[str, str]], defaults: list[str]) -> Generated:
        self.readable = [p for p, _ in params]
        self.statements(1, self.rng.randint(1, 4), loops=True)
        r = self.rng.random()
        if r < 0.3:
            value = self.fact(self.rng.random() < 0.6)
        elif r < 0.5:
            value = self.pick(TRUE_RETURNS).format(a=self.operand(1), p=self.pick(POSITIVE))
        else:
            value = self.expr(2)
        self.emit(1, f"return {value}")
        if self.rng.random() < 0.05:  # unreachable, yet it makes the name local to the whole function
            name = self.pick(CONSTANT_NAMES)
            self.emit(1, self.pick((f"{name} = 0", f"del {name}", f"({name} := 0)")))
        written = [f"{p}: {kind}" for p, kind in params]
        for k, default in enumerate(defaults, start=len(params) - len(defaults)):
            written[k] += f" = {default}"
        signature = ", ".join(written)
        text = f"def {self.name}({signature}) -> int:\n" + "\n".join(self.lines) + "\n"
        return Generated(self.name, params, text, list(self.used), len(defaults))


def write_batch(seed: int, index: int, count: int) -> Batch:
    """`count` functions, determined by (seed, index) alone."""
    rng = random.Random(f"solomonic-soundness-python/{seed}/{index}")
    functions: list[Generated] = []
    simple: list[Generated] = []  # loop-, call- and stress-free: what later functions may call
    for k in range(count):
        arity = rng.choice((1, 1, 2, 2, 2, 3))
        names = ("x", "y", "z")[:arity]
        params = [(n, "bool" if rng.random() < 0.06 else "int") for n in names]
        # A default is evaluated once, where the def runs, in the module's scope (a local of the caller
        # with the same name as a module constant must not be what the callee gets).
        defaults = [rng.choice((*SMALL, *CONSTANT_NAMES)) for _ in range(rng.choice((0, 0, 0, 1, arity)))]
        writer = _Writer(rng, f"f{index * BATCH + k}", simple[-8:])
        generated = writer.function(params, defaults)
        ast.parse(generated.text)
        functions.append(generated)
        if not (writer.has_loop or writer.used or writer.stress):
            simple.append(generated)
    header = f'"""Written by solomonic.bench.soundness_python, seed {seed}, batch {index}."""\n\n{CONSTANTS}'
    return Batch(header, functions)


# ------------------------------------------------------------------------------------------- the inputs


def inputs(function: Generated, seed: int) -> list[list[int | bool]]:
    """The argument lists CPython runs `function` on: products of small values, each boundary value and
    each constant of the function (and its neighbours) in every position, and random values."""
    rng = random.Random(f"solomonic-soundness-python/{seed}/{function.name}/inputs")
    hints = sorted(_constants(function.text), key=lambda v: (abs(v), v))
    special = list(dict.fromkeys([*BOUNDARY, *hints]))
    arity = len(function.params)

    def some() -> int:
        r = rng.random()
        if r < 0.4:
            return rng.randint(-20, 20)
        if r < 0.6:
            return rng.randint(-1000, 1000)
        if r < 0.8:
            return rng.choice(special)
        return rng.choice((-1, 1)) * (2 ** rng.randint(30, 130) + rng.randint(-2, 2))

    core = CORE if arity < 3 else CORE[:5]
    rows = [list(r) for r in itertools.product(core, repeat=arity)]
    for value in special:
        for position in range(arity):
            row = [some() for _ in range(arity)]
            row[position] = value
            rows.append(row)
    rows += [[some() for _ in range(arity)] for _ in range(30)]
    for position, (_, kind) in enumerate(function.params):
        if kind == "bool":
            for row in rows:
                row[position] = bool(row[position] % 2)
    unique: dict[str, list[int | bool]] = {json.dumps(r): r for r in rows}
    return list(unique.values())


def _constants(text: str) -> set[int]:
    """The function's integer constants folded where they are `a ** b` or negated, with neighbours."""
    out: set[int] = set()
    for node in ast.walk(ast.parse(text)):
        value = None
        if isinstance(node, ast.Constant) and type(node.value) is int:
            value = node.value
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow) and all(
                isinstance(n, ast.Constant) and type(n.value) is int for n in (node.left, node.right)) \
                and 0 <= node.right.value <= 64:
            value = node.left.value ** node.right.value
        if value is not None:
            out |= {value - 1, value, value + 1, -value - 1, -value, -value + 1}
    return out


# -------------------------------------------------------------------------------------------- the runs

# Runs in a fresh interpreter: argv = plan file, output file, index of the first function to run. One
# line when a function starts and one with its outcomes when it ends, so that the parent can tell which
# function a crash or a hang in compiled code happened in, and start again after it.
_RUNNER = r"""
import importlib.util, json, resource, signal, sys
plan_path, out_path, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(plan_path) as f:
    plan = json.load(f)
limit = plan["memory_mb"] << 20
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
getattr(sys, "set_int_max_str_digits", lambda digits: None)(0)  # Python 3.11+: repr of big ints
spec = importlib.util.spec_from_file_location("solomonic_soundness_batch", plan["module"])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)

class Hang(BaseException):
    pass

def expire(signum, frame):
    raise Hang

signal.signal(signal.SIGVTALRM, expire)
out = open(out_path, "a")
for item in plan["functions"][start:]:
    out.write(json.dumps({"begin": item["name"]}) + "\n")
    out.flush()
    signal.alarm(item["wall"])
    function = getattr(module, item["name"])
    outcomes, hangs = [], 0
    for args, bound in item["rows"]:
        if hangs >= plan["hangs_before_short"] and bound <= plan["sample_bound"]:
            bound = min(bound, plan["short_bound"])
        result = None
        try:
            signal.setitimer(signal.ITIMER_VIRTUAL, bound)
            try:
                value = function(*args)
                result = ["ret", bool(value), repr(value)[:80]]
            finally:
                signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        except Hang:
            if result is None:
                result = ["hang", bound]
                hangs += 1
        except BaseException as exc:
            result = ["raise", type(exc).__name__, str(exc)[:80]]
        outcomes.append(result)
    out.write(json.dumps({"end": item["name"], "outcomes": outcomes}) + "\n")
    out.flush()
signal.alarm(0)
"""


class _RunnerItem(TypedDict):
    name: str
    rows: list[tuple[list, float]]
    wall: int


def run_rows(module: Path, plan: dict[str, list[tuple[list, float]]], workdir: Path) -> dict[str, list]:
    """Each function of `plan` called on its rows (arguments, CPU-second bound) in a separate interpreter.

    An outcome is ["ret", truthy, repr], ["raise", exception, message] or ["hang", bound]. A function
    whose runner died or overran its wall-clock allowance gets ["crash", what happened] for every row."""
    # A function's wall-clock allowance (SIGALRM, whose default action ends the runner even inside a long
    # big-integer operation, which SIGVTALRM cannot interrupt): far above its rows' CPU bounds.
    items = [_RunnerItem(name=name, rows=rows, wall=int(WALL_BASE_S + 3 * sum(b for _, b in rows)))
             for name, rows in plan.items()]
    plan_path, out_path = workdir / "plan.json", workdir / "outcomes.jsonl"
    plan_path.write_text(json.dumps({"module": str(module), "functions": items, "memory_mb": RUNNER_MEMORY_MB,
                                     "sample_bound": SAMPLE_BOUND_S, "short_bound": SHORT_BOUND_S,
                                     "hangs_before_short": HANGS_BEFORE_SHORT}))
    out_path.write_text("")
    results: dict[str, list] = {}
    start = 0
    while start < len(items):
        allowance = WALL_BASE_S + sum(item["wall"] for item in items[start:])
        failure = ""
        try:
            done = subprocess.run([sys.executable, "-c", _RUNNER, str(plan_path), str(out_path), str(start)],
                                  timeout=allowance, capture_output=True, text=True, stdin=subprocess.DEVNULL)
            if done.returncode == -signal.SIGALRM:
                failure = "the runner was still in this function at its wall-clock allowance"
            elif done.returncode != 0:
                failure = f"the runner exited with status {done.returncode}: {done.stderr.strip()[-300:]}"
        except subprocess.TimeoutExpired:
            failure = f"the runner was still going after {allowance:.0f} s of wall-clock time"
        begun = None
        for line in out_path.read_text().splitlines():
            record = json.loads(line)
            if "begin" in record:
                begun = record["begin"]
            else:
                results[record["end"]] = record["outcomes"]
                begun = None
        if begun is not None:
            results[begun] = [["crash", failure or "the runner stopped in this function"]] * len(plan[begun])
        elif failure:  # died before its first function: the module itself cannot be run
            for item in items[start:]:
                results.setdefault(item["name"], [["crash", failure]] * len(item["rows"]))
        start = len(results)
    return results


# ------------------------------------------------------------------------------------------- the judge


def violates(prop: str, outcome: list) -> bool:
    """Whether one run shows `prop` failing: an escaping exception (assert), a false return
    (returns-true), still running at its bound (terminates). A run the judge could not finish (its
    interpreter died) counts against every property: it is reported, never silently passed."""
    kind = outcome[0]
    if kind == "crash":
        return True
    if prop == "assert":
        return kind == "raise"
    if prop == "returns-true":
        return kind == "ret" and not outcome[1]
    return kind == "hang"


def _shown(function: Generated, args: list) -> str:
    return ", ".join(f"{p}={a!r}" for (p, _), a in zip(function.params, args))


def _observed(outcome: list) -> str:
    kind = outcome[0]
    if kind == "ret":
        return f"returned {outcome[2]}"
    if kind == "raise":
        return f"raised {outcome[1]}" + (f": {outcome[2]}" if outcome[2] else "")
    if kind == "hang":
        return f"was still running after {outcome[1]:g} s of CPU time"
    return f"crashed: {outcome[1]}"


def _witness_args(function: Generated, witness: dict | None) -> list | None:
    values = (witness or {}).get("inputs")
    if not isinstance(values, dict) or any(p not in values for p, _ in function.params):
        return None
    return [bool(values[p]) if kind == "bool" else int(values[p]) for p, kind in function.params]


def judge(batch: Batch, module: Path, results: dict[str, list], seed: int, workdir: Path) -> list[dict]:
    """The disagreements between `check`'s answers (property -> Results) and CPython's runs."""
    by_name = {f.name: f for f in batch.functions}
    samples = {f.name: inputs(f, seed) for f in batch.functions}
    plan: dict[str, list[tuple[list, float]]] = {name: [(r, SAMPLE_BOUND_S) for r in rows]
                                                 for name, rows in samples.items()}
    disagreements: list[dict] = []

    def disagree(name: str, prop: str, verdict: str, evidence: str) -> None:
        disagreements.append({"program": batch.program(name), "function": name, "property": prop,
                              "verdict": verdict, "evidence": evidence})

    witnesses: list[tuple[str, str, int]] = []  # (function, property, row index)
    for prop, answers in results.items():
        for r in answers:
            if r.verdict.value != "no":
                continue
            args = _witness_args(by_name[r.function], r.witness)
            replay = (r.witness or {}).get("replay", {})
            if args is None or replay.get("confirmed") is not True:
                disagree(r.function, prop, "no", "the witness is incomplete or its replay was not confirmed: "
                         + json.dumps(r.witness)[:500])
                continue
            witnesses.append((r.function, prop, len(plan[r.function])))
            plan[r.function].append((args, LONG_BOUND_S))
    outcomes = run_rows(module, plan, workdir)
    for name, prop, index in witnesses:
        outcome = outcomes[name][index]
        if not violates(prop, outcome):
            disagree(name, prop, "no", f"the witness ({_shown(by_name[name], plan[name][index][0])}) "
                                       f"{_observed(outcome)} here")
    suspects: dict[str, list[tuple[list, float]]] = {}
    for prop, answers in results.items():
        for r in answers:
            if r.verdict.value != "yes":
                continue
            rows = samples[r.function]
            bad = [(rows[i], o) for i, o in enumerate(outcomes[r.function][:len(rows)]) if violates(prop, o)]
            if prop == "terminates" and bad:
                suspects[r.function] = [(args, LONG_BOUND_S) for args, _ in bad[:3]]
            elif bad:
                args, outcome = bad[0]
                example = f"({_shown(by_name[r.function], args)}) {_observed(outcome)}"
                disagree(r.function, prop, "yes", f"{len(bad)} of {len(rows)} runs violate it: {example}")
    if suspects:
        again = run_rows(module, suspects, workdir)
        for name, rows in suspects.items():
            still = [(args, o) for (args, _), o in zip(rows, again[name]) if violates("terminates", o)]
            if still:
                args, outcome = still[0]
                disagree(name, "terminates", "yes", f"the run ({_shown(by_name[name], args)}) "
                                                    f"{_observed(outcome)}")
    return disagreements


# ---------------------------------------------------------------------------------------- the campaign


def campaign(count: int, seed: int, timeout_s: float, jobs: int,
             on_progress: Callable[[int], None] | None = None) -> dict:
    """Write `count` functions from `seed`, ask `check` every property of each, judge every answer."""
    started = time.monotonic()
    parts = []
    with tempfile.TemporaryDirectory(prefix="solomonic-soundness-") as folder:
        for index in range((count + BATCH - 1) // BATCH):
            size = min(BATCH, count - index * BATCH)
            parts.append(run_batch(seed, index, size, timeout_s, jobs, Path(folder)))
            if on_progress is not None:
                on_progress(sum(p["functions"] for p in parts))
    return summary(parts, time.monotonic() - started)


def run_batch(seed: int, index: int, count: int, timeout_s: float, jobs: int, workdir: Path) -> dict:
    """One file of the campaign: its verdict counts per property, its unknowns' reasons, and its
    disagreements. Batches depend on (seed, index) alone, so a long campaign can be run in pieces."""
    from solomonic.reason.api import check

    batch = write_batch(seed, index, count)
    module = workdir / f"batch_{seed}_{index}.py"
    module.write_text(batch.source)
    results = {prop: check(str(module), property=prop, timeout=timeout_s, jobs=jobs) for prop in PROPERTIES}
    verdicts = {prop: Counter(r.verdict.value for r in answers) for prop, answers in results.items()}
    reasons = Counter(_reason_kind(r.reason) for answers in results.values() for r in answers
                      if r.verdict.value == "unknown")
    return {"functions": len(batch.functions), "verdicts": {p: dict(c) for p, c in verdicts.items()},
            "unknown_reasons": dict(reasons), "disagreements": judge(batch, module, results, seed, workdir)}


def summary(parts: list[dict], seconds: float) -> dict:
    """The campaign's result from its batches' (`run_batch`)."""
    verdicts = ("yes", "no", "unknown")
    by_property = {prop: {v: sum(p["verdicts"][prop].get(v, 0) for p in parts) for v in verdicts}
                   for prop in PROPERTIES}
    reasons: Counter = Counter()
    for p in parts:
        reasons.update(p["unknown_reasons"])
    return {
        "questions": sum(sum(counts.values()) for counts in by_property.values()),
        **{v: sum(counts[v] for counts in by_property.values()) for v in ("yes", "no", "unknown")},
        "by_property": by_property,
        "disagreements": [d for p in parts for d in p["disagreements"]],
        "seconds": round(seconds, 1),
        "unknown_reasons": dict(reasons.most_common(20)),
    }


def _reason_kind(reason: str) -> str:
    """An unknown's reason without its file and line, so that like reasons count together."""
    if reason.startswith("unsupported at "):
        return "unsupported: " + reason.split(": ", 1)[-1][:80]
    if reason.startswith("timeout"):
        return "timeout"
    return reason[:80]
