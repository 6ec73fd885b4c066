"""B'MOJO models in Hugging Face `transformers` (the `hf` extra): AutoConfig, AutoModelForCausalLM, generate().

Importing this package registers `model_type = "bmojo"` with the Auto classes, so a directory written by
`save_pretrained` (or `solomonic bmojo export-hf`) loads with `AutoModelForCausalLM.from_pretrained`.
"""

from transformers import AutoConfig, AutoModelForCausalLM

from solomonic.hf.cache import BMojoCache
from solomonic.hf.configuration import BMojoHFConfig
from solomonic.hf.modeling import BMojoForCausalLM

AutoConfig.register(BMojoHFConfig.model_type, BMojoHFConfig, exist_ok=True)
AutoModelForCausalLM.register(BMojoHFConfig, BMojoForCausalLM, exist_ok=True)

__all__ = ["BMojoCache", "BMojoForCausalLM", "BMojoHFConfig"]
