"""`--executor ray`: the same verdicts as the local pool, the same proof memory semantics (a task's copy of
the store, its writes and deletions merged into the driver's), and a clear line where Ray is missing."""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys

import pytest

from solomonic.cli import main

pytest.importorskip("z3")
pytest.importorskip("pycparser")

PRELUDE = """extern void abort(void);
extern void __assert_fail(const char *, const char *, unsigned int, const char *);
void reach_error(void) { __assert_fail("0", "task.c", 3, "reach_error"); }
void __VERIFIER_assert(int cond) { if (!cond) { reach_error(); } }
unsigned int __VERIFIER_nondet_uint(void);
"""
# name -> (main's body, expected verdict, the verdict this reasoner gives)
TASKS = {
    "counts_down": ("unsigned int n = __VERIFIER_nondet_uint(); unsigned int x = n, y = 0;\n"
                    "  while (x > 0) { x--; y++; }\n  __VERIFIER_assert(y == n);", True, "true"),
    "counts_wrong": ("unsigned int n = __VERIFIER_nondet_uint(); unsigned int x = n, y = 0;\n"
                     "  while (x > 0) { x--; y++; }\n  __VERIFIER_assert(y != n);", False, "false"),
    "bounded": ("unsigned int i, s = 0;\n  for (i = 0; i < 5; i++) s += i;\n  __VERIFIER_assert(s == 10);",
                True, "true"),
    "inline_asm": ('unsigned int x = __VERIFIER_nondet_uint();\n  __asm__("nop");\n  __VERIFIER_assert(x == x);',
                   True, "unknown"),
}


def write_suite(folder) -> None:
    """A developer suite in SV-COMP's format: the tasks above and one that lists only another property."""
    for name, (body, expected, _) in TASKS.items():
        (folder / f"{name}.c").write_text(f"{PRELUDE}int main(void) {{\n  {body}\n  return 0;\n}}\n")
        (folder / f"{name}.yml").write_text(
            f"format_version: '2.0'\ninput_files: '{name}.c'\nproperties:\n"
            f"  - property_file: ../properties/unreach-call.prp\n    expected_verdict: {str(expected).lower()}\n"
            "options:\n  language: C\n  data_model: ILP32\n")
    (folder / "other.c").write_text("int main(void) { return 0; }\n")
    (folder / "other.yml").write_text("format_version: '2.0'\ninput_files: 'other.c'\nproperties:\n"
                                      "  - property_file: ../properties/termination.prp\n    expected_verdict: true\n")


def verdicts(report: dict) -> dict[str, tuple[str, str]]:
    return {t["task"].rsplit("/", 1)[-1]: (t["verdict"], t["reason"]) for t in report["tasks"]}


def test_without_ray_the_option_names_the_extra(tmp_path, monkeypatch, capsys):
    write_suite(tmp_path)
    monkeypatch.setitem(sys.modules, "ray", None)  # as if Ray were not installed
    assert main(["svcomp", str(tmp_path), "--executor", "ray", "--no-memory"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["solomonic: error: --executor ray needs Ray: pip install 'solomonic[ray]'"]


ray = pytest.importorskip("ray")


def test_svcomp_on_ray_gives_the_verdicts_of_the_local_pool(tmp_path):
    """The acceptance test: the whole command, a fresh local Ray instance, against `--jobs 2`."""
    write_suite(tmp_path)
    runs = {}
    for executor in (["--jobs", "2"], ["--executor", "ray"]):
        done = subprocess.run([sys.executable, "-m", "solomonic", "svcomp", str(tmp_path), "--timeout", "30",
                               "--format", "json", "--no-memory", *executor],
                              capture_output=True, text=True, timeout=180)
        assert done.returncode == 0, done.stderr[-2000:]
        runs[executor[0]] = json.loads(done.stdout)  # standard output is the report alone
    local, on_ray = runs["--jobs"], runs["--executor"]
    assert verdicts(on_ray) == verdicts(local)
    assert {name: verdict for name, (verdict, _) in verdicts(on_ray).items()} == {
        f"{name}.yml": verdict for name, (_, _, verdict) in TASKS.items()}
    assert on_ray["summary"]["score"] == local["summary"]["score"] == 5
    assert on_ray["summary"]["skipped (property not listed)"] == 1


def test_an_address_nobody_answers_at_is_refused_at_once(tmp_path, monkeypatch, capsys):
    write_suite(tmp_path)
    monkeypatch.setattr(ray, "is_initialized", lambda: False)  # even where a test's Ray is running
    with socket.socket() as unused:  # a port bound but never listened at: connections are refused
        unused.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{unused.getsockname()[1]}"
        assert main(["svcomp", str(tmp_path), "--no-memory", "--executor", "ray", "--ray-address", address]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and f"--ray-address {address}: no Ray cluster answers there" in err[0]


@pytest.fixture(scope="module")
def local_ray():
    """One Ray instance for the in-process tests (the executor uses a Ray already initialised)."""
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def run_svcomp(folder, memory, capsys) -> tuple[dict, str]:
    """The report and standard error of `svcomp --executor ray` with this proof memory."""
    assert main(["svcomp", str(folder), "--timeout", "30", "--format", "json", "--memory", str(memory),
                 "--executor", "ray"]) == 0
    captured = capsys.readouterr()
    return json.loads(captured.out), captured.err


def test_workers_answers_are_merged_into_the_memory_and_confirmed_before_serving(tmp_path, local_ray, capsys):
    suite, memory = tmp_path / "suite", tmp_path / "proofs.sqlite"
    suite.mkdir()
    write_suite(suite)
    first, _ = run_svcomp(suite, memory, capsys)
    assert first["summary"]["from memory"] == 0
    with sqlite3.connect(memory) as db:  # the merge: one entry per analysed task (inline_asm is refused first)
        stored = dict(db.execute("SELECT key, verdict FROM answers").fetchall())
    assert sorted(stored.values()) == ["no", "yes", "yes"]

    second, _ = run_svcomp(suite, memory, capsys)  # each task's copy of the store serves its answer
    assert second["summary"]["from memory"] == len(stored)
    assert verdicts(second) == verdicts(first)

    # A stored yes whose certificate is gone fails its check in the worker: deleted there, analysed again,
    # and the driver's store takes the deletion and the new answer.
    with sqlite3.connect(memory) as db:
        key, text = db.execute("SELECT key, result FROM answers WHERE verdict = 'yes'").fetchone()
        db.execute("UPDATE answers SET result = ? WHERE key = ?",
                   (json.dumps({**json.loads(text), "certificate": None}), key))
    third, warnings = run_svcomp(suite, memory, capsys)
    assert third["summary"]["from memory"] == len(stored) - 1
    assert verdicts(third) == verdicts(first)
    assert "the proof memory's answer was discarded" in warnings
    with sqlite3.connect(memory) as db:
        repaired = json.loads(db.execute("SELECT result FROM answers WHERE key = ?", (key,)).fetchone()[0])
    assert repaired["certificate"] is not None


def test_check_on_ray_answers_each_file_as_the_local_run_does(tmp_path, local_ray, capsys):
    (tmp_path / "a.py").write_text("def f(x: int) -> bool:\n    return x * x >= 0\n\n"
                                   "def g(x: int) -> int:\n    assert x != 7\n    return x\n")
    (tmp_path / "b.py").write_text("def h(n: int) -> int:\n    while n > 0:\n        n -= 1\n    return n\n")
    (tmp_path / "broken.py").write_text("def broken(:\n")
    command = ["check", str(tmp_path), "--format", "json", "--no-memory"]
    # the local run in its own process: this one holds Ray's mappings (gigabytes of address space), which a
    # child forked from it would count against its memory limit
    local = subprocess.run([sys.executable, "-m", "solomonic", *command], capture_output=True, text=True,
                           timeout=180)
    on_ray = main([*command, "--executor", "ray"]), *capsys.readouterr()
    outputs = {}
    for executor, (status, out, err) in (("local", (local.returncode, local.stdout, local.stderr)), ("ray", on_ray)):
        answers = [(r["file"], r["function"], r["property"], r["verdict"], r["reason"]) for r in json.loads(out)]
        outputs[executor] = (status, answers, [line for line in err.splitlines() if "broken.py" in line])
    differing = sorted(set(outputs["ray"][1]) ^ set(outputs["local"][1]))  # named in full if the runs disagree
    assert outputs["ray"] == outputs["local"], differing
    status, answers, errors = outputs["ray"]
    assert status == 1 and len(answers) == 9 and len(errors) == 1  # g's assert is a no; broken.py is named
    assert [a[3] for a in answers if a[1] == "g"] == ["no", "no", "yes"]


def test_a_unit_whose_process_dies_is_a_failure_of_its_own(local_ray):
    """A unit's analysis process that ends without an answer (here: sys.exit) costs that unit, said why;
    the other units are answered."""
    from solomonic.cli.ray_executor import run_on_ray

    outcomes = {key: (value, why) for key, value, why in
                run_on_ray([("lost", sys.exit), ("kept", str)], address=None, memory=None)}
    assert outcomes["kept"] == ("None", "")
    value, why = outcomes["lost"]
    assert value is None and why == "the Ray task failed: the worker's analysis process failed: exit status 0"
