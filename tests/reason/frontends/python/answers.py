"""The Python front-end tests' way of asking: a source written to a file, one function's answer to one
property, through the public `check`."""

from __future__ import annotations

import textwrap

from solomonic.reason import check


def write(tmp_path, source: str):
    path = tmp_path / "m.py"
    path.write_text(textwrap.dedent(source))
    return path


def one(path, function: str, prop: str = "terminates", timeout: float = 20, **options):
    [result] = check(str(path), function=function, property=prop, timeout=timeout, **options)
    return result


def answer(tmp_path, source: str, function: str, prop: str = "terminates"):
    return one(write(tmp_path, source), function, prop)
