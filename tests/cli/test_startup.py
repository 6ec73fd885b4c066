"""What a call of `solomonic` loads: only the subcommand it names (every call pays for its imports, and
`policy compare`'s whole-call latency is an acceptance figure of issue 23), while `--help` still lists all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from solomonic.cli import COMMANDS

BUCKET = Path(__file__).resolve().parents[2] / "benchmarks" / "policy" / "s3" / "cross-account-read.json"

LOADED = """
import json, sys
from solomonic.cli import main
status = main(sys.argv[1:])
print(json.dumps([status, sorted(m for m in sys.modules if m.startswith("solomonic.cli") or m == "ray")]))
"""


def loaded_by(*argv: str) -> tuple[int, list[str]]:
    """The exit status of `solomonic ARGV` and the CLI modules (and ray) it loaded, in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", LOADED, *argv], capture_output=True, text=True, timeout=120)
    status, modules = json.loads(done.stdout.splitlines()[-1])
    return status, modules


def test_a_policy_call_loads_the_policy_command_alone():
    status, modules = loaded_by("policy", "explain", str(BUCKET), "--action", "s3:GetObject",
                                "--resource", "arn:aws:s3:::x/y", "--format", "json")
    assert status == 0
    assert set(modules) == {"solomonic.cli", "solomonic.cli.conventions", "solomonic.cli.policy",
                            "solomonic.cli.policy_report"}


def test_check_loads_no_ray_executor_without_executor_ray(tmp_path):
    source = tmp_path / "f.py"
    source.write_text("def f(x: int) -> bool:\n    return x * x >= 0\n")
    status, modules = loaded_by("check", str(source), "--property", "returns-true", "--no-memory")
    assert status == 0
    assert "solomonic.cli.check" in modules
    assert not {"solomonic.cli.ray_executor", "ray", "solomonic.cli.policy", "solomonic.cli.bench"} & set(modules)


def test_help_lists_every_command():
    done = subprocess.run([sys.executable, "-m", "solomonic", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    listed = {line.split()[0] for line in done.stdout.splitlines() if line.startswith("    ") and line.split()}
    assert set(COMMANDS) <= listed


def test_an_unknown_command_is_refused_with_every_command_named():
    done = subprocess.run([sys.executable, "-m", "solomonic", "polcy"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "invalid choice: 'polcy'" in done.stderr and all(f"'{name}'" in done.stderr for name in COMMANDS)
