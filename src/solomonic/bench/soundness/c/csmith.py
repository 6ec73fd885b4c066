"""The csmith adapter: a csmith program whose `main` ends in a question about its globals' checksum,
asked both ways and judged by gcc's run, as the written batches are.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from solomonic.bench.soundness.c.gcc import GCC, OVERFLOW_MESSAGES, UBSAN_OPTIONS, Run

CSMITH_VERSION = 1  # of the csmith adapter: cached programs from another version are redone
CSMITH_OPTIONS = ["--no-pointers", "--no-structs", "--no-unions", "--no-arrays", "--max-funcs", "3", "--no-volatiles",
                  "--no-bitfields", "--max-block-depth", "2", "--max-expr-complexity", "5"]
CSMITH_RUN_S = 10  # a program gcc's build runs longer than this is skipped: no question about it would end


def csmith_include() -> str | None:
    """csmith's runtime headers (csmith.h, safe_math.h), where the package put them."""
    if shutil.which("csmith") is None:
        return None
    found = [d for d in glob.glob("/usr/include/csmith*") + glob.glob("/usr/local/include/csmith*")
             if os.path.isfile(os.path.join(d, "csmith.h"))]
    return found[0] if found else None


# What csmith.h gives the generated code once `main` is replaced: the integer types and the safe_math
# wrappers (the real safe_math.h, found through -I; its float wrappers need fabs, declared as <math.h>
# does). csmith.h itself also pulls in <math.h> and platform_generic.h (a CRC table, printf), which only
# the replaced checksum used and whose float headers a front end need not parse. gcc compiles the same prelude, so the judge sees the very same program.
CSMITH_PRELUDE = """#include <float.h>
#include <limits.h>
#include <stdint.h>
double fabs(double);
float fabsf(float);
#define STATIC static
#define LOG_INDEX
#define LOG_EXEC
#define UNDEFINED(__val) (__val)
#define FUNC_NAME(x) (safe_##x)
#include "safe_math.h"
#undef FUNC_NAME
"""


def csmith_program(csmith_seed: int) -> str:
    """A csmith program with its `main` replaced: run the entry function, then fold the globals that
    csmith's checksum covers into one 64-bit FNV-1a-style hash, `h`, ended by `@CHECK@`. csmith's own
    checksum reads a CRC table through array indexing and prints it; the hash keeps to plain integers
    and is defined behaviour on every value."""
    with tempfile.TemporaryDirectory(prefix="solomonic-csmith-") as scratch:  # csmith writes platform.info
        made = subprocess.run(["csmith", "--seed", str(csmith_seed), *CSMITH_OPTIONS], capture_output=True,
                              text=True, timeout=120, check=True, cwd=scratch)
    text = made.stdout
    start = text.index("int main (int argc, char* argv[])")
    names = re.findall(r"transparent_crc\((\w+), \"", text[start:])
    body = ["int main(void)", "{", "    func_1();", "    unsigned long long h = 14695981039346656037ULL;"]
    body += [f"    h = (h ^ (unsigned long long) {n}) * 1099511628211ULL;" for n in names]
    body += ["    @CHECK@", "    return 0;", "}"]
    head = text[:start].replace('#include "csmith.h"', CSMITH_PRELUDE + "#include <assert.h>", 1)
    return head + "\n".join(body) + "\n"


def run_csmith(seed: int, index: int, timeout_s: float, jobs: int, workdir: Path,
               on_result: Callable | None = None) -> dict:
    """One csmith program, asked twice with `assert` on main: the hash gcc computed (must not be no) and
    that value plus one (must not be yes)."""
    from solomonic.reason.api import check

    include = csmith_include()
    assert include is not None
    csmith_seed = (seed * 1_000_003 + index) % (2**31)
    template = csmith_program(csmith_seed)
    stem = f"csmith_{seed}_{index}"
    probe = workdir / f"{stem}_probe.c"
    probe.write_text("#include <stdio.h>\n" + template.replace("@CHECK@", 'printf("H %llu\\n", h);'))
    first = _csmith_run(probe, include, workdir)
    if first.outcome != "true" or not first.detail.startswith("H "):
        return {"answers": [], "skipped": f"csmith seed {csmith_seed}: gcc's run does {first.outcome} {first.detail}"[:300],
                "disagreements": []}
    value = int(first.detail.split()[1])
    answers, disagreements = [], []
    for claim, expected in ((value, "assert holds"), ((value + 1) % 2**64, "assert fails")):
        path = workdir / f"{stem}_{'true' if claim == value else 'false'}.c"
        path.write_text(template.replace("@CHECK@", f"assert(h == {claim}ULL);"))
        try:
            [r] = check(str(path), function="main", property="assert", timeout=timeout_s, jobs=jobs,
                        include_dirs=[include], on_result=on_result)
        except Exception as err:
            answers.append({"function": "main", "property": "assert", "verdict": "unknown",
                            "reason": f"refused: {type(err).__name__}: {err}"[:200], "seconds": 0.0})
            continue
        answers.append({"function": "main", "property": "assert", "verdict": r.verdict.value,
                        "reason": r.reason[:200], "seconds": r.seconds})
        if r.verdict.value == "unknown":
            continue
        real = _csmith_run(path, include, workdir)
        if r.verdict.value == "yes":
            bad = real.outcome != "true"
            evidence = f"yes, but gcc's run does {real.outcome} {real.detail}".strip()
        else:
            confirmed = (r.witness or {}).get("replay", {}).get("confirmed") is True
            bad = real.outcome != "assert" or not confirmed
            evidence = f"no, but gcc's run does {real.outcome} (tool's replay confirmed: {confirmed})"
        if bad:
            disagreements.append({"language": "c (csmith)", "program": path.read_text(), "function": "main",
                                  "property": "assert", "verdict": r.verdict.value, "evidence": evidence,
                                  "reason": r.reason[:300], "csmith_seed": csmith_seed, "expected": expected})
    return {"answers": answers, "disagreements": disagreements, "csmith_seed": csmith_seed}


def _csmith_run(path: Path, include: str, workdir: Path) -> Run:
    exe = path.with_suffix("")
    built = subprocess.run([*GCC, f"-I{include}", str(path), "-o", str(exe)], capture_output=True, text=True,
                           timeout=300)
    if built.returncode != 0:
        return Run("crash", f"gcc: {built.stderr[-300:]}")
    try:
        ran = subprocess.run([str(exe)], capture_output=True, text=True, errors="replace", timeout=CSMITH_RUN_S,
                             stdin=subprocess.DEVNULL, env={**os.environ, "UBSAN_OPTIONS": UBSAN_OPTIONS})
    except subprocess.TimeoutExpired:
        return Run("timeout", f"still running after {CSMITH_RUN_S} s")
    ub = re.search(r"runtime error: (.*)", ran.stderr)
    if ub:
        message = ub.group(1).strip()
        return Run("overflow" if any(m in message for m in OVERFLOW_MESSAGES) else "ub", message)
    if ran.returncode == -6 and "Assertion" in ran.stderr:
        return Run("assert")
    if ran.returncode == 0:
        return Run("true", ran.stdout.strip())
    return Run("crash", f"exit {ran.returncode}")
