"""The arithmetic explorer and the filter playground of ex10, driven without a browser."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from helpers import explore_arithmetic, filter_playground
from helpers.images import shapes_image
from helpers.widgets_ex10 import INPUT, PRESETS, correlate, grid_axis, measured_conv_matrix

#: (n, k, stride, padding, dilation) over small values.
SETTINGS = list(itertools.product((1, 4, 7), (1, 2, 3), (1, 2, 3), (0, 1, 3), (1, 2)))


def read_by_torch(n, k, stride, padding, dilation, transposed, pixel):
    """Input rows and columns that output ``pixel`` depends on, by autograd through PyTorch."""
    x = torch.ones(1, 1, n, n, requires_grad=True)
    convolve = F.conv_transpose2d if transposed else F.conv2d
    out = convolve(x, torch.ones(1, 1, k, k), stride=stride, padding=padding, dilation=dilation)
    out[0, 0][pixel].backward()
    rows, columns = x.grad[0, 0].nonzero(as_tuple=True)
    return sorted(set(rows.tolist())), sorted(set(columns.tolist()))


@pytest.mark.parametrize("transposed", [False, True], ids=["conv", "transposed"])
def test_the_grid_holds_the_input_once_and_the_kernel_sweeps_it_to_the_edge(transposed):
    for n, k, stride, padding, dilation in SETTINGS:
        axis = grid_axis(n, k, stride, padding, dilation, transposed)
        setting = f"n={n} k={k} s={stride} p={padding} d={dilation}"
        if axis.length == 0:
            continue
        inputs = axis.source[axis.kinds == INPUT]
        cropped = transposed and padding > dilation * (k - 1)
        assert cropped or sorted(inputs) == list(range(n)), (
            f"{setting}: expected every input index once on the grid, got {sorted(inputs)}"
        )
        last = axis.taps(axis.length - 1)[-1]
        beyond = axis.taps(axis.length)[-1]
        assert last < len(axis.kinds) <= beyond, (
            f"{setting}: the last of {axis.length} outputs should end inside the grid of "
            f"{len(axis.kinds)} and one more should not (taps end at {last} and {beyond})"
        )


@pytest.mark.parametrize("transposed", [False, True], ids=["conv", "transposed"])
def test_each_output_reads_the_inputs_pytorch_reads(transposed):
    for n, k, stride, padding, dilation in SETTINGS:
        axis = grid_axis(n, k, stride, padding, dilation, transposed)
        for pixel in {(0, 0), (axis.length - 1, axis.length // 2)} if axis.length else ():
            rows, columns = read_by_torch(n, k, stride, padding, dilation, transposed, pixel)
            found = axis.reads(pixel[0]), axis.reads(pixel[1])
            if not all(found):  # a pixel that reads only zeros depends on no input
                found = ([], [])
            assert found == (rows, columns), (
                f"n={n} k={k} s={stride} p={padding} d={dilation}, pixel {pixel}: expected input "
                f"rows {rows} and columns {columns}, got {found}"
            )


def test_the_caption_names_the_size_and_what_the_chosen_pixel_reads():
    explorer = explore_arithmetic(size=5, kernel=3, stride=2, padding=1)
    explorer.row.value, explorer.column.value = 2, 1
    expected = (
        "output 3 x 3 = ⌊(5 + 2·1 - 1·(3 - 1) - 1) / 2⌋ + 1; "
        "output pixel (2, 1) reads input rows [3, 4] and columns [1, 2, 3]"
    )
    assert expected in explorer.caption.value, (
        f"expected {expected!r}, got {explorer.caption.value!r}"
    )
    explorer.transposed.value = True
    explorer.row.value = explorer.column.value = 0
    expected = (
        "output 9 x 9 = (5 - 1)·2 - 2·1 + 1·(3 - 1) + 1; "
        "output pixel (0, 0) reads input rows [0] and columns [0]"
    )
    assert expected in explorer.caption.value, (
        f"expected {expected!r}, got {explorer.caption.value!r}"
    )
    explorer.kernel.value, explorer.padding.value, explorer.row.value = 1, 0, 1
    assert "reads no input, only zeros" in explorer.caption.value, (
        f"a 1x1 kernel's output row 1 reads only inserted zeros, got {explorer.caption.value!r}"
    )


def test_the_explorer_keeps_the_chosen_pixel_inside_a_shrinking_output():
    explorer = explore_arithmetic(size=9, kernel=3, stride=1, padding=0)
    explorer.row.value = explorer.column.value = 6
    explorer.stride.value = 3
    assert (explorer.row.value, explorer.column.value, explorer.row.max) == (2, 2, 2), (
        "expected the chosen pixel clamped to the 3 x 3 output, got "
        f"({explorer.row.value}, {explorer.column.value}) with max {explorer.row.max}"
    )


def test_the_explorer_redraws_and_reports_an_empty_output():
    explorer = explore_arithmetic(size=3, kernel=3, padding=0)
    first = explorer.image.value
    explorer.dilation.value = 2
    assert "the output would be empty" in explorer.caption.value, (
        f"a 3-tap kernel at dilation 2 does not fit 3 inputs, got {explorer.caption.value!r}"
    )
    assert explorer.image.value and explorer.image.value != first, "expected a new picture"


def test_presets_and_edits_change_the_kernel_and_the_picture():
    playground = filter_playground()
    np.testing.assert_array_equal(playground.kernel, PRESETS["Sobel x"], "the starting kernel")
    first = playground.picture.value
    playground.preset.value = "checkerboard"
    np.testing.assert_array_equal(playground.kernel, PRESETS["checkerboard"], "after the preset")
    second = playground.picture.value
    playground.entries[4].value = 5.0
    assert playground.kernel[1, 1] == 5.0, f"expected the edited centre 5, got {playground.kernel}"
    assert len({first, second, playground.picture.value}) == 3, "each change should redraw"


def test_the_drawn_matrix_is_the_valid_convolution_and_the_filter_is_pytorchs():
    kernel = np.arange(9.0).reshape(3, 3) - 4
    x = np.random.default_rng(1).normal(size=(6, 6))
    expected = F.conv2d(torch.tensor(x)[None, None], torch.tensor(kernel)[None, None])[0, 0]
    np.testing.assert_allclose(
        measured_conv_matrix(kernel) @ x.ravel(),
        expected.numpy().ravel(),
        atol=1e-12,
        err_msg="the convolution matrix times the input should be the valid convolution",
    )
    image = shapes_image()
    assert correlate(image, kernel, padding=1).shape == image.shape, "padding 1 keeps the size"


def test_learn_puts_the_students_kernel_in_the_editor_and_says_how_close_it_is():
    calls = []

    def fit_filter(x, y, kernel_shape):
        calls.append((x.shape, y.shape, kernel_shape))
        return np.ones(kernel_shape), [4.0, 2.0, 1.0]

    playground = filter_playground(fit_filter)
    learned = playground.learn()
    np.testing.assert_array_equal(playground.kernel, np.ones((3, 3)), "the editor's kernel")
    np.testing.assert_array_equal(learned, np.ones((3, 3)), "the returned kernel")
    assert calls == [((32, 32), (30, 30), (3, 3))], f"expected one valid-size call, got {calls}"
    distance = np.abs(1 - playground.target).max()
    assert f"3 steps; the learned kernel is within {distance:.2g}" in playground.status.value, (
        f"expected the step count and the distance {distance:.2g}, got {playground.status.value!r}"
    )


def test_learn_is_disabled_until_the_student_passes_fit_filter():
    playground = filter_playground()
    assert playground.learn_button.disabled, "Learn should be disabled without fit_filter"
    assert "filter_playground(fit_filter)" in playground.status.value, "and say how to enable it"
    with pytest.raises(ValueError, match="filter_playground\\(fit_filter\\)"):
        playground.learn()
