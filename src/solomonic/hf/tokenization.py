"""BMojoByteTokenizer: the byte-level tokenizer (solomonic.bmojo.ByteTokenizer) as `transformers` loads tokenizers.

Token ids are the UTF-8 bytes of the text, 0-255, with no special tokens: the models were trained on raw bytes
and have no id to spare for a beginning, an end or padding. So `AutoTokenizer.from_pretrained` on a directory
`export-hf` wrote gives back the ids the native tokenizer gives, and `pipeline("text-generation")` works.
"""

from __future__ import annotations

from transformers import PreTrainedTokenizer

from solomonic.bmojo import ByteTokenizer


class BMojoByteTokenizer(PreTrainedTokenizer):
    model_input_names = ["input_ids"]  # noqa: RUF012 (transformers reads it off the class)

    def __init__(self, **kwargs):
        self.native = ByteTokenizer()
        super().__init__(**kwargs)

    @property
    def vocab_size(self) -> int:
        return self.native.vocab_size

    def get_vocab(self) -> dict[str, int]:
        return {chr(i): i for i in range(self.vocab_size)}

    def _tokenize(self, text: str, **kwargs) -> list[str]:
        return [chr(i) for i in self.native.encode(text)]  # one token per byte, named by the code point

    def _convert_token_to_id(self, token: str) -> int:
        return ord(token)

    def _convert_id_to_token(self, index: int) -> str:
        return chr(index)

    def convert_tokens_to_string(self, tokens: list[str]) -> str:
        return self.native.decode([ord(t) for t in tokens])

    def save_vocabulary(self, save_directory: str, filename_prefix: str | None = None) -> tuple[str, ...]:
        return ()  # the vocabulary is the 256 byte values: nothing to write
