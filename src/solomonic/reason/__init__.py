"""Automated reasoning about programs: does a property hold for every input? yes, no or unknown.

This module stays light: user programs import `assume` from it at run time. The analysis itself is
imported on first use.
"""

from __future__ import annotations

from typing import Any

from solomonic.reason.result import Result, Verdict


class AssumptionViolated(Exception):
    """Raised by `assume(cond)` when cond is false: the input is outside the function's precondition."""


def assume(condition: Any) -> None:
    """State a precondition. The analysis only considers inputs that satisfy it; at run time it does
    nothing when the condition holds and raises `AssumptionViolated` when it does not."""
    if not condition:
        raise AssumptionViolated("assumption violated")


def check(path: str, function: str | None = None, property: str = "all", **options: Any) -> list[Result]:
    """Check `property` ("assert", "no-overflow", "returns-true" or "all") of `function` (default: every
    function) in the Python or C file at `path`. Options as for `solomonic check`: timeout (seconds per
    function and property), data_model ("ILP32" | "LP64"), include_dirs, defines, param_types (Python:
    {"x": "int"}, a type for each named parameter, before the function's own declarations; a parameter
    with neither is assumed int, and each answer lists it in `Result.assumptions`), replay (False: none of
    the code runs, so no "no" is confirmed: each is unknown, "not replayed")."""
    from solomonic.reason.api import check as _check

    return _check(path, function=function, property=property, **options)


__all__ = ["AssumptionViolated", "Result", "Verdict", "assume", "check"]
