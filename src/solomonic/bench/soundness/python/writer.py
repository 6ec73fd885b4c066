"""The random Python writer: one file of functions, determined by (seed, index) alone.

A running campaign's cache depends on every batch being written the same, draw for draw: the writer is
kept apart from the runs and the judge so that a change to how answers are judged cannot touch what is
written.
"""

from __future__ import annotations

import ast
import random
from collections.abc import Callable
from dataclasses import dataclass, field

BATCH = 100  # functions per file: one `check` call per property answers a whole file

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

    def function(self, params: list[tuple[str, str]], defaults: list[str], untyped: set[str]) -> Generated:
        """The function, its parameters annotated with their kinds except those in `untyped`, written as
        people write Python: the tool then assumes they are ints, and the judge passes ints."""
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
        written = [p if p in untyped else f"{p}: {kind}" for p, kind in params]
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
        untyped = {n for n, kind in params if kind == "int" and rng.random() < 0.3}
        # A default is evaluated once, where the def runs, in the module's scope (a local of the caller
        # with the same name as a module constant must not be what the callee gets).
        defaults = [rng.choice((*SMALL, *CONSTANT_NAMES)) for _ in range(rng.choice((0, 0, 0, 1, arity)))]
        writer = _Writer(rng, f"f{index * BATCH + k}", simple[-8:])
        generated = writer.function(params, defaults, untyped)
        ast.parse(generated.text)
        functions.append(generated)
        if not (writer.has_loop or writer.used or writer.stress):
            simple.append(generated)
    # The module's name as it was when the campaign began: a batch's text must not change.
    header = f'"""Written by solomonic.bench.soundness_python, seed {seed}, batch {index}."""\n\n{CONSTANTS}'
    return Batch(header, functions)
