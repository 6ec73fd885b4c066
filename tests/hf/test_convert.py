"""`solomonic bmojo export-hf` / `import-hf`: training checkpoints to Hugging Face directories and back, with the
byte-level tokenizer where the model reads bytes."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("transformers")

import torch
from safetensors.torch import load_file, save_file
from transformers import AutoTokenizer, pipeline

from solomonic.bmojo import BMojoConfig, BMojoLM, ByteTokenizer
from solomonic.cli import main
from solomonic.hf import BMojoForCausalLM


@pytest.fixture
def solomonic(capsys):
    """The command line, in this process (a fresh interpreter would spend most of the test importing torch):
    (exit status, stderr)."""
    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        status = main([str(a) for a in args])
        return status, capsys.readouterr().err
    return run


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A `solomonic train` run directory (two steps of MQAR), made through the command line."""
    run = tmp_path_factory.mktemp("run")
    done = main(["train", "--task", "mqar", "--preset", "bmojo", "--set", "d_model=32", "--set", "n_layers=2",
                     "--set", "n_heads=2", "--set", "window=8", "--set", "k_mem=2", "--set", "mem_capacity=4",
                     "--steps", "2", "--batch-size", "4", "--eval-every", "0", "--no-progress", "--out", str(run)])
    assert done == 0
    return run


def test_round_trip_keeps_weights_and_configuration(solomonic, trained, tmp_path):
    status, err = solomonic("bmojo", "export-hf", trained, tmp_path / "hf")  # the run directory will do
    assert status == 0, err
    assert {"config.json", "model.safetensors"} <= {p.name for p in (tmp_path / "hf").iterdir()}
    assert not (tmp_path / "hf" / "tokenizer.json").exists()  # that name is a `tokenizers` file to transformers
    assert not (tmp_path / "hf" / "tokenizer_config.json").exists()  # MQAR's 8192 symbols are not bytes
    original = BMojoLM.from_pretrained(trained / "checkpoint")
    hf = BMojoForCausalLM.from_pretrained(tmp_path / "hf")
    assert hf.config.to_bmojo() == original.config
    for name, tensor in original.state_dict().items():
        assert torch.equal(hf.model.state_dict()[name], tensor), name

    status, err = solomonic("bmojo", "import-hf", tmp_path / "hf", tmp_path / "back")
    assert status == 0, err
    back = BMojoLM.from_pretrained(tmp_path / "back")
    assert back.config == original.config
    assert back.state_dict().keys() == original.state_dict().keys()
    assert all(torch.equal(back.state_dict()[name], t) for name, t in original.state_dict().items())
    status, err = solomonic("generate", "--checkpoint", tmp_path / "back", "--prompt", "ab", "--max-new-tokens", "4")
    assert status == 0, err


def test_what_is_not_a_bmojo_model_is_refused_in_one_line(solomonic, trained, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "config.json").write_text(json.dumps({"model_type": "gpt2"}))
    cases = {
        other: "model_type is 'gpt2', not a B'MOJO model",
        trained / "checkpoint": "a training checkpoint, not a Hugging Face directory",
        tmp_path / "absent": "not a Hugging Face configuration",
    }
    for source, message in cases.items():
        status, err = solomonic("bmojo", "import-hf", source, tmp_path / "out")
        assert status == 2 and message in err and err.count("\n") == 1, err
    assert not (tmp_path / "out").exists()
    status, err = solomonic("bmojo", "export-hf", tmp_path / "absent", tmp_path / "out")
    assert status == 2 and "not a B'MOJO checkpoint" in err, err


def test_weights_that_do_not_fit_are_refused_not_filled_in_at_random(solomonic, trained, tmp_path):
    hf = tmp_path / "hf"
    assert solomonic("bmojo", "export-hf", trained, hf)[0] == 0
    assert solomonic("bmojo", "import-hf", hf, tmp_path / "keep")[0] == 0
    before = (tmp_path / "keep" / "model.safetensors").read_bytes()
    weights = load_file(hf / "model.safetensors")
    dropped = sorted(weights)[0]
    del weights[dropped]
    save_file(weights, hf / "model.safetensors", metadata={"format": "pt"})
    status, err = solomonic("bmojo", "import-hf", hf, tmp_path / "keep")
    assert status == 2 and f"missing keys ['{dropped}']" in err, err
    assert (tmp_path / "keep" / "model.safetensors").read_bytes() == before  # the destination is left as it was
    (hf / "model.safetensors").write_bytes(b"not safetensors")
    status, err = solomonic("bmojo", "import-hf", hf, tmp_path / "keep")
    assert status == 2 and f"solomonic: error: {hf}" in err, err


def test_a_byte_model_exports_its_tokenizer_and_generates_in_a_pipeline(solomonic, tmp_path):
    torch.manual_seed(0)
    native = BMojoLM(BMojoConfig.preset("mamba", d_model=32, n_layers=2, ssm_head_dim=16))
    native.save_pretrained(tmp_path / "checkpoint")
    assert solomonic("bmojo", "export-hf", tmp_path / "checkpoint", tmp_path / "hf")[0] == 0
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "hf")
    text = "déf f(x):\n\treturn 日本 </s>"
    assert tokenizer(text)["input_ids"] == ByteTokenizer().encode(text)  # bytes, no special tokens added
    assert tokenizer.decode(tokenizer(text)["input_ids"]) == text
    generated = pipeline("text-generation", model=str(tmp_path / "hf"))("def ", max_new_tokens=12, do_sample=False)
    expected = native.generate(torch.tensor(ByteTokenizer().encode("def ")), 12, temperature=0)
    assert generated[0]["generated_text"] == ByteTokenizer().decode(expected.tolist())
