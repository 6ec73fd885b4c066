"""`solomonic bench speed`: training throughput, generation latency and cache size, and achieved FLOP/s,
side by side with the implementations a user would otherwise pick, every ratio measured in one run.

The family is built at one width, depth and vocabulary; each preset's MLP is sized so that its
non-embedding parameter count matches B'MOJO's (matching.match_mlp). The baselines (bench/baselines.py)
compute exactly what their presets compute: the plain SDPA Transformer has the `transformer` preset's
shapes, and transformers' Mamba2 is compared with the `mamba` preset without MLP, its architecture.
Every figure is the median of several timed rounds after one untimed warm-up; the models compared are
timed round by round, interleaved, and their ratios are medians of per-round ratios, so that drift on a
shared machine cancels.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode, sdpa_backward_flop_count, sdpa_flop_count

from solomonic.bench.baselines import PlainTransformer, hf_mamba2
from solomonic.bench.matching import match_mlp, parameters
from solomonic.bench.record import provenance, save_figure, stamp, update_section, write_json
from solomonic.bench.runs import compiling
from solomonic.bmojo import BMojoConfig, BMojoLM
from solomonic.data.corpus import stdlib_corpus
from solomonic.train import CompiledOrEager, require_device

FAMILY = ["transformer", "swa", "mamba", "hybrid", "bmojo_f", "bmojo"]
GENERATORS = ["bmojo", "mamba", "swa", "transformer"]
PLAIN, HF_MAMBA2, MAMBA_NO_MLP = "plain SDPA transformer", "transformers Mamba2", "mamba, no MLP"


@dataclass(frozen=True)
class Scale:
    d_model: int
    n_layers: int
    window: int
    lengths: tuple[int, ...]  # training sequence lengths
    tokens_per_step: int  # batch = tokens_per_step / length
    contexts: tuple[int, ...]  # generation contexts
    new_tokens: int  # generated (and timed) after each prefill
    rounds: int  # timed rounds; each times one step (or call) of every model compared
    transformer_budget_s: float  # the full-attention generation stops before a context would exceed it
    peak_size: int  # the square matmul that measures the machine's peak

    def base(self) -> dict:
        return {"d_model": self.d_model, "n_layers": self.n_layers, "n_heads": 4, "window": self.window,
                "vocab_size": 256, "k_mem": self.window // 4, "mem_capacity": 2 * self.window}


FULL = Scale(256, 4, 64, (512, 2048), 8192, (1024, 4096, 16384, 65536), 32, 9, 600.0, 2048)
QUICK = Scale(128, 2, 32, (256, 1024), 2048, (1024, 4096), 16, 3, 60.0, 1024)


# ------------------------------------------------------------------------------------ measuring

def interleaved(works: dict[str, Callable[[], object]], rounds: int, sync: Callable[[], None] = lambda: None
                ) -> dict[str, tuple[list[float], float]]:
    """Each work's wall times over `rounds` rounds of one call each, and its warm-up time (which includes
    any compilation): name -> (times, warm-up seconds).

    Timing round by round, starting each round at the next work, lets drift on a shared machine hit
    every work alike, so that ratios taken within a round (`paired_ratio`) are fair. `sync` waits for
    queued device work (CUDA runs asynchronously) before a clock is read.
    """
    warm_up = {}
    for name, work in works.items():
        start = time.perf_counter()
        work()
        sync()
        warm_up[name] = time.perf_counter() - start
    names, times = list(works), {name: [] for name in works}
    for r in range(rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            start = time.perf_counter()
            works[name]()
            sync()
            times[name].append(time.perf_counter() - start)
    return {name: (times[name], warm_up[name]) for name in names}


def paired_ratio(slow: list[float], fast: list[float]) -> float:
    """How many times faster `fast` is than `slow`: the median over rounds of their time ratio."""
    return statistics.median(s / f for s, f in zip(slow, fast, strict=True))


def synchronizer(device: torch.device) -> Callable[[], None]:
    return torch.cuda.synchronize if device.type == "cuda" else lambda: None


def matmul_peak(size: int, rounds: int, device: torch.device) -> float:
    """FLOP/s of a square float32 matmul: what this machine's BLAS (or the GPU) reaches at best."""
    a, b = torch.randn(size, size, device=device), torch.randn(size, size, device=device)
    times, _ = interleaved({"matmul": lambda: a @ b}, max(rounds, 5), synchronizer(device))["matmul"]
    return 2 * size**3 / statistics.median(times)


def _cpu_attention_flops(query, key, value, *args, out_shape=None, **kwargs) -> int:
    flops = sdpa_flop_count(query, key, value)
    return flops // 2 if len(args) > 1 and args[1] is True else flops  # is_causal: half the products


def _cpu_attention_backward_flops(grad_out, query, key, value, *args, out_shape=None, **kwargs) -> int:
    flops = sdpa_backward_flop_count(grad_out, query, key, value)
    return flops // 2 if len(args) > 3 and args[3] is True else flops


# torch counts the CUDA attention kernels but not the CPU one; the same formulas apply.
CPU_ATTENTION_FLOPS = {
    torch.ops.aten._scaled_dot_product_flash_attention_for_cpu: _cpu_attention_flops,
    torch.ops.aten._scaled_dot_product_flash_attention_for_cpu_backward: _cpu_attention_backward_flops,
}


def training_step(model: torch.nn.Module, ids: torch.Tensor, forward: Callable | None = None) -> Callable[[], None]:
    """Forward (through `forward`, say a compiled model; default the model) and backward of the
    next-token loss on `ids` (B, T): what a training step costs, without the optimizer's update (the
    same for every model of one size)."""
    forward = forward or model

    def step() -> None:
        model.zero_grad(set_to_none=True)
        out = forward(ids[:, :-1])
        logits = out.logits if hasattr(out, "logits") else out  # (B, T-1, V)
        F.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten()).backward()
    return step


def measure_training(models: dict[str, tuple[torch.nn.Module, Callable | None]], length: int, tokens: int,
                     rounds: int, peak: float, flops: dict[str, int] | None = None) -> dict[str, dict]:
    """Tokens/s of training steps on each model (through its forward if given, say a compiled model), timed
    in interleaved rounds, and the FLOP/s they reach; FLOPs are counted on an eager step unless given."""
    batch = max(1, tokens // length)
    device = next(next(iter(models.values()))[0].parameters()).device
    ids = torch.randint(0, 256, (batch, length + 1), generator=torch.Generator().manual_seed(0)).to(device)
    timed = interleaved({name: training_step(model, ids, forward) for name, (model, forward) in models.items()},
                        rounds, synchronizer(device))
    rows = {}
    for name, (times, warm_up) in timed.items():
        if flops is None or name not in flops:
            with FlopCounterMode(display=False, custom_mapping=CPU_ATTENTION_FLOPS) as counter:
                training_step(models[name][0], ids)()
            count = counter.get_total_flops()
        else:
            count = flops[name]
        seconds = statistics.median(times)
        rows[name] = {"length": length, "batch": batch, "median_s": seconds, "seconds": times, "warm_up_s": warm_up,
                      "tokens_per_s": batch * length / seconds, "flops_per_step": count,
                      "flop_per_s": count / seconds, "fraction_of_peak": count / seconds / peak}
    return rows


@torch.no_grad()
def prefill(model: BMojoLM, prompt: torch.Tensor) -> tuple[dict, Callable[[], None], dict]:
    """A real prefill over `prompt` (T,), timed: its row, a step that generates the next greedy token
    from the cache, and the state that step carries (the cache and the last token)."""
    sync = synchronizer(prompt.device)
    start = time.perf_counter()
    logits, cache = model.prefill(prompt[None])
    sync()
    row = {"context": prompt.numel(), "prefill_s": time.perf_counter() - start}
    state = {"cache": cache, "token": logits[:, -1].argmax(-1)}  # token: (1,)

    @torch.no_grad()
    def step() -> None:
        logits, state["cache"] = model.step(state["token"], state["cache"])
        state["token"] = logits.argmax(-1)
    return row, step, state


# ----------------------------------------------------------------------------------------- run

def family(scale: Scale) -> dict[str, BMojoConfig]:
    """The presets at one width, depth and vocabulary, MLPs sized to B'MOJO's parameter count."""
    base = scale.base()
    target = parameters("bmojo", base)
    return {p: BMojoConfig.preset(p, **match_mlp(p, target, base)[0]) for p in FAMILY}


def build(name: str, configs: dict[str, BMojoConfig], device: torch.device) -> torch.nn.Module:
    torch.manual_seed(0)
    if name == PLAIN:
        model = PlainTransformer(configs["transformer"])
    elif name in (MAMBA_NO_MLP, HF_MAMBA2):
        config = replace(configs["mamba"], mlp_ratio=0.0)
        model = BMojoLM(config) if name == MAMBA_NO_MLP else hf_mamba2(config)
    else:
        model = BMojoLM(configs[name])
    return model.to(device)


def training_models(transformers_available: bool) -> list[str]:
    return FAMILY + [PLAIN, MAMBA_NO_MLP] + ([HF_MAMBA2] if transformers_available else [])


def run_training(scale: Scale, configs: dict, device: torch.device, peak: float, log: Callable[[str], None]
                 ) -> list[dict]:
    """Every model at every training length, the models of one length timed in interleaved rounds."""
    available = _transformers_available()
    if not available:
        log("transformers is not installed: its Mamba2 is left out (pip install 'solomonic[bench]')")
    models = {name: (build(name, configs, device), None) for name in training_models(available)}
    rows = []
    for length in scale.lengths:
        for name, row in measure_training(models, length, scale.tokens_per_step, scale.rounds, peak).items():
            rows.append({"model": name, "params_without_embeddings": _params_without_embeddings(models[name][0]), **row})
            log(f"train  {name:24s} T={length:5d}: {row['tokens_per_s']:8.0f} tokens/s, "
                f"{row['fraction_of_peak']:.1%} of peak")
    return rows


def run_compiled(scale: Scale, configs: dict, device: torch.device, peak: float, eager: list[dict],
                 log: Callable[[str], None]) -> list[dict]:
    """The compiled path (train.CompiledOrEager: eager again, with a warning, where compilation fails)
    for the models with a scan, at the longest training length, each timed in rounds with its eager
    self (the gain is the median of their paired ratios); mamba's rounds also time transformers' Mamba2,
    eager, the path that library offers on CPU."""
    rows = []
    length = scale.lengths[-1]
    flops = {r["model"]: r["flops_per_step"] for r in eager if r["length"] == length}
    for name in [MAMBA_NO_MLP, "bmojo"]:
        model = build(name, configs, device)
        compiled = CompiledOrEager(model)
        models = {"eager": (model, None), "compiled": (model, compiled)}
        if name == MAMBA_NO_MLP and HF_MAMBA2 in flops:
            models[HF_MAMBA2] = (build(HF_MAMBA2, configs, device), None)
        timed = measure_training(models, length, scale.tokens_per_step, scale.rounds, peak,
                                 {key: flops[HF_MAMBA2 if key == HF_MAMBA2 else name] for key in models})
        row = {"model": name, "compiled": compiled.compiled is not None,
               "compile_s": timed["compiled"]["warm_up_s"],  # the first step compiles forward and backward
               "gain": paired_ratio(timed["eager"]["seconds"], timed["compiled"]["seconds"]),
               "eager_tokens_per_s": timed["eager"]["tokens_per_s"], **timed["compiled"]}
        versus = ""
        if HF_MAMBA2 in timed:
            row["versus_hf_mamba2"] = paired_ratio(timed[HF_MAMBA2]["seconds"], timed["compiled"]["seconds"])
            versus = f", {row['versus_hf_mamba2']:.2f}x {HF_MAMBA2}"
        rows.append(row)
        log(f"train  {name + ' (compiled)':24s} T={length:5d}: {row['tokens_per_s']:8.0f} tokens/s, {row['gain']:.2f}x "
            f"eager{versus}, after {row['compile_s']:.0f} s of compilation"
            f"{'' if row['compiled'] else ' (fell back to eager)'}")
        del model, compiled, models
        gc.collect()
    return rows


def run_generation(scale: Scale, configs: dict, device: torch.device, log: Callable[[str], None]) -> list[dict]:
    """Per model: a prefill at every context (full attention stops before its budget), then the steps
    after them timed in interleaved rounds, so that latencies at different contexts compare fairly."""
    text = torch.from_numpy(stdlib_corpus().validation[: max(scale.contexts)].astype("int64")).to(device)  # bytes
    rows = []
    for name in GENERATORS:
        model = build(name, configs, device).eval()
        spent, previous, steps, states, prefilled, skipped = 0.0, None, {}, {}, [], []
        for context in scale.contexts:
            if name == "transformer" and previous is not None:
                # Full attention's prefill grows with the square of the context: stop before the budget.
                predicted = previous["prefill_s"] * (context / previous["context"]) ** 2
                if spent + predicted > scale.transformer_budget_s:
                    log(f"generate {name:12s} context {context:6d}: skipped (about {predicted:.0f} s more would pass "
                        f"the {scale.transformer_budget_s:.0f} s budget)")
                    skipped.append({"model": name, "context": context, "skipped": True, "predicted_prefill_s": predicted})
                    continue
            start = time.perf_counter()
            previous, steps[context], states[context] = prefill(model, text[:context])
            spent += time.perf_counter() - start
            prefilled.append({"model": name, **previous})
        timed = interleaved(steps, scale.new_tokens, synchronizer(device))
        for row in prefilled:
            latencies = timed[row["context"]][0]
            row.update(token_latency_s=statistics.median(latencies), token_latencies_s=latencies,
                       cache_bytes=states[row["context"]]["cache"].nbytes())
            log(f"generate {name:12s} context {row['context']:6d}: prefill {row['prefill_s']:6.1f} s, "
                f"{row['token_latency_s'] * 1e3:7.2f} ms/token, cache {row['cache_bytes']:,} bytes")
        rows += prefilled + skipped
        del model, steps, states
        gc.collect()
    return rows


def _transformers_available() -> bool:
    try:
        import transformers  # noqa: F401
    except ImportError:
        return False
    return True


def _params_without_embeddings(model: torch.nn.Module) -> int:
    if isinstance(model, BMojoLM):
        return model.num_params(embeddings=False)
    embeddings = model.get_input_embeddings() if hasattr(model, "get_input_embeddings") else model.embed
    return sum(p.numel() for p in model.parameters()) - embeddings.weight.numel()


# ------------------------------------------------------------------------------------- targets

def targets(report: dict) -> list[dict]:
    """The issue's targets, each with the measured ratio and whether it is met."""
    times = {(r["model"], r["length"]): r["seconds"] for r in report["training"]}
    longest = report["scale"]["lengths"][-1]
    out = []

    def ratio(name: str, value: float | None, goal: float, at_most: bool = False) -> None:
        if value is not None:
            out.append({"target": name, "ratio": value, "goal": f"{'≤' if at_most else '≥'} {goal}",
                        "met": value <= goal if at_most else value >= goal})

    def train_ratio(a: str, b: str) -> float | None:
        """a's throughput over b's, paired round by round (one batch size for both)."""
        if (a, longest) not in times or (b, longest) not in times:
            return None
        return paired_ratio(times[(b, longest)], times[(a, longest)])

    ratio(f"mamba (no MLP) / transformers Mamba2, training tokens/s at T={longest}",
          train_ratio(MAMBA_NO_MLP, HF_MAMBA2), 2.0)
    for row in report["compiled"]:
        if "versus_hf_mamba2" in row and row["compiled"]:
            ratio(f"mamba (no MLP), compiled / transformers Mamba2 (eager), training tokens/s at T={longest}",
                  row["versus_hf_mamba2"], 2.0)
    ratio(f"bmojo / swa, training tokens/s at T={longest}", train_ratio("bmojo", "swa"), 0.8)
    ratio(f"bmojo / plain SDPA transformer, training tokens/s at T={longest}", train_ratio("bmojo", PLAIN), 0.5)
    generated = [r for r in report["generation"] if r["model"] == "bmojo" and not r.get("skipped")]
    if len(generated) > 1:
        first, last = generated[0], generated[-1]
        ratio(f"bmojo per-token latency, context {last['context']} / {first['context']}",
              paired_ratio(last["token_latencies_s"], first["token_latencies_s"]), 1.2, at_most=True)
        out.append({"target": "bmojo cache bytes identical at every context",
                    "ratio": max(r["cache_bytes"] for r in generated) / min(r["cache_bytes"] for r in generated),
                    "goal": "1 (max / min)", "met": len({r["cache_bytes"] for r in generated}) == 1})
    return out


def run(args: argparse.Namespace, scale: Scale | None = None) -> int:
    scale = scale or (QUICK if args.quick else FULL)
    device = require_device(args.device)
    torch.set_num_threads(args.threads)
    configs = family(scale)
    log = _printer()
    peak = matmul_peak(scale.peak_size, scale.rounds, device)
    where = torch.cuda.get_device_name(device) if device.type == "cuda" else f"{args.threads} threads"
    log(f"peak: {peak / 1e9:.1f} GFLOP/s ({scale.peak_size}x{scale.peak_size} float32 matmul, {where})")
    report = {**stamp(), "device": args.device,
              "threads": args.threads, "where": where, "torch": torch.__version__, "scale": asdict(scale),
              "peak_flop_per_s": peak, "configs": {name: asdict(c) for name, c in configs.items()},
              "training": run_training(scale, configs, device, peak, log)}
    report["compiled"] = (run_compiled(scale, configs, device, peak, report["training"], log) if compiling(args)
                          else [])
    report["generation"] = run_generation(scale, configs, device, log)
    report["targets"] = targets(report)
    stem = ("speed-quick" if args.quick else "speed") + ("-cuda" if device.type == "cuda" else "")
    write_json(args.output or f"docs/results/bench-{stem}.json", report)
    plots = plot(report, Path(args.plots), stem)
    text = markdown(report, plots)
    update_section(args.docs, stem, text)
    print(text)
    return 0


def _printer() -> Callable[[str], None]:
    started = time.perf_counter()

    def log(line: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {line}", flush=True)
    return log


# ------------------------------------------------------------------------------------- reports

def markdown(report: dict, plots: list[str]) -> str:
    s = report["scale"]
    lengths = s["lengths"]
    lines = [*provenance(report, date_note=f"; torch {report['torch']}, {report['where']}"),
             f"d_model {s['d_model']}, {s['n_layers']} layers, 4 heads, window {s['window']}, byte vocabulary; every "
             "preset's MLP sized to B'MOJO's non-embedding parameter count. Training: forward and backward of the "
             f"next-token loss, {s['tokens_per_step']:,} tokens per step; the models of one length are timed in "
             f"{s['rounds']} interleaved rounds of one step each, after a warm-up: medians, and ratios as medians of "
             "the per-round ratios. FLOPs as torch's FlopCounterMode counts them (matmuls, convolutions, attention; causal "
             f"attention at half); the peak is a {s['peak_size']}² float32 matmul, "
             f"{report['peak_flop_per_s'] / 1e9:.1f} GFLOP/s.", "",
             "**Training throughput (tokens/s)**", "",
             "| model | params | " + " | ".join(f"T={n}" for n in lengths) + f" | vs transformer at T={lengths[-1]} "
             f"| % of peak at T={lengths[-1]} |", "|---|---:|" + "---:|" * (len(lengths) + 2)]
    train = {(r["model"], r["length"]): r for r in report["training"]}
    reference = train.get(("transformer", lengths[-1]))
    for model in dict.fromkeys(r["model"] for r in report["training"]):
        last = train[(model, lengths[-1])]
        versus = f"{paired_ratio(reference['seconds'], last['seconds']):.2f}×" if reference else ""
        lines.append(f"| {model} | {last['params_without_embeddings']:,} | "
                     + " | ".join(f"{train[(model, n)]['tokens_per_s']:,.0f}" for n in lengths)
                     + f" | {versus} | {last['fraction_of_peak']:.1%} |")
    if report["compiled"]:
        lines += ["", f"**torch.compile at T={lengths[-1]}**", "",
                  f"| model | eager tokens/s | compiled tokens/s | gain | compiled vs {HF_MAMBA2} (eager, same rounds) "
                  "| compilation s |", "|---|---:|---:|---:|---:|---:|"]
        for r in report["compiled"]:
            note = "" if r["compiled"] else " (fell back to eager)"
            versus = f"{r['versus_hf_mamba2']:.2f}×" if "versus_hf_mamba2" in r else ""
            lines.append(f"| {r['model']}{note} | {r['eager_tokens_per_s']:,.0f} | {r['tokens_per_s']:,.0f} | "
                         f"{r['gain']:.2f}× | {versus} | {r['compile_s']:.0f} |")
    contexts = s["contexts"]
    generation = {(r["model"], r["context"]): r for r in report["generation"]}
    models = list(dict.fromkeys(r["model"] for r in report["generation"]))
    for title, cell in [("per-token latency after a prefill of real text (ms; median of "
                         f"{s['new_tokens']} greedy steps, batch 1, the contexts of one model timed in "
                         "interleaved rounds)", lambda r: f"{r['token_latency_s'] * 1e3:.2f}"),
                        ("cache bytes after the prefill and the steps", lambda r: f"{r['cache_bytes']:,}"),
                        ("prefill (s)", lambda r: f"{r['prefill_s']:.1f}")]:
        lines += ["", f"**Generation: {title}**", "", "| model | " + " | ".join(f"{c:,}" for c in contexts) + " |",
                  "|---|" + "---:|" * len(contexts)]
        for model in models:
            cells = [generation.get((model, c)) for c in contexts]
            lines.append(f"| {model} | " + " | ".join("—" if r is None or r.get("skipped") else cell(r)
                                                    for r in cells) + " |")
    lines += ["", "**Targets**", "", "| target | measured | goal | met |", "|---|---:|---:|---|"]
    for t in report["targets"]:
        lines.append(f"| {t['target']} | {t['ratio']:.2f} | {t['goal']} | {'yes' if t['met'] else '**no**'} |")
    lines += [""] + [f"![{p}]({p})" for p in plots]
    return "\n".join(lines)


def plot(report: dict, folder: Path, stem: str) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    lengths = report["scale"]["lengths"]
    fig, (bars, latency, cache) = plt.subplots(1, 3, figsize=(16, 4.8))
    models = list(dict.fromkeys(r["model"] for r in report["training"]))
    train = {(r["model"], r["length"]): r["tokens_per_s"] for r in report["training"]}
    width = 0.8 / len(lengths)
    for i, length in enumerate(lengths):
        bars.barh([m + i * width for m in range(len(models))], [train[(m, length)] for m in models], height=width,
                  label=f"T={length}")
    bars.set_yticks([m + width * (len(lengths) - 1) / 2 for m in range(len(models))], models, fontsize=8)
    bars.invert_yaxis()
    bars.set(xlabel="training tokens/s (forward + backward)", title="Training throughput")
    bars.legend(fontsize=8)
    for model in dict.fromkeys(r["model"] for r in report["generation"]):
        rows = [r for r in report["generation"] if r["model"] == model and not r.get("skipped")]
        contexts = [r["context"] for r in rows]
        latency.plot(contexts, [r["token_latency_s"] * 1e3 for r in rows], "-o", label=model)
        cache.plot(contexts, [r["cache_bytes"] for r in rows], "-o", label=model)
    latency.set(xscale="log", yscale="log", xlabel="context (tokens)", ylabel="ms per generated token",
                title="Generation latency")
    cache.set(xscale="log", yscale="log", xlabel="context (tokens)", ylabel="cache bytes", title="Generation cache")
    for ax in (latency, cache):
        ax.legend(fontsize=8)
    return save_figure(fig, folder, stem)
