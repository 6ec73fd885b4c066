"""Python strs (frontends/python/strings.py, strcalls.py): each operation against CPython on concrete strs
(negative indices, IndexError, slices clamped, truth of the empty str, `in` of substrings, concatenation),
small generated str programs likewise, and the answers of the whole analysis: a loop over a str ends
(ranked by its length), one that does not is found and replayed with a real str, shown as a str in every
output format; untyped parameters used as strs are assumed strs, and said so."""

from __future__ import annotations

import ast
import itertools
import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solomonic.reason import Verdict
from solomonic.reason.frontends.python.lower import lower_python, parse_python
from solomonic.reason.frontends.python.parameters import parameter_kinds
from solomonic.reason.ir.interpret import run
from solomonic.reason.replay.python import str_array
from solomonic.reason.report import sarif, text, to_json
from tests.reason.frontends.python.answers import answer, one, write

EXCEPTIONS = {"IndexError": IndexError, "TypeError": TypeError, "ValueError": ValueError}


def outcome_in_cpython(source: str, s: str, k: int) -> object:
    namespace: dict = {}
    exec(source, namespace)
    try:
        return namespace["f"](s, k)
    except (IndexError, TypeError, ValueError, AssertionError) as err:
        return type(err)


def outcome_in_the_model(source: str, s: str, k: int) -> object:
    function = lower_python(parse_python("<generated>", source.encode()), "f")
    trace = run(function, {function.inputs[0].var: str_array(s), function.inputs[1].var: k}, lambda *_: 0, set())
    assert trace.event is not None, (source, s, k, trace.outcome)
    if trace.event.kind == "assert":
        return AssertionError
    if trace.event.kind == "exception":
        return EXCEPTIONS[trace.event.message.split(":")[0]]
    returned = {var.name: v for var, v in trace.env.items()}
    return None if returned.get("$return_none") else returned["$return"]


def agree(body: str, s: str, k: int) -> None:
    source = "def f(s: str, k: int):\n" + "".join(f"    {line}\n" for line in body.strip().splitlines()) + \
        "\nVOWELS = 'aeiou'\n\ndef shout(t, end='!'):\n    return t + end\n"
    want = outcome_in_cpython(source, s, k)
    got = outcome_in_the_model(source, s, k)
    assert got == (int(want) if isinstance(want, bool) else want), (source, s, k, want, got)


OPERATIONS = {
    "length": "return len(s)",
    "index": "return ord(s[k])",
    "negative index": "return ord(s[-1]) * 10 + ord(s[-len(s)])",
    "truth": "return 1 if s else 2",
    "empty literal": "return (s == '') + 2 * (not s) + 4 * ('' == s)",
    "equal literal": "return (s == 'ab') + 2 * (s != 'a') + 4 * ('b' == s)",
    "equal strs": "t = s[1:]\nreturn (t == s) + 2 * (s[:1] + t == s)",
    "equal int": "return (s == k) + 2 * (s != None)",
    "in literal": "return sum(1 for c in s if c in 'aeiou') + 10 * (s in 'xaby')",
    "in a module constant": "n = 0\nfor c in s:\n    if c not in VOWELS:\n        n += 1\nreturn n",
    "substring": "return ('ab' in s) + 2 * ('' in s) + 4 * (s[:2] in s)",
    "char in str": "return (s[0] in s[1:]) if s else 5",
    "int in str": "return k in s",
    "concatenate": "t = s + 'x' + s\nreturn len(t) * 100 + ord(t[len(s)])",
    "concatenate int": "return len(s + k)",
    "build": "t = ''\nfor c in s:\n    t = c + t\nreturn (t == s) + 2 * len(t)",
    "augmented": "t = 'q'\nt += s\nreturn ord(t[-1])",
    "slice": "return len(s[k:]) * 100 + len(s[:k]) * 10 + len(s[k:-1])",
    "slice clamps": "t = s[-100:100]\nreturn (t == s) + 2 * len(s[5:2])",
    "slice of a literal": "return ord('hello'[k:][0])",
    "slice of a literal, one bound not constant": "return len('hello'[-2:k]) + 10 * len('hello'[k:-1])",
    "enumerate": "n = 0\nfor i, c in enumerate(s, k):\n    n += i * ord(c)\nreturn n",
    "ord of a str": "return ord(s)",
    "chr": "return ord(chr(k + 98)) + (chr(k + 97) == 'a')",
    "chr out of range": "return chr(k - 5) == 'x'",
    "startswith": "return s.startswith('ab') + 2 * s.endswith('b') + 4 * s.startswith(('x', 'a'))",
    "find": "return s.find('b') * 100 + s.find('ab') * 10 + s.find(s[1:]) + 1000 * s.find('')",
    "index method": "return s.index('b') + 10 * s.index(s[-1:])",
    "count": "return s.count('a') + 10 * s.count(' ') + 100 * s.count(s[-1])",
    "swap": "a, b = s, s[1:] + 'x'\na, b = b, a\nreturn len(a) * 10 + len(b) + 100 * (b == s) + 1000 * (a[-1] == 'x')",
    "reversed": "t = s[::-1]\nreturn (t == s) + 2 * len(t) + 10 * (t[:1] == s[-1:]) + 100 * ('ab'[::-1] == 'ba')",
    "loop over a display of strs": "n = 0\nfor p in ('a', s, s[k:] + 'x'):\n    n = n * 10 + len(p) + s.startswith(p) + 2 * s.endswith(p)\n"
                                   "for q in [s, 'b']:\n    s = 'zz'\n    n += len(q)\nreturn n",
    "order of characters": "return sum(1 for c in s if 'a' <= c <= 'm')",
    "skip spaces": "i = 0\nwhile i < len(s) and s[i] == ' ':\n    i += 1\nreturn i",
    "callee returns a str": "return len(shout(s)) + 10 * len(shout(s, s))",
    "a character rebound while iterated": "c = s[0]\nn = 0\nfor x in c:\n    c = 'zz'\n    n += 1\nreturn n",
    "assert": "assert s[0] != 'b'\nreturn 0",
}


@pytest.mark.parametrize("body", OPERATIONS.values(), ids=OPERATIONS.keys())
@pytest.mark.parametrize("s, k", [("", 0), ("a", 0), ("ab", -1), ("ba b", 2), ("  x", 1), ("b", -2),
                                  ("x\u00e9\U0001f600", 3)])
def test_each_operation_ends_as_cpython_ends(body, s, k):
    agree(body, s, k)


STEPS = st.sampled_from(["s = s + 'a'", "s = s[1:]", "s = s[k:]", "s = s[:k]", "k = len(s) - k", "k = ord(s[k])",
                         "s = s + s[k]", "k = int(s == 'ab')", "k = int('b' in s)", "s = 'b' + s",
                         "for c in s:\n    k += ord(c) - 96", "k = int(s.startswith('a'))", "s = chr(97 + k % 3) + s",
                         "k = -k if s else k", "k = s.find('b') + s.count('a')"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(STEPS, min_size=1, max_size=4), st.text(alphabet="ab ", max_size=4), st.integers(-3, 3))
def test_small_generated_str_programs_end_as_cpython_ends(steps, s, k):
    agree("\n".join(steps) + "\nreturn k", s, k)


def test_an_index_out_of_range_is_an_exception_with_a_replayed_str_witness(tmp_path):
    path = write(tmp_path, """
        def second(s: str):
            return s[1]
    """)
    r = one(path, "second", prop="assert")
    assert r.verdict == Verdict.NO and "IndexError" in r.reason and r.witness["replay"]["confirmed"]
    shown = r.witness["inputs"]["s"]
    assert isinstance(shown, str) and len(shown) <= 1
    assert json.loads(to_json([r]))[0]["witness"]["inputs"]["s"] == shown
    assert json.loads(sarif([r]))["runs"][0]["results"][0]["properties"]["witness"]["s"] == shown
    assert f"second(s={shown!r})" in text([r])


def test_loops_over_strs_end_ranked_by_their_length(tmp_path):
    source = """
        def count_vowels(s):
            n = 0
            for c in s:
                if c in 'aeiou':
                    n += 1
            return n

        def first_word(line):
            i = 0
            while i < len(line) and line[i] == ' ':
                i += 1
            j = i
            while j < len(line) and line[j] != ' ':
                j += 1
            return line[i:j]

        def is_palindrome(s: str) -> bool:
            i, j = 0, len(s) - 1
            while i < j:
                if s[i] != s[j]:
                    return False
                i, j = i + 1, j - 1
            return True
    """
    for name, param in (("count_vowels", "s"), ("first_word", "line"), ("is_palindrome", "")):
        r = answer(tmp_path, source, name)
        assert r.verdict == Verdict.YES, (name, r.reason)
        assert (f"{param}: str" in r.assumptions) if param else r.assumptions == [], r.assumptions


def test_a_loop_over_a_str_that_never_ends_is_replayed_with_a_str(tmp_path):
    r = answer(tmp_path, """
        def skip(s):
            i = 0
            while i < len(s):
                if s[i] == 'x':
                    continue
                i += 1
            return i
    """, "skip")
    assert r.verdict == Verdict.NO and r.witness["replay"]["confirmed"], r.reason
    assert "s: str" in r.assumptions
    s = r.witness["inputs"]["s"]
    assert isinstance(s, str) and "x" in s
    assert f"skip(s={s!r})" in text([r])
    [entry] = json.loads(sarif([r]))["runs"][0]["results"]  # a lasso's witness: no event, no path
    assert entry["properties"]["witness"] == {"s": s} and entry["locations"][0]["physicalLocation"]["region"]


def test_the_truth_of_a_str_is_whether_it_is_empty(tmp_path):
    source = """
        def f(s: str):
            if s:
                assert len(s) > 0
            else:
                assert s == ''
            return not s
    """
    assert answer(tmp_path, source, "f", "assert").verdict == Verdict.YES
    r = answer(tmp_path, source, "f", "returns-true")
    assert r.verdict == Verdict.NO and r.witness["inputs"]["s"] != ""


def test_slices_clamp_their_bounds_as_python_does(tmp_path):
    r = answer(tmp_path, """
        def f(s: str, a: int):
            t = s[a:a + 2]
            assert len(t) <= 2
            assert len(s[-len(s) - 5:len(s) + 5]) == len(s)
            assert len(s[5:2]) == 0
            return t
    """, "f", "assert")
    assert r.verdict == Verdict.YES, r.reason


def test_a_str_parameter_may_be_given_on_the_command_line(tmp_path):
    path = write(tmp_path, """
        def f(s):
            return len(s)
    """)
    module = parse_python(str(path), path.read_bytes())
    assert [i.source_type for i in lower_python(module, "f").inputs] == ["object"]
    assert [i.source_type for i in lower_python(module, "f", {"s": "str"}).inputs] == ["str"]
    r = one(path, "f", param_types={"s": "str"})
    assert r.verdict == Verdict.YES and r.assumptions == []


def test_a_parameter_used_as_a_str_and_as_something_else_stays_a_value_of_unknown_type(tmp_path):
    r = answer(tmp_path, """
        def f(s):
            if s == 'a':
                return s - 1
            return 0
    """, "f")
    assert r.assumptions[0] == "s: a value of unknown type", r.assumptions


def test_a_variable_given_a_str_and_an_int_is_a_value_of_unknown_type(tmp_path):
    r = answer(tmp_path, """
        def f(n: int):
            x = 'a'
            if n > 0:
                x = n
            return x == 'a'
    """, "f", "returns-true")
    assert r.verdict == Verdict.UNKNOWN or (r.verdict == Verdict.NO and r.witness["replay"]["confirmed"]), r.reason


CONDITIONS = ["s[i] == 'a'", "s[i] in 'ab'", "s[i] != ' '", "s[i:i + 2] == 'ab'", "ord(s[i]) > 97",
              "s.startswith('a')", "s[-1 - i] == 'b'"]
ACTIONS = ["i += 1", "i += 2", "n += 1", "i -= 1", "n += 1\n            i += 1", "s = s[1:]", "s = s + 'a'",
           "i = len(s)"]
SHORT_STRS = ["".join(p) for k in range(4) for p in itertools.product("ab ", repeat=k)]


def loop_program(condition: str, then: str, otherwise: str) -> str:
    return (f"def f(s: str):\n    i = n = 0\n    while i < len(s):\n        if {condition}:\n"
            f"            {then}\n        else:\n            {otherwise}\n    return n\n")


def ends_within(source: str, s: str, budget: int = 2000) -> bool:
    """Whether f(s) returns or raises within `budget` executed lines."""
    namespace: dict = {}
    exec(compile(source, "<loop>", "exec"), namespace)
    steps = 0

    def tracer(frame, event, arg):
        nonlocal steps
        if event == "line":
            steps += 1
            if steps > budget:
                raise TimeoutError
        return tracer

    sys.settrace(tracer)
    try:
        namespace["f"](s)
    except TimeoutError:
        return False
    except Exception:  # raising is one way of ending
        pass
    finally:
        sys.settrace(None)
    return True


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.sampled_from(CONDITIONS), st.sampled_from(ACTIONS), st.sampled_from(ACTIONS))
def test_termination_verdicts_on_str_loops_agree_with_running_them_on_short_strs(tmp_path, condition, then, otherwise):
    source = loop_program(condition, then, otherwise)
    r = answer(tmp_path, source, "f")
    endless = [s for s in SHORT_STRS if not ends_within(source, s)]
    if r.verdict == Verdict.YES:
        assert not endless, (source, endless)
    elif r.verdict == Verdict.NO:
        witness = r.witness["inputs"]["s"]
        assert r.witness["replay"]["confirmed"] and isinstance(witness, str), (source, r.reason)


@pytest.mark.parametrize("source, kinds", [
    ("def f(a, b):\n    i = 0\n    while i < len(a) and i < len(b) and a[i] == b[i]:\n        i += 1\n"
     "    return a != ''\n", {"a": "str", "b": "str"}),
    ("def f(a, b):\n    return a[0] == b[0]\n", {"a": "object", "b": "object"}),
    ("def f(s, n):\n    return s.strip() == 'x' and n > 0\n", {"s": "str", "n": "int"}),
    ("def f(s):\n    s.append('x')\n    return s == 'x'\n", {"s": "object"}),
    ("def f(s):\n    return s[0] == 'x' and s - 1\n", {"s": "object"}),
])
def test_which_untyped_parameters_are_assumed_strs(source, kinds):
    fn = ast.parse(source).body[0]
    assert {name: k.kind for name, k in parameter_kinds(fn, {}).items()} == kinds


def test_strs_made_by_code_not_modelled_keep_their_length_and_loops_over_them_end(tmp_path):
    source = """
        def digit_sum(n: int):
            total = 0
            for d in str(abs(n)):
                total += ord(d) - 48
            return total

        def words(line):
            line = line.strip().lower()
            count = 0
            for c in line:
                if c == ' ':
                    count += 1
            return count

        def shout(name):
            greeting = f"hello {name}"
            i = 0
            while i < len(greeting):
                i += 1
            return greeting.upper() == 'HELLO'
    """
    for name in ("digit_sum", "words", "shout"):
        r = answer(tmp_path, source, name)
        assert r.verdict == Verdict.YES, (name, r.reason)
    r = answer(tmp_path, source, "words", "assert")
    assert r.verdict == Verdict.YES and "line: str" in r.assumptions
