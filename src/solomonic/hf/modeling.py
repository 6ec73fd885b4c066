"""BMojoForCausalLM: the native B'MOJO model (solomonic.bmojo.BMojoLM) behind the `transformers` interface.

The wrapper adds no computation: the forward over a prompt is `BMojoLM.prefill` (the parallel form), over tokens
after a cache is `BMojoLM.step` one token at a time (the recurrent form), so `generate()` decodes exactly as
`BMojoLM.generate` does, with the model's own constant-size cache (BMojoCache). The weights are the native
model's under the prefix `model.`; solomonic.hf.convert moves them between the two formats.

Two things the native model does not have are refused, never approximated: padding (an `attention_mask` with
zeros: the SSM and the memory read every position, and there is no mask to leave pads out of them) and
per-layer hidden states or attention weights.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from transformers import GenerationMixin, PreTrainedModel
from transformers.modeling_outputs import CausalLMOutputWithPast

from solomonic.bmojo import BMojoLM
from solomonic.bmojo.rope import Rotary
from solomonic.hf.cache import BMojoCache
from solomonic.hf.configuration import BMojoHFConfig

IGNORE_INDEX = -100  # labels at this value are not scored (the `transformers` convention)


class BMojoPreTrainedModel(PreTrainedModel):
    config_class = BMojoHFConfig
    base_model_prefix = "model"
    main_input_name = "input_ids"
    _no_split_modules = ["Block"]  # noqa: RUF012 (transformers reads it off the class)

    def _init_weights(self, module: torch.nn.Module) -> None:
        """BMojoLM initialises its own weights when it is built (model.py); loading builds it on the meta device
        and fills in the saved tensors, which leaves only the rotary frequencies (a buffer that is not saved)
        to compute again. Anything else is never re-initialised here: a fresh model keeps BMojoLM's scheme."""
        if isinstance(module, Rotary):
            frequencies = module.get_buffer("inverse_frequency")  # (head_dim / 2,)
            with torch.device("cpu"):
                fresh = Rotary(2 * frequencies.shape[0], self.config.rope_base).get_buffer("inverse_frequency")
            with torch.no_grad():
                frequencies.copy_(fresh)


class BMojoForCausalLM(BMojoPreTrainedModel, GenerationMixin):
    """`BMojoForCausalLM(BMojoHFConfig(preset="bmojo", d_model=64))`, or loaded with
    `AutoModelForCausalLM.from_pretrained(directory)` once solomonic.hf is imported."""

    def __init__(self, config: BMojoHFConfig):
        super().__init__(config)
        self.model = BMojoLM(config.to_bmojo())
        self.post_init()

    @classmethod
    def from_native(cls, model: BMojoLM) -> BMojoForCausalLM:
        """The same weights behind this interface (copied into a new module, on the model's device)."""
        wrapped = cls(BMojoHFConfig.from_bmojo(model.config))
        wrapped.model.load_state_dict(model.state_dict())
        wrapped.model.to(model.embed.weight.device)  # the wrapper holds no tensors of its own
        return wrapped

    @classmethod
    def _supports_default_dynamic_cache(cls) -> bool:
        return False  # the forward makes its own cache: a key/value cache cannot hold an SSM state or a memory

    def get_input_embeddings(self) -> torch.nn.Embedding:
        return self.model.embed

    def set_input_embeddings(self, value: torch.nn.Module) -> None:
        self.model.embed = value

    def forward(self, input_ids: torch.LongTensor, cache: BMojoCache | None = None,
                attention_mask: torch.Tensor | None = None, labels: torch.LongTensor | None = None,
                use_cache: bool | None = None, output_attentions: bool | None = None,
                output_hidden_states: bool | None = None, return_dict: bool | None = None,
                ) -> CausalLMOutputWithPast | tuple:
        """input_ids (B, T) -> logits (B, T, vocab). Without a cache (or with an empty one) the tokens are a
        prompt, read in parallel; after a cache they continue it, read one by one, and the cache is updated in
        place. With `use_cache` the cache comes back in the output. `labels` (B, T), usually the inputs, give
        the mean next-token loss over positions not labelled -100, plus the memory's auxiliary loss (the
        innovation predictor's, as `solomonic train` adds it); a prompt read for a loss makes no cache."""
        if attention_mask is not None and not bool(attention_mask.all()):
            raise ValueError("B'MOJO models read every position (no attention mask reaches the SSM or the "
                             "memory): pass unpadded sequences of one length, or one sequence at a time")
        if output_attentions or output_hidden_states:
            raise ValueError("B'MOJO models do not return attention weights or per-layer hidden states")
        native = cache.native if cache is not None else None
        aux = None
        if native is not None:
            logits = torch.stack([self.model.step(token, native)[0] for token in input_ids.unbind(1)], dim=1)
        elif labels is not None:
            out = self.model(input_ids, return_aux=True)
            logits, aux = out.logits, out.aux_loss
        elif use_cache:
            cache = cache if cache is not None else BMojoCache()
            logits, cache.native = self.model.prefill(input_ids)
        else:
            logits = self.model(input_ids)
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].flatten(0, 1).float(), labels[:, 1:].flatten(),
                                   ignore_index=IGNORE_INDEX)
            if aux is not None:
                loss = loss + aux
        output = CausalLMOutputWithPast(loss=loss, logits=logits, cache=cache if use_cache else None)
        return output if return_dict is not False else output.to_tuple()
