"""Small helpers: image loading, filters, accuracy and the training budget."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from helpers import (
    SOBEL_X,
    SOBEL_Y,
    accuracy,
    gaussian_kernel,
    load_blackwhite_image,
    training_epochs,
)


@pytest.mark.parametrize("mode", ["RGB", "RGBA", "L"])
def test_load_blackwhite_image_gives_2d_floats_in_unit_range(tmp_path, mode):
    pixels = np.zeros((4, 6, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    pixels[1:3, 2:5, :3] = 255
    image = Image.fromarray(pixels, "RGBA").convert(mode)
    image.save(tmp_path / "image.png")
    grey = load_blackwhite_image(tmp_path / "image.png")
    assert grey.shape == (4, 6) and grey.dtype == np.float64, (
        f"expected (4, 6) float64, got {grey.shape} {grey.dtype}"
    )
    assert grey.min() == 0.0 and grey.max() == 1.0, (
        f"expected black 0 and white 1, got [{grey.min()}, {grey.max()}]"
    )


def test_transparent_pixels_count_as_white(tmp_path):
    Image.new("RGBA", (3, 2), (0, 0, 0, 0)).save(tmp_path / "clear.png")
    grey = load_blackwhite_image(tmp_path / "clear.png")
    np.testing.assert_array_equal(
        grey, np.ones((2, 3)), err_msg="transparent pixels should load as white (1.0)"
    )


def test_missing_image_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing.png does not exist"):
        load_blackwhite_image(tmp_path / "missing.png")


def test_non_image_file_is_a_clear_error(tmp_path):
    (tmp_path / "notes.png").write_text("not an image")
    with pytest.raises(ValueError, match="not an image file"):
        load_blackwhite_image(tmp_path / "notes.png")


def test_gaussian_kernel_is_normalised_and_symmetric():
    kernel = gaussian_kernel(5, 1.2)
    assert kernel.shape == (5, 5), f"expected (5, 5), got {kernel.shape}"
    np.testing.assert_allclose(kernel.sum(), 1.0, err_msg="the kernel should sum to 1")
    np.testing.assert_allclose(kernel, kernel.T, err_msg="the kernel should be symmetric")
    assert kernel.argmax() == 12, (
        f"expected the peak in the centre (index 12), got {kernel.argmax()}"
    )


def test_gaussian_kernel_rejects_bad_arguments():
    with pytest.raises(ValueError, match="sigma > 0"):
        gaussian_kernel(3, 0.0)


def test_sobel_kernels_respond_to_their_direction():
    vertical_edge = np.tile([0.0, 0.0, 1.0], (3, 1))
    assert np.sum(vertical_edge * SOBEL_X[::-1, ::-1]) != 0, (
        "SOBEL_X should respond to a vertical edge"
    )
    assert np.sum(vertical_edge * SOBEL_Y[::-1, ::-1]) == 0, (
        "SOBEL_Y should not respond to a vertical edge"
    )


def test_accuracy_is_the_fraction_of_correct_predictions():
    logits = torch.tensor([[2.0, 1.0], [0.0, 3.0], [5.0, 1.0], [0.0, 1.0]])
    assert accuracy(logits, torch.tensor([0, 1, 1, 1])) == pytest.approx(0.75), (
        "3 of 4 correct should give 0.75"
    )


def test_accuracy_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match=r"\(N, C\)"):
        accuracy(torch.zeros(3, 2), torch.zeros(4, dtype=torch.long))


def test_training_epochs_shrink_only_while_autograding(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert training_epochs(5) == 5, "students should get the full budget"
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert training_epochs(5) == 1, "autograding should train one epoch"
