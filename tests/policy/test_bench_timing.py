"""`bench policy` times each whole call by the wall clock and by the CPU time the call used: a call that waits
costs wall time and no CPU, one that computes costs both, and one that hangs is killed. And its judge counts
a finding the answer left undecided as unknown, not as a wrong label."""

from __future__ import annotations

import sys

from solomonic.bench.policy import run_measured


def test_a_waiting_call_costs_wall_time_and_almost_no_cpu():
    done = run_measured([sys.executable, "-c", "import time; time.sleep(0.5); print('slept')"], patience_s=30)
    assert (done.status, done.stdout.strip(), done.killed) == (0, "slept", False)
    assert done.seconds >= 0.5 and done.cpu_seconds < 0.4


def test_a_computing_call_costs_cpu_time_and_its_status_and_output_are_kept():
    script = ("import sys, time\nend = time.process_time() + 0.4\nwhile time.process_time() < end: pass\n"
              "print('done'); print('note', file=sys.stderr); sys.exit(3)")
    done = run_measured([sys.executable, "-c", script], patience_s=30)
    assert (done.status, done.stdout.strip(), done.stderr.strip()) == (3, "done", "note")
    assert done.cpu_seconds >= 0.4 and not done.killed


def test_a_call_past_its_patience_is_killed():
    done = run_measured([sys.executable, "-c", "import time; time.sleep(60)"], patience_s=0.5)
    assert done.killed and done.status != 0 and done.seconds < 30


def test_an_undecided_finding_is_unknown_not_a_wrong_label():
    from solomonic.bench.policy import _judge_check
    from solomonic.policy import document

    admin = document.parse('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", '
                           '"Resource": "*"}]}', "admin.json")
    label = {"findings": ["full-admin"]}
    undecided = {"kind": "identity", "findings": [], "reason": "full-admin (line 1): the solver gave no answer"}
    assert _judge_check(undecided, admin, "111122223333", label, 2) == []
    missing = {"kind": "identity", "findings": [], "reason": ""}
    assert [kind for kind, _ in _judge_check(missing, admin, "111122223333", label, 0)] == ["label"]
