"""`solomonic bmojo info`: a B'MOJO configuration's layers, parameter counts and generation-cache size;
`solomonic bmojo export-hf` / `import-hf`: training checkpoints to and from Hugging Face directories."""

from __future__ import annotations

import argparse
from pathlib import Path

from solomonic.cli.conventions import EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    bmojo = subparsers.add_parser("bmojo", help="the B'MOJO model family: sizes, configurations, Hugging Face format")
    bmojo_sub = bmojo.add_subparsers(title="commands", metavar="COMMAND", required=True)
    info = bmojo_sub.add_parser(
        "info", help="parameter counts and generation-cache size of a configuration",
        description="Builds the model of a preset (with --set overrides) and prints its layers, its parameter\n"
                    "counts with and without the embedding table, and the bytes of its generation cache per\n"
                    "sequence at each --context (constant for every preset but `transformer`).",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    info.add_argument("--preset", default="bmojo", help="transformer, swa, mamba, hybrid, bmojo_f or bmojo")
    info.add_argument("--set", dest="overrides", action="append", default=[], metavar="FIELD=VALUE",
                      help="override a configuration field (repeatable), e.g. --set window=128")
    info.add_argument("--context", type=int, action="append", metavar="N",
                      help="context lengths for the cache size (default: 1024 4096 16384 65536)")
    info.set_defaults(run=run_info)
    export = bmojo_sub.add_parser(
        "export-hf", help="a training checkpoint as a Hugging Face directory (AutoModelForCausalLM)",
        description="Writes the model of a `solomonic train` checkpoint as `transformers` saves it (model.safetensors,\n"
                    "config.json, generation_config.json), to load with AutoModelForCausalLM.from_pretrained after\n"
                    "`import solomonic.hf`. Needs the hf extra. The weights are unchanged; OUT is replaced whole.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    export.add_argument("checkpoint", type=Path, metavar="CHECKPOINT",
                        help="a checkpoint directory, or the --out directory of `solomonic train`")
    export.add_argument("out", type=Path, metavar="OUT", help="the Hugging Face directory to write")
    export.set_defaults(run=run_export)
    imported = bmojo_sub.add_parser(
        "import-hf", help="a Hugging Face directory of a B'MOJO model as a checkpoint",
        description="Writes a B'MOJO model saved by `transformers` (BMojoForCausalLM.save_pretrained or export-hf)\n"
                    "as a checkpoint that `solomonic generate --checkpoint` and BMojoLM.from_pretrained load. Refuses\n"
                    "another model type and weights that do not fit the configuration. Needs the hf extra.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    imported.add_argument("source", type=Path, metavar="DIR", help="the Hugging Face directory")
    imported.add_argument("out", type=Path, metavar="OUT", help="the checkpoint directory to write")
    imported.set_defaults(run=run_import)


def run_info(args: argparse.Namespace) -> int:
    from solomonic.bmojo import BMojoConfig, BMojoLM
    from solomonic.bmojo.config import parse_overrides

    config = BMojoConfig.preset(args.preset, **parse_overrides(args.overrides))
    model = BMojoLM(config)
    memory = f", eidetic memory: {config.k_mem} per block, capacity {config.mem_capacity}, {config.mem_eviction} " \
             f"eviction" if "M" in config.kinds and config.k_mem and config.mem_capacity else ""
    window = f", window {config.window}" if set(config.kinds) & set("AFM") else ""
    print(f"{config.preset_name}: {config.n_layers} layers ({config.kinds}), d_model {config.d_model}, "
          f"{config.n_heads} heads{window}, vocabulary {config.vocab_size}{memory}")
    print(f"parameters: {model.num_params():,} in all, {model.num_params(embeddings=False):,} without embeddings")
    print(f"generation cache per sequence ({str(model.embed.weight.dtype).replace('torch.', '')}):")
    for context in args.context or [1024, 4096, 16384, 65536]:
        size = model.cache_bytes(context)
        print(f"  context {context:>9,}: {size:>14,} bytes ({size / 2**20:,.2f} MiB)")
    return EXIT_OK


def run_export(args: argparse.Namespace) -> int:
    from solomonic.hf.convert import export_hf

    model = export_hf(args.checkpoint, args.out)
    print(f"{args.out}: {model.config.preset} model, {model.num_parameters():,} parameters, in Hugging Face format")
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    from solomonic.hf.convert import import_hf

    model = import_hf(args.source, args.out)
    print(f"{args.out}: {model.config.preset_name} checkpoint, {model.num_params():,} parameters")
    return EXIT_OK
