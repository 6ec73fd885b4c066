"""no through a recursion that never repeats: a chain of calls into a closed recurrent set of activations.

`is_odd(-1)` calls is_even(-2), which calls is_odd(-3), ...: no activation repeats one on the stack, so
the unfolding's witness (a repeated call, lasso.py and recursion.py) never shows it, and yet in Python's
unbounded integers none of these calls returns. The descent graph (recursion.unfold without
`calls_return`) runs each activation up to its first call, then the callee's, and never comes back: a
run of it that never leaves is a chain of calls none of which returns, since each activation is still
waiting for its first call. (A call before it that does not return ends nothing either; one that
raises would leave the graph, so the set must exclude it.)

The lasso search (lasso.py) runs on that graph unchanged: a reachable state at a procedure's entry in a
closed recurrent set (from every activation in it, every path makes a first call into it again, none
returns or raises). Confirmed three ways before it is a no: the set's closure re-checked from its text
in a fresh context (certify/recurrent.py), the IR interpreter following the chain for as many calls as
a loop's witness must stay iterations, and the real run not returning: it is still calling when its
time is up, or stops at CPython's recursion limit (RecursionError: the interpreter's resource limit, as
C's stack is, not a way out of the function; README, "terminates"). Python only: C's calls would
overflow its stack, and its ints wrap, which the unfolding's exact witness handles.
"""

from __future__ import annotations

import z3

from solomonic.reason.certify.certificate import make_invariant
from solomonic.reason.certify.recurrent import not_closed
from solomonic.reason.engines.bmc import Counterexample
from solomonic.reason.engines.termination.lasso import LassoSearch
from solomonic.reason.engines.termination.recursion import unfold
from solomonic.reason.ir import Function, Var
from solomonic.reason.ir.evaluate import Value
from solomonic.reason.ir.interpret import Trace
from solomonic.reason.replay.python import Replay, call_arguments, replay_unwatched
from solomonic.reason.result import Result
from solomonic.reason.symbolic.printer import show_z3

RECHECK_S = 2.0  # for the independent check of a recurrent set's closure
REPLAY_S = 2.0  # the real run must still be calling after this long, or reach the recursion limit


class DescentSearch(LassoSearch):
    """The lasso search over a recursive Python program's descent graph."""

    def __init__(self, program: Function, deadline: float):
        descent = unfold(program, {}, calls_return=False)
        super().__init__(descent.function, deadline)
        self.procedure = {start: name for name, start in descent.starts.items()}

    def callee(self, head: int) -> str:
        return self.procedure.get(head, f"the function at line {self.line(head)}")

    def cycle_reason(self, j: int, period: int) -> str:
        calls = f"{period} call{'s' if period > 1 else ''}"
        return f"a call is made again with the same arguments {calls} deeper, before the first returns"

    def confirm_recurrent(self, cex: Counterexample, head: int, recurrent: z3.BoolRef,
                          choice: dict[Var, int]) -> Result | str:
        if choice:
            return "a chain of calls was found only under a choice of nondeterministic values, which a descent " \
                   "does not follow"
        certificate = make_invariant(self.system, head, recurrent)
        why_not = not_closed(self.system, certificate, RECHECK_S)
        if why_not is not None:
            return f"a chain of calls was found, but its recurrent set did not re-check ({why_not})"
        name = self.callee(head)
        return self.confirm(cex, cex.oracle, f"it calls `{name}` with {show_z3(recurrent)}, and every such call "
                                             f"calls `{name}` so again before it can return",
                            {"recurrent_calls": {"function": name, "line": self.line(head),
                                                 "formula": certificate.text, "smt2": certificate.smt2,
                                                 "variables": dict(certificate.variables)}})

    def replay(self, inputs: dict[Var, Value], trace: Trace) -> Replay:
        """The real call must not return: confirmed where it stops at the recursion limit or still runs
        when its time is up. Unwatched (watching for repeated states walks the stack at every line): the
        closure check, not the run, is what shows that the calls never end."""
        f = self.function
        ran = replay_unwatched(f.file, f.name, call_arguments(f, inputs), REPLAY_S)
        if ran.raised == "RecursionError":
            ran.confirmed = True
            ran.observed += " (CPython's recursion limit: the calls were still going deeper)"
        return ran
