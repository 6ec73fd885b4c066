"""The certificates task: only the certificate's bytes are asked, after the loop's text; train and eval
never share a loop; a bad corpus is a one-line error naming the file and line."""

import numpy as np
import pytest

from solomonic.data.certificates import SEPARATOR
from solomonic.data.recall import IGNORE, TaskError
from solomonic.data.tasks import make_task
from tests.data.conftest import write_corpus


@pytest.mark.parametrize("target,expected", [("invariant", "(<= v0 10"), ("ranking", "v0 - ")])
def test_only_the_certificate_is_asked(tmp_path, target, expected):
    task = make_task("certificates", corpus=str(write_corpus(tmp_path / 'corpus.jsonl')), length=48, target=target)
    assert task.vocab_size == 256
    batch = task.batch("train", 0, 8, seed=0)
    assert batch.inputs.shape == batch.targets.shape == (8, 48)
    for inputs, targets in zip(batch.inputs, batch.targets):
        asked = bytes(targets[targets != IGNORE].astype(np.uint8))
        assert asked.endswith(b"\n") and asked.decode().startswith(expected)
        # what comes before the first asked byte ends with the separator (the prompt a sampler gives)
        first = int(np.argmax(targets != IGNORE))
        assert bytes(inputs[: first + 1].astype(np.uint8)).endswith(SEPARATOR)
        # the text is kept from its end: the loop's last bytes are there even in a short window, and the
        # variable is numbered in the loop and the answer alike
        assert b"v0 := (v0 - 1)" in bytes(inputs.astype(np.uint8))


def test_train_and_eval_hold_different_loops_and_batches_are_reproducible(tmp_path):
    task = make_task("certificates", corpus=str(write_corpus(tmp_path / 'corpus.jsonl')), length=96, target="invariant")

    def answers(split, seed):
        b = task.batch(split, 0, 16, seed=seed)
        return {bytes(t[t != IGNORE].astype(np.uint8)) for t in b.targets}

    assert not answers("train", 0) & answers("eval", 0)
    assert (task.batch("train", 3, 4, seed=1).inputs == task.batch("train", 3, 4, seed=1).inputs).all()


def test_a_bad_corpus_is_named(tmp_path):
    with pytest.raises(TaskError, match="corpus=FILE"):
        make_task("certificates")
    broken = tmp_path / "broken.jsonl"
    broken.write_text(write_corpus(tmp_path / 'corpus.jsonl').read_text() + "{not json\n")
    with pytest.raises(TaskError, match=r"broken\.jsonl:21"):
        make_task("certificates", corpus=str(broken))
    with pytest.raises(TaskError, match="at least 10"):
        make_task("certificates", corpus=str(write_corpus(tmp_path / 'small.jsonl', count=3)))


def test_a_long_loop_keeps_its_heads_and_entry_and_its_end():
    """What a proposal is written over (the heads' variables, what holds on entry) survives the cut, and so
    does the end nearest the answer; a loop that fits is left whole."""
    from solomonic.data.certificates import prompt

    loop = "\n".join(["head 3 (line 4): i: int, k: int", "enter 3 when (10 <= nd!1): i := 0; k := 0"]
                     + [f"step 3 -> 3 when (i < {n}): i := (i + 1); k := (k + 1)" for n in range(40)]
                     + ["exit 3 when !(i < 39)"])
    assert prompt(loop) == prompt(loop, len(loop) + len(SEPARATOR)) == loop.encode() + SEPARATOR
    cut = prompt(loop, 300)
    assert len(cut) == 300 and cut.endswith(b"exit 3 when !(i < 39)" + SEPARATOR)
    assert cut.startswith(b"head 3 (line 4): i: int, k: int\nenter 3 when (10 <= nd!1): i := 0; k := 0\n...\n")
    # a header that would crowd out the steps is cut like the rest
    crowded = prompt(loop, 120)
    assert len(crowded) == 120 and not crowded.startswith(b"head")


def test_variables_are_numbered_for_the_model_and_spelled_back():
    """The heads' variables become v0, v1, ... in their listed order, in the heads and the blocks only (a
    variable named like a line's first word leaves that word alone; fresh values keep their names); a
    proposal written over numbers maps back, and one naming a number the loop lacks is dropped."""
    from solomonic.data.certificates import canonical, numbered, spelled

    loop = ("head 7 (line 3): n: int, step: int, x: int\nenter 7 when (nd!1 <= 9) [fresh nd!1]: n := nd!1; x := nd!1\n"
            "step 7 -> 7 when (x > 0): step := (step + 1); x := (x - 1)\nexit 7 when !(x > 0)")
    text, names = canonical(loop)
    assert names == ["n", "step", "x"]
    assert text == ("head 7 (line 3): v0: int, v1: int, v2: int\nenter 7 when (nd!1 <= 9) [fresh nd!1]: v0 := nd!1; "
                    "v2 := nd!1\nstep 7 -> 7 when (v2 > 0): v1 := (v1 + 1); v2 := (v2 - 1)\nexit 7 when !(v2 > 0)")
    assert numbered("(= (+ x step) n)", names) == "(= (+ v2 v1) v0)"
    assert spelled("(= (+ v2 v1) v0)", names) == "(= (+ x step) n)"
    assert spelled("(<= v3 v0)", names) is None
    assert canonical("head 2 (line 1): -\nstep 2 -> 2 when true: nothing changes") == (
        "head 2 (line 1): -\nstep 2 -> 2 when true: nothing changes", [])
