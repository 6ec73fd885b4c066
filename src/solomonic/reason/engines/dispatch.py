"""One question, one answer: does `property` hold for `function`? yes / no / unknown, with evidence.

Termination goes to its own engine (`termination/`); every other property is a question of safety
(`safety.py`): can an error event be reached?
"""

from __future__ import annotations

from solomonic.reason.engines import safety
from solomonic.reason.engines.safety import Options
from solomonic.reason.ir import Function
from solomonic.reason.result import Result


def applies(function: Function, prop: str) -> str | None:
    """None if the property applies to the function, else why not."""
    if prop == "no-overflow" and function.language != "c":
        return "no-overflow concerns C machine integers; Python ints do not overflow"
    if prop == "returns-true" and not function.returns_value:
        return f"{function.name} returns no value"
    return None


def analyse(function: Function, prop: str, options: Options) -> Result:
    if prop == "terminates":
        # Imported here, not at the top: the termination engine is a dozen modules that a question about
        # any other property never needs, and start-up time is most of a small `check`.
        from solomonic.reason.engines.termination import analysis as termination

        return termination.analyse(function, options.timeout_s, options.proposals)
    return safety.analyse(function, prop, options)


__all__ = ["Options", "analyse", "applies"]
