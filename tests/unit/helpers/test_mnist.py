"""MNIST loading: full MNIST when present, else the embedded subset; clear errors for bad files."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
import torch

from helpers.data_folder import DATA_DIR, EMBEDDED_FILE_NAME, data_dir
from helpers.mnist import RAW_FILES, MNISTDataError, load_mnist


def write_raw_mnist(root, n_train=12, n_test=5):
    """A tiny full-MNIST folder in torchvision's layout (uncompressed IDX files)."""
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        (raw / f"{prefix}-images-idx3-ubyte").write_bytes(
            (2051).to_bytes(4, "big")
            + n.to_bytes(4, "big")
            + (28).to_bytes(4, "big") * 2
            + images.tobytes()
        )
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        (raw / f"{prefix}-labels-idx1-ubyte").write_bytes(
            (2049).to_bytes(4, "big") + n.to_bytes(4, "big") + labels.tobytes()
        )
    return raw


def test_embedded_subset_is_the_default(tmp_path, capsys):
    shutil.copy(DATA_DIR / EMBEDDED_FILE_NAME, tmp_path / EMBEDDED_FILE_NAME)
    train, test = load_mnist(tmp_path)
    assert (len(train), len(test)) == (8000, 2000), (
        f"expected 8000/2000 images, got {len(train)}/{len(test)}"
    )
    image, label = train[0]
    assert image.shape == (1, 28, 28) and image.dtype == torch.float32, (
        f"got {image.shape} {image.dtype}"
    )
    assert 0.0 <= image.min() and image.max() <= 1.0, (
        f"expected values in [0, 1], got [{image.min()}, {image.max()}]"
    )
    assert isinstance(label, int), f"expected an int label, got {type(label)}"
    assert "embedded MNIST subset" in capsys.readouterr().out, (
        "load_mnist should print which data it uses"
    )


def test_embedded_subset_has_every_class_in_both_splits(tmp_path):
    shutil.copy(DATA_DIR / EMBEDDED_FILE_NAME, tmp_path / EMBEDDED_FILE_NAME)
    for dataset in load_mnist(tmp_path, verbose=False):
        counts = torch.bincount(dataset.targets, minlength=10)
        assert (counts > 100).all(), (
            f"expected over 100 images of each class, got {counts.tolist()}"
        )


def test_full_mnist_is_used_when_present(tmp_path, capsys):
    write_raw_mnist(tmp_path)
    train, test = load_mnist(tmp_path)
    assert (len(train), len(test)) == (12, 5), (
        f"expected the 12/5 images written, got {len(train)}/{len(test)}"
    )
    assert "full MNIST" in capsys.readouterr().out, "load_mnist should say it uses full MNIST"


def test_corrupt_raw_file_is_named_in_the_error(tmp_path):
    raw = write_raw_mnist(tmp_path)
    bad = raw / "t10k-images-idx3-ubyte"
    bad.write_bytes(bad.read_bytes()[:100])
    with pytest.raises(MNISTDataError, match="t10k-images-idx3-ubyte is corrupt"):
        load_mnist(tmp_path, verbose=False)


def test_corrupt_embedded_file_is_named_in_the_error(tmp_path):
    (tmp_path / EMBEDDED_FILE_NAME).write_bytes(b"not a zip file")
    with pytest.raises(MNISTDataError, match=EMBEDDED_FILE_NAME):
        load_mnist(tmp_path, verbose=False)


def test_missing_data_is_a_clear_error(tmp_path):
    with pytest.raises(MNISTDataError, match="no MNIST data"):
        load_mnist(tmp_path, verbose=False)


def test_failed_download_falls_back_to_the_subset(tmp_path, monkeypatch, capsys):
    shutil.copy(DATA_DIR / EMBEDDED_FILE_NAME, tmp_path / EMBEDDED_FILE_NAME)

    def offline(*args, **kwargs):
        raise OSError("network unreachable")

    monkeypatch.setattr("torchvision.datasets.MNIST.download", offline)
    train, _ = load_mnist(tmp_path, download=True)
    assert len(train) == 8000, (
        f"expected the embedded subset after a failed download, got {len(train)} images"
    )
    assert "Could not download MNIST" in capsys.readouterr().out, (
        "the failed download should be reported"
    )


def test_raw_file_names_are_torchvisions():
    from torchvision.datasets import MNIST

    expected = {name.removesuffix(".gz") for name, _ in MNIST.resources}
    assert set(RAW_FILES) == expected, (
        f"expected torchvision's raw names {sorted(expected)}, got {sorted(RAW_FILES)}"
    )


def test_embedded_items_are_what_torchvisions_to_tensor_makes(tmp_path):
    from torchvision.transforms import ToTensor

    shutil.copy(DATA_DIR / EMBEDDED_FILE_NAME, tmp_path / EMBEDDED_FILE_NAME)
    default, _ = load_mnist(tmp_path, verbose=False)
    with_torchvision, _ = load_mnist(tmp_path, transform=ToTensor(), verbose=False)
    for index in (0, 17, 7999):
        got, expected = default[index], with_torchvision[index]
        assert torch.equal(got[0], expected[0]) and got[1] == expected[1], (
            f"image {index}: expected torchvision's ToTensor result, got a different tensor"
        )


def test_autograding_keeps_a_small_budget_of_images(tmp_path, monkeypatch, capsys):
    from helpers.budget import AUTOGRADE_IMAGES

    shutil.copy(DATA_DIR / EMBEDDED_FILE_NAME, tmp_path / EMBEDDED_FILE_NAME)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    train, test = load_mnist(tmp_path)
    assert (len(train), len(test)) == AUTOGRADE_IMAGES, (
        f"expected {AUTOGRADE_IMAGES} images while autograding, got {(len(train), len(test))}"
    )
    assert len(train.targets) == len(train), "data and targets should be cut alike"
    assert "small budget while autograding" in capsys.readouterr().out, "the cut should be said"


@pytest.mark.parametrize(
    ("statement", "slow_module", "why"),
    [
        ("from helpers import *", "torchvision", "the notebooks' names need no torchvision"),
        ("from helpers.data_folder import data_dir", "torch", "the grader's sandbox asks this"),
    ],
)
def test_importing_from_helpers_leaves_slow_modules_unimported(statement, slow_module, why):
    import subprocess
    import sys

    code = f"import sys; {statement}; print({slow_module!r} in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", (
        f"expected `{statement}` to leave {slow_module} unimported ({why}), got "
        f"{result.stdout!r}{result.stderr[-500:]}"
    )


@pytest.mark.parametrize("variable", ["CNN_DATA_DIR", "EX09_DATA_DIR"])
def test_the_data_folder_can_be_named_by_the_course_variable_or_its_old_alias(
    tmp_path, monkeypatch, variable
):
    for name in ("CNN_DATA_DIR", "EX09_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, str(tmp_path))
    assert data_dir() == tmp_path, f"expected ${variable} to name the data folder, got {data_dir()}"


def test_the_course_variable_wins_over_the_alias(tmp_path, monkeypatch):
    monkeypatch.setenv("CNN_DATA_DIR", str(tmp_path / "course"))
    monkeypatch.setenv("EX09_DATA_DIR", str(tmp_path / "old"))
    assert data_dir() == tmp_path / "course", f"expected $CNN_DATA_DIR's folder, got {data_dir()}"
