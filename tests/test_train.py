"""The trainer: exact resume, checkpoints that survive a kill, and data parallelism under torchrun."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from solomonic.bmojo import BMojoLM, CheckpointError
from solomonic.train import CHECKPOINT, METRICS, TRAINER_STATE, Trainer, TrainSettings

MODEL = {"d_model": 32, "n_layers": 2, "n_heads": 2, "window": 8, "k_mem": 2, "mem_capacity": 4,
         "ssm_head_dim": 8, "ssm_chunk": 16, "mlp_ratio": 0.0}
TASK = {"length": 32, "pairs": 4, "vocab": 64}


def settings(out: Path, **kw) -> TrainSettings:
    base = {"task": "mqar", "task_params": TASK, "preset": "bmojo", "model_overrides": MODEL, "steps": 8,
            "batch_size": 8, "lr": 3e-3, "eval_every": 0, "log_every": 1, "checkpoint_every": 4, "out": str(out),
            "progress": False}
    return TrainSettings(**{**base, **kw})


def losses(out: Path) -> dict[int, float]:
    lines = [json.loads(line) for line in (out / METRICS).read_text().splitlines() if line]
    return {r["step"]: r["loss"] for r in lines if "loss" in r}


class Interrupted(Exception):
    pass


def test_resume_replays_the_same_steps_bit_for_bit(tmp_path, monkeypatch):
    Trainer(settings(tmp_path / "whole")).run()
    trainer = Trainer(settings(tmp_path / "parts"))
    original = Trainer.train_step
    calls = {"n": 0}

    def interrupt_after_six(self):
        calls["n"] += 1
        if calls["n"] > 6:  # checkpoint at step 4, then two more steps that the resume repeats
            raise Interrupted
        return original(self)

    monkeypatch.setattr(Trainer, "train_step", interrupt_after_six)
    with pytest.raises(Interrupted):
        trainer.run()
    monkeypatch.setattr(Trainer, "train_step", original)
    Trainer(settings(tmp_path / "parts")).run(resume=True)
    whole, parts = losses(tmp_path / "whole"), losses(tmp_path / "parts")
    assert sorted(parts) == list(range(1, 9))
    assert [whole[s] for s in range(5, 9)] == [parts[s] for s in range(5, 9)]  # bit-identical
    a = BMojoLM.from_pretrained(tmp_path / "whole" / CHECKPOINT).state_dict()
    b = BMojoLM.from_pretrained(tmp_path / "parts" / CHECKPOINT).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


def test_a_save_that_fails_midway_leaves_the_previous_checkpoint(tmp_path, monkeypatch):
    trainer = Trainer(settings(tmp_path, steps=4, checkpoint_every=2))
    real_save = torch.save

    def dying_save(obj, path, *args, **kwargs):
        if trainer.step == 4:  # the second checkpoint dies after the weights, before the trainer state
            raise Interrupted
        return real_save(obj, path, *args, **kwargs)

    monkeypatch.setattr(torch, "save", dying_save)
    with pytest.raises(Interrupted):
        trainer.run()
    monkeypatch.setattr(torch, "save", real_save)
    state = torch.load(tmp_path / CHECKPOINT / TRAINER_STATE, weights_only=True)
    assert state["step"] == 2
    BMojoLM.from_pretrained(tmp_path / CHECKPOINT)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_killed_training_process_leaves_a_readable_checkpoint(tmp_path):
    command = [sys.executable, "-m", "solomonic", "train", "--task", "mqar", "--task-set", "length=32",
               "--task-set", "pairs=4", "--task-set", "vocab=64", "--steps", "100000", "--batch-size", "8",
               "--checkpoint-every", "1", "--eval-every", "0", "--no-progress", "--out", str(tmp_path)]
    for key, value in MODEL.items():
        command += ["--set", f"{key}={value}"]
    for delay in (3.0, 3.7, 4.4):  # kill at different moments: sometimes inside a save
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not (tmp_path / CHECKPOINT).exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(delay - 3.0)
        process.send_signal(signal.SIGKILL)
        process.wait()
        model = BMojoLM.from_pretrained(tmp_path / CHECKPOINT)
        state = torch.load(tmp_path / CHECKPOINT / TRAINER_STATE, weights_only=True)
        assert state["step"] >= 1 and model.config.d_model == MODEL["d_model"]
        command = [*command, "--resume"] if "--resume" not in command else command


def run_cli(out: Path, nproc: int) -> dict[int, float]:
    args = ["--task", "mqar", "--task-set", "length=32", "--task-set", "pairs=4", "--task-set", "vocab=64",
            "--steps", "5", "--batch-size", "8", "--eval-every", "0", "--log-every", "1", "--no-progress",
            "--out", str(out)]
    for key, value in MODEL.items():
        args += ["--set", f"{key}={value}"]
    if nproc == 1:
        command = [sys.executable, "-m", "solomonic", "train", *args]
    else:
        command = [sys.executable, "-m", "torch.distributed.run", "--standalone", f"--nproc_per_node={nproc}",
                   "-m", "solomonic", "train", *args]
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return losses(out)


def test_two_processes_under_torchrun_take_the_steps_of_one(tmp_path):
    one = run_cli(tmp_path / "one", 1)
    two = run_cli(tmp_path / "two", 2)
    assert sorted(one) == sorted(two) == [1, 2, 3, 4, 5]
    for step in one:
        assert abs(one[step] - two[step]) <= 1e-5 * abs(one[step]), (step, one[step], two[step])


@pytest.mark.parametrize("extra, fragment", [
    (["--preset", "gpt5"], "unknown preset 'gpt5'"),
    (["--task", "sorting"], "unknown task 'sorting'"),
    (["--set", "windw=8"], "unknown field 'windw'"),
    (["--task-set", "pairs=40"], "need a sequence of at least 160"),
    (["--set", "k_mem=99"], "k_mem must be in 0..window"),
    (["--batch-size", "0"], "batch"),
    (["--resume"], "--resume needs --out"),
])
def test_bad_training_input_gets_one_line(extra, fragment):
    done = subprocess.run([sys.executable, "-m", "solomonic", "train", "--steps", "1", "--no-progress", *extra],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert fragment in done.stderr


def test_resuming_from_a_corrupt_or_foreign_checkpoint_is_refused(tmp_path):
    Trainer(settings(tmp_path, steps=2, checkpoint_every=2)).run()
    (tmp_path / CHECKPOINT / TRAINER_STATE).write_bytes(b"not a pickle")
    with pytest.raises(Exception, match="unreadable trainer state"):
        Trainer(settings(tmp_path, steps=4)).run(resume=True)
    Trainer(settings(tmp_path, steps=2, checkpoint_every=2)).run()
    with pytest.raises(Exception, match="differs from this run"):
        Trainer(settings(tmp_path, steps=4, model_overrides={**MODEL, "window": 4})).run(resume=True)
    command = [sys.executable, "-m", "solomonic", "train", "--steps", "4", "--no-progress", "--resume",
               "--out", str(tmp_path / "missing")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "no checkpoint to resume from" in done.stderr and "Traceback" not in done.stderr


class RunsCode:
    """What a hostile trainer state may hold: unpickling it calls open(), which creates `marker`."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return open, (str(self.marker), "w")


def test_a_trainer_state_that_would_run_code_is_refused(tmp_path):
    Trainer(settings(tmp_path, steps=2, checkpoint_every=2)).run()
    file, marker = tmp_path / CHECKPOINT / TRAINER_STATE, tmp_path / "code-ran"
    state = torch.load(file, weights_only=True)  # what the trainer writes loads without unpickling code
    torch.save({**state, "extra": RunsCode(marker)}, file)
    with pytest.raises(CheckpointError, match=r"unreadable trainer state .*could run code"):
        Trainer(settings(tmp_path, steps=4)).run(resume=True)
    assert not marker.exists()
    torch.load(file, weights_only=False)  # the file is truly hostile: a plain load runs its code
    assert marker.exists()


def test_every_loader_recovers_a_checkpoint_caught_between_two_renames(tmp_path):
    Trainer(settings(tmp_path, steps=2, checkpoint_every=2)).run()
    hidden = tmp_path / f".{CHECKPOINT}.old"
    os.rename(tmp_path / CHECKPOINT, hidden)  # what a save killed between its renames leaves without renameat2
    BMojoLM.from_pretrained(tmp_path / CHECKPOINT)
    os.rename(tmp_path / CHECKPOINT, hidden)
    trainer = Trainer(settings(tmp_path, steps=4))
    trainer.run(resume=True)
    assert trainer.step == 4 and sorted(losses(tmp_path)) == [1, 2, 3, 4]
    assert not hidden.exists()


def test_the_progress_bar_shows_steps_loss_and_rate_on_a_terminal_only(tmp_path, monkeypatch, capsys):
    Trainer(settings(tmp_path / "piped", steps=2, progress=True)).run()
    assert capsys.readouterr().err == ""  # pytest's stderr is no terminal
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich draws as on a terminal
    monkeypatch.setenv("COLUMNS", "200")
    Trainer(settings(tmp_path / "terminal", steps=2, progress=True)).run()
    err = capsys.readouterr().err
    assert "bmojo on mqar" in err and "2/2" in err and "step/s" in err and "loss " in err and "tok/s" in err


def test_bf16_autocast_trains(tmp_path):
    summary = Trainer(settings(tmp_path, steps=3, bf16=True, eval_every=3)).run()
    assert torch.isfinite(torch.tensor(summary["final"]["loss"])) and summary["eval"]["asked"] > 0


def test_compiled_training_takes_the_eager_steps(tmp_path):
    one_layer = {**MODEL, "n_layers": 1}  # every part of a B'MOJO layer, at half the compilation time
    eager = Trainer(settings(tmp_path / "eager", steps=4, model_overrides=one_layer))
    eager.run()
    compiled = Trainer(settings(tmp_path / "compiled", steps=4, compile=True, model_overrides=one_layer))
    compiled.run()
    assert compiled.compiled  # it really ran compiled, not through the fallback
    a, b = losses(tmp_path / "eager"), losses(tmp_path / "compiled")
    assert sorted(a) == sorted(b) == [1, 2, 3, 4]
    assert all(abs(a[s] - b[s]) <= 1e-4 * abs(a[s]) for s in a)
    # A bench grid trains at several lengths in one process: the second length compiles too.
    longer = Trainer(settings(tmp_path / "longer", steps=1, compile=True, model_overrides=one_layer,
                              task_params={**TASK, "length": 2 * TASK["length"], "vocab": 4 * TASK["length"]}))
    longer.run()
    assert longer.compiled


def test_a_failing_compiler_falls_back_to_eager_with_a_warning(tmp_path, monkeypatch):
    def broken_compile(module, **options):
        def run(*args, **kwargs):
            raise RuntimeError("no C++ compiler found")
        return run

    monkeypatch.setattr(torch, "compile", broken_compile)
    Trainer(settings(tmp_path / "eager", steps=3)).run()
    trainer = Trainer(settings(tmp_path / "fallback", steps=3, compile=True))
    with pytest.warns(RuntimeWarning, match="torch.compile failed .*no C\\+\\+ compiler found"):
        trainer.run()
    assert not trainer.compiled
    assert losses(tmp_path / "eager") == losses(tmp_path / "fallback")  # the eager steps, exactly
