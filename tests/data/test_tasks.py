"""Each task generator against its definition: labels where they belong, answers not leaked into inputs."""

from __future__ import annotations

import numpy as np
import pytest

from solomonic.data.corpus import is_validation, stdlib_corpus
from solomonic.data.recall import IGNORE, TaskError
from solomonic.data.tasks import DEFAULTS, make_task
from tests.data.conftest import write_corpus


def batch(name: str, n: int = 64, seed: int = 0, **params):
    return make_task(name, **params).batch("train", 0, n, seed)


@pytest.mark.parametrize("random_filler", [True, False])
def test_mqar_follows_zoology(random_filler):
    vocab, pairs, length = 256, 8, 128
    b = batch("mqar", vocab=vocab, pairs=pairs, length=length, random_non_queries=random_filler)
    for x, y in zip(b.inputs, b.targets):
        keys, values = x[0 : 2 * pairs : 2], x[1 : 2 * pairs : 2]
        assert len(set(keys)) == pairs and len(set(values)) == pairs
        assert ((keys >= 1) & (keys < vocab // 2)).all() and ((vocab // 2 <= values) & (values < vocab)).all()
        asked = np.flatnonzero(y != IGNORE)
        assert len(asked) == pairs and ((asked - 2 * pairs) % 2 == 0).all() and (asked >= 2 * pairs).all()
        mapping = dict(zip(keys.tolist(), values.tolist()))
        for q in asked:
            assert y[q] == mapping[x[q]]  # asked at a repeated key, for its value
            occurrences = np.flatnonzero(x[: q + 1] == y[q])
            assert occurrences.tolist() == [2 * keys.tolist().index(x[q]) + 1] or random_filler
        if not random_filler:
            assert (x[2 * pairs :][y[2 * pairs :] == IGNORE] == 0).all()  # the answer is never in the filler
            assert not np.isin(values, x[2 * pairs :]).any()


def test_mqar_queries_follow_the_power_law():
    b = batch("mqar", n=256, vocab=512, pairs=8, length=256)
    offsets = (np.argwhere(b.targets != IGNORE)[:, 1] - 16) / 2  # gaps, 0 .. 119
    assert np.mean(offsets < 30) > 0.5  # a = 0.01 puts most queries early (uniform would give 25 %)
    assert offsets.max() > 60  # ... but not all of them


def test_noisy_recall_asks_only_what_the_context_answers():
    vocab, noise = 32, 16
    b = batch("noisy_recall", vocab=vocab, keys=8, noise_vocab=noise, frac_noise=0.3, length=128)
    for x, y in zip(b.inputs, b.targets):
        pairs = {}
        t = 0
        while t < len(x):
            if x[t] >= vocab:  # a noise token: never asked
                assert y[t] == IGNORE
                t += 1
                continue
            if t + 1 == len(x):
                break
            key, value = int(x[t]), int(x[t + 1])
            assert key < vocab // 2 <= value < vocab
            assert pairs.setdefault(key, value) == value  # one value per key
            assert y[t] == (value if (key, "seen") in pairs else IGNORE)
            pairs[(key, "seen")] = True
            assert y[t + 1] == IGNORE
            t += 2
    assert 0.27 < np.mean(b.inputs >= vocab) < 0.33  # frac_noise of the positions are noise


def test_fuzzy_recall_asks_value_motifs_of_repeated_keys():
    key_len, value_len, vocab = 3, 2, 64
    b = batch("fuzzy_recall", vocab=vocab, keys=4, key_len=key_len, value_len=value_len, length=100)
    unit = key_len + value_len
    for x, y in zip(b.inputs, b.targets):
        seen = {}
        for start in range(0, len(x) - unit + 1, unit):
            key, value = tuple(x[start : start + key_len]), tuple(x[start + key_len : start + unit])
            asked = y[start + key_len - 1 : start + unit - 1]
            if key in seen:
                assert seen[key] == value and tuple(asked) == value
            else:
                assert (asked == IGNORE).all()
            seen[key] = value
        asked_at = np.flatnonzero(y != IGNORE)
        assert (y[asked_at] == x[asked_at + 1]).all()  # next-token targets, nothing else


def test_selective_copy_asks_the_scattered_tokens_in_order_at_the_markers():
    b = batch("selective_copy", vocab=16, copies=8, length=64)
    for x, y in zip(b.inputs, b.targets):
        scattered = x[:56][x[:56] != 0]
        assert len(scattered) == 8 and (x[56:] == 1).all()
        assert (y[56:] == scattered).all() and (y[:56] == IGNORE).all()


def test_language_modelling_windows_and_a_fixed_split():
    corpus = stdlib_corpus()
    assert corpus.train.size > 10 * corpus.validation.size > 0
    task = make_task("lm", length=64)
    train = task.batch("train", 3, 4, seed=0)
    assert (train.targets[:, :-1] == train.inputs[:, 1:]).all()
    first, again = task.batch("eval", 0, 4, seed=0), task.batch("eval", 0, 4, seed=1)
    assert (first.inputs == again.inputs).all()  # validation does not depend on the seed
    assert is_validation("os.py") in (True, False) and is_validation("os.py") == is_validation("os.py")


@pytest.mark.parametrize("name", list(DEFAULTS))
def test_batches_are_a_function_of_seed_split_and_index(name, tmp_path):
    params = {"lm": {"length": 64}, "certificates": {"corpus": str(write_corpus(tmp_path / "corpus.jsonl"))}}
    task = make_task(name, **params.get(name, {}))
    a, b = task.batch("train", 5, 4, seed=1), task.batch("train", 5, 4, seed=1)
    c = task.batch("train", 6, 4, seed=1)
    assert (a.inputs == b.inputs).all() and (a.targets == b.targets).all()
    assert not (a.inputs == c.inputs).all()


@pytest.mark.parametrize("name, params, message", [
    ("mqar", {"pairs": 40, "length": 128}, "need a sequence of at least 160"),
    ("mqar", {"length": 127}, "must be even"),
    ("mqar", {"vocab": 64, "length": 128}, "vocabulary 64 too small"),
    ("selective_copy", {"copies": 40, "length": 64}, "need a sequence of at least 80"),
    ("noisy_recall", {"frac_noise": 1.5}, "frac_noise"),
    ("nope", {}, "unknown task"),
    ("mqar", {"pears": 4}, "has no parameter pears"),
    ("mqar", {"pairs": "many"}, "expects int"),
])
def test_impossible_tasks_are_refused(name, params, message):
    with pytest.raises(TaskError, match=message):
        make_task(name, **params)
