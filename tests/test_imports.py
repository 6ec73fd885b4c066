"""The import graph: no cycle anywhere in solomonic (imports inside functions and under TYPE_CHECKING
count), and `solomonic check` never loads the neural network libraries. The layer and independence
contracts themselves are import-linter's (`lint-imports`, configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

grimp = pytest.importorskip("grimp")

SEED = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "seed" / "seed_examples.c"


def cycle(graph) -> list[str] | None:
    """One import cycle among the graph's modules, as the modules along it, or None (depth-first search,
    a module met again while still on the path closes a cycle)."""
    state: dict[str, str] = {}
    for root in sorted(graph.modules):
        if root in state:
            continue
        path, stack = [root], [iter(sorted(graph.find_modules_directly_imported_by(root)))]
        state[root] = "open"
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = "done"
                stack.pop()
            elif state.get(nxt) == "open":
                return [*path[path.index(nxt):], nxt]
            elif nxt not in state:
                state[nxt] = "open"
                path.append(nxt)
                stack.append(iter(sorted(graph.find_modules_directly_imported_by(nxt))))
    return None


def test_solomonic_has_no_import_cycle():
    graph = grimp.build_graph("solomonic", cache_dir=None)
    assert len(graph.modules) > 50  # the whole package was read
    assert cycle(graph) is None, " -> ".join(cycle(graph) or [])


def test_the_cycle_finder_finds_a_cycle(tmp_path, monkeypatch):
    for name, body in {"a": "from pkg import b\n", "b": "def f():\n    from pkg import c\n", "c": "import pkg.a\n"}.items():
        (tmp_path / "pkg").mkdir(exist_ok=True)
        (tmp_path / "pkg" / f"{name}.py").write_text(body)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    found = cycle(grimp.build_graph("pkg", cache_dir=None))
    assert found is not None and found[0] == found[-1] and {"pkg.a", "pkg.b", "pkg.c"} <= set(found)


@pytest.mark.skipif(not SEED.exists(), reason="needs ../shared/benchmarks")
def test_check_never_loads_torch_transformers_or_ray():
    ran = subprocess.run([sys.executable, "-X", "importtime", "-m", "solomonic", "check", str(SEED),
                          "--function", "f", "--property", "returns-true", "--no-memory"],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr[-2000:]
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in ran.stderr.splitlines() if "|" in line}
    assert "z3" in loaded and "solomonic" in loaded  # the import log was read
    assert not loaded & {"torch", "transformers", "ray"}
