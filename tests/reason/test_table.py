"""A table of small buggy functions, each paired with its fix, in Python and C.

Every buggy function must be refuted ("no") with a witness that the tool replayed for real and that
fails at the expected line; every fixed function must be proved ("yes"). The programs live in
tests/reason/table/ (buggy_python.py, fixed_python.py, buggy_c.c, fixed_c.c): a buggy function and its
fix share a name, and the comment above each names the property checked and the bug or the fix.

Beyond the tool's own replay, each witness is run here once more, independently: Python functions are
called in this process, C functions are compiled with gcc and UBSan into a small harness.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from solomonic.reason import AssumptionViolated, check
from solomonic.reason.result import PROPERTY_ERRORS, Verdict

TABLE = Path(__file__).parent / "table"
TIMEOUT_S = 10.0
FILES = {"python": ("buggy_python.py", "fixed_python.py"), "c": ("buggy_c.c", "fixed_c.c")}

# (language, function, property, line at which the buggy version's violation is reported[, data model])
PAIRS: list[tuple] = [
    # Python: unbounded ints, so the bugs are in the logic
    ("python", "sum_to", "assert", 18),  # off-by-one loop: range(n)
    ("python", "my_abs", "assert", 25),  # wrong abs: reversed test
    ("python", "halve_toward_zero", "assert", 32),  # floor // where truncation is meant
    ("python", "clamp", "assert", 41),  # clamp with lo and hi swapped
    ("python", "isqrt", "assert", 55),  # off-by-one loop condition
    ("python", "num_digits", "assert", 70),  # off-by-one comparison: m > 10
    ("python", "max3", "assert", 83),  # max compared with the wrong variable
    ("python", "distance", "assert", 90),  # wrong abs: abs(a) - abs(b)
    ("python", "sign", "returns-true", 97),  # sign(0) == 1
    ("python", "leap_every_400", "returns-true", 104),  # missing 400-year rule
    ("python", "add_u8", "assert", 112),  # 8-bit wrap-around emulated with 255
    ("python", "first_multiple_of_3_at_least", "assert", 126),  # bisection: hi = mid - 1
    ("python", "percent", "assert", 133),  # ZeroDivisionError
    ("python", "to_int8", "assert", 140),  # char sign emulated with x > 128
    # C: machine integers
    ("c", "is_odd_low_bit", "returns-true", 16),  # truncating %: x % 2 == 1
    ("c", "round_down_4", "assert", 22),  # truncating %: x - x % 4
    ("c", "floor_half", "assert", 29),  # truncating /: x / 2
    ("c", "magnitude", "no-overflow", 35),  # abs(INT_MIN)
    ("c", "distance_u", "assert", 41),  # unsigned a - b with b > a
    ("c", "countdown_steps", "assert", 51),  # unsigned i >= 0 always holds
    ("c", "adjacent_pairs", "assert", 61),  # unsigned n - 1 with n == 0
    ("c", "mean_u", "assert", 68),  # unsigned (a + b) / 2 wraps
    ("c", "mean", "no-overflow", 74),  # signed (a + b) / 2 overflows
    ("c", "ceil_div_8", "assert", 80),  # unsigned a + 7 wraps
    ("c", "carry_u8", "returns-true", 87),  # promotion: unsigned char a + b never wraps
    ("c", "negative_is_below", "returns-true", 93),  # signed/unsigned comparison
    ("c", "byte_value", "assert", 99),  # plain char is signed
    ("c", "short_product", "no-overflow", 105),  # promotion: unsigned short * unsigned short in int
    ("c", "all_ones", "returns-true", 111),  # promotion: ~ on unsigned char
    ("c", "add_saturating", "no-overflow", 116),  # overflow check after the overflow
    ("c", "order_total", "no-overflow", 129),  # precondition too weak for a loop's sum
    ("c", "max_of_4", "assert", 140),  # array loop bound misses the last element
    ("c", "reverse_3", "assert", 152),  # array loop bound swaps every pair twice
    ("c", "clamp", "assert", 160),  # clamp to lo from above
    ("c", "max_plus_1", "assert", 168),  # macro without parentheses
    ("c", "sum_to", "assert", 178),  # off-by-one loop: i < n
    ("c", "popcount_8", "assert", 190),  # off-by-one loop: 7 bits of 8
    ("c", "wide_sum", "no-overflow", 196, "ILP32"),  # long is 32 bits under ILP32
]


@dataclass(frozen=True)
class Case:
    file: str
    function: str
    property: str
    verdict: Verdict
    line: int | None = None  # for "no": the line of the violation
    data_model: str = "LP64"

    @property
    def id(self) -> str:
        model = "" if self.data_model == "LP64" else f"-{self.data_model}"
        return f"{Path(self.file).stem}-{self.function}-{self.property}{model}"


def _cases() -> list[Case]:
    cases = []
    for language, function, prop, line, *model in PAIRS:
        buggy, fixed = FILES[language]
        data_model = model[0] if model else "LP64"
        cases.append(Case(buggy, function, prop, Verdict.NO, line, data_model))
        cases.append(Case(fixed, function, prop, Verdict.YES, None, data_model))
    # The data model matters: under LP64 long is 64 bits wide and the "buggy" wide_sum is correct.
    cases.append(Case("buggy_c.c", "wide_sum", "no-overflow", Verdict.YES))
    return cases


CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_table(case: Case, tmp_path: Path) -> None:
    path = TABLE / case.file
    [r] = check(str(path), function=case.function, property=case.property, timeout=TIMEOUT_S,
                data_model=case.data_model)
    assert r.verdict == case.verdict, f"{case.id}: {r.verdict.value} ({r.reason})"
    if case.verdict == Verdict.YES:
        assert r.certificate is not None and r.witness is None
        return
    w = r.witness
    assert w is not None
    assert w["replay"]["confirmed"] is True, w["replay"]
    assert w["event"]["kind"] in PROPERTY_ERRORS[case.property], w["event"]
    assert w["event"]["line"] == case.line, f"{case.id}: violation reported at line {w['event']['line']}: {r.reason}"
    assert w["path"][-1] == case.line
    if path.suffix == ".py":
        _replay_python(path, case, w["inputs"])
    else:
        _replay_c(path, case, w["inputs"], tmp_path)


def _replay_python(path: Path, case: Case, inputs: dict) -> None:
    """Call the function in this process: the witness must violate the property, at the expected line."""
    spec = importlib.util.spec_from_file_location(f"table_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    function = getattr(module, case.function)
    if case.property == "returns-true":
        assert not function(**inputs), f"{case.function}({inputs}) returned a true value"
        return
    with pytest.raises(Exception) as raised:  # any exception but AssumptionViolated violates "assert"
        function(**inputs)
    assert not isinstance(raised.value, AssumptionViolated), "the witness violates the precondition"
    assert raised.traceback[-1].lineno + 1 == case.line  # pytest's line numbers count from 0


def _replay_c(path: Path, case: Case, inputs: dict, tmp_path: Path) -> None:
    """Compile the function into a harness with UBSan and run it on the witness."""
    gcc = shutil.which("gcc")
    assert gcc is not None, "gcc is needed to replay C witnesses"
    args = ", ".join(f"{v}LL" if v < 0 else f"{v}ULL" for v in inputs.values())
    harness = tmp_path / "harness.c"
    harness.write_text(
        f'#include "{path}"\n'
        "#include <stdio.h>\n#include <stdlib.h>\n"
        'void __VERIFIER_assume(int c) { if (!c) { fputs("assumption violated\\n", stderr); exit(96); } }\n'
        f'int main(void) {{ printf("%lld\\n", (long long){case.function}({args})); return 0; }}\n')
    binary = tmp_path / "harness"
    flags = ["-m32"] if case.data_model == "ILP32" else []
    subprocess.run([gcc, *flags, "-std=gnu11", "-O0", "-w", "-fsanitize=undefined", "-fno-sanitize-recover=all",
                    str(harness), "-o", str(binary)], check=True, capture_output=True, timeout=60)
    done = subprocess.run([str(binary)], capture_output=True, text=True, timeout=30)
    if case.property == "assert":
        assert done.returncode == -signal.SIGABRT, (done.returncode, done.stdout, done.stderr)
        assert re.search(rf":{case.line}: \w+: Assertion", done.stderr), done.stderr
    elif case.property == "no-overflow":
        assert re.search(rf"{re.escape(path.name)}:{case.line}:\d+: runtime error: .*cannot be represented",
                         done.stderr), done.stderr
    else:
        assert done.returncode == 0 and done.stdout.strip() == "0", (done.returncode, done.stdout, done.stderr)


def _functions(path: Path) -> dict[str, str]:
    """The functions defined in a data file, each with the property named in the comment above it."""
    lines = path.read_text().splitlines()
    if path.suffix == ".py":
        starts = {n.name: n.lineno for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef)}
    else:
        starts = {m.group(1): i + 1 for i, line in enumerate(lines)
                  if (m := re.match(r"[a-z][\w ]*?\b(\w+)\(.*\) \{$", line))}
    found = {}
    for name, start in starts.items():
        above = [line for line in lines[:start - 1] if line.startswith(("# ", "/* "))][-1]
        found[name] = re.match(r"(?:# |/\* )([\w-]+)", above).group(1)
    return found


def test_table_covers_every_function() -> None:
    """Each data file pairs up with its partner, and the table names every function once, with the
    property its comment names."""
    for language, (buggy, fixed) in FILES.items():
        functions = _functions(TABLE / buggy)
        assert functions == _functions(TABLE / fixed)
        rows = [row for row in PAIRS if row[0] == language]
        assert len({row[1] for row in rows}) == len(rows), "a function is named twice"
        assert {row[1]: row[2] for row in rows} == functions
