"""B'MOJO models in Hugging Face `transformers` (the `hf` extra): AutoConfig, AutoModelForCausalLM, generate().

Importing this package registers `model_type = "bmojo"` with the Auto classes, so a directory written by
`save_pretrained` (or `solomonic bmojo export-hf`) loads with `AutoModelForCausalLM.from_pretrained`, and its
byte-level tokenizer with `AutoTokenizer.from_pretrained`.
"""

from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

from solomonic.hf.cache import BMojoCache
from solomonic.hf.configuration import BMojoHFConfig
from solomonic.hf.modeling import BMojoForCausalLM
from solomonic.hf.tokenization import BMojoByteTokenizer

AutoConfig.register(BMojoHFConfig.model_type, BMojoHFConfig, exist_ok=True)
AutoModelForCausalLM.register(BMojoHFConfig, BMojoForCausalLM, exist_ok=True)
AutoTokenizer.register(BMojoHFConfig, slow_tokenizer_class=BMojoByteTokenizer, exist_ok=True)

__all__ = ["BMojoByteTokenizer", "BMojoCache", "BMojoForCausalLM", "BMojoHFConfig"]
