"""The proof memory serves nothing on its word: a stored yes whose certificate fails, a stored no whose
witness does not replay, a no of `terminates` (never kept), a row that does not read as a result or
answers another question is deleted, said once, and the question analysed afresh; an entry whose
evidence holds is still served from memory."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

from solomonic.reason import check
from solomonic.reason.api import CheckOptions, load
from solomonic.reason.engines.termination.loops import find_loops
from solomonic.reason.memory import ProofMemory, question_key, remembered
from solomonic.reason.result import UNDEFINED_BEHAVIOUR, Result, Verdict
from solomonic.reason.symbolic.system import build_system

# The essay's f, g and g2, in both languages: f always returns true, g always terminates, g2 does not
# (g2(5, 0) loops forever) and, in C, overflows (g2(INT_MAX, -1)).
ESSAY = {
    "c": "#include <stdbool.h>\n\nbool f(unsigned int x, unsigned int y) {\n  return x + y == y + x;\n}\n\n"
         "void g(int x, int y) {\n  if (y > 0)\n    while (x > y)\n      x = x - y;\n}\n\n"
         "void g2(int x, int y) {\n  while (x > y)\n    x = x - y;\n}\n",
    "py": "def f(x: int, y: int) -> bool:\n    return x + y == y + x\n\n\n"
          "def g(x: int, y: int) -> None:\n    if y > 0:\n        while x > y:\n            x = x - y\n\n\n"
          "def g2(x: int, y: int) -> None:\n    while x > y:\n        x = x - y\n",
}


def ask(path, memory, function, prop="terminates"):
    (result,) = check(str(path), function=function, property=prop, memory=str(memory), timeout=10)
    return result


def rows(memory) -> dict[tuple[str, str], tuple[str, dict]]:
    """(function, property) -> (key, stored result)"""
    db = sqlite3.connect(memory)
    found = {}
    for key, text in db.execute("SELECT key, result FROM answers"):
        stored = json.loads(text)
        found[stored["function"], stored["property"]] = (key, stored)
    db.close()
    return found


def overwrite(memory, key: str, text: str) -> None:
    db = sqlite3.connect(memory)
    db.execute("UPDATE answers SET result = ? WHERE key = ?", (text, key))
    db.commit()
    db.close()


def plant(memory, path, function: str, prop: str, forged: dict) -> None:
    """Write `forged` where the answer to (function, prop) would be kept, as anyone who can write the
    store can: the key is a digest of public things."""
    source = load(str(path), CheckOptions())
    key = question_key(source.lower(function), prop, {"language": source.language, **source.details})
    store = ProofMemory(memory)
    store.store(key, 10.0, Result.from_json(forged))
    store.close()


def moved_to(certificate: dict, path, function: str) -> dict:
    """`certificate` (of another function with one loop) made about `function`'s own loop: the made-up
    ranking a forger would write, which fails on its merits rather than on the loop's name."""
    lowered = load(str(path), CheckOptions()).lower(function)
    (loop,) = find_loops(build_system(lowered, UNDEFINED_BEHAVIOUR if lowered.language == "c" else set()))
    (old,) = {str(entry["location"]) for entry in certificate["loops"]}
    text = json.dumps(certificate).replace(f'"location": {old}', f'"location": {min(loop)}')
    return json.loads(text.replace(f'"{old}": {{"coefficients"', f'"{min(loop)}": {{"coefficients"'))


@pytest.fixture(params=["c", "py"])
def essay(request, tmp_path):
    path = tmp_path / f"essay.{request.param}"
    path.write_text(ESSAY[request.param])
    return path, tmp_path / "proofs.sqlite"


def test_g2s_no_planted_as_a_yes_with_a_made_up_ranking_is_caught(essay, capfd):
    path, memory = essay
    g = ask(path, memory, "g")
    g2 = ask(path, memory, "g2")
    assert g.verdict == Verdict.YES and g2.verdict == Verdict.NO
    assert ("g2", "terminates") not in rows(memory)  # a no of terminates is never kept
    forged = {**g2.to_json(), "verdict": "yes", "reason": "", "witness": None, "reproducer": None,
              "certificate": moved_to(g.certificate, path, "g2")}  # g's ranking x and invariant 0 < y
    plant(memory, path, "g2", "terminates", forged)
    capfd.readouterr()

    again = ask(path, memory, "g2")
    assert again.verdict == Verdict.NO and again.witness["replay"]["confirmed"]
    assert not again.details.get("from_memory")
    discarded = again.details["memory_discarded"]
    assert "the stored yes fails its re-check: certificate fails" in discarded
    assert "loops are not the function's" not in discarded  # the made-up ranking was checked, and failed
    assert capfd.readouterr().err.count("was discarded") == 1
    assert ("g2", "terminates") not in rows(memory)  # deleted

    third = ask(path, memory, "g2")  # said once: the forged entry is gone
    assert third.verdict == Verdict.NO and "memory_discarded" not in third.details
    assert "discarded" not in capfd.readouterr().err


# A recursive function's yes stands on summaries (what each call returns) that its certificate must prove,
# not assume. In C the summaries are facts over the integers about machine words, so its check mixes both.
RECURSIVE = {
    "c": "extern int __VERIFIER_nondet_int(void);\n\nint count(int a) {\n  if (a <= 0)\n    return 0;\n"
         "  return 1 + count(a - 1);\n}\n\nint main(void) {\n  int i = __VERIFIER_nondet_int();\n"
         "  if (i > 1000)\n    return 0;\n  return count(i);\n}\n",
    "py": "def count(a: int) -> int:\n    if a <= 0:\n        return 0\n    return 1 + count(a - 1)\n\n\n"
          "def spin(a: int) -> int:\n    if a == 0:\n        return 0\n    return 1 + spin(a - 1)\n",
}


def test_a_recursive_yes_is_served_only_after_its_certificate_is_checked_again(tmp_path, monkeypatch):
    path, memory = tmp_path / "count.c", tmp_path / "proofs.sqlite"
    path.write_text(RECURSIVE["c"])
    first = ask(path, memory, "main")
    assert first.verdict == Verdict.YES and first.certificate["summaries"]["count"]
    key, stored = rows(memory)["main", "terminates"]

    def no_analysis(*args, **kwargs):
        raise AssertionError("an answer whose evidence holds was analysed again")

    with monkeypatch.context() as patched:
        patched.setattr("solomonic.reason.api.analyse", no_analysis)
        again = ask(path, memory, "main")
    assert again.verdict == Verdict.YES and again.details["from_memory"]
    assert again.details["rechecked"] == "certificate re-checked"

    # count(1000) returns 1000: a summary saying it returns at most 5 is not proved by the certificate's
    # invariant where count returns, so the yes resting on it is not served
    false = {**stored["certificate"], "summaries": {"count": [{"conclusion": [{"count.$return": -1}, 5, "ge"]}]}}
    overwrite(memory, key, json.dumps({**stored, "certificate": false}))
    third = ask(path, memory, "main")
    assert third.verdict == Verdict.YES and not third.details.get("from_memory")
    assert "the stored yes fails its re-check: certificate fails: invariant check fails on the path from line 3 " \
           "to the loop at line 3" in third.details["memory_discarded"]


def test_a_recursive_functions_no_planted_as_a_yes_with_a_terminating_twins_certificate_is_caught(tmp_path):
    """spin(-1) never returns; count, the same function but for its base case, does. count's certificate,
    renamed, is what a forger would plant for spin: same loops, same summaries, and false of spin."""
    path, memory = tmp_path / "count.py", tmp_path / "proofs.sqlite"
    path.write_text(RECURSIVE["py"])
    count = ask(path, memory, "count")
    assert count.verdict == Verdict.YES and count.certificate["summaries"]["count"]
    assert ask(path, memory, "spin").verdict == Verdict.NO
    renamed = json.loads(json.dumps(count.certificate).replace("count", "spin"))
    plant(memory, path, "spin", "terminates", {**count.to_json(), "function": "spin", "certificate": renamed})

    again = ask(path, memory, "spin")
    assert again.verdict == Verdict.NO and not again.details.get("from_memory")
    discarded = again.details["memory_discarded"]
    assert "the stored yes fails its re-check: certificate fails: invariant check fails" in discarded
    assert ("spin", "terminates") not in rows(memory)


@pytest.mark.parametrize(("function", "prop", "why"), [
    ("f", "returns-true", "the stored no fails its re-check: witness does not replay: returned"),
    ("g", "terminates", "a stored no of terminates is never kept"),
])
def test_a_yes_planted_as_a_no_with_a_made_up_witness_is_caught(essay, capfd, function, prop, why):
    path, memory = essay
    assert ask(path, memory, function, prop).verdict == Verdict.YES
    key, stored = rows(memory)[function, prop]
    forged = {**stored, "verdict": "no", "certificate": None, "reason": f"{function}(x=5, y=1) fails",
              "witness": {"inputs": {"x": 5, "y": 1}, "why": "made up", "cycle": [1, 2], "nondet": [],
                          "replay": {"confirmed": True, "observed": "still running"}},
              "reproducer": "rm -rf ~  # a planted reproducer must never be shown"}
    overwrite(memory, key, json.dumps(forged))
    capfd.readouterr()

    again = ask(path, memory, function, prop)
    assert again.verdict == Verdict.YES and not again.details.get("from_memory")
    assert why in again.details["memory_discarded"]
    assert "rm -rf" not in (again.reproducer or "")
    assert capfd.readouterr().err.count("was discarded") == 1


@pytest.mark.parametrize("row", ["not JSON", "wrong types", "another question"])
def test_a_row_that_is_not_this_questions_answer_is_discarded(tmp_path, row, capfd):
    path, memory = tmp_path / "essay.c", tmp_path / "proofs.sqlite"
    path.write_text(ESSAY["c"])
    ask(path, memory, "f", "returns-true")
    ask(path, memory, "g")
    stored = rows(memory)
    key, g = stored["g", "terminates"]
    text = {"not JSON": '{"verdict": "yes", "file": ',
            "wrong types": json.dumps({**g, "details": ["no"]}),
            "another question": json.dumps(stored["f", "returns-true"][1])}[row]  # f's valid yes, under g's key
    overwrite(memory, key, text)
    again = ask(path, memory, "g")
    assert again.verdict == Verdict.YES and "memory_discarded" in again.details
    assert capfd.readouterr().err.count("was discarded") == 1


def test_a_no_whose_witness_fails_again_is_served_from_memory_with_the_run_just_made(tmp_path, monkeypatch):
    path, memory = tmp_path / "essay.c", tmp_path / "proofs.sqlite"
    path.write_text(ESSAY["c"])
    first = ask(path, memory, "g2", "no-overflow")
    assert first.verdict == Verdict.NO
    key, g2 = rows(memory)["g2", "no-overflow"]
    overwrite(memory, key, json.dumps({**g2, "reproducer": "echo planted"}))  # the witness is intact

    def no_analysis(*args, **kwargs):
        raise AssertionError("an answer whose evidence holds was analysed again")

    monkeypatch.setattr("solomonic.reason.api.analyse", no_analysis)
    again = ask(path, memory, "g2", "no-overflow")
    assert again.verdict == Verdict.NO and again.details["from_memory"]
    assert again.witness["inputs"] == first.witness["inputs"]
    assert again.details["rechecked"].startswith("witness replayed: undefined behaviour")
    assert again.reproducer != "echo planted" and "g2(" in again.reproducer  # the script of the run just made


def test_an_unknown_is_served_unchecked_only_to_a_question_with_no_more_time(tmp_path):
    """An unknown carries no evidence: nothing to check, and serving one withholds an answer at worst."""
    path, memory = tmp_path / "essay.c", str(tmp_path / "proofs.sqlite")
    path.write_text(ESSAY["c"])
    function = load(str(path), CheckOptions()).lower("g2")
    unknown = Result(function.file, function.name, "assert", Verdict.UNKNOWN, reason="timeout")
    decided = Result(function.file, function.name, "assert", Verdict.YES, reason="decided with more time")

    def not_asked() -> Result:
        raise AssertionError("analysed although an unknown with as much time is stored")

    assert remembered(memory, function, "assert", {}, 5.0, lambda: unknown).verdict == Verdict.UNKNOWN
    served = remembered(memory, function, "assert", {}, 5.0, not_asked)
    assert served.verdict == Verdict.UNKNOWN and served.details["from_memory"] and "rechecked" not in served.details
    assert remembered(memory, function, "assert", {}, 30.0, lambda: decided) is decided


def test_a_c_witness_that_read_an_uninitialised_array_is_served_from_memory(tmp_path):
    """A witness's reads include whole arrays (an uninitialised local), which the re-check passes on as
    they are, as the analysis did: only the values of calls feed the harness."""
    path, memory = tmp_path / "ring.c", tmp_path / "proofs.sqlite"
    path.write_text("extern _Bool __VERIFIER_nondet_bool(void);\n"
                    "extern void __VERIFIER_assert(int);\n"
                    "int main(void) {\n  int a[5];\n  unsigned len = 0;\n"
                    "  while (__VERIFIER_nondet_bool()) {\n"
                    "    if (len == 4) len = 0;\n    a[len] = 0;\n    len++;\n  }\n"
                    "  __VERIFIER_assert(len < 4);\n  return 1;\n}\n")
    first = ask(path, memory, "main", "assert")
    assert first.verdict == Verdict.NO
    assert any(isinstance(read["value"], dict) for read in first.witness["nondet"])  # the array read
    again = ask(path, memory, "main", "assert")
    assert again.verdict == Verdict.NO and again.details["from_memory"] and "memory_discarded" not in again.details


def test_the_command_line_says_the_planted_answer_was_discarded(tmp_path):
    """The issue's case: after `check` answered g2 "terminates: NO", a row saying YES with a made-up
    ranking; the next `check` answers NO again and says once that the row was discarded."""
    path, memory = tmp_path / "essay.c", tmp_path / "proofs.sqlite"
    path.write_text(ESSAY["c"])
    command = [sys.executable, "-m", "solomonic", "check", str(path), "-p", "terminates", "--memory", str(memory)]
    subprocess.run(command, capture_output=True, text=True, timeout=120)
    g = rows(memory)["g", "terminates"][1]
    forged = {**g, "function": "g2", "certificate": moved_to(g["certificate"], path, "g2")}
    plant(memory, path, "g2", "terminates", forged)
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert "g2: terminates: NO" in done.stdout and "g: terminates: YES" in done.stdout
    assert done.stdout.count("from memory") == 2  # f's and g's, re-checked; g2's planted yes is not served
    (warning,) = done.stderr.splitlines()
    assert "g2 (terminates)" in warning and "the stored yes fails its re-check: certificate fails" in warning


def test_svcomp_says_the_planted_answer_was_discarded(tmp_path):
    """`svcomp` serves the proof memory too: a safe task's stored yes planted as a no with a made-up
    witness is discarded, said once on stderr, and the task is scored on the fresh analysis."""
    (tmp_path / "safe.c").write_text(
        "extern int __VERIFIER_nondet_int(void);\nextern void reach_error(void);\n"
        "int main(void) {\n  int x = __VERIFIER_nondet_int();\n  if (x > 0 && x < 0) reach_error();\n  return 0;\n}\n")
    (tmp_path / "safe.yml").write_text(
        "format_version: '2.0'\ninput_files: 'safe.c'\nproperties:\n"
        "  - property_file: ../properties/unreach-call.prp\n    expected_verdict: true\n"
        "options:\n  language: C\n  data_model: ILP32\n")
    memory, report = tmp_path / "proofs.sqlite", tmp_path / "report.json"
    command = [sys.executable, "-m", "solomonic", "svcomp", str(tmp_path / "safe.yml"), "--timeout", "20",
               "--memory", str(memory), "--format", "json", "--output", str(report)]
    subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    ((key, stored),) = rows(memory).values()
    assert stored["verdict"] == "yes"
    overwrite(memory, key, json.dumps({**stored, "verdict": "no", "certificate": None,
                                       "witness": {"inputs": {}, "nondet": [], "why": "made up"}}))

    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    (task,) = json.loads(report.read_text())["tasks"]
    assert task["verdict"] == "true" and not task["from_memory"]
    assert done.stderr.count("was discarded") == 1 and "safe.yml" in done.stderr
