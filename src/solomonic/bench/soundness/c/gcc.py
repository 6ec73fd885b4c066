"""gcc with UBSan as the C part's executor: a harness that runs a batch's functions on rows of inputs,
each in a forked child with a CPU-time bound, and what each run did.

The probe that fills the holes and the judge both run a batch through this harness, and csmith's programs
are built with the same flags and read by the same messages: the running is kept apart from what is made
of the runs.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from solomonic.bench.soundness.c.program import Function

SAMPLE_MS = 300  # CPU time per judged run; every terminating loop of the writer needs well under 1 ms
LONG_MS = 2000  # a run past SAMPLE_MS is run again with this before it counts as a hang
HANGS_BEFORE_SKIP = 3  # a function that hung this often keeps its first hangs and skips its other inputs
EXIT_TRUE, EXIT_FALSE, EXIT_ASSERT, EXIT_UBSAN = 10, 11, 97, 98
UBSAN_OPTIONS = f"halt_on_error=1:exitcode={EXIT_UBSAN}:print_stacktrace=0"
GCC = ["gcc", "-std=gnu11", "-O0", "-w", "-fsanitize=undefined", "-fno-sanitize-recover=all"]
OVERFLOW_MESSAGES = ("signed integer overflow", "negation of", "cannot be represented in type")


@dataclass
class Run:
    """What one run of one function on one input did."""

    outcome: str  # true | false | assert | overflow | ub | timeout | crash | skipped
    detail: str = ""
    probes: list[tuple[int, int]] = field(default_factory=list)  # (hole id, value) in order


def harness(program: Path, functions: list[Function], rows: list[tuple[int, tuple[int, ...]]]) -> str:
    width = max(1, max((len(f.inputs) for f in functions), default=1))
    calls = []
    for k, f in enumerate(functions):
        args = [f"({t.name}) a[{i}]" for i, (_, t) in enumerate(f.params)]
        if f.argument is None:
            calls.append(f"    case {k}: return {f.name}({', '.join(args)});")
            continue
        s = f.argument
        sets = [f"o.{re.split(r'->|[.]', n, maxsplit=1)[1]} = ({t.name}) a[{len(f.params) + i}];"
                for i, (n, t) in enumerate(s.members)]
        args.append(f"{'&' if s.by_pointer else ''}o")
        calls.append(f"    case {k}: {{ struct {s.struct} o; {' '.join(sets)} return {f.name}({', '.join(args)}); }}")
    table = ",\n".join(f"  {{{', '.join(f'{v & (2**64 - 1)}ULL' for v in args) or '0'}}}" for _, args in rows)
    fail = f'{{ fputs("!assert\\n", stderr); _exit({EXIT_ASSERT}); }}'
    return "\n".join([
        "#include <signal.h>", "#include <stdio.h>", "#include <stdlib.h>", "#include <sys/time.h>",
        "#include <sys/wait.h>", "#include <unistd.h>",
        f'#include "{program.name}"',
        f"void __VERIFIER_assert(int cond) {{ if (!cond) {fail} }}",
        f"void __assert_fail(const char *a, const char *f, unsigned int l, const char *fn) {fail}",
        "static int __probe(int id, int negative, unsigned long long v) {",
        '  fprintf(stderr, "H %d %d %llu\\n", id, negative, v);',
        "  return 1;",
        "}",
        f"static const int FN[] = {{{', '.join(str(k) for k, _ in rows) or '0'}}};",
        f"static const unsigned long long ARGS[][{width}] = {{\n{table or '  {0}'}\n}};",
        "static int call(int f, const unsigned long long *a) {",
        "  switch (f) {", *calls, "  }", "  return 0;", "}",
        "int main(int argc, char **argv) {",
        "  long ms = atol(argv[1]), first = atol(argv[2]), last = atol(argv[3]);",
        f"  static int hangs[{max(1, len(functions))}];",
        "  for (long k = first; k < last; k++) {",
        f"    if (hangs[FN[k]] >= {HANGS_BEFORE_SKIP}) {{ fprintf(stderr, \"= %ld -2 0\\n\", k); continue; }}",
        '    fprintf(stderr, "@ %ld\\n", k);',
        "    pid_t pid = fork();",
        "    if (pid == 0) {",
        "      struct itimerval cpu = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};",
        "      setitimer(ITIMER_VIRTUAL, &cpu, 0);",
        "      alarm(5 + 20 * ms / 1000);",
        f"      _exit(call(FN[k], ARGS[k]) ? {EXIT_TRUE} : {EXIT_FALSE});",
        "    }",
        "    int status = 0;",
        "    waitpid(pid, &status, 0);",
        "    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;",
        "    if (sig == SIGVTALRM || sig == SIGALRM) hangs[FN[k]]++;",
        '    fprintf(stderr, "= %ld %d %d\\n", k, WIFEXITED(status) ? WEXITSTATUS(status) : -1, sig);',
        "  }",
        "  return 0;",
        "}",
    ]) + "\n"


def compile_harness(workdir: Path, stem: str, program: str, functions: list[Function],
                    rows: list[tuple[int, tuple[int, ...]]]) -> Path:
    src = workdir / f"{stem}.c"
    src.write_text(program)
    hsrc, exe = workdir / f"{stem}_harness.c", workdir / f"{stem}_harness"
    hsrc.write_text(harness(src, functions, rows))
    built = subprocess.run([*GCC, str(hsrc), "-o", str(exe)], capture_output=True, text=True, timeout=600)
    if built.returncode != 0:
        raise RuntimeError(f"gcc rejects the generated program:\n{built.stderr[-3000:]}")
    return exe


def run_rows(exe: Path, first: int, last: int, ms: int = SAMPLE_MS) -> list[Run]:
    """Run rows first..last-1 of the harness; one Run per row."""
    ran = subprocess.run([str(exe), str(ms), str(first), str(last)], capture_output=True, text=True,
                         errors="replace", stdin=subprocess.DEVNULL, timeout=3600,
                         env={**os.environ, "UBSAN_OPTIONS": UBSAN_OPTIONS})
    runs: list[Run] = []
    message, asserted, probes = "", False, []
    for line in ran.stderr.splitlines():
        if line.startswith("@ "):
            message, asserted, probes = "", False, []
        elif line.startswith("H "):
            _, hole, negative, value = line.split()
            probes.append((int(hole), int(value) - (1 << 64) * (negative == "1")))
        elif line.startswith("!assert"):
            asserted = True
        elif "runtime error:" in line and not message:
            message = line.split("runtime error:", 1)[1].strip()
        elif line.startswith("= "):
            code, sig = (int(x) for x in line.split()[2:4])
            runs.append(_outcome(code, sig, message, asserted, probes))
    if len(runs) != last - first:
        raise RuntimeError(f"the harness stopped early ({len(runs)} of {last - first} runs):\n{ran.stderr[-2000:]}")
    return runs


def _outcome(code: int, sig: int, message: str, asserted: bool, probes: list) -> Run:
    if code == -2:
        return Run("skipped")
    if message:
        kind = "overflow" if any(m in message for m in OVERFLOW_MESSAGES) else "ub"
        return Run(kind, message, probes)
    if asserted and code == EXIT_ASSERT:
        return Run("assert", "", probes)
    if code in (EXIT_TRUE, EXIT_FALSE):
        return Run("true" if code == EXIT_TRUE else "false", "", probes)
    if sig in (signal.SIGVTALRM, signal.SIGALRM):
        return Run("timeout", f"still running after the CPU bound (signal {sig})", probes)
    return Run("crash", f"exit {code}, signal {sig}", probes)
