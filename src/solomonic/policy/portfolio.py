"""One satisfiability query, decided by z3 in four equivalent forms, each in growing deterministic slices.

Why several forms: z3's string solver decides a query over the request by one of several routes, and which
route is fast depends on the query, not on its meaning. As written (`as_written`), z3's rewriter turns a membership in
`"lit".*` into `prefixof("lit", x)`, a word equation: fast where a pattern meets equalities (`iam:*` beside
`iam:CreateUser`), hopeless where several such memberships are negated together (an EC2 instance ARN outside
five `arn:...:subnet/*`-like patterns: no answer in 15 s). In `monadic` form every constraint on a string is a
positive regular membership (`x in R`, `x in complement(R)` for `not (x in R)` and `x != "lit"`), which z3's monadic
regular-expression solver decides by derivatives: 0.03 s for that query, but seconds where the first form
takes milliseconds. Neither decides a pattern that embeds a policy variable (`home/${aws:username}/*x` inside
`home/${aws:username}/*`: no answer in 60 s); `equational` writes those as prefix, suffix and ordered
occurrences (0.02 s). A realistic try, whose action and resource are fixed, is fastest once those values are
propagated through the policies (`propagated`). No form wins everywhere, so each slice tries all four.

Why slices of `rlimit`: z3's resource counter, not the clock, ends each try, so the answer does not depend on
how busy the machine is (a wall-clock budget made answers flip under load). The question's budget
(`Deadline`) still bounds the whole question: it caps every try, and a watchdog interrupts z3 when it is
spent. That budget is CPU time for the same reason (`Deadline`).

The forms have the same models over the same variables (none adds one): a model of any is read the same way,
and an unsat of any proves the query.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import z3

from solomonic.policy import encode_strings as strings

SLICES = (50_000, 500_000, 5_000_000)  # z3 resource units per try: a decided query mostly takes under 20 000
WALL_FACTOR = 3.0  # a question's wall-clock backstop, in multiples of its CPU budget
POLL_S = 0.02  # how often the watchdog looks at the budget while z3 runs


class Deadline:
    """The end of a question (the CLI's --timeout): `seconds` of this process's CPU time, and at most
    `WALL_FACTOR` times as long by the wall clock.

    Why CPU time: on a busy machine a call gets a fraction of a core, and a wall-clock budget gave it a
    fraction of the work. The bench's last unknowns were all such: comparisons that need 1 to 1.5 s of CPU,
    answered alone, ran out of their 10 s beside two soundness campaigns (load 7 to 10 on 2 cores). CPU time
    is what the analysis costs wherever it runs, so its answer no longer depends on the machine's load, as
    z3's resource slices already made each query's. The wall clock still ends a call that waits too long."""

    def __init__(self, seconds: float) -> None:
        self.end = time.process_time() + seconds
        self.wall_end = time.monotonic() + seconds * WALL_FACTOR

    def milliseconds(self) -> int:
        """The wall-clock time left (z3's own timeout: the watchdog enforces the CPU budget)."""
        return max(1, int((self.wall_end - time.monotonic()) * 1000))

    @property
    def expired(self) -> bool:
        return time.process_time() >= self.end or time.monotonic() >= self.wall_end

    def share(self, fraction: float) -> Deadline:
        """A deadline `fraction` of the budget left from now (never past this one), on both clocks."""
        part = Deadline(0)
        part.end = time.process_time() + max(0.0, self.end - time.process_time()) * fraction
        part.wall_end = time.monotonic() + max(0.0, self.wall_end - time.monotonic()) * fraction
        return part


@dataclass(frozen=True)
class Outcome:
    verdict: z3.CheckSatResult
    model: z3.ModelRef | None
    reason: str = ""  # why unknown


def decide(constraints: Iterable[z3.BoolRef], deadline: Deadline, slices: tuple[int, ...] = SLICES,
           forms: tuple[Callable[[z3.BoolRef], z3.BoolRef], ...] | None = None) -> Outcome:
    """Is the conjunction of `constraints` satisfiable? Each slice of `slices` tries each of `forms` (by
    default `as_written`, `monadic`, `propagated`, `equational`); the first sat or unsat ends it, the deadline or the last
    slice gives unknown."""
    query = z3.And(*constraints)
    forms = forms or (as_written, monadic, propagated, equational)
    prepared: dict[int, z3.BoolRef] = {}
    gave_up = "the solver's resource limit"
    for rlimit in slices:
        for index, form in enumerate(forms):
            if deadline.expired:
                return Outcome(z3.unknown, None, "the time limit")
            if index not in prepared:  # each form is written once, not again in every slice
                prepared[index] = form(query)
            formula = prepared[index]
            if any(formula.eq(prepared[earlier]) for earlier in range(index)):
                continue  # the same formula as an earlier form (no variable for `equational` to rewrite):
                # asking it again would cost the same slice for the same answer
            solver = z3.Solver()
            solver.set("rlimit", rlimit)
            solver.set("timeout", deadline.milliseconds())
            solver.add(formula)
            verdict = _check(solver, deadline)
            if verdict != z3.unknown:
                return Outcome(verdict, solver.model() if verdict == z3.sat else None)
            if solver.reason_unknown() not in ("canceled", "timeout"):  # an incomplete procedure gave up
                gave_up = solver.reason_unknown()
    return Outcome(z3.unknown, None, "the time limit" if deadline.expired else gave_up)


def _check(solver: z3.Solver, deadline: Deadline) -> z3.CheckSatResult:
    """`solver.check()`, interrupted once the deadline has passed: z3 knows only the wall clock (its own
    timeout), and honours even that only where it looks at it; a rewriting or a derivative it is building can
    run past it. A watchdog thread looks at both clocks every `POLL_S`.

    The thread holds the context's `interrupt`, never the solver: a solver released in that thread would be
    freed by z3 there, beside the main thread's calls (a crash), and z3's API is not safe across threads
    but for `interrupt`, which the lock keeps to the check itself."""
    done, lock = threading.Event(), threading.Lock()
    interrupt = solver.ctx.interrupt

    def watch() -> None:
        while not done.wait(POLL_S):
            if deadline.expired:
                with lock:
                    if not done.is_set():
                        interrupt()
                return

    threading.Thread(target=watch, daemon=True, name="z3 watchdog").start()
    try:
        return solver.check()
    finally:
        with lock:
            done.set()


def as_written(query: z3.BoolRef) -> z3.BoolRef:
    return query


def monadic(query: z3.BoolRef) -> z3.BoolRef:
    """`query` in negation normal form with every string constraint a
    positive regular membership: `not (x in R)` is `x in complement(R)`, `x != "lit"` is `x in
    complement("lit")`, and `.*` after text is written `(.+)?`, which the rewriter leaves a membership instead
    of making it `prefixof`. `x in .*` is true. (A positive `x == "lit"` stays: z3 eliminates it.)"""
    memo: dict[tuple[int, bool], z3.BoolRef] = {}

    def walk(node: z3.BoolRef, positive: bool) -> z3.BoolRef:
        key = (node.get_id(), positive)
        if key not in memo:
            memo[key] = _rewrite(node, positive, walk)
        return memo[key]

    return walk(query, True)


def propagated(query: z3.BoolRef) -> z3.BoolRef:
    """`query` with the values of its top-level equalities (`action == "kms:encrypt"`, a realistic try's fixed
    resource) substituted everywhere else, the equalities kept (so a model still gives those variables), then
    in `monadic` form: the policies' formulas shrink to what that one request meets. A realistic try (a
    service principal other than `cloudtrail.amazonaws.com`, a KMS encryption context) got no answer in 5 s
    in the other forms; in this one, 0.03 s. (Not the same as monadic-then-propagated: the tactic's rewriter
    makes `prefixof` of the memberships it meets first, which loses the EC2 query monadic form decides.)"""
    (goal,) = z3.Tactic("propagate-values").apply(query)
    return monadic(z3.And(*goal) if len(goal) != 1 else goal[0])


def _rewrite(node: z3.BoolRef, positive: bool, walk: Callable[[z3.BoolRef, bool], z3.BoolRef]) -> z3.BoolRef:
    kind = node.decl().kind() if z3.is_app(node) else None
    children = node.children()
    if kind == z3.Z3_OP_NOT:
        return walk(children[0], not positive)
    if kind in (z3.Z3_OP_AND, z3.Z3_OP_OR):
        conjunction = (kind == z3.Z3_OP_AND) == positive
        parts = [walk(child, positive) for child in children]
        return z3.And(parts) if conjunction else z3.Or(parts)
    if kind == z3.Z3_OP_IMPLIES:
        premise, conclusion = walk(children[0], not positive), walk(children[1], positive)
        return z3.Or(premise, conclusion) if positive else z3.And(premise, conclusion)
    if kind == z3.Z3_OP_ITE and z3.is_bool(node):
        return z3.If(children[0], walk(children[1], positive), walk(children[2], positive))
    if kind == z3.Z3_OP_SEQ_IN_RE:
        return _membership(children[0], children[1], positive)
    if kind == z3.Z3_OP_EQ and z3.is_string(children[0]) and not positive:
        left, right = children
        if z3.is_string_value(right) or z3.is_string_value(left):
            variable, value = (left, right) if z3.is_string_value(right) else (right, left)
            return _membership(variable, z3.Re(value), positive)
    return node if positive else z3.Not(node)


def _membership(text: z3.SeqRef, regex: z3.ReRef, positive: bool) -> z3.BoolRef:
    if regex.eq(strings.ANYTHING):
        return z3.BoolVal(positive)
    regex = z3.substitute(regex, (strings.ANYTHING, strings.ANY_TEXT))
    return z3.InRe(text, regex if positive else z3.Complement(regex))


def equational(query: z3.BoolRef) -> z3.BoolRef:
    """`query` with each membership in a pattern that embeds a policy variable (`home/${aws:username}/*`)
    written as the prefix, suffix and ordered occurrences the pattern asks for: a membership in `Re(term)` of a
    non-literal term is beyond z3's regular-expression solvers, `prefixof`/`indexof` are word constraints it
    decides. Patterns with `?` or a within-segment `*` stay memberships."""
    memo: dict[int, z3.ExprRef] = {}

    def walk(node: z3.ExprRef) -> z3.ExprRef:
        if node.get_id() in memo:
            return memo[node.get_id()]
        out = node
        if z3.is_app(node) and node.decl().kind() == z3.Z3_OP_SEQ_IN_RE:
            pieces = _star_pieces(node.children()[1])
            if pieces is not None and any(not z3.is_string_value(t) for piece in pieces for t in piece):
                out = _ordered_occurrences(node.children()[0], pieces)
        elif z3.is_app(node) and z3.is_bool(node) and node.num_args():
            out = node.decl()(*[walk(child) for child in node.children()])
        memo[node.get_id()] = out
        return out

    return walk(query)


def _star_pieces(regex: z3.ReRef) -> list[list[z3.SeqRef]] | None:
    """A regex `P0 .* P1 .* ... Pk`, each `Pi` a concatenation of string terms, as `[P0, ..., Pk]`; None for
    any other shape."""
    pieces: list[list[z3.SeqRef]] = [[]]
    stack = [regex]
    while stack:
        item = stack.pop()
        kind = item.decl().kind()
        if kind == z3.Z3_OP_RE_CONCAT:
            stack.extend(reversed(item.children()))
        elif item.eq(strings.ANYTHING) or item.eq(strings.ANY_TEXT):
            pieces.append([])
        elif kind == z3.Z3_OP_SEQ_TO_RE:
            pieces[-1].append(item.children()[0])
        else:
            return None
    return pieces


def _ordered_occurrences(text: z3.SeqRef, pieces: list[list[z3.SeqRef]]) -> z3.BoolRef:
    """`text` matches `P0 .* P1 .* ... Pk`: it starts with P0, ends with Pk, and P1 ... Pk-1 occur in order
    between them, each found at its leftmost place after the one before (leftmost is never worse)."""
    terms = [z3.Concat(*piece) if len(piece) > 1 else piece[0] if piece else z3.StringVal("") for piece in pieces]
    if len(terms) == 1:
        return text == terms[0]
    first, last = terms[0], terms[-1]
    out = [z3.PrefixOf(first, text), z3.SuffixOf(last, text)]
    position = z3.Length(first)
    for middle in terms[1:-1]:
        found = z3.IndexOf(text, middle, position)
        out.append(found >= 0)
        position = found + z3.Length(middle)
    out.append(position + z3.Length(last) <= z3.Length(text))
    return z3.And(out)
