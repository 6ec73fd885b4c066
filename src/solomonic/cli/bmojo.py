"""`solomonic bmojo info`: a B'MOJO configuration's layers, parameter counts and generation-cache size."""

from __future__ import annotations

import argparse

from solomonic.cli.conventions import EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    bmojo = subparsers.add_parser("bmojo", help="the B'MOJO model family: sizes and configurations")
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
