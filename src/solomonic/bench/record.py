"""Writing benchmark results: JSON for programs, a marked section of docs/benchmarks.md for people."""

from __future__ import annotations

import collections
import datetime
import json
import os
import platform
import re
import shlex
import sys
from pathlib import Path


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [ln.split(":", 1)[1].strip() for ln in f if ln.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
        memory = f", {kib / 2**20:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def devices(runs: list[dict]) -> str:
    """Where a grid's runs trained, for its report: "cpu", or each device with its count where they differ."""
    counts = collections.Counter(r.get("device", "cpu") for r in runs)  # runs from before --device were on the CPU
    if len(counts) <= 1:
        return next(iter(counts), "cpu")
    total = sum(counts.values())
    return ", ".join(f"{device} ({n} of {total} runs)" for device, n in sorted(counts.items()))


def stamp() -> dict:
    """What every benchmark's results record of how they were made; `provenance` writes it out."""
    return {"command": command_line(), "machine": machine(), "date": today()}


def provenance(report: dict, machine_note: str = "", date_note: str = "") -> list[str]:
    """The lines that open every benchmark's section: the command, the machine and the date it ran."""
    return [f"Command: `{report['command']}`  ", f"Machine: {report['machine']}{machine_note}  ",
            f"Date: {report['date']}{date_note}", ""]


def command_line() -> str:
    return "solomonic " + " ".join(shlex.quote(a) for a in sys.argv[1:])


def today() -> str:
    return datetime.date.today().isoformat()


def write_json(path: str, data: dict) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(path).with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2) + "\n")
    tmp.replace(path)


def update_section(docs: str, name: str, body: str) -> None:
    """Replace the text between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->` (appended if absent)."""
    path = Path(docs)
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)


def save_figure(fig, folder: Path, stem: str) -> list[str]:
    """Write a matplotlib figure as folder/STEM.png; returns its link from docs/benchmarks.md."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path = folder / f"{stem}.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return [f"plots/{path.name}"]


def publish(results: dict, text: str, output: str | None, docs: str | None, section: str) -> None:
    """Where a benchmark's results go: its JSON (where asked), its section of the docs (where asked), and
    the section's text on stdout."""
    if output:
        write_json(output, results)
    if docs:
        update_section(docs, section, text)
    print(text)
