"""The default tokenizer: UTF-8 bytes, 256 ids, nothing to train or download."""

from __future__ import annotations


class ByteTokenizer:
    vocab_size = 256

    def encode(self, text: str) -> list[int]:
        return list(text.encode("utf-8"))

    def decode(self, ids: list[int]) -> str:
        return bytes(i for i in ids if 0 <= i < 256).decode("utf-8", errors="replace")

    def to_json(self) -> dict:
        return {"type": "bytes", "vocab_size": self.vocab_size}

    @staticmethod
    def from_json(data: dict) -> ByteTokenizer:
        if data.get("type") != "bytes":
            raise ValueError(f"unknown tokenizer type {data.get('type')!r}")
        return ByteTokenizer()
