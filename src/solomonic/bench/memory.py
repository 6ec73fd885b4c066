"""`solomonic bench memory`: peak memory of a forward pass against sequence length.

Each (preset, length, mode) runs in a fresh interpreter, so that one measurement cannot inherit another's
high-water mark, after a short warm-up pass (thread pools and library workspaces are allocated once).
The figure is the operating system's count for the process: peak resident set size (getrusage's
ru_maxrss) minus the resident size just before the measured pass (/proc/self/statm), i.e. the
activations and workspace of that pass. PyTorch's CPU allocator keeps no peak counter of its own,
and tracemalloc does not see tensor memory, so the kernel's count is the honest one here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from solomonic.bench.record import provenance, stamp, update_section, write_json

PROBE = r"""
import gc, json, os, resource, sys, time
import torch
from solomonic.bmojo import BMojoConfig, BMojoLM
preset, length, mode, overrides = sys.argv[1], int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4])
torch.manual_seed(0)
torch.set_num_threads(int(os.environ.get("SOLOMONIC_THREADS", "2")))
model = BMojoLM(BMojoConfig.preset(preset, **overrides))
ids = torch.randint(0, model.config.vocab_size, (1, length))
with torch.no_grad():  # warm-up: thread pools and library workspaces are not the model's memory
    model(ids[:, : 2 * model.config.window])
gc.collect()
page = os.sysconf("SC_PAGE_SIZE")
with open("/proc/self/statm") as f:
    before = int(f.read().split()[1]) * page
start = time.perf_counter()
if mode == "inference":
    with torch.no_grad():
        model(ids)
else:
    logits = model(ids)
    torch.nn.functional.cross_entropy(logits[0, :-1], ids[0, 1:]).backward()
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"bytes": peak - before, "seconds": seconds}))
"""


def measure(preset: str, length: int, mode: str, overrides: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", PROBE, preset, str(length), mode, json.dumps(overrides)],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(args: argparse.Namespace) -> int:
    overrides = {"d_model": args.d_model, "n_layers": args.layers, "n_heads": args.heads, "window": args.window}
    lengths = [1024, 2048] if args.quick else args.lengths
    results = {**stamp(), "config": overrides, "lengths": lengths, "runs": []}
    for preset in args.presets:
        for mode in args.modes:
            for length in lengths:
                r = {"preset": preset, "mode": mode, "length": length, **measure(preset, length, mode, overrides)}
                results["runs"].append(r)
                shown = f"{r['bytes'] / 2**20:10.1f} MiB  {r['seconds']:7.2f} s" if "bytes" in r else r["error"]
                print(f"{preset:12} {mode:9} T={length:>6}: {shown}", flush=True)
    write_json(args.output, results)
    update_section(args.docs, "memory", markdown(results))
    return 0


def markdown(results: dict) -> str:
    c = results["config"]
    lines = [*provenance(results),
             f"Peak memory of one forward pass (batch 1, float32), d_model {c['d_model']}, {c['n_layers']} layers, "
             f"{c['n_heads']} heads, window {c['window']}; each figure from a fresh process (peak RSS minus RSS "
             "before the pass). The last column is the growth from the previous length: 2.0 is linear.", "",
             "| preset | mode | T | peak MiB | seconds | × previous T |", "|---|---|---:|---:|---:|---:|"]
    previous: dict = {}
    for r in results["runs"]:
        key = (r["preset"], r["mode"])
        if "bytes" not in r:
            lines.append(f"| {r['preset']} | {r['mode']} | {r['length']} | {r['error']} | | |")
            continue
        growth = f"{r['bytes'] / previous[key]:.2f}" if key in previous and previous[key] > 0 else ""
        previous[key] = r["bytes"]
        lines.append(f"| {r['preset']} | {r['mode']} | {r['length']} | {r['bytes'] / 2**20:.1f} | "
                     f"{r['seconds']:.2f} | {growth} |")
    return "\n".join(lines)
