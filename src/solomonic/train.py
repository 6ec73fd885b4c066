"""The training loop every preset shares: AdamW, linear warmup then cosine decay, gradient clipping,
optional bf16 autocast and torch.compile, periodic evaluation, metrics as JSON lines, atomic
checkpoints, exact resume.

Exactness: a batch is a pure function of (seed, step), the schedule a function of the step, and a
checkpoint holds the weights (DESIGN.md's format), the optimizer state and every RNG state; resuming
from step s therefore replays the very steps an uninterrupted run takes (a test checks bit equality). The
trainer state is tensors and plain data only, loaded with `weights_only=True`: resuming from a checkpoint
one was sent never runs code from it.

Scale-out: under `torchrun` each process builds the same global batch and trains on its rows through
DistributedDataParallel (gloo on CPU, nccl on CUDA). The loss is normalised by the global number of
asked positions, so one process and N processes take the same step on the same global batch.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import pickle
import random
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import rich.progress
import torch
import torch.distributed as dist
import torch.nn.functional as F
from rich.console import Console
from rich.text import Text

from solomonic.atomic import recover, replacing_directory
from solomonic.bmojo import BMojoConfig, BMojoLM, CheckpointError
from solomonic.data.tasks import IGNORE, Task, make_task
from solomonic.errors import UserError

TRAINER_STATE = "trainer.pt"
METRICS = "metrics.jsonl"
CHECKPOINT = "checkpoint"


@dataclass
class TrainSettings:
    task: str = "mqar"
    task_params: dict = field(default_factory=dict)
    preset: str = "bmojo"
    model_overrides: dict = field(default_factory=dict)
    steps: int = 2000
    batch_size: int = 64  # global: split across data-parallel processes
    lr: float = 1e-3
    weight_decay: float = 0.1
    warmup: float = 0.05  # fraction of the steps
    clip: float = 1.0
    seed: int = 0
    device: str = "cpu"
    bf16: bool = False
    compile: bool = False
    eval_every: int = 250
    eval_batches: int = 4
    log_every: int = 10
    checkpoint_every: int = 500
    out: str | None = None
    progress: bool = True

    def to_json(self) -> dict:
        return dataclasses.asdict(self)

    def validate(self) -> None:
        problems = [f"--{name.replace('_', '-')} must be at least {low} (is {getattr(self, name)})"
                    for name, low in (("steps", 1), ("batch_size", 1), ("eval_batches", 1), ("log_every", 1),
                                      ("checkpoint_every", 1), ("eval_every", 0))
                    if getattr(self, name) < low]
        if not self.lr > 0:
            problems.append(f"--lr must be positive (is {self.lr})")
        if not 0 <= self.warmup < 1:
            problems.append(f"--warmup is a fraction of the steps in [0, 1) (is {self.warmup})")
        if self.clip < 0 or self.weight_decay < 0:
            problems.append("--clip and --weight-decay must be non-negative")
        if problems:
            raise UserError("; ".join(problems))


def learning_rate(settings: TrainSettings, step: int) -> float:
    """Linear warmup to `lr`, then cosine decay to zero at the last step."""
    warmup = max(1, int(settings.warmup * settings.steps))
    if step < warmup:
        return settings.lr * (step + 1) / warmup
    progress = (step - warmup) / max(1, settings.steps - warmup)
    return settings.lr * 0.5 * (1 + math.cos(math.pi * min(1.0, progress)))


def require_device(name: str) -> torch.device:
    """The device `--device name` asks for, or a UserError where this machine has none of that kind."""
    if name == "cuda" and not torch.cuda.is_available():
        raise UserError("--device cuda: no CUDA device is available here")
    return torch.device(name)


class Trainer:
    def __init__(self, settings: TrainSettings):
        settings.validate()
        self.settings = settings
        self.task: Task = make_task(settings.task, **settings.task_params)
        self.rank, self.world = _distributed_setup(settings.device)
        if settings.batch_size % self.world:
            raise UserError(f"--batch-size {settings.batch_size} does not split over {self.world} processes")
        require_device(settings.device)
        self.device = torch.device(settings.device if settings.device == "cpu" else f"cuda:{_local_rank()}")
        overrides = {**settings.model_overrides, "vocab_size": self.task.vocab_size}
        torch.manual_seed(settings.seed)
        self.config = BMojoConfig.preset(settings.preset, **overrides)
        self.model = BMojoLM(self.config).to(self.device)
        decay = [p for p in self.model.parameters() if p.dim() >= 2]
        no_decay = [p for p in self.model.parameters() if p.dim() < 2]
        self.optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": settings.weight_decay},
                                            {"params": no_decay, "weight_decay": 0.0}], lr=settings.lr,
                                           betas=(0.9, 0.95))
        self.parallel = torch.nn.parallel.DistributedDataParallel(self.model) if self.world > 1 else self.model
        self.forward = CompiledOrEager(self.parallel) if settings.compile else self.parallel
        self.step = 0
        self.out = Path(settings.out) if settings.out else None

    # ----------------------------------------------------------------------------------- running

    def run(self, resume: bool = False) -> dict:
        s = self.settings
        if resume:
            self.restore()
        elif self.out is not None and self.rank == 0:
            self.out.mkdir(parents=True, exist_ok=True)
            (self.out / METRICS).write_text("")
        bar = StepBar.open(s, self.step) if self.rank == 0 else None
        start, tokens, last, evaluation = time.perf_counter(), 0, {}, None
        try:
            while self.step < s.steps:
                loss, aux = self.train_step()
                tokens += s.batch_size * self.task.length
                self.step += 1
                elapsed = time.perf_counter() - start
                last = {"step": self.step, "loss": loss, "aux": aux, "lr": learning_rate(s, self.step - 1),
                        "tokens_per_s": tokens / elapsed}
                if bar is not None:
                    bar.advance(loss, tokens / elapsed)
                if self.step % s.log_every == 0 or self.step == s.steps:
                    self.log(last)
                if s.eval_every and (self.step % s.eval_every == 0 or self.step == s.steps):
                    evaluation = self.evaluate()
                    self.log({"step": self.step, "eval": evaluation})
                if self.out is not None and (self.step % s.checkpoint_every == 0 or self.step == s.steps):
                    self.save()
        finally:  # a live bar redirects the terminal's output until it stops, also when training fails
            if bar is not None:
                bar.close()
        return {"final": last, "eval": evaluation or self.evaluate(), "seconds": time.perf_counter() - start,
                "params_without_embeddings": self.model.num_params(embeddings=False)}

    @property
    def compiled(self) -> bool:
        """Whether training steps run compiled (asked for, and not fallen back to eager)."""
        return isinstance(self.forward, CompiledOrEager) and self.forward.compiled is not None

    def batch(self, split: str, index: int, size: int, length: int | None = None):
        b = self.task.batch(split, index, size, self.settings.seed, length)
        return torch.from_numpy(b.inputs).to(self.device), torch.from_numpy(b.targets).to(self.device)

    def train_step(self) -> tuple[float, float]:
        s = self.settings
        inputs, targets = self.batch("train", self.step, s.batch_size)  # the global batch, on every process
        asked_global = int((targets != IGNORE).sum())
        rows = slice(self.rank * s.batch_size // self.world, (self.rank + 1) * s.batch_size // self.world)
        inputs, targets = inputs[rows], targets[rows]
        asked = targets != IGNORE
        for group in self.optimizer.param_groups:
            group["lr"] = learning_rate(s, self.step)
        with torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=s.bf16):
            out = self.forward(inputs, return_aux=True, positions=asked)
            ce_sum = F.cross_entropy(out.logits.float(), targets[asked], reduction="sum")
            # DDP averages gradients over processes: scaling by the world size makes the step the one a
            # single process takes on the global batch.
            loss = self.world * ce_sum / max(1, asked_global) + out.aux_loss
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if s.clip:
            torch.nn.utils.clip_grad_norm_(self.model.parameters(), s.clip)
        self.optimizer.step()
        totals = torch.stack([ce_sum.detach().float(), out.aux_loss.detach().float()])
        if self.world > 1:
            dist.all_reduce(totals)
            totals[1] /= self.world
        return totals[0].item() / max(1, asked_global), totals[1].item()

    @torch.no_grad()
    def evaluate(self, length: int | None = None, batches: int | None = None, size: int | None = None) -> dict:
        """Accuracy at the asked positions (recall tasks), or loss and perplexity (language modelling),
        over fixed evaluation batches; `length` evaluates at another sequence length, `size` sets the
        batch size (default: the training batch's)."""
        self.model.eval()
        correct = asked = 0
        ce = 0.0
        for index in range(batches or self.settings.eval_batches):
            inputs, targets = self.batch("eval", index, size or self.settings.batch_size, length)
            mask = targets != IGNORE
            logits = self.model(inputs, positions=mask).float()
            ce += F.cross_entropy(logits, targets[mask], reduction="sum").item()
            correct += int((logits.argmax(-1) == targets[mask]).sum())
            asked += int(mask.sum())
        self.model.train()
        loss = ce / max(1, asked)
        result = {"loss": loss, "accuracy": correct / max(1, asked), "asked": asked}
        if self.task.is_language_modelling:
            result.update(perplexity=math.exp(min(loss, 50.0)), bits_per_byte=loss / math.log(2))
        return result

    # ------------------------------------------------------------------------------- persistence

    def log(self, record: dict) -> None:
        if self.rank == 0 and self.out is not None:
            with (self.out / METRICS).open("a") as f:
                f.write(json.dumps(record) + "\n")

    def save(self) -> None:
        """Weights, configuration and tokenizer as `save_pretrained` writes them, plus the optimizer and
        every RNG state as tensors and plain data (see `restore`); atomically, so a killed save leaves the
        previous checkpoint readable."""
        if self.rank == 0:
            with replacing_directory(self.out / CHECKPOINT) as staging:
                self.model.write_files(staging)
                torch.save({"step": self.step, "optimizer": self.optimizer.state_dict(),
                            **_rng_states(self.device), "settings": self.settings.to_json()},
                           staging / TRAINER_STATE)
        if self.world > 1:
            dist.barrier()

    def restore(self) -> None:
        """Continue from the checkpoint in `out`. The trainer state is unpickled with `weights_only=True`,
        which builds tensors and plain data and refuses anything else: a checkpoint can come from
        elsewhere, and unpickling an arbitrary object runs whatever code it names."""
        if self.out is None:
            raise UserError("--resume needs --out, the directory of the run to resume")
        path = self.out / CHECKPOINT
        recover(path)
        file = path / TRAINER_STATE
        if not file.is_file():
            raise CheckpointError(f"{path}: no checkpoint to resume from")
        saved = BMojoLM.from_pretrained(path, map_location=str(self.device))
        if saved.config != self.config:
            raise CheckpointError(f"{path}: the checkpoint's model differs from this run's (--preset / --set)")
        try:
            # On the CPU: the RNG states must be CPU tensors; the optimizer moves its state to the weights.
            state = torch.load(file, map_location="cpu", weights_only=True)
        except pickle.UnpicklingError as err:
            raise CheckpointError(f"{file}: unreadable trainer state (refused: it is not tensors and plain data "
                                  f"alone, and unpickling the rest could run code; {_refusal(err)})") from None
        except Exception as err:  # a truncated or unreadable file
            raise CheckpointError(f"{file}: unreadable trainer state ({type(err).__name__}: {err})") from None
        self.model.load_state_dict(saved.state_dict())
        try:
            self.optimizer.load_state_dict(state["optimizer"])
            _set_rng_states(state, self.device)
            self.step = int(state["step"])
        except (KeyError, IndexError, TypeError, ValueError, RuntimeError) as err:  # safe, but foreign
            raise CheckpointError(f"{file}: unreadable trainer state ({type(err).__name__}: {err})") from None
        if self.rank == 0 and (self.out / METRICS).exists():  # forget what was logged after the checkpoint
            kept = [line for line in (self.out / METRICS).read_text().splitlines()
                    if line and json.loads(line)["step"] <= self.step]
            (self.out / METRICS).write_text("".join(line + "\n" for line in kept))


class CompiledOrEager:
    """A module run through torch.compile, or eagerly (with one warning) once compilation fails.

    Compilation needs a C++ toolchain and a platform that inductor covers; where either is missing,
    training goes on at eager speed rather than stopping. Failures surface at a call, not at
    torch.compile, and a failed forward has changed nothing, so the call is simply repeated eagerly.
    """

    def __init__(self, module: torch.nn.Module):
        self.module = module
        # Static shapes: a run's shapes never change, and in a process that trains at several lengths (a bench
        # grid) dynamo would otherwise make the length symbolic on the second one, where inductor fails on
        # the SSD scan's chunk arithmetic (ValueRangeError) and training fell back to eager.
        self.compiled = torch.compile(module, dynamic=False)

    def __call__(self, *args, **kwargs):
        if self.compiled is not None:
            try:
                return self.compiled(*args, **kwargs)
            except Exception as error:  # any compiler failure: a real error recurs eagerly
                warnings.warn(f"torch.compile failed ({type(error).__name__}: {str(error).splitlines()[0][:200]}); "
                              "continuing without compilation", RuntimeWarning, stacklevel=2)
                self.compiled = None
        return self.module(*args, **kwargs)


def _local_rank() -> int:
    return int(os.environ.get("LOCAL_RANK", "0"))


def _distributed_setup(device: str) -> tuple[int, int]:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world == 1:
        return 0, 1
    if not dist.is_initialized():
        dist.init_process_group("nccl" if device == "cuda" else "gloo")
    return dist.get_rank(), dist.get_world_size()


def _rng_states(device: torch.device) -> dict:
    """Every RNG state a training step may draw from, as tensors and plain data: numpy's key array
    becomes a tensor, since `weights_only` loading builds no numpy objects."""
    name, key, position, has_gauss, gauss = np.random.get_state()
    states = {"torch_rng": torch.get_rng_state(), "python_rng": random.getstate(),
              "numpy_rng": (name, torch.from_numpy(key.astype(np.int64)), position, has_gauss, gauss)}
    if device.type == "cuda":
        states["cuda_rng"] = torch.cuda.get_rng_state(device)
    return states


def _set_rng_states(state: dict, device: torch.device) -> None:
    torch.set_rng_state(state["torch_rng"])
    name, key, position, has_gauss, gauss = state["numpy_rng"]
    np.random.set_state((name, key.numpy().astype(np.uint32), position, has_gauss, gauss))
    random.setstate(state["python_rng"])
    if device.type == "cuda" and "cuda_rng" in state:  # a run resumed on another kind of device has none
        torch.cuda.set_rng_state(state["cuda_rng"], device)


def _refusal(err: Exception) -> str:
    """The line of torch.load's refusal that names what it refused, without its advice to retry with
    `weights_only=False` or to allowlist the global: either would run whatever code the file holds."""
    text = str(err).split("WeightsUnpickler error:")[-1]
    for line in map(str.strip, text.splitlines()):
        if line and not line.startswith(("Weights only load failed", "(1)", "(2)", "Please", "Check the doc")):
            return line.split(". Please")[0]
    return type(err).__name__


class StepRate(rich.progress.ProgressColumn):
    """Steps per second: rich's own rate columns count bytes."""

    def render(self, task: rich.progress.Task) -> Text:
        return Text("? step/s" if task.speed is None else f"{task.speed:.2f} step/s", style="progress.data.speed")


class StepBar:
    """The training progress bar (rich, on stderr like the command's other messages): steps done of all,
    the rate, elapsed and remaining time, the last loss and the tokens per second."""

    def __init__(self, progress: rich.progress.Progress, task: rich.progress.TaskID):
        self.progress, self.task = progress, task

    @classmethod
    def open(cls, settings: TrainSettings, initial: int) -> StepBar | None:
        """A started bar, or None when progress is off or stderr is no terminal (a log file would
        otherwise collect the bar's redraws)."""
        console = Console(stderr=True)
        if not settings.progress or not console.is_terminal:
            return None
        progress = rich.progress.Progress(
            rich.progress.TextColumn("{task.description}"), rich.progress.BarColumn(),
            rich.progress.MofNCompleteColumn(), StepRate(), rich.progress.TimeElapsedColumn(),
            rich.progress.TimeRemainingColumn(), rich.progress.TextColumn("{task.fields[status]}"), console=console)
        task = progress.add_task(f"{settings.preset} on {settings.task}", total=settings.steps,
                                 completed=initial, status="")
        progress.start()
        return cls(progress, task)

    def advance(self, loss: float, tokens_per_s: float) -> None:
        self.progress.update(self.task, advance=1, status=f"loss {loss:.4f}, {tokens_per_s:,.0f} tok/s")

    def close(self) -> None:
        self.progress.stop()
