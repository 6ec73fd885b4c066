"""Every test gets its own proof memory: none writes the user's cache or sees another test's answers."""

import pytest


@pytest.fixture(autouse=True)
def _private_proof_memory(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("SOLOMONIC_MEMORY", str(tmp_path_factory.mktemp("memory") / "proofs.sqlite"))
