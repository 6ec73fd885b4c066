"""The benchmark machinery: fair sizes, and grids that resume instead of starting over."""

from __future__ import annotations

import pytest

from solomonic.bench.matching import match_width, parameters
from solomonic.bench.recall import DEFAULT_GRID, variants
from solomonic.bench.runs import run_all, run_key


def test_every_recall_model_is_matched_within_ten_percent():
    config = DEFAULT_GRID[0]
    table = variants(config)
    target = parameters("bmojo", {**table["bmojo"][1], "vocab_size": config.vocab})
    for name, (preset, overrides) in table.items():
        matched, count = match_width(preset, target, {**overrides, "vocab_size": config.vocab})
        assert abs(count - target) <= 0.10 * target, name
        assert matched["window"] == config.window and matched["ssm_state"] == table["bmojo"][1]["ssm_state"]


def test_an_interrupted_grid_resumes_with_only_the_missing_runs(tmp_path):
    trained = []

    def train(spec):
        trained.append(spec)
        if len(trained) == 3:
            raise KeyboardInterrupt
        return {"spec": spec}

    specs = ["a", "b", "c", "d"]
    with pytest.raises(KeyboardInterrupt):
        run_all(specs, run_key, train, tmp_path, lambda s, r: s)
    assert trained == ["a", "b", "c"]
    results = run_all(specs, run_key, lambda s: {"spec": s}, tmp_path, lambda s, r: s)
    assert [r["spec"] for r in results] == specs  # a and b from the cache, c and d trained now
