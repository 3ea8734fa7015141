"""Benchmark on a GPU: the time each hidden CUDA accuracy test takes to reach its threshold.

Trains each reference model as its CUDA test does (``calibrate.py``'s
:func:`time_to_cuda_thresholds`), prints the figures and writes them to
``docs/PERFORMANCE-CUDA.md`` with the machine they were taken on. Where no CUDA GPU is present it
says so and leaves that file as the last GPU run wrote it. Needs neither nbgrader nor the sandbox,
so it runs on any machine with PyTorch.

Usage: ``python grader_tests/ex09/benchmark_cuda.py [--device cuda]`` (part of ``make benchmark``).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from pathlib import Path

import torch
from calibrate import time_to_cuda_thresholds

REPORT = Path(__file__).resolve().parents[2] / "docs" / "PERFORMANCE-CUDA.md"


def table(rows: list[dict]) -> list[str]:
    """Markdown lines of :func:`time_to_cuda_thresholds`'s rows."""
    lines = [
        "| model | data | budget (steps) | seconds | accuracy | threshold | fewest steps of "
        "budget/8, /4, /2, 1 that pass | their seconds |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        first = row.get("first steps")
        lines.append(
            f"| {row['model']} | {row['data']} | {row['steps']} | {row['seconds']:.1f} | "
            f"{row['accuracy']:.4f} | {row['threshold']:.2f} | "
            + (f"{first} | {row['first seconds']:.1f} |" if first else "none | - |")
        )
    return lines


def main(device: str = "cuda") -> list[dict] | None:
    """Run the benchmark where ``device`` is usable; return its rows (None where it is not)."""
    if device.startswith("cuda") and not torch.cuda.is_available():
        kept = "keeps the figures of the last GPU run" if REPORT.exists() else "is not written"
        print(f"no CUDA GPU here: {REPORT.relative_to(REPORT.parents[1])} {kept}")
        return None
    name = torch.cuda.get_device_name(device) if device.startswith("cuda") else device
    rows = time_to_cuda_thresholds(device)
    lines = table(rows)
    print("\n".join(lines))
    machine = (
        f"{name}, {os.cpu_count()} CPU cores, PyTorch {torch.__version__}, Python "
        f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    REPORT.write_text(
        "# Performance of the CUDA accuracy tests\n\n"
        "Written by `make benchmark` (`grader_tests/ex09/benchmark_cuda.py`); taken on "
        f"{machine}.\n\n"
        "Each reference model trained as its hidden CUDA test trains it (seed 0, Adam, batches "
        "of 64, the CUDA budget of `grader_tests/ex09/thresholds.py`), timed from the first step "
        "to the last prediction; the GPU's own start, which a judge's first CUDA test pays once, "
        f"took {rows[0]['start']:.1f} s. The last two columns show how much of the budget the "
        "threshold needs.\n\n" + "\n".join(lines) + "\n"
    )
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cuda", help="device to train on (default cuda)")
    main(parser.parse_args().device)
