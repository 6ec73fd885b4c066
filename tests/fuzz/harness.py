"""What every fuzz case asserts of the `solomonic` command, and the inputs the cases share.

The front doors are driven as users meet them: `solomonic.cli.main([...])` in this process (fast: the
analyses still run in their own limited children, as always), and a few runs as a separate process
where a hang would otherwise hang the test. Whatever the input, the command ends within a bound, with a
documented exit status (0, 1, 2: README "Exit status", cli/conventions.py) and no traceback nor
"internal error" anywhere in its output.

The default run is small, for CI; `SOLOMONIC_FUZZ_EXAMPLES=2000` makes every property try that many
inputs (and draw them at random instead of from a fixed seed).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from solomonic.cli import main
from solomonic.cli.conventions import EXIT_NO, EXIT_OK, EXIT_UNKNOWN

LONG_RUN = int(os.environ.get("SOLOMONIC_FUZZ_EXAMPLES", "0"))
DOCUMENTED = (EXIT_OK, EXIT_NO, EXIT_UNKNOWN)


def fuzz(examples: int) -> settings:
    """`examples` inputs in CI (the same ones on every run), or SOLOMONIC_FUZZ_EXAMPLES random ones."""
    return settings(max_examples=LONG_RUN or examples, deadline=None, derandomize=not LONG_RUN,
                    database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                          HealthCheck.function_scoped_fixture])


@dataclass
class Run:
    args: tuple[str, ...]
    status: int
    stdout: str
    stderr: str
    seconds: float

    def assert_clean(self, bound_s: float) -> None:
        """No traceback, no internal error, a documented exit status, within `bound_s`."""
        said = f"solomonic {' '.join(self.args)[:300]}\nstatus {self.status}\nstderr: {self.stderr[-2000:]}"
        assert self.status in DOCUMENTED, said
        assert "Traceback" not in self.stderr, said
        assert "internal error" not in self.stderr + self.stdout, said + f"\nstdout: {self.stdout[-2000:]}"
        assert self.seconds <= bound_s, f"{said}\ntook {self.seconds:.1f} s, more than {bound_s} s"

    def assert_refusals_name(self, path: str) -> None:
        """Whatever it said on stderr is a refusal naming the file it read, one line each."""
        for line in self.stderr.splitlines():
            assert path in line, line


def solomonic(*args: str) -> Run:
    """The command, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    start = time.monotonic()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as done:  # argparse refusing the command line
            status = done.code if isinstance(done.code, int) else EXIT_UNKNOWN
    return Run(args, status, out.getvalue(), err.getvalue(), time.monotonic() - start)


def solomonic_forked(*args: str, bound_s: float) -> Run:
    """The command in a forked copy of this process: as fast as `solomonic` (nothing is imported again),
    for commands that may end the process themselves (`policy` does, with os._exit, where it gives up an
    analysis still inside z3); killed, and the case failed, past `bound_s`."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: the command's output into the files, its status as the exit status
            status = 99
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            with open(1, "w", closefd=False) as stdout, open(2, "w", closefd=False) as stderr, \
                    contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                try:
                    status = main(list(args))
                except SystemExit as done:
                    status = done.code if isinstance(done.code, int) else EXIT_UNKNOWN
                except BaseException:
                    traceback.print_exc()
                finally:
                    stdout.flush()
                    stderr.flush()
                    os._exit(status)
        while (waited := os.waitpid(pid, os.WNOHANG))[0] == 0:
            if time.monotonic() - start > bound_s:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise AssertionError(f"solomonic {' '.join(args)[:300]} hung: still running after {bound_s} s")
            time.sleep(0.02)
        seconds = time.monotonic() - start
        status = os.waitstatus_to_exitcode(waited[1])
        out.seek(0)
        err.seek(0)
        return Run(args, status, out.read().decode(errors="replace"), err.read().decode(errors="replace"), seconds)


def solomonic_process(*args: str, bound_s: float) -> Run:
    """The command as a separate process, killed (and the case failed) past `bound_s`."""
    start = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "solomonic", *args], capture_output=True, text=True,
                              errors="replace", timeout=bound_s, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"solomonic {' '.join(args)[:300]} hung: still running after {bound_s} s") from None
    return Run(args, done.returncode, done.stdout, done.stderr, time.monotonic() - start)


def mutate(data: bytes, edits: list[tuple[float, str, bytes]]) -> bytes:
    """`data` with each edit applied in turn: at a relative position, delete, insert or overwrite bytes,
    or repeat the line there."""
    for where, how, piece in edits:
        at = int(where * len(data))
        if how == "delete":
            data = data[:at] + data[at + len(piece):]
        elif how == "insert":
            data = data[:at] + piece + data[at:]
        elif how == "overwrite":
            data = data[:at] + piece + data[at + len(piece):]
        else:  # "repeat-line"
            start, end = data.rfind(b"\n", 0, at) + 1, data.find(b"\n", at)
            line = data[start:] if end < 0 else data[start:end + 1]
            data = data[:start] + line + data[start:]
    return data


def edits(tokens: list[str]) -> st.SearchStrategy[list[tuple[float, str, bytes]]]:
    """A few edits whose pieces are the language's own tokens, or any bytes (NUL and non-UTF-8 among
    them; a lone surrogate in a token stands for the byte it escapes)."""
    piece = st.one_of(st.sampled_from([t.encode("utf-8", "surrogateescape") for t in tokens]), st.binary(min_size=1, max_size=6))
    edit = st.tuples(st.floats(0, 1), st.sampled_from(["delete", "insert", "overwrite", "repeat-line"]), piece)
    return st.lists(edit, min_size=1, max_size=4)
