"""A Python witness is replayed in the sandbox, on a private copy of the module: the module's top-level
code sees none of the caller's environment, cannot write beside the checked file by its own path, and
when it never ends or exhausts memory the answer is a clean unknown, never a confirmation."""

from __future__ import annotations

import re

from solomonic.reason import check
from solomonic.reason.replay import sandbox
from solomonic.reason.result import Verdict

CALLEE = "def f(x: int) -> bool:\n    return x != 3\n"


def ask(path):
    (result,) = check(str(path), function="f", property="returns-true", timeout=20)
    return result


def test_module_code_sees_no_secret_and_writes_nothing_beside_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    path = tmp_path / "leak.py"
    path.write_text("import os\nimport pathlib\n\n"
                    "assert 'SECRET_TOKEN' not in os.environ, 'the caller environment reached the replay'\n"
                    "pathlib.Path(__file__).with_name('leaked.txt').write_text(os.environ.get('HOME', ''))\n\n\n"
                    + CALLEE)
    result = ask(path)
    assert result.verdict == Verdict.NO, result.reason  # so the import ran, and found no secret
    replay = result.witness["replay"]
    assert replay["confirmed"] and replay["observed"] == "returned False"
    assert replay["sandbox"] == sandbox.isolation()  # said in every output format
    assert sorted(p.name for p in tmp_path.iterdir()) == ["leak.py"]


def test_module_code_that_never_ends_confirms_nothing(tmp_path):
    path = tmp_path / "spin.py"
    path.write_text(CALLEE + "\n\nwhile True:\n    pass\n")
    result = ask(path)
    assert result.verdict == Verdict.UNKNOWN
    assert re.search(r"could not be imported \(line 5\): still running after", result.reason)


def test_module_code_that_hogs_memory_confirms_nothing(tmp_path):
    path = tmp_path / "hog.py"
    path.write_text(CALLEE + "\n\nHOG = bytearray(64 << 30)\n")
    result = ask(path)
    assert result.verdict == Verdict.UNKNOWN
    assert "could not be imported (line 5): MemoryError" in result.reason


def test_no_replay_runs_nothing_and_confirms_no_counterexample(tmp_path):
    """`--no-replay`: the module's code never runs; the counterexample is kept as evidence but the answer
    is unknown, a yes is unaffected, and neither answer is mixed up in memory with a replayed run's."""
    path, memory = tmp_path / "nr.py", tmp_path / "proofs.sqlite"
    path.write_text("import pathlib\n\npathlib.Path(__file__).with_name('ran.txt').write_text('ran')\n\n\n"
                    + CALLEE + "\n\ndef g(x: int) -> bool:\n    return x * x >= 0\n")
    replayed = check(str(path), property="returns-true", timeout=20, memory=str(memory))
    assert [r.verdict for r in replayed] == [Verdict.NO, Verdict.YES]

    f, g = check(str(path), property="returns-true", timeout=20, memory=str(memory), replay=False)
    assert f.verdict == Verdict.UNKNOWN and "--no-replay" in f.reason and f.witness["inputs"] == {"x": 3}
    assert not f.details.get("from_memory")
    assert g.verdict == Verdict.YES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nr.py", "proofs.sqlite"]


def test_the_text_says_when_a_replay_could_reach_the_network_or_start_processes(tmp_path):
    from solomonic.reason import report

    path = tmp_path / "m.py"
    path.write_text(CALLEE)
    result = ask(path)
    assert result.verdict == Verdict.NO
    result.witness["replay"]["sandbox"] = "network reachable (user namespaces are not available here)"
    assert "replayed: returned False (network reachable (user namespaces" in report.text([result])
    result.witness["replay"]["sandbox"] = ("no network (own network namespace), processes not limited (seccomp is "
                                           "not available here)")
    assert "replayed: returned False (no network (own network namespace), processes not limited" in \
        report.text([result])
    result.witness["replay"]["sandbox"] = "no network (own network namespace), no new processes (seccomp)"
    assert "replayed: returned False\n" in report.text([result])
