"""The certificate checks make their own Z3 context, one for a whole certificate, and state each
invariant's bit-vector form once per check: that form means what the integer invariant means at every
machine state, and a certificate checked this way holds or fails as it should. A system whose blocks
mix machine words with integers (C recursion's summaries) is checked as integers first, and fails there
as it should."""

from __future__ import annotations

import pickle
from fractions import Fraction

import pytest

pytest.importorskip("z3")
pytest.importorskip("pycparser")

import z3

from solomonic.reason.api import CheckOptions, load
from solomonic.reason.certify import certificate
from solomonic.reason.engines.dispatch import Options, analyse
from solomonic.reason.engines.termination.check import check_certificate
from solomonic.reason.result import UNDEFINED_BEHAVIOUR, Verdict
from solomonic.reason.symbolic.printer import show_z3
from solomonic.reason.symbolic.system import build_system

# The essay's g: terminates for every input, with one loop whose head keeps x and y (machine ints).
ESSAY_G = "void g(int x, int y) {\n  if (y > 0)\n    while (x > y)\n      x = x - y;\n}\n"


@pytest.fixture(scope="module")
def essay_g(tmp_path_factory):
    path = tmp_path_factory.mktemp("certificate") / "essay.c"
    path.write_text(ESSAY_G)
    return load(str(path), CheckOptions()).lower("g")


@pytest.fixture
def contexts_made(monkeypatch) -> list[z3.Context]:
    """Every Z3 context made while the test runs."""
    made: list[z3.Context] = []
    make = z3.Context.__init__

    def counted(self, *args, **kwargs):
        make(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(z3.Context, "__init__", counted)
    return made


def test_a_termination_certificate_is_checked_in_one_context_of_its_own(essay_g, contexts_made):
    found = analyse(essay_g, "terminates", Options(timeout_s=20))
    assert found.verdict == Verdict.YES and found.certificate["invariants"] and found.certificate["loops"]
    contexts_made.clear()  # the analysis's own contexts are none of the check's
    assert check_certificate(essay_g, found.certificate, 10.0) is None
    assert len(contexts_made) == 1


def test_a_certificate_fails_in_that_context_as_it_should(essay_g):
    found = analyse(essay_g, "terminates", Options(timeout_s=20))
    (loop,) = found.certificate["loops"]
    upside_down = [{head: {**f, "coefficients": {name: str(-Fraction(a)) for name, a in f["coefficients"].items()}}
                    for head, f in level.items()} for level in loop["ranking"]]
    wrong = {**found.certificate, "loops": [{**loop, "ranking": upside_down}]}
    assert check_certificate(essay_g, wrong, 10.0) is not None


BOUNDARIES = [-2147483648, -2147483647, -3, -1, 0, 1, 2, 1073741824, 2147483647]


@pytest.mark.parametrize("invariant", [
    lambda x, y: x - 3 * y <= 5,
    lambda x, y: z3.Or(3 * x > y - 7, x == -2147483648),
    lambda x, y: z3.If(x > y, x - y, y) >= 1,
    lambda x, y: z3.And(x.ctx),  # the empty conjunction, as an engine with no facts at a head once stated it
    lambda x, y: z3.Or(z3.Or(x.ctx), x < y),
])
def test_the_bit_vector_form_states_the_integer_invariant_at_machine_states(essay_g, invariant):
    """At the extremes of int, where a form too narrow would wrap."""
    system = build_system(essay_g, UNDEFINED_BEHAVIOUR)
    (head,) = system.loop_heads
    ctx = z3.Context()
    ints = {v.name: z3.Int(v.name, ctx) for v in system.params[head]}
    formula = invariant(ints["x"], ints["y"])

    forms = certificate.wide_forms(system, [certificate.make_invariant(system, head, formula)], ctx)
    assert forms is not None
    wide, bits = forms[head]
    for x in BOUNDARIES:
        for y in BOUNDARIES:
            state = {"x": x, "y": y}
            at_ints = [(ints[n], z3.IntVal(v, ctx)) for n, v in state.items()]
            at_words = [(bits[n], z3.BitVecVal(v, bits[n].size(), ctx)) for n, v in state.items()]
            expected = z3.is_true(z3.simplify(z3.substitute(formula, *at_ints)))
            assert z3.is_true(z3.simplify(z3.substitute(wide, *at_words))) == expected, state


def test_a_function_without_machine_words_has_no_bit_vector_form(tmp_path):
    path = tmp_path / "essay.py"
    path.write_text("def g(x: int, y: int) -> None:\n    if y > 0:\n        while x > y:\n            x = x - y\n")
    system = build_system(load(str(path), CheckOptions()).lower("g"), set())
    (head,) = system.loop_heads
    ctx = z3.Context()
    invariant = certificate.make_invariant(system, head, z3.Int("y", ctx) > 0)
    assert certificate.wide_forms(system, [invariant], ctx) is None


# count's summary (it returns a, for a >= 0) is a fact over the integers, assumed where each call returns.
RECURSIVE_C = ("extern int __VERIFIER_nondet_int(void);\n\nint count(int a) {\n  if (a <= 0)\n    return 0;\n"
               "  return 1 + count(a - 1);\n}\n\nint main(void) {\n  int i = __VERIFIER_nondet_int();\n"
               "  if (i > 1000)\n    return 0;\n  return count(i);\n}\n")


@pytest.fixture
def modes_tried(monkeypatch) -> list[str]:
    """The encodings certificate.check tries, in order."""
    tried: list[str] = []
    check_in = certificate._check_in

    def recorded(mode, *args, **kwargs):
        tried.append(mode)
        return check_in(mode, *args, **kwargs)

    monkeypatch.setattr(certificate, "_check_in", recorded)
    return tried


def test_summaries_over_the_integers_are_checked_as_integers_first(tmp_path, essay_g, modes_tried):
    """In bit-vectors their conversions leave Z3 a mixed problem it rarely decides in time (rec_counter1
    of SV-COMP: 18 s undecided); a loop over machine words alone is still checked in bit-vectors first."""
    path = tmp_path / "count.c"
    path.write_text(RECURSIVE_C)
    main = load(str(path), CheckOptions()).lower("main")
    found = analyse(main, "terminates", Options(timeout_s=20))
    assert found.verdict == Verdict.YES and found.certificate["checked_in"] == "integer"
    modes_tried.clear()
    assert check_certificate(main, found.certificate, 10.0) is None
    assert modes_tried == ["int"]
    assert not certificate.mixes_integers(build_system(essay_g, UNDEFINED_BEHAVIOUR))
    loop = analyse(essay_g, "terminates", Options(timeout_s=20)).certificate
    modes_tried.clear()
    assert check_certificate(essay_g, loop, 10.0) is None
    assert modes_tried == ["bv"]

    # count(1000) returns 1000, not at most 5: a failure in the first encoding is final
    modes_tried.clear()
    false = {**found.certificate, "summaries": {"count": [{"conclusion": [{"count.$return": -1}, 5, "ge"]}]}}
    assert "invariant check fails" in check_certificate(main, false, 10.0)
    assert modes_tried == ["int"]


def test_an_invariants_readable_text_is_the_formula_printed(essay_g):
    system = build_system(essay_g, UNDEFINED_BEHAVIOUR)
    (head,) = system.loop_heads
    ctx = z3.Context()
    formula = z3.Int("x", ctx) - 3 * z3.Int("y", ctx) <= 5
    invariant = certificate.make_invariant(system, head, formula)
    assert invariant.text == show_z3(formula) and invariant.to_json()["invariant"] == show_z3(formula)
    assert certificate.Invariant.from_json(invariant.to_json()).text == show_z3(formula)
    sent = certificate.make_invariant(system, head, formula)  # as the engines' workers send it back
    assert pickle.loads(pickle.dumps(sent)) == certificate.Invariant(head, sent.line, sent.variables, sent.smt2,
                                                                     show_z3(formula))


def test_only_products_of_variables_count_as_multiplying():
    """A coefficient is not a product: Spacer writes -x as (* (- 1) x), and such invariants keep their
    bit-vector check first; y*y or x*(y - 1) go to integers first."""
    ctx = z3.Context()
    x, y = z3.Int("x", ctx), z3.Int("y", ctx)
    [spacer] = z3.parse_smt2_string("(declare-const x Int)(declare-const y Int)"
                                    "(assert (<= (+ (* (- 1) x) (* (- 2) y)) 1))", ctx=ctx)
    assert not certificate.multiplies(spacer) and not certificate.multiplies(3 * x + y * 2 <= 7)
    assert certificate.multiplies(2 * x + y * y <= 10) and certificate.multiplies(x * (y - 1) >= 0)
