"""The Python front end's differential oracle: a generated function run by CPython and, lowered, by the IR
interpreter, on the same inputs, must end the same way: the same exception, or the same value (None
included) with the same truth, which `returns-true` reads."""

from __future__ import annotations

from solomonic.reason.frontends.python.lower import lower_python, parse_python
from solomonic.reason.ir.interpret import run


def assert_matches_cpython(source: str, inputs: list[tuple[int, int]],
                           exceptions: tuple[type[BaseException], ...]) -> None:
    """`source` defines `f(a, b)`; for each (a, b) CPython's outcome (an exception among `exceptions`, or
    a value) is the interpreter's."""
    namespace: dict = {}
    exec(source, namespace)
    function = lower_python(parse_python("<generated>", source.encode()), "f")
    for a, b in inputs:
        try:
            want: object = namespace["f"](a, b)
        except exceptions as err:
            want = type(err)
        env = {function.inputs[0].var: a, function.inputs[1].var: b}
        trace = run(function, env, lambda *_: 0, set())
        assert trace.event is not None, (source, a, b, trace.outcome)
        if want is AssertionError:  # a failed `assert` is an event of its own kind
            assert trace.event.kind == "assert", (source, a, b, trace.event)
            continue
        if isinstance(want, type):
            assert trace.event.kind == "exception", (source, a, b, trace.event)
            assert trace.event.exception_class == want.__name__, (source, a, b, trace.event)
            continue
        assert trace.event.kind in ("return", "return-false"), (source, a, b, trace.event)
        returned = {var.name: v for var, v in trace.env.items()}
        assert bool(returned.get("$return_none", False)) == (want is None), (source, a, b, want)
        if want is not None:
            assert returned["$return"] == int(want), (source, a, b, returned["$return"], want)  # type: ignore[call-overload]
        assert (trace.event.kind == "return") == bool(want), (source, a, b, want)
