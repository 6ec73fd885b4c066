"""Does every execution leave the function? yes with a ranking argument, no with a lasso, else unknown.

The function's cutpoint system (system.py, with C's undefined behaviour as BAD) is read as integers
(encode.py's exact "int" mode). Its loops are the strongly connected components of the loop heads
(loops.py).

- yes (proof.py): supporting invariants (Houdini over atoms read off the program, houdini.py, and for C
  the invariants with which the safety engine, Spacer racing bounded model checking, shows undefined
  behaviour unreachable), then a lexicographic linear ranking function per loop (ranking.py) over
  the loop's scalars and the array elements it reads (a[k], a[3], elements.py). Where
  the safety engine instead exhausts every execution, that bounds them all: yes by bounded exploration. Both are re-checked from scratch: the invariants by
  certificate.check, the ranking block by block against the exact transition formula (check.py).
- no (lasso.py): bounded unrolling (and random runs, for loops that settle late) looks for a lasso, a
  reachable loop-head state from which the loop provably never leaves: either the state comes back
  unchanged (a repeated state), or it lies in a closed recurrent set (a conjunction of the program's
  conditions that every step from it keeps and none leaves). The witness runs through the IR
  interpreter, which must stay in the loop, and is replayed for real: the program must still be
  running when its time is up.
- recursion: the program's recursive procedures are unfolded into one graph (recursion.py) in which
  a recursive cycle is a loop over the procedures' entries; summaries of what a procedure returns,
  inferred by Houdini at its return (summaries.py), are proved along with the other invariants and named
  in the certificate. Non-termination through recursion: a lasso of the unfolding confirmed by the
  program's own run repeating an activation (lasso.py), and in Python, first, a chain of calls into a
  closed recurrent set of activations, none of which returns (descent.py).
- a function without inputs whose one execution ends (execution.py: half a second first, and where the
  searches leave it open, the time they kept for it): yes where the real program's run ends the same
  way, unknown where it reaches undefined behaviour.
- unknown otherwise, with the reason.

This module orders the two searches and combines their reasons when neither answers.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from solomonic.reason.engines import concrete, execution
from solomonic.reason.engines.termination.descent import DescentSearch
from solomonic.reason.engines.termination.lasso import LassoSearch
from solomonic.reason.engines.termination.proof import Proof
from solomonic.reason.engines.termination.summaries import summarised
from solomonic.reason.ir import Function
from solomonic.reason.ir.interpret import Trace
from solomonic.reason.result import Result, Verdict

# A recursive Python function's chain of calls is looked for first, briefly: a short prefix of calls
# reaches a closed set where there is one (the corpus's take 1 to 4), and a function that terminates
# should keep its time for the proof.
DESCENT_SHARE, DESCENT_S, DESCENT_CALLS = 0.15, 1.0, 6
# of the time the proof leaves, for random runs that are still in a loop after many iterations (lasso.long_runs)
LONG_RUNS_SHARE, LONG_RUNS_S = 0.2, 1.0


def analyse(function: Function, timeout_s: float, proposals: Mapping[int, Sequence[str]] | None = None) -> Result:
    start = time.monotonic()

    def decide(trace: Trace) -> Result | None:  # one execution, which ended
        return execution.answer(function, "terminates", trace, max(1.0, start + timeout_s - time.monotonic()))

    result = concrete.around(function, "terminates", timeout_s, decide,
                             lambda seconds: _searched(function, seconds, proposals))
    result.seconds = round(time.monotonic() - start, 4)
    return result


def _searched(function: Function, timeout_s: float, proposals: Mapping[int, Sequence[str]] | None) -> Result:
    """The searches' answer: for a recursion, first (Python) a chain of calls into a closed set, then
    its unfolding; else the proof and the lasso search (`_Termination`)."""
    start = time.monotonic()
    deadline = start + timeout_s
    if function.procedures:
        descent = DescentSearch(function, deadline).lasso(min(DESCENT_SHARE * timeout_s, DESCENT_S),
                                                          max_depth=DESCENT_CALLS) if function.language == "python" else ""
        if isinstance(descent, Result):
            return descent
        unfolding = summarised(function, time.monotonic() + 0.3 * (deadline - time.monotonic()))
        result = _Termination(unfolding.function, deadline, unfolding).run()
        if descent and result.verdict == Verdict.UNKNOWN:
            result.reason += f"; first calls: {descent}"
        return result
    return _Termination(function, deadline, proposals=proposals).run()


class _Termination(Proof, LassoSearch):
    """The quick proof (proof.py: Houdini's invariants and a lexicographic or multiphase ranking), a
    short lasso search, the whole proof, then a longer lasso search (for a recursive program, the proof
    first); where none answers, unknown with the reasons of each."""

    def run(self) -> Result:
        if self.unfolding is not None:
            proof = self.prove()
            if isinstance(proof, Result):
                return proof
            witness = self.lasso(self.left(), max_depth=64)
            if isinstance(witness, Result):
                return witness
            timeout = ["timeout"] if time.monotonic() >= self.deadline else []
            return self.result(Verdict.UNKNOWN, reason="; ".join([*timeout, proof, *([witness] if witness else [])]))
        reasons = []
        # most loops terminate, most of those plainly: first what such a loop needs, kept for the proof
        proof = self.prove(quick=True)
        if isinstance(proof, Result):
            return proof
        # one state a depth: the first, short search should leave the proof its time
        witness = self.lasso(max(0.05, min(self.left() * 0.25, 2.0)), max_depth=8, states=1)
        if isinstance(witness, Result):
            return witness
        proof = self.prove()
        if isinstance(proof, Result):
            return proof
        reasons.append(proof)
        late = self.long_runs(min(LONG_RUNS_SHARE * self.left(), LONG_RUNS_S))
        if isinstance(late, Result):
            return late
        witness = self.lasso(self.left(), max_depth=64)
        if isinstance(witness, Result):
            return witness
        if witness or late:
            reasons.append(witness or late)
        if time.monotonic() >= self.deadline:
            reasons.insert(0, "timeout")
        return self.result(Verdict.UNKNOWN, reason="; ".join(reasons))
