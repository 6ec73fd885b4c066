"""Recursion as loops: a program's recursive procedures unfolded into one call-free graph.

An infinite run of a program with recursive procedures either stays forever in one activation's body
or goes down an infinite chain of calls, each made once the earlier calls of its activation have
returned (König's lemma: an activation makes finitely many calls before it stays or descends). The
unfolding has both. At each call it either descends into the callee, the callee's parameters set to the
arguments (the caller's frame is never needed again on that chain), or steps over the call, the result
being any value the callee's summary allows, and so is each variable the call copies back (the memory
a pointer parameter reaches, Call.copied_back) where the callee or a procedure it calls may change it
(an activation's own variables are untouched by its callees). So if the unfolding terminates, so does
the program, and a recursive cycle is a loop over its procedures' entries, ranked like any other loop.

A summary relates a procedure's result, and what it leaves in the memory it copies back, to its
parameters' values on entry (ghost copies `g.n#0`), as facts about the integers. It is an invariant of
the procedure's return, an observed cutpoint of the unfolding: it then holds of every activation that
returns (by induction on the depth of calls), which is all that a step over a call needs.

A lasso of the unfolding only suggests non-termination (its steps over calls assume results that a
real call may never return). `repeated_activation` runs the program itself, calls and all, on the
lasso's inputs and values: a call repeating an activation still on the stack is infinite recursion.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from solomonic.reason.ir import (
    BOOL,
    INT,
    TRUE,
    Assign,
    Assume,
    BVType,
    Call,
    Cfg,
    Const,
    Event,
    Expr,
    Function,
    Havoc,
    IntType,
    Procedure,
    Var,
    arith,
    cast,
    compare,
    conj,
    const,
    free_vars,
    negate,
    substitute,
)
from solomonic.reason.ir.evaluate import Value, default_value
from solomonic.reason.ir.interpret import Trace, run
from solomonic.reason.symbolic.system import loop_heads

LARGEST_CONSTANT = 1 << 20  # larger constants in a body are not tried as bounds of a result
# How the values the unfolding chooses (to descend or step over, a result) are named among a run's reads,
# apart from the program's own nondeterministic values, which a witness shows and a replay feeds back.
CHOSEN_BY_UNFOLDING = "chosen by the unfolding: "
SUMMARY_BROKEN = "summary"  # the event of a return that breaks its procedure's summary (`unfold`)
OWN_LOOP_PASSES = 5000  # passes through the function's own loop heads in which a repeated state is looked for


@dataclass(frozen=True)
class Bound:
    """sum(c * v) + constant  `op`  0 over the integers, op one of ge, eq."""

    terms: tuple[tuple[str, int], ...]
    constant: int
    op: str

    def to_json(self) -> list:
        return [dict(self.terms), self.constant, self.op]

    @staticmethod
    def from_json(d: list) -> Bound:
        return Bound(tuple(sorted((str(k), int(v)) for k, v in d[0].items())), int(d[1]), str(d[2]))

    def text(self) -> str:
        """As a person writes it: `result - n >= -10` (the procedure's prefix and the ghost mark dropped)."""
        def name(v: str) -> str:
            v = v.split(".", 1)[-1]
            for mark, shown in (("$mem#0", "entry(*{})"), ("$mem", "*{}"), ("$live#0", "entry(live {})"),
                                ("$live", "live {}")):
                if v.endswith(mark):  # what a pointer parameter reaches, at the return or on entry
                    return shown.format(v.removesuffix(mark))
            v = v.removesuffix("#0")
            return "result" if v == "$return" else v

        terms = " + ".join(f"{c}*{name(v)}" if c not in (1, -1) else f"{'-' if c < 0 else ''}{name(v)}"
                           for v, c in self.terms).replace("+ -", "- ")
        return f"{terms or 0} {'>=' if self.op == 'ge' else '=='} {-self.constant}"

    def expr(self, variables: dict[str, Var]) -> Expr:
        total: Expr = const(self.constant, INT)
        for name, c in self.terms:
            total = arith("add", total, arith("mul", const(c, INT), _integer(variables[name])))
        return compare(self.op, total, const(0, INT))


@dataclass(frozen=True)
class Fact:
    """A summary fact: `premise -> conclusion`, or the conclusion alone."""

    conclusion: Bound
    premise: Bound | None = None

    def to_json(self) -> dict:
        return {"conclusion": self.conclusion.to_json(),
                **({"premise": self.premise.to_json()} if self.premise else {})}

    @staticmethod
    def from_json(d: dict) -> Fact:
        premise = Bound.from_json(d["premise"]) if "premise" in d else None
        return Fact(Bound.from_json(d["conclusion"]), premise)

    def text(self) -> str:
        return f"{self.premise.text()} -> {self.conclusion.text()}" if self.premise else self.conclusion.text()

    def expr(self, variables: dict[str, Var]) -> Expr:
        conclusion = self.conclusion.expr(variables)
        if self.premise is None:
            return conclusion
        return negate(conj(self.premise.expr(variables), negate(conclusion)))


@dataclass
class Unfolding:
    function: Function  # call-free
    returns: dict[str, int]  # procedure -> the observed cutpoint where it returns
    observed: dict[int, set[Var]]  # observed cutpoint -> the ghosts and the result kept there
    summaries: dict[str, list[Fact]]
    original: Function  # the function with its procedures, for concrete runs
    starts: dict[str, int]  # procedure -> the location where each of its activations starts
    tabulated: dict[str, list[Fact]] = field(default_factory=dict)  # the summaries' facts from tables

    def plain(self) -> dict[str, list[Fact]]:
        """The summaries less their tabulated facts."""
        return {name: [f for f in facts if f not in self.tabulated.get(name, [])]
                for name, facts in self.summaries.items()}

    def summary_variables(self, name: str) -> dict[str, Var]:
        return {v.name: v for v in self.observed[self.returns[name]]}


def ghost(v: Var) -> Var:
    return Var(f"{v.name}#0", v.type)


def unfold(function: Function, summaries: dict[str, list[Fact]], calls_return: bool = True,
           check_summaries: bool = False) -> Unfolding:
    """The call-free graph of `function` and its procedures; steps over a call assume the callee's summary.
    Locations do not depend on the summaries (a certificate names them).

    Without `calls_return`, every call descends and none is stepped over: the graph runs the program's
    first-call chain, each activation up to its first call, then the callee's. A run of it that never
    leaves is a chain of calls none of which returns (the descent search, descent.py).

    With `check_summaries`, a return that breaks its procedure's summary is an event of its own
    (`SUMMARY_BROKEN`): a safety proof that it is unreachable proves the summaries the steps over calls
    assume (by induction on the order in which activations return), with the rest of the property."""
    cfg = Cfg(entry=function.cfg.entry, lines=list(function.cfg.lines), events=dict(function.cfg.events))
    starts, returns, offsets, observed = {}, {}, {}, {}
    returned = {}
    for name, proc in sorted(function.procedures.items()):
        offsets[name] = len(cfg.lines)
        cfg.lines += proc.cfg.lines
        cfg.events.update({loc + offsets[name]: ev for loc, ev in proc.cfg.events.items() if ev.kind != "return"})
        starts[name] = cfg.new_location(proc.line)
        returns[name] = cfg.new_location(proc.line)
        returned[name] = cfg.sink(Event("return", proc.line, f"{name}() returns"))
        observed[returns[name]] = {ghost(p) for p in proc.params} | ({proc.result} if proc.result else set()) | \
            {v for pointer in proc.pointers for v in pointer.copied_back}
    variables = {name: {v.name: v for v in observed[returns[name]]} for name in function.procedures}
    summary = {name: conj(*[f.expr(variables[name]) for f in summaries.get(name, [])]) for name in returns}
    checked = {name for name in returns if check_summaries and summary[name] != TRUE}
    for name, proc in sorted(function.procedures.items()):
        cfg.add(returns[name], returned[name], Assume(summary[name]) if name in checked else None, proc.line)
    for name, proc in sorted(function.procedures.items()):
        at = starts[name]
        for p in proc.params:  # the parameters' values on entry, for the summary
            nxt = cfg.new_location(proc.line)
            cfg.add(at, nxt, Assign(ghost(p), p), proc.line)
            at = nxt
        cfg.add(at, proc.cfg.entry + offsets[name], None, proc.line)
    changed = changed_parameters(function)
    sites = 0
    for offset, proc in [(0, None), *[(offsets[n], p) for n, p in sorted(function.procedures.items())]]:
        graph = function.cfg if proc is None else proc.cfg
        for e in graph.edges:
            src, dst = e.src + offset, e.dst + offset
            if proc is not None and graph.events.get(e.dst, Event("stop", 0, "")).kind == "return":
                dst = returns[proc.name]
            if not isinstance(e.stmt, Call):
                cfg.add(src, dst, e.stmt, e.line)
                continue
            sites += 1
            callee = function.procedures[e.stmt.callee]
            at = src
            arguments = {}
            for p, a in zip(callee.params, e.stmt.args):  # evaluated before the callee's parameters change
                arguments[p] = Var(f"call{sites}.{p.name}", p.type)
                nxt = cfg.new_location(e.line)
                cfg.add(at, nxt, Assign(arguments[p], a), e.line)
                at = nxt
            # The choice is a nondeterministic value, not two unguarded edges: paths out of one location
            # must differ in their conditions for a block's paths to merge (system.py).
            if not calls_return:
                _descend(cfg, at, callee, arguments, starts[callee.name], e.line)
                continue
            descends = Var(f"call{sites}.descends", BOOL)
            chosen = cfg.new_location(e.line)
            cfg.add(at, chosen, Havoc(descends, f"{CHOSEN_BY_UNFOLDING}whether to descend into `{callee.name}`"), e.line)
            into, over = cfg.new_location(e.line), cfg.new_location(e.line)
            cfg.add(chosen, into, Assume(descends), e.line)
            cfg.add(chosen, over, Assume(negate(descends)), e.line)
            _descend(cfg, into, callee, arguments, starts[callee.name], e.line)
            _step_over(cfg, over, dst, callee, arguments, e.stmt.target, e.stmt.copied_back, changed[callee.name],
                       summaries.get(callee.name, []), variables[callee.name], e.line)
    for name in sorted(checked):  # last, so that the other locations are the same whatever the summaries
        line = function.procedures[name].line
        broken = cfg.sink(Event(SUMMARY_BROKEN, line, f"{name}() returns against its summary"))
        cfg.add(returns[name], broken, Assume(negate(summary[name])), line)
    unfolded = Function(function.name, function.language, function.file, function.line, function.inputs, cfg,
                        function.returns_value, function.data_model, function.data_model_dependent,
                        function.replay_context)
    return Unfolding(unfolded, returns, observed, summaries, function, starts)


def _descend(cfg: Cfg, at: int, callee: Procedure, arguments: dict[Var, Var], start: int, line: int) -> None:
    for p in callee.params:
        nxt = cfg.new_location(line)
        cfg.add(at, nxt, Assign(p, arguments[p]), line)
        at = nxt
    cfg.add(at, start, None, line)


def changed_parameters(function: Function) -> dict[str, set[Var]]:
    """Per procedure, the parameters an activation may change before it returns: those its body writes,
    and those a call copies a changed parameter of its callee back into, to a fixed point."""
    changed = {name: {e.stmt.target for e in proc.cfg.edges if isinstance(e.stmt, (Assign, Havoc))}
               & set(proc.params) for name, proc in function.procedures.items()}
    grown = True
    while grown:
        grown = False
        for name, proc in function.procedures.items():
            for e in proc.cfg.edges:
                if isinstance(e.stmt, Call):
                    more = {mine for mine, param in e.stmt.copied_back if param in changed[e.stmt.callee]}
                    more = (more & set(proc.params)) - changed[name]
                    if more:
                        changed[name] |= more
                        grown = True
    return changed


def _step_over(cfg: Cfg, at: int, dst: int, callee: Procedure, arguments: dict[Var, Var], target: Var | None,
               copied_back: tuple[tuple[Var, Var], ...], changed: set[Var], facts: list[Fact],
               variables: dict[str, Var], line: int) -> None:
    """The call returns: its result, and the memory it copies back where the callee may change it, any
    value its summary allows (each fact whose variables the call gives)."""
    mapping: dict[Var, Expr] = {ghost(p): a for p, a in arguments.items()}
    for mine, param in copied_back:
        mapping[param] = mine
        if param in changed:
            nxt = cfg.new_location(line)
            cfg.add(at, nxt, Havoc(mine, f"{CHOSEN_BY_UNFOLDING}`{mine.name}` after `{callee.name}`"), line)
            at = nxt
    if target is not None:
        nxt = cfg.new_location(line)
        cfg.add(at, nxt, Havoc(target, f"{CHOSEN_BY_UNFOLDING}the result of `{callee.name}`"), line)
        at = nxt
        if callee.result is not None:
            mapping[callee.result] = target
    known = set(mapping)
    assumed = conj(*[substitute(e, mapping) for f in facts if free_vars(e := f.expr(variables)) <= known])
    cfg.add(at, dst, Assume(assumed) if assumed != TRUE else None, line)


# ----------------------------------------------------------------------------------- candidate facts


def program_values(unfolding: Unfolding, inputs: Mapping[Var, Value], oracle: Callable, cutpoints: set[int],
                   max_steps: int) -> list[Value]:
    """Run the unfolding on a lasso's inputs and values and keep the values the program itself reads
    (not the unfolding's choices and stepped-over results): what a run of the program, calls and all,
    is given (`repeated_activation`, `own_loop_cycle`). (`oracle` numbers the unfolding's steps by
    `cutpoints` passed, as bounded model checking does.)"""
    program = unfolding.original
    own = {e.stmt for cfg in [program.cfg, *(p.cfg for p in program.procedures.values())]
           for e in cfg.edges if isinstance(e.stmt, Havoc)}
    values: list[Value] = []

    def keeping(edge: int, step: int, stmt: Havoc) -> Value:
        value = oracle(edge, step, stmt)
        if stmt in own:
            values.append(value)
        return value

    run(unfolding.function, dict(inputs), keeping, cutpoints, max_steps=max_steps)
    return values


def repeated_activation(program: Function, inputs: Mapping[Var, Value], values: list[Value], max_steps: int) -> Trace:
    """The program run on `values` (defaults once they run out: the trace records every value read, so
    the outcome is exact whatever they were). Its trace ends in a repeated activation ("recursion"), or
    shows why not."""
    queue = iter(values)
    return run(program, dict(inputs), lambda edge, step, stmt: next(queue, default_value(stmt.target.type)), set(),
               max_steps=max_steps)


def own_loop_heads(program: Function) -> set[int]:
    """The heads of the function's own loops (its body's, not its procedures'): a run observes its state
    there while no call is running."""
    return loop_heads(program.cfg, program.cfg.successors())


@dataclass
class OwnLoopCycle:
    """A run of the program itself, calls and all, that comes back to the same state at one of the
    function's own loop heads with every call it made returned (`while (x == 1) {}` once `set(&x, n)`
    returned): a state of the function's body alone, so reading again the values read in between
    (`reads[start:end]`) repeats the stretch forever."""

    trace: Trace
    start: int  # values read before the first visit
    end: int  # values read before the second
    passes: tuple[int, int]  # the visits' numbers among the passes through the own loops' heads
    line: int



def own_loop_cycle(program: Function, inputs: Mapping[Var, Value], values: list[Value],
                   max_steps: int) -> OwnLoopCycle | None:
    """The program run on `values` (defaults once they run out), its state observed at its own loop
    heads for the first OWN_LOOP_PASSES passes; the first state that comes back, or None."""
    queue, read, passes = iter(values), 0, 0
    seen: dict[tuple, tuple[int, int]] = {}
    found: list[tuple[tuple[int, int], tuple[int, int], int]] = []

    def supply(edge: int, step: int, stmt: Havoc) -> Value:
        nonlocal read
        read += 1
        return next(queue, default_value(stmt.target.type))

    def observe(loc: int, env: dict[Var, Value]) -> None:
        nonlocal passes
        passes += 1
        if found or passes > OWN_LOOP_PASSES:
            return
        key = (loc, tuple(sorted((v.name, value) for v, value in env.items())))
        if key in seen:
            found.append((seen[key], (passes, read), loc))
        else:
            seen[key] = (passes, read)

    heads = own_loop_heads(program)
    trace = run(program, dict(inputs), supply, heads, max_steps=max_steps, observe=observe)
    if not found:
        return None
    (first, start), (second, end), loc = found[0]
    return OwnLoopCycle(trace, start, end, (first, second), program.cfg.lines[loc])


def candidate_facts(proc: Procedure) -> list[Fact]:
    """What a summary may say: the result against the body's constants and against each parameter plus
    or minus one, against the elements from where a pointer parameter points to its object's end (a
    string's length: `result <= size - offset - 1`), and equalities under the body's own tests of a
    parameter, or of what a pointer parameter reaches, against a constant (the base cases:
    `i <= 0 -> result == 0`)."""
    params = [ghost(p).name for p in proc.params if numeric(p) and p not in proc.memory]
    constants = sorted({0, 1, -1} | body_constants(proc.cfg))
    # the one-element objects' entry values stand beside the parameters in the base cases
    # (`entry(*p) <= -1 -> result == entry(*p)`, `entry(*p) >= 0 -> result == -1`)
    held = [ghost(pointer.contents).name for pointer in proc.pointers if numeric(pointer.contents)]
    premises = _tests(proc, params + held)
    memory = _memory_facts(proc, params, constants, premises)
    if proc.result is None or not numeric(proc.result):
        return memory
    r = proc.result.name
    plain: list[Bound] = []
    for k in constants:
        plain += [Bound(((r, 1),), -k, "ge"), Bound(((r, -1),), k, "ge")]
    for p in params:
        for k in sorted({*constants, *(-k for k in constants)}):
            plain += [Bound(tuple(sorted(((r, 1), (p, -1)))), -k, "ge"),
                      Bound(tuple(sorted(((r, -1), (p, 1)))), k, "ge")]
    for pointer in proc.pointers:
        o, z = ghost(pointer.offset).name, ghost(pointer.size).name
        plain += [Bound(tuple(sorted(((r, -1), (z, 1), (o, -1)))), k, "ge") for k in (-1, 0)]
        if numeric(pointer.contents):
            m = pointer.contents.name
            plain += [Bound(tuple(sorted(((r, 1), (m, -1)))), 0, op) for op in ("ge", "eq")] + \
                [Bound(tuple(sorted(((r, -1), (m, 1)))), 0, "ge")]
    equalities = [Bound(((r, 1),), -k, "eq") for k in constants] + \
        [Bound(tuple(sorted(((r, 1), (p, -1)))), -k, "eq") for p in params + held for k in (-1, 0, 1)]
    return memory + [Fact(b) for b in plain] + [Fact(b, p) for p in premises for b in equalities]


def _memory_facts(proc: Procedure, params: list[str], constants: list[int], premises: list[Bound]) -> list[Fact]:
    """What a call leaves in the one-element objects its pointer parameters reach, against what they
    held on entry: unchanged, or moved by at most one or by a parameter (`*p == entry(*p) + n`), or
    against the body's constants; that memory freed stays freed (live never grows back); and under the
    body's tests, unchanged or set from a parameter (`i >= 0 -> *op == entry(*op)`, `i <= -1 ->
    *op == entry(i) + 1`)."""
    out: list[Bound] = []
    cases: list[Bound] = []
    for pointer in proc.pointers:
        if pointer.live is not None:
            live, entry = pointer.live.name, ghost(pointer.live).name
            out += [Bound(tuple(sorted(((live, -1), (entry, 1)))), 0, "ge"),
                    Bound(tuple(sorted(((live, 1), (entry, -1)))), 0, "eq")]
        if not numeric(pointer.contents):
            continue
        m, m0 = pointer.contents.name, ghost(pointer.contents).name
        for k in (-1, 0, 1):
            out += [Bound(tuple(sorted(((m, 1), (m0, -1)))), -k, "ge"), Bound(tuple(sorted(((m, -1), (m0, 1)))), k, "ge")]
        out.append(Bound(tuple(sorted(((m, 1), (m0, -1)))), 0, "eq"))
        for p in params:
            for sign in (1, -1):
                out.append(Bound(tuple(sorted(((m, 1), (m0, -1), (p, -sign)))), 0, "eq"))
        for k in constants:
            out += [Bound(((m, 1),), -k, "ge"), Bound(((m, -1),), k, "ge")]
        cases.append(Bound(tuple(sorted(((m, 1), (m0, -1)))), 0, "eq"))
        cases += [Bound(tuple(sorted(((m, 1), (p, -1)))), -k, "eq") for p in params for k in (-1, 0, 1)]
    return [Fact(b) for b in out] + [Fact(b, p) for p in premises for b in cases]


def numeric(v: Var) -> bool:
    return isinstance(v.type, (BVType, IntType))


def _integer(v: Var) -> Expr:
    return v if isinstance(v.type, IntType) else cast(v, INT)


def body_constants(cfg: Cfg) -> set[int]:
    out: set[int] = set()

    def visit(e: Expr) -> None:
        if isinstance(e, Const) and isinstance(e.type, (BVType, IntType)) and abs(e.value) <= LARGEST_CONSTANT:
            out.add(e.value)
        for a in getattr(e, "args", ()):
            visit(a)

    for edge in cfg.edges:
        s = edge.stmt
        if isinstance(s, Assume):
            visit(s.cond)
        elif isinstance(s, Assign):
            visit(s.value)
        elif isinstance(s, Call):
            for a in s.args:
                visit(a)
    return out


def _tests(proc: Procedure, params: list[str]) -> list[Bound]:
    """The body's comparisons of a parameter with a constant, each as `p - k >= 0`, `k - p >= 0` or `p == k`."""
    names = {p.name: ghost(p).name for p in proc.params if ghost(p).name in params}
    out: list[Bound] = []
    for e in proc.cfg.edges:
        if not isinstance(e.stmt, Assume):
            continue
        cond = e.stmt.cond
        while getattr(cond, "op", None) == "not":
            cond = cond.args[0]  # type: ignore[union-attr]
        op = getattr(cond, "op", None)
        if op not in ("lt", "le", "gt", "ge", "eq", "ne"):
            continue
        a, b = cond.args  # type: ignore[union-attr]
        if isinstance(a, Const):
            a, b = b, a
        if not (isinstance(a, Var) and a.name in names and isinstance(b, Const)):
            continue
        k = b.value
        p = names[a.name]
        for bound in (Bound(((p, 1),), -k, "ge"), Bound(((p, -1),), k, "ge"), Bound(((p, 1),), -k, "eq"),
                      Bound(((p, 1),), -k - 1, "ge"), Bound(((p, -1),), k - 1, "ge")):
            if bound not in out:
                out.append(bound)
    return out
