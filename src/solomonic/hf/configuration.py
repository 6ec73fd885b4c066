"""BMojoHFConfig: a B'MOJO configuration in the form `transformers` saves, loads and dispatches on.

The configuration is resolved once, when it is made: the preset's defaults with the given fields on top,
validated by BMojoConfig itself. Every field is then stored explicitly, so config.json states the whole model
and loading it never depends on what a preset meant when the file was written (a preset's defaults may change
between releases; a saved model must not).
"""

from __future__ import annotations

import dataclasses

from transformers import PreTrainedConfig

from solomonic.bmojo import BMojoConfig

# BMojoConfig's fields, less preset_name (this configuration's `preset`).
MODEL_FIELDS = tuple(f.name for f in dataclasses.fields(BMojoConfig) if f.name != "preset_name")


class BMojoHFConfig(PreTrainedConfig):
    """`BMojoHFConfig(preset="mamba", d_model=64)`: any BMojoConfig field as a keyword, over the preset's.

    An unknown preset or field, or impossible sizes, raise solomonic.bmojo.ConfigError (a ValueError) naming
    them. `eos_token_id` is unset: the byte-level models have no end-of-text token, so `generate` runs to
    `max_new_tokens` unless the caller names one.
    """

    model_type = "bmojo"
    # The names other libraries (lm-eval-harness, PEFT, accelerate) read off a configuration.
    attribute_map = {"hidden_size": "d_model", "num_hidden_layers": "n_layers",  # noqa: RUF012 (a ClassVar)
                     "num_attention_heads": "n_heads"}

    preset: str = "bmojo"

    def __post_init__(self, **kwargs):
        fields = {name: kwargs.pop(name) for name in MODEL_FIELDS if name in kwargs}
        resolved = BMojoConfig.preset(self.preset, **fields)
        for name in MODEL_FIELDS:
            setattr(self, name, getattr(resolved, name))
        super().__post_init__(**kwargs)

    def to_bmojo(self) -> BMojoConfig:
        """The native configuration this one stands for."""
        return BMojoConfig.preset(self.preset, **{name: getattr(self, name) for name in MODEL_FIELDS})

    @classmethod
    def from_bmojo(cls, config: BMojoConfig, **kwargs) -> BMojoHFConfig:
        """The configuration of a native model (e.g. one `solomonic train` saved), every field kept."""
        return cls(preset=config.preset_name, **{name: getattr(config, name) for name in MODEL_FIELDS}, **kwargs)
