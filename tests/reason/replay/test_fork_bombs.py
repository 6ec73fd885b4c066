"""A fork bomb in replayed code, C and Python, ends in a clean unknown within the replay's limits, and
leaves no process behind. Each process of the bomb records its pid at an absolute path (which the
sandbox does not hide), so what ran, and whether it is still alive, is seen from outside.

Skipped where the sandbox cannot refuse new processes (no seccomp): there the bomb would be real.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from solomonic.reason import check
from solomonic.reason.replay import sandbox
from solomonic.reason.result import Verdict


@pytest.fixture(autouse=True)
def processes_are_filtered():
    if "no new processes" not in sandbox.isolation():
        pytest.skip(f"this machine: {sandbox.isolation()}")


def c_bomb(pids: Path) -> str:
    """A function whose failing path the analysis finds, and whose error function forks for ever: the
    property is that `reach_error` is called, whatever its body does (SV-COMP's reading), so the replay
    exits where it is entered (gcc's -finstrument-functions hook) and the body never runs; a replay
    without the hook runs the program's own body, the bomb."""
    return f"""#include <stdio.h>
#include <unistd.h>
static void record(void) {{
  FILE *pids = fopen("{pids}", "a");
  if (pids) {{ fprintf(pids, "%d\\n", (int) getpid()); fclose(pids); }}
}}
void reach_error(void) {{ record(); for (;;) if (fork() == 0) record(); }}

int f(int x) {{
  if (x == 3) {{
    reach_error();
  }}
  return 0;
}}
"""


PY_BOMB = """import os

open({pids!r}, "a").write(f"{{os.getpid()}}\\n")
while True:
    try:
        if os.fork() == 0:
            open({pids!r}, "a").write(f"{{os.getpid()}}\\n")
    except OSError:
        pass


def f(x: int) -> bool:
    return x != 3
"""


def test_a_fork_bomb_in_a_c_replay_confirms_nothing_and_leaves_nothing(tmp_path):
    """The harness run without the entry hook, so that the program's own body forks: the sandbox
    refuses every new process, the replay's clock ends the run, and nothing is confirmed."""
    from solomonic.reason.api import CheckOptions, load
    from solomonic.reason.ir.interpret import Trace
    from solomonic.reason.replay.c import replay

    pids = tmp_path / "pids"
    source = tmp_path / "bomb.c"
    source.write_text(c_bomb(pids))
    function = load(str(source), CheckOptions()).lower("f", "assert")
    function.replay_context = {**function.replay_context, "watched_errors": []}
    [x] = [i.var for i in function.inputs]
    started = time.monotonic()
    outcome = replay(function, {x: 3}, Trace(), "assert", timeout_s=5)
    assert time.monotonic() - started < 30  # the replay's clock, not the bomb, ends it
    assert not outcome.confirmed and "still running" in outcome.observed, outcome.observed
    assert_one_process_and_gone(pids)


def test_a_c_error_function_is_seen_where_it_is_entered_before_its_body_runs(tmp_path):
    """With the hook, the same program's no is confirmed at the call, and the bomb never runs."""
    pids = tmp_path / "pids"
    source = tmp_path / "bomb.c"
    source.write_text(c_bomb(pids))
    (result,) = check(str(source), function="f", property="assert", timeout=30)
    assert result.verdict == Verdict.NO and result.witness["replay"]["confirmed"], result.reason
    assert result.witness["replay"]["sandbox"].endswith("no new processes (seccomp)")
    assert not pids.exists()


def test_a_fork_bomb_in_a_python_module_confirms_nothing_and_leaves_nothing(tmp_path):
    pids = tmp_path / "pids"
    source = tmp_path / "bomb.py"
    source.write_text(PY_BOMB.format(pids=str(pids)))
    started = time.monotonic()
    (result,) = check(str(source), function="f", property="returns-true", timeout=30)
    assert time.monotonic() - started < 30  # the import's clock (5 s) ends it
    assert result.verdict == Verdict.UNKNOWN
    assert re.search(r"could not be imported \(line \d+\): still running after", result.reason)
    assert_one_process_and_gone(pids)


def assert_one_process_and_gone(pids: Path) -> None:
    """The bomb ran (its first process recorded itself), no fork succeeded, and it is not alive."""
    recorded = [int(pid) for pid in pids.read_text().split()]
    assert len(recorded) == 1
    time.sleep(0.5)
    stat = Path(f"/proc/{recorded[0]}/stat")
    assert not stat.exists() or stat.read_text().split(") ", 1)[1].startswith("Z")
