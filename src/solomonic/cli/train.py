"""`solomonic train`: trains a B'MOJO-family model from the command line's settings and prints its summary."""

from __future__ import annotations

import argparse
import os

from solomonic.cli.conventions import EXIT_OK


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    train = subparsers.add_parser(
        "train", help="train a B'MOJO-family model on a recall task or on language modelling",
        description="AdamW with linear warmup and cosine decay, gradient clipping, optional bf16 autocast;\n"
                    "metrics as JSON lines in OUT/metrics.jsonl, an atomic checkpoint in OUT/checkpoint\n"
                    "(--resume continues exactly where it stopped). Runs unchanged under torchrun (DDP).\n\n"
                    "tasks: mqar, noisy_recall, fuzzy_recall, selective_copy, lm (the standard library's source),\n"
                    "certificates (loops and the reasoner's certificates for them: --task-set corpus=FILE, the\n"
                    "JSON Lines of `solomonic proposer corpus`; --task-set target=invariant|ranking)",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    train.add_argument("--task", default="mqar")
    train.add_argument("--task-set", dest="task_params", action="append", default=[], metavar="PARAM=VALUE",
                       help="a task parameter, e.g. --task-set length=256 --task-set pairs=16")
    train.add_argument("--preset", default="bmojo")
    train.add_argument("--set", dest="overrides", action="append", default=[], metavar="FIELD=VALUE",
                       help="a model configuration field, e.g. --set window=16")
    train.add_argument("--steps", type=int, default=2000)
    train.add_argument("--batch-size", type=int, default=64, help="global batch size (default: 64)")
    train.add_argument("--lr", type=float, default=1e-3)
    train.add_argument("--weight-decay", type=float, default=0.1)
    train.add_argument("--warmup", type=float, default=0.05, help="fraction of the steps (default: 0.05)")
    train.add_argument("--clip", type=float, default=1.0, help="gradient-norm clip, 0 for none")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    train.add_argument("--bf16", action="store_true", help="bfloat16 autocast")
    train.add_argument("--compile", action="store_true",
                       help="run the training step's forward through torch.compile (falls back to eager if it fails; "
                            "1.4-1.5x on CPU for the SSM presets after a 1-2 minute compilation)")
    train.add_argument("--eval-every", type=int, default=250)
    train.add_argument("--eval-batches", type=int, default=4)
    train.add_argument("--log-every", type=int, default=10, help="steps between metric lines (default: 10)")
    train.add_argument("--checkpoint-every", type=int, default=500)
    train.add_argument("--out", metavar="DIR", help="metrics and checkpoint directory")
    train.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoint")
    train.add_argument("--no-progress", action="store_true")
    train.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json

    from solomonic.bmojo.config import parse_overrides
    from solomonic.data.tasks import parse_task_overrides
    from solomonic.train import Trainer, TrainSettings

    settings = TrainSettings(
        task=args.task, task_params=parse_task_overrides(args.task_params), preset=args.preset,
        model_overrides=parse_overrides(args.overrides), steps=args.steps, batch_size=args.batch_size, lr=args.lr,
        weight_decay=args.weight_decay, warmup=args.warmup, clip=args.clip, seed=args.seed, device=args.device,
        bf16=args.bf16, compile=args.compile, eval_every=args.eval_every, eval_batches=args.eval_batches, log_every=args.log_every,
        checkpoint_every=args.checkpoint_every, out=args.out, progress=not args.no_progress)
    summary = Trainer(settings).run(resume=args.resume)
    if int(os.environ.get("RANK", "0")) == 0:
        print(json.dumps(summary, indent=2))
    return EXIT_OK
