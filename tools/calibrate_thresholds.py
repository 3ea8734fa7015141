"""Measure the reference models' accuracy over many seeds and derive the hidden-test thresholds.

Trains each reference model of ``grader_tests/ex09/reference.py`` with the same trusted loop the
hidden tests use (``grading.probes.fit_and_predict``) for seeds 0..N-1, and prints, per model, the
mean, standard deviation and minimum accuracy and the threshold by the rule of THRESHOLDS.md:
``floor_to_0.01(min - max(3 * std, 0.02))``.

Usage: ``python tools/calibrate_thresholds.py [--seeds 10] [--cuda]``; ``--cuda`` needs a GPU and
full MNIST in ``data/MNIST/raw``.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "grader_tests" / "ex09"))
import reference  # noqa: E402
import thresholds  # noqa: E402

from grading import probes  # noqa: E402


def threshold(accuracies: np.ndarray) -> float:
    """The rule: the worst seed, less three standard deviations or two points, whichever is more."""
    margin = max(3 * accuracies.std(ddof=1), 0.02)
    return math.floor((accuracies.min() - margin) * 100) / 100


def main(*, seeds: int = 10, cuda: bool = False) -> dict[str, float]:
    """Print the calibration table; return the derived threshold of each model."""
    epochs = thresholds.CUDA_EPOCHS if cuda else thresholds.CPU_EPOCHS
    labels = probes.mnist_tensors(full=cuda, train=False)[1].numpy()
    print(
        f"{'model':<10} {'epochs':>6} {'mean':>7} {'std':>7} {'min':>7} {'max':>7} "
        f"{'threshold':>9} {'s/run':>6}"
    )
    derived = {}
    for name, cls in reference.MODELS.items():
        started = time.perf_counter()
        accuracies = np.array(
            [
                (
                    probes.fit_and_predict(
                        {name: cls},
                        name,
                        {},
                        epochs=epochs,
                        seed=seed,
                        full_mnist=cuda,
                        use_cuda=cuda,
                    ).numpy()
                    == labels
                ).mean()
                for seed in range(seeds)
            ]
        )
        derived[name] = threshold(accuracies)
        print(
            f"{name:<10} {epochs:>6} {accuracies.mean():>7.4f} {accuracies.std(ddof=1):>7.4f} "
            f"{accuracies.min():>7.4f} "
            f"{accuracies.max():>7.4f} {derived[name]:>9.2f} "
            f"{(time.perf_counter() - started) / seeds:>6.1f}"
        )
    return derived


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (at least 10)")
    parser.add_argument(
        "--cuda", action="store_true", help="calibrate the CUDA thresholds on full MNIST"
    )
    args = parser.parse_args()
    main(seeds=args.seeds, cuda=args.cuda)
