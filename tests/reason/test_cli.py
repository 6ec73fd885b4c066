"""The `solomonic` command as users meet it: exit statuses, output formats, and bad input.

Bad input of every kind gets one line naming the file (and the line where there is one), the
documented exit status, no traceback, and no hang past --timeout.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "seed"
LOOPS = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "sv-comp" / "loops"


def solomonic(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "solomonic", *args], capture_output=True, text=True,
                          timeout=timeout)


def assert_one_line_error(done: subprocess.CompletedProcess, *fragments: str) -> None:
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, done.stderr
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])


def test_version():
    done = solomonic("--version")
    assert done.returncode == 0 and done.stdout.startswith("solomonic ")


def test_help_explains_properties_and_exit_status():
    done = solomonic("check", "--help")
    assert done.returncode == 0
    for word in ("returns-true", "no-overflow", "exit status", "--timeout", "--data-model"):
        assert word in done.stdout


@pytest.fixture
def programs(tmp_path: Path) -> Path:
    (tmp_path / "ok.py").write_text("def inc(x: int) -> bool:\n    return x + 1 > x\n")
    (tmp_path / "bad.py").write_text("def pos(x: int) -> bool:\n    return x > 0\n")
    (tmp_path / "syntax.py").write_text("def f(x: int)\n    return x\n")
    (tmp_path / "syntax.c").write_text("int g;\nint f(int x) {\n  return x + ;\n}\n")
    (tmp_path / "unsupported.py").write_text("def f(x: int) -> int:\n    global g\n    return x\n")
    (tmp_path / "unsupported.c").write_text("int f(int **p) {\n  return **p;\n}\n")
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "empty.c").write_text("/* nothing here */\n")
    (tmp_path / "latin1.py").write_bytes(b"def f(x: int) -> bool:\n    return 'caf\xe9' and x\n")
    (tmp_path / "latin1.c").write_bytes(b"int f(int x) {\n  return x \xe9 1;\n}\n")
    (tmp_path / "notes.txt").write_text("hello\n")
    return tmp_path


def test_exit_status_is_zero_when_everything_holds(programs):
    done = solomonic("check", str(programs / "ok.py"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "YES" in done.stdout


def test_exit_status_is_one_for_a_counterexample_and_the_reproducer_runs(programs):
    done = solomonic("check", str(programs / "bad.py"), "--property", "returns-true", "--format", "json")
    assert done.returncode == 1
    (result,) = json.loads(done.stdout)
    assert result["verdict"] == "no" and result["witness"]["inputs"]["x"] <= 0
    for key in ("file", "function", "property", "verdict", "reason", "certificate", "witness", "reproducer", "seconds"):
        assert key in result
    reproduced = subprocess.run([sys.executable, "-c", result["reproducer"]], capture_output=True, text=True)
    assert reproduced.stdout.strip() == "False"


def test_sarif_output_is_a_sarif_2_1_0_log(programs):
    done = solomonic("check", str(programs / "bad.py"), str(programs / "ok.py"), "--format", "sarif")
    log = json.loads(done.stdout)
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    (run,) = log["runs"]
    assert run["tool"]["driver"]["name"] == "solomonic"
    rule_ids = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    kinds = {r["kind"] for r in run["results"]}
    assert {r["ruleId"] for r in run["results"]} <= rule_ids and kinds == {"fail", "pass"}
    failing = next(r for r in run["results"] if r["kind"] == "fail")
    assert failing["level"] == "error" and failing["codeFlows"]
    assert failing["locations"][0]["physicalLocation"]["region"]["startLine"] == 2


def test_recheck_round_trip(programs, tmp_path):
    saved = tmp_path / "results.json"
    saved.write_text(solomonic("check", str(programs / "ok.py"), str(programs / "bad.py"), "--format", "json").stdout)
    done = solomonic("recheck", str(saved))
    assert done.returncode == 0, done.stdout
    assert "6 confirmed, 0 not confirmed" in done.stdout  # assert, returns-true and terminates of each


def test_syntax_errors_name_file_and_line(programs):
    assert_one_line_error(solomonic("check", str(programs / "syntax.py")), "syntax.py:1:", "syntax error")
    assert_one_line_error(solomonic("check", str(programs / "syntax.c")), "syntax.c:3:", "syntax error")


def test_unsupported_constructs_are_unknown_with_construct_and_line(programs):
    done = solomonic("check", str(programs / "unsupported.py"), "--format", "json")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    reasons = {r["reason"] for r in json.loads(done.stdout)}
    assert reasons == {f"unsupported at {programs / 'unsupported.py'}:2: statement `Global`"}
    done = solomonic("check", str(programs / "unsupported.c"), "-p", "assert", "--format", "json")
    (result,) = json.loads(done.stdout)
    assert result["verdict"] == "unknown" and "unsupported.c:1" in result["reason"] and "pointer" in result["reason"]


def test_unknown_function_lists_the_functions_there(programs):
    assert_one_line_error(solomonic("check", str(programs / "ok.py"), "--function", "nope"),
                          "ok.py", "no function named 'nope'", "inc")


def test_empty_files(programs):
    assert_one_line_error(solomonic("check", str(programs / "empty.py")), "empty.py", "no function")
    assert_one_line_error(solomonic("check", str(programs / "empty.c")), "empty.c", "no function")


def test_non_utf8_bytes(programs):
    assert_one_line_error(solomonic("check", str(programs / "latin1.py")), "latin1.py:2:", "utf-8")
    assert_one_line_error(solomonic("check", str(programs / "latin1.c")), "latin1.c:2:", "syntax error")


def test_files_of_other_kinds_are_refused(programs):
    assert_one_line_error(solomonic("check", str(programs / "notes.txt")), "notes.txt", "not a Python")
    assert_one_line_error(solomonic("check", str(programs / "missing.py")), "missing.py", "cannot be read")


def test_a_ten_megabyte_file_is_refused_at_once(tmp_path):
    big = tmp_path / "big.py"
    with big.open("w") as f:
        for i in range(210_000):
            f.write(f"def f{i}(x: int) -> int:\n    return x + {i}\n")
    assert big.stat().st_size > 10 * 10**6
    start = time.monotonic()
    done = solomonic("check", str(big), "--timeout", "5")
    assert time.monotonic() - start < 5
    assert_one_line_error(done, "big.py", "MiB", "--max-file-size")


def test_a_query_that_would_run_forever_stops_at_the_timeout(tmp_path):
    fermat = tmp_path / "fermat.py"
    fermat.write_text("def f(x: int, y: int, z: int) -> bool:\n    assert 0 < x and 0 < y and 0 < z\n"
                      "    while True:\n        x = x * y - z\n        if x * x * x == y * y * y + z * z * z:\n"
                      "            return False\n")
    start = time.monotonic()
    done = solomonic("check", str(fermat), "--property", "returns-true", "--timeout", "3", "--format", "json")
    elapsed = time.monotonic() - start
    assert done.returncode == 2
    (result,) = json.loads(done.stdout)
    assert result["verdict"] == "unknown" and result["reason"]
    assert elapsed < 3 + 3 + 2  # the budget, the hard-limit grace, and process start-up


@pytest.mark.skipif(not SEED.is_dir(), reason="../shared/benchmarks/seed is not beside the project")
def test_essay_examples_in_text():
    done = solomonic("check", str(SEED / "seed_examples.c"), "--function", "f", "--property", "returns-true")
    assert done.returncode == 0 and ": f: returns-true: YES" in done.stdout


@pytest.mark.skipif(not LOOPS.is_dir(), reason="../shared/benchmarks/sv-comp is not beside the project")
def test_svcomp_scores_tasks(tmp_path):
    tasks = [str(LOOPS / f"{name}.yml") for name in ("count_up_down-1", "count_up_down-2", "array-1")]
    out = tmp_path / "report.json"
    done = solomonic("svcomp", *tasks, "--timeout", "20", "--format", "json", "--output", str(out))
    assert done.returncode == 0, done.stderr
    report = json.loads(out.read_text())
    by_task = {Path(t["task"]).stem: t for t in report["tasks"]}
    assert by_task["count_up_down-1"]["verdict"] == "true" and by_task["count_up_down-1"]["points"] == 2
    assert by_task["count_up_down-2"]["verdict"] == "false" and by_task["count_up_down-2"]["points"] == 1
    s = report["summary"]
    assert s["max score"] == 5 and s["wrong true"] == s["wrong false"] == 0
    assert s["score"] == sum(t["points"] for t in report["tasks"])


def test_svcomp_skips_tasks_without_the_property(tmp_path):
    task = tmp_path / "t.yml"
    (tmp_path / "t.c").write_text("int main(void) { return 0; }\n")
    task.write_text("format_version: '2.0'\ninput_files: 't.c'\nproperties:\n"
                    "  - property_file: ../properties/termination.prp\n    expected_verdict: true\n"
                    "options:\n  language: C\n  data_model: ILP32\n")
    assert_one_line_error(solomonic("svcomp", str(task)), "no task", "unreach-call")


def test_a_missing_extra_is_named_with_its_install_command(monkeypatch, capsys):
    """Without the extra a command needs, the user gets the pip command, not an internal error."""
    import solomonic.cli as cli

    def needs_z3(args):
        raise ModuleNotFoundError("No module named 'z3'", name="z3")

    parser = cli.build_parser()
    monkeypatch.setattr(cli, "build_parser", lambda argv=None: parser)
    args = parser.parse_args(["check", "x.py"])
    monkeypatch.setattr(parser, "parse_args", lambda argv=None: args)
    args.run = needs_z3
    assert cli.main([]) == cli.EXIT_UNKNOWN
    assert "pip install 'solomonic[reason]'" in capsys.readouterr().err


def test_a_reader_that_closes_the_pipe_ends_the_command_quietly(tmp_path):
    """`solomonic ... | head`: once the reader is gone, the command stops with 128 + SIGPIPE and says
    nothing (no "internal error", no traceback at exit from the flush of what was still buffered)."""
    import os

    source = tmp_path / "f.py"
    source.write_text("def f(x: int) -> bool:\n    return x * x >= 0\n")
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line is written
    try:
        done = subprocess.run([sys.executable, "-m", "solomonic", "check", str(source), "--no-memory"],
                              stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    assert done.returncode == 141
    assert done.stderr == ""
