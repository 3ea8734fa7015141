"""Measure the reference models' accuracy over many seeds and derive the hidden-test thresholds.

Trains each reference model of ``reference.py`` with the same trusted loop the hidden tests use
(``fit_and_predict`` of ``probes.py``) for seeds 0..N-1, and prints, per model and
training budget (Adam steps), the mean, standard deviation, minimum and maximum accuracy, the
threshold by the rule of THRESHOLDS.md, ``floor_to_0.01(min - max(3 * std, 0.02))``, and the best
accuracy of a model that does not learn its features (the reference with every layer but the last
frozen): a budget is usable when the threshold stays above that control.

Usage: ``python grader_tests/ex09/calibrate.py [--seeds 10] [--steps 40 125] [--cuda-budget]
[--device cuda]``; ``--cuda-budget`` measures the CUDA tests' budget (on the CPU unless
``--device`` says otherwise, with the same seeds, on the data the CUDA tests use here: full MNIST
when present, else the embedded subset). :func:`time_to_cuda_thresholds` is the GPU section of
``make benchmark``.
"""

from __future__ import annotations

import argparse
import math
import time

import models
import numpy as np
import probes
import reference
import thresholds
import torch

from helpers.mnist import data_dir, full_mnist_present


def threshold(accuracies: np.ndarray) -> float:
    """The rule: the worst seed, less three standard deviations or two points, whichever is more."""
    margin = max(3 * accuracies.std(ddof=1), 0.02)
    return math.floor((accuracies.min() - margin) * 100) / 100


def last_layer_only(cls: type) -> type:
    """``cls`` with every parameter but the last layer's frozen: a model that cannot learn its
    features, which the accuracy tests must fail."""

    class Frozen(cls):
        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            params = list(self.parameters())
            for param in params[:-2]:
                param.requires_grad_(False)

    return Frozen


def accuracy(
    cls: type, steps: int, seed: int, full: bool, labels: np.ndarray, device: str = "cpu"
) -> float:
    """Test accuracy of ``cls`` after ``steps`` Adam steps of the hidden tests' loop."""
    predictions = probes.fit_and_predict(
        {"Model": cls}, "Model", {}, steps=steps, seed=seed, full_mnist=full, device=device
    )
    return float((predictions.numpy() == labels).mean())


def accuracies(
    cls: type, steps: int, seeds: int, full: bool, labels: np.ndarray, device: str = "cpu"
) -> np.ndarray:
    """Test accuracy of ``cls`` after ``steps`` Adam steps, for seeds 0..seeds-1."""
    return np.array([accuracy(cls, steps, seed, full, labels, device) for seed in range(seeds)])


def time_to_cuda_thresholds(device: str = "cuda") -> list[dict]:
    """Each reference model's CUDA test as the judge runs it (seed :data:`thresholds.SEED`, the
    CUDA budget, on ``device``), timed, and the fewest steps of the budget's halvings that still
    reach the threshold, timed too; one row per model. The first row also holds the device's
    start (``"start"``, seconds), which the first CUDA test of a judge pays."""
    full = full_mnist_present(data_dir())
    data = "full" if full else "subset"
    budget = thresholds.CUDA_STEPS[data]
    labels = models.mnist_test_labels(full)
    started = time.perf_counter()
    torch.zeros(1, device=device).sum().item()
    start, rows = time.perf_counter() - started, []
    for name, cls in reference.MODELS.items():
        threshold = thresholds.CUDA[data][name]
        row = {"model": name, "data": data, "threshold": threshold}
        for steps in (budget // 8, budget // 4, budget // 2, budget):
            started = time.perf_counter()
            found = accuracy(cls, steps, thresholds.SEED, full, labels, device)
            elapsed = time.perf_counter() - started
            if found >= threshold and "first steps" not in row:
                row.update({"first steps": steps, "first seconds": elapsed})
        row.update({"steps": budget, "seconds": elapsed, "accuracy": found})
        rows.append(row)
    rows[0]["start"] = start
    return rows


def main(
    *,
    seeds: int = 10,
    steps: list[int] | None = None,
    cuda_budget: bool = False,
    device: str = "cpu",
) -> dict:
    """Print the calibration table; return ``{(model, steps): (threshold, control max)}``."""
    torch.set_num_threads(1)
    full = cuda_budget and full_mnist_present(data_dir())
    default = (
        thresholds.CUDA_STEPS["full" if full else "subset"] if cuda_budget else thresholds.CPU_STEPS
    )
    labels = models.mnist_test_labels(full)
    data = "full MNIST" if full else "the embedded subset"
    print(f"{seeds} seeds, data: {data}, Adam lr 1e-3, batch 64, one thread, on {device}")
    print(
        f"{'model':<10} {'steps':>5} {'mean':>7} {'std':>7} {'min':>7} {'max':>7} "
        f"{'threshold':>9} {'frozen max':>10} {'s/run':>6}"
    )
    derived = {}
    for name, cls in reference.MODELS.items():
        for budget in steps or [default]:
            started = time.perf_counter()
            found = accuracies(cls, budget, seeds, full, labels, device)
            control = accuracies(last_layer_only(cls), budget, seeds, full, labels, device)
            derived[name, budget] = (threshold(found), float(control.max()))
            print(
                f"{name:<10} {budget:>5} {found.mean():>7.4f} {found.std(ddof=1):>7.4f} "
                f"{found.min():>7.4f} {found.max():>7.4f} {threshold(found):>9.2f} "
                f"{control.max():>10.4f} {(time.perf_counter() - started) / seeds / 2:>6.1f}",
                flush=True,
            )
    return derived


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (at least 10)")
    parser.add_argument("--steps", type=int, nargs="*", help="training budgets to compare")
    parser.add_argument(
        "--cuda-budget", action="store_true", help="calibrate the CUDA tests' budget on the CPU"
    )
    parser.add_argument("--device", default="cpu", help="where to train (cpu, cuda)")
    args = parser.parse_args()
    main(seeds=args.seeds, steps=args.steps, cuda_budget=args.cuda_budget, device=args.device)
