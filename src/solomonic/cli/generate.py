"""`solomonic generate`: continues a prompt with a trained B'MOJO checkpoint."""

from __future__ import annotations

import argparse
from pathlib import Path

from solomonic.cli.conventions import EXIT_OK
from solomonic.errors import UserError


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    generate = subparsers.add_parser("generate", help="continue a prompt with a trained B'MOJO checkpoint",
                                     description="Loads a checkpoint (save_pretrained's directory), prefills the prompt "
                                                 "and samples a continuation with a constant-size cache.")
    generate.add_argument("--checkpoint", required=True, metavar="DIR")
    generate.add_argument("--prompt", required=True, metavar="TEXT")
    generate.add_argument("--max-new-tokens", type=int, default=200, metavar="N")
    generate.add_argument("--temperature", type=float, default=0.8, help="0 samples greedily (default: 0.8)")
    generate.add_argument("--top-k", type=int, default=None, metavar="K")
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    generate.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    import torch

    from solomonic.bmojo import BMojoLM, ByteTokenizer
    from solomonic.bmojo.model import TOKENIZER
    from solomonic.train import require_device

    require_device(args.device)
    model = BMojoLM.from_pretrained(args.checkpoint, map_location=args.device).eval()
    tokenizer_file = Path(args.checkpoint) / TOKENIZER
    tokenizer = ByteTokenizer.from_json(json.loads(tokenizer_file.read_text())) if tokenizer_file.exists() \
        else ByteTokenizer()
    prompt = torch.tensor(tokenizer.encode(args.prompt), device=args.device)
    if prompt.numel() == 0:
        raise UserError("--prompt is empty")
    generator = torch.Generator(device=args.device).manual_seed(args.seed)
    out = model.generate(prompt, args.max_new_tokens, temperature=args.temperature, top_k=args.top_k,
                         generator=generator)
    print(tokenizer.decode(out.tolist()))
    return EXIT_OK
