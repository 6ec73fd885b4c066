"""A question answered by running the function to its ends where it has one execution (execution.py)
or a few (enumeration.py), scheduled around the other engines.

The runs go first and briefly: a closed nest of loops ends within half a second where the unrolling
takes seconds a depth, and a handful of inputs each run to its end beats a solver's non-linear queries.
Where a closed run is still going, the engines get the time less a reserve (Spacer proves a long
counting loop at once, which the run takes seconds to end), and the run gets the reserve where they
leave the question open.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from solomonic.reason.engines import enumeration
from solomonic.reason.engines.execution import closed, ended, ending, execute, holds
from solomonic.reason.ir import Function
from solomonic.reason.ir.interpret import Trace
from solomonic.reason.result import Result, Verdict

# the first run: a tenth of the question's time, at least 0.5 s (a nest of loops some hundred thousand steps
# long ends within it) and at most 2 s: a run of 0.6 s (20 000 cells filled and summed) waited out the
# engines' whole time when it had 0.5 s
QUICK_MIN_S, QUICK_SHARE, QUICK_MAX_S = 0.5, 0.1, 2.0
SHARE, MAX_S = 0.4, 4.0  # of a question's time, kept for running longer a closed run the first did not end
ENUMERATE_SHARE, ENUMERATE_S = 0.1, 1.0  # of a question's time, for enumerating a few inputs and their runs


def around(function: Function, prop: str, timeout_s: float, decide: Callable[[Trace], Result | None],
           search: Callable[[float], Result]) -> Result:
    """The answer to one question about `prop`: a closed function's first run (`quick_s`), or a few
    inputs' runs, whose ends answer (`decide` for one run's end, a failure of `prop` among them
    included; enumeration.answer for runs that all end without one); else the engines (`search(seconds)`),
    then, where they leave the question open, a closed function's run again with the reserve. Where
    `decide` has no answer (None: no real run to confirm the end), the engines decide."""
    deadline = time.monotonic() + timeout_s
    trace = execute(function, quick_s(timeout_s)) if closed(function) else None
    if trace is not None and ended(trace):
        decided = decide(trace)
        if decided is not None:
            return decided
        return search(deadline - time.monotonic())
    if trace is None and enumeration.applicable(function):  # perhaps a run that read a value: a few each?
        traces = enumeration.executions(function, prop, min(ENUMERATE_S, ENUMERATE_SHARE * timeout_s))
        if traces is not None:
            failing = next((t for t in traces if not holds(ending(t), prop)), None)
            decided = decide(failing) if failing is not None else \
                enumeration.answer(function, prop, traces, max(1.0, deadline - time.monotonic()))
            if decided is not None:
                return decided
    reserve = min(MAX_S, SHARE * timeout_s) if trace is not None else 0.0
    result = search(deadline - time.monotonic() - reserve)  # a first run that read an input took no time
    if reserve and result.verdict == Verdict.UNKNOWN:
        again = execute(function, deadline - time.monotonic())
        decided = decide(again) if again is not None and ended(again) else None
        if decided is not None:
            return decided
    return result


def quick_s(timeout_s: float) -> float:
    """How long a closed function's first run may go before the engines get the question."""
    return min(QUICK_MAX_S, max(QUICK_MIN_S, QUICK_SHARE * timeout_s))
