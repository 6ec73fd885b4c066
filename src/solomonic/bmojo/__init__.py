"""B'MOJO: sequence models with eidetic and fading memory (Transformers, SSMs and hybrids as special cases)."""

from solomonic.bmojo.config import PRESETS, BMojoConfig, ConfigError
from solomonic.bmojo.model import BMojoLM, BMojoOutput, Cache, CheckpointError
from solomonic.bmojo.tokenizer import ByteTokenizer

__all__ = ["PRESETS", "BMojoConfig", "BMojoLM", "BMojoOutput", "ByteTokenizer", "Cache", "CheckpointError",
           "ConfigError"]
