"""`bench stdlib`: every function and method of a standard-library module counted from its source and
given a verdict, none crashing; the table and JSON written."""

from __future__ import annotations

import argparse
import json

import pytest

from solomonic.bench import stdlib
from solomonic.errors import UserError


def test_every_function_of_a_module_is_counted_and_answered(tmp_path):
    args = argparse.Namespace(modules=["colorsys", "bisect"], timeout=5.0, jobs=1,
                              output=str(tmp_path / "out.json"), docs=str(tmp_path / "benchmarks.md"))
    assert stdlib.run(args) == 0
    out = json.loads((tmp_path / "out.json").read_text())
    for row in out["modules"]:
        assert row["functions"] == len(stdlib.definitions(stdlib.module_file(row["module"])))
        assert row["yes"] + row["no"] + row["unknown"] == row["functions"]
        assert row["not answered"] == row["crashes"] == []
    assert "<!-- bench:stdlib -->" in (tmp_path / "benchmarks.md").read_text()


def test_methods_are_counted_with_their_class(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("def f():\n    def inner():\n        pass\n\nclass A:\n    def m(self):\n        pass\n"
                    "    class B:\n        async def n(self):\n            pass\n")
    assert stdlib.definitions(path) == ["f", "A.m", "A.B.n"]


def test_a_module_that_is_not_pure_python_is_a_clear_error():
    with pytest.raises(UserError, match="'math' is not a pure-Python module"):
        stdlib.module_file("math")
