"""Between `solomonic train` checkpoints and Hugging Face directories, both ways, weights unchanged.

A training checkpoint (BMojoLM.save_pretrained: model.safetensors with the native names, the native config.json,
tokenizer.json) and a Hugging Face directory (BMojoForCausalLM.save_pretrained: the same tensors under the
prefix `model.`, the resolved BMojoHFConfig, generation_config.json) hold the same model; converting copies the
tensors and restates the configuration, so a round trip gives back the very weights and configuration. The
native tokenizer.json is not carried over (`transformers` reads that name as a `tokenizers` file); a model over
the byte vocabulary gets BMojoByteTokenizer's tokenizer_config.json instead. A recall-task model's vocabulary is
the task's symbols, not bytes, and gets no tokenizer.

Both directions write atomically (solomonic.atomic): a failed or killed conversion leaves the destination as it
was. The trainer state (optimizer, RNG) is not exported; an imported checkpoint is a model to generate from or
to convert again, not a run to resume.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from safetensors import SafetensorError

from solomonic.atomic import replacing_directory
from solomonic.bmojo import BMojoLM, CheckpointError
from solomonic.bmojo.model import CONFIG, WEIGHTS
from solomonic.hf.configuration import BMojoHFConfig
from solomonic.hf.modeling import BMojoForCausalLM
from solomonic.hf.tokenization import BMojoByteTokenizer


def training_checkpoint(path: Path) -> Path:
    """The checkpoint directory itself, or the one a `solomonic train --out` directory holds."""
    inner = path / "checkpoint"
    return inner if not (path / WEIGHTS).exists() and (inner / WEIGHTS).exists() else path


def export_hf(checkpoint: Path, destination: Path) -> BMojoForCausalLM:
    """A training checkpoint -> a directory AutoModelForCausalLM.from_pretrained loads."""
    native = BMojoLM.from_pretrained(training_checkpoint(checkpoint))
    model = BMojoForCausalLM.from_native(native)
    with replacing_directory(destination) as staging:
        model.save_pretrained(staging)
        tokenizer = BMojoByteTokenizer()
        if model.config.vocab_size == tokenizer.vocab_size:
            tokenizer.save_pretrained(staging)
    return model


def import_hf(source: Path, destination: Path) -> BMojoLM:
    """A Hugging Face directory of a B'MOJO model -> a checkpoint `solomonic generate` and BMojoLM load."""
    model = load_hf(source)
    model.model.save_pretrained(destination)
    return model.model


def load_hf(source: Path) -> BMojoForCausalLM:
    """BMojoForCausalLM.from_pretrained, refusing what is not exactly a saved B'MOJO model: another model type,
    or weights that are missing, unexpected or of other shapes (which `transformers` would fill in at random)."""
    config_file = source / CONFIG
    try:
        model_type = json.loads(config_file.read_text()).get("model_type")
    except (OSError, ValueError, AttributeError) as err:
        raise CheckpointError(f"{config_file}: not a Hugging Face configuration ({err})") from None
    if model_type is None and (source / WEIGHTS).is_file():
        raise CheckpointError(f"{config_file}: no model_type: a training checkpoint, not a Hugging Face directory")
    if model_type != BMojoHFConfig.model_type:
        raise CheckpointError(f"{config_file}: model_type is {model_type!r}, not a B'MOJO model ('bmojo')")
    if not (source / WEIGHTS).is_file():
        raise CheckpointError(f"{source}: no {WEIGHTS} (sharded or .bin weights are not read)")
    try:
        loaded = BMojoForCausalLM.from_pretrained(source, output_loading_info=True)
        model, info = cast("tuple[BMojoForCausalLM, dict]", loaded)
    except (SafetensorError, OSError, ValueError, RuntimeError) as err:  # damaged weights, a configuration BMojoConfig refuses
        raise CheckpointError(f"{source}: {str(err).splitlines()[0]}") from None
    problems = {name: sorted(map(str, info.get(name) or ())) for name in
                ("missing_keys", "unexpected_keys", "mismatched_keys")}
    if any(problems.values()):
        found = ", ".join(f"{name.replace('_', ' ')} {keys[:3]}" for name, keys in problems.items() if keys)
        raise CheckpointError(f"{source / WEIGHTS}: the weights do not fit the configuration ({found})")
    return model.eval()
