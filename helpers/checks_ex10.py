"""Public sanity checks of Exercise 10, run by the notebook's test cells.

Each check calls the student's function on the lecture's worked examples (verified against
PyTorch by the course's tests) and on a small example compared with ``torch.nn.functional``, and
raises an ``AssertionError`` that says what was expected, what came instead and what to look at.
Passing them is necessary, not sufficient: the hidden tests use other inputs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from helpers.expect import expect_array, expect_equal, expect_unchanged, passed

#: The lecture's 5x5 binary image and 3x3 kernel, and their valid convolution.
BINARY_IMAGE = np.array(
    [
        [1, 1, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 0, 1, 1, 1],
        [0, 0, 1, 1, 0],
        [0, 1, 1, 0, 0],
    ]
)
BINARY_KERNEL = np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1]])
BINARY_RESULT = np.array([[4, 3, 4], [2, 4, 3], [2, 3, 4]])
#: The lecture's max-pooling example: 2x2 windows, stride 2.
POOL_IMAGE = np.array([[1, 2, 3, 4], [2, 3, 4, 5], [4, 3, 2, 1], [5, 4, 3, 2]])
POOL_RESULT = np.array([[3, 5], [5, 3]])
#: Linear sRGB to CIE XYZ (D65): a 1x1 convolution from 3 channels to 3.
RGB_TO_XYZ = np.array(
    [
        [0.4124, 0.3576, 0.1805],
        [0.2126, 0.7152, 0.0722],
        [0.0193, 0.1192, 0.9505],
    ]
)


def tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array, dtype=np.float64))


def call(function: Callable, *args: object, **kwargs: object) -> object:
    """``function(*args, **kwargs)``, checking that the array arguments are left unchanged."""
    arrays = [np.copy(a) for a in args if isinstance(a, np.ndarray)]
    result = function(*args, **kwargs)
    after = tuple(a for a in args if isinstance(a, np.ndarray))
    expect_unchanged(arrays, after, what=getattr(function, "__name__", "the function"))
    return result


def check_output_size(conv_output_size: Callable, conv_transpose_output_size: Callable) -> None:
    """The lecture's sizes, PyTorch's on a small sweep, and ValueError for empty outputs."""
    for args, expected in (((28, 5), 24), ((5, 3, 2, 1), 3), ((7, 3, 1, 0, 2), 3)):
        expect_equal(
            conv_output_size(*args),
            expected,
            what=f"conv_output_size{args}",
            hint="floor((n + 2p - d(k - 1) - 1) / s) + 1",
        )
    for args in ((3, 3, 2, 1, 1, 1), (4, 2, 2, 0, 0, 1), (5, 3, 1, 1, 0, 2)):
        n, k, s, p, op, d = args
        expected = F.conv_transpose1d(
            torch.zeros(1, 1, n), torch.zeros(1, 1, k), None, s, p, op, 1, d
        )
        expect_equal(
            conv_transpose_output_size(*args),
            expected.shape[-1],
            what=f"conv_transpose_output_size{args}",
            hint="(n - 1)s - 2p + d(k - 1) + output_padding + 1",
        )
    try:
        found = conv_output_size(2, 3)
    except ValueError:
        passed("conv_output_size and conv_transpose_output_size")
        return
    raise AssertionError(
        f"conv_output_size(2, 3): expected a ValueError (empty output), got {found}"
    )


def check_describe_network(describe_network: Callable) -> None:
    """The lecture's SimpleCNN: Conv2d(1, 6, 5), then Linear(6 * 24 * 24, 10)."""
    rows = describe_network((1, 28, 28), [("conv", 6, 5), ("flatten",), ("linear", 10)])
    expected = [((6, 24, 24), 156), ((3456,), 0), ((10,), 34570)]
    found = [(tuple(shape), count) for shape, count in rows]
    if found != expected:
        raise AssertionError(
            f"describe_network on the SimpleCNN: expected {expected}, got {found}: a conv layer "
            "has out * in * kh * kw weights and out biases"
        )
    total = sum(count for _, count in found)
    expect_equal(total, 34726, what="the SimpleCNN's parameters")
    passed("describe_network")


def check_conv2d(conv2d: Callable) -> None:
    """The lecture's binary example, then channels, bias, stride and padding against F.conv2d."""
    expect_array(
        call(conv2d, BINARY_IMAGE[None, None], BINARY_KERNEL[None, None])[0, 0],
        BINARY_RESULT.astype(float),
        what="conv2d(the lecture's 5x5 binary image, its 3x3 kernel)",
        hint="slide the kernel without flipping it (cross-correlation, as in PyTorch)",
    )
    rng = np.random.default_rng(0)
    x, weight, bias = rng.normal(size=(2, 3, 7, 6)), rng.normal(size=(4, 3, 3, 2)), np.arange(4.0)
    for options in ({}, {"stride": 2, "padding": 1}, {"dilation": (2, 1)}):
        expect_array(
            call(conv2d, x, weight, bias, **options),
            F.conv2d(tensor(x), tensor(weight), tensor(bias), **options).numpy(),
            what=f"conv2d(x (2, 3, 7, 6), weight (4, 3, 3, 2), bias, {options or 'defaults'})",
            hint="slide the kernel without flipping it, sum over input channels, add one bias "
            "per output channel",
        )
    passed("conv2d")


def check_pool2d(pool2d: Callable) -> None:
    """The lecture's 2x2 max pooling, then average pooling with padding against F.avg_pool2d."""
    expect_array(
        call(pool2d, POOL_IMAGE[None, None], 2)[0, 0],
        POOL_RESULT.astype(float),
        what="pool2d(the lecture's 4x4 image, 2) (max)",
        hint="stride defaults to the kernel size",
    )
    x = np.random.default_rng(1).normal(size=(1, 2, 5, 5))
    expect_array(
        call(pool2d, x, 3, stride=2, padding=1, mode="avg"),
        F.avg_pool2d(tensor(x), 3, 2, 1).numpy(),
        what="pool2d(x (1, 2, 5, 5), 3, stride=2, padding=1, mode='avg')",
        hint="average pooling counts the zero padding in each window",
    )
    passed("pool2d")


def check_conv_matrix(conv_matrix: Callable) -> None:
    """The [-1, 1] filter's 9x10 matrix, then M @ x against F.conv2d."""
    expected = np.eye(9, 10, k=1) - np.eye(9, 10)
    expect_array(
        call(conv_matrix, np.array([[-1.0, 1.0]]), (1, 10)),
        expected,
        what="conv_matrix([[-1, 1]], (1, 10))",
        hint="row i holds -1 at column i and 1 at column i + 1",
    )
    rng = np.random.default_rng(2)
    kernel, x = rng.normal(size=(3, 3)), rng.normal(size=(4, 4))
    matrix = call(conv_matrix, kernel, (4, 4))
    expect_array(
        np.asarray(matrix) @ x.ravel(),
        F.conv2d(tensor(x)[None, None], tensor(kernel)[None, None]).numpy().ravel(),
        what="conv_matrix(3x3 kernel, (4, 4)) @ x.ravel()",
        hint="a (4, 16) matrix: one row per output pixel, in C order",
    )
    passed("conv_matrix")


def check_conv_transpose_matmul(conv_transpose_matmul: Callable) -> None:
    """M.T @ y against F.conv_transpose2d, at stride 1 and 2."""
    rng = np.random.default_rng(3)
    kernel = rng.normal(size=(3, 3))
    for stride, y_shape, output_padding in ((1, (2, 2), 0), (2, (1, 1), 1)):
        y = rng.normal(size=y_shape)
        expected = F.conv_transpose2d(
            tensor(y)[None, None],
            tensor(kernel)[None, None],
            stride=stride,
            output_padding=output_padding,
        )
        expect_array(
            call(conv_transpose_matmul, y, kernel, (4, 4), stride),
            expected.numpy()[0, 0],
            what=f"conv_transpose_matmul(y {y_shape}, 3x3 kernel, (4, 4), stride={stride})",
            hint="(conv_matrix(kernel, input_shape, stride).T @ y.ravel()).reshape(input_shape)",
        )
    passed("conv_transpose_matmul")


def check_dilate2d(dilate2d: Callable) -> None:
    """Zeros between the entries of a 2x2 block, and only along the last two axes."""
    expect_array(
        call(dilate2d, np.array([[1, 2], [3, 4]]), 2),
        np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 4.0]]),
        what="dilate2d([[1, 2], [3, 4]], 2)",
        hint="(n - 1) * factor + 1 rows and columns",
    )
    expect_array(
        call(dilate2d, np.ones((2, 2, 2)), 3)[1],
        np.array([[1.0, 0, 0, 1], [0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 1]]),
        what="dilate2d(ones (2, 2, 2), 3)[1]",
        hint="leading axes (channels) are not dilated",
    )
    passed("dilate2d")


def check_conv_transpose2d(conv_transpose2d: Callable) -> None:
    """Against F.conv_transpose2d, with channels, stride and padding."""
    rng = np.random.default_rng(4)
    y, weight = rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 3, 3, 3))
    for stride, padding in ((1, 0), (2, 1)):
        expect_array(
            call(conv_transpose2d, y, weight, stride, padding),
            F.conv_transpose2d(tensor(y)[None], tensor(weight), None, stride, padding).numpy()[0],
            what=f"conv_transpose2d(y (2, 3, 3), weight (2, 3, 3, 3), {stride}, {padding})",
            hint="dilate, pad k - 1 - p, convolve with w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)",
        )
    passed("conv_transpose2d")


def check_separable(rank1_filter: Callable, is_separable: Callable) -> None:
    """The Sobel kernel is separable (and its pair rebuilds it); a random one is not."""
    sobel = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0])
    column, row = call(rank1_filter, sobel)
    expect_array(
        np.outer(column, row),
        sobel,
        what="np.outer(*rank1_filter(Sobel))",
        hint="u[:, 0] * sqrt(s[0]) and vt[0] * sqrt(s[0]) from np.linalg.svd",
    )
    expect_equal(bool(is_separable(sobel)), True, what="is_separable(Sobel)")
    random = np.random.default_rng(5).normal(size=(3, 3))
    expect_equal(bool(is_separable(random)), False, what="is_separable(a random 3x3 kernel)")
    passed("rank1_filter and is_separable")


def check_conv1x1(conv1x1: Callable) -> None:
    """RGB to XYZ on a white and a red pixel, then a bias against F.conv2d with a 1x1 kernel."""
    pixels = np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 0.0]])[None, :, :, None]  # (1, 3, 2, 1)
    expect_array(
        call(conv1x1, pixels, RGB_TO_XYZ),
        (RGB_TO_XYZ @ pixels[0, :, :, 0])[None, :, :, None],
        what="conv1x1(white and red pixels, RGB_TO_XYZ)",
        hint="each output channel o is sum over c of weight[o, c] * x[:, c]",
    )
    x, weight = np.random.default_rng(6).normal(size=(2, 3, 4, 4)), RGB_TO_XYZ[:2]
    expect_array(
        call(conv1x1, x, weight, np.array([1.0, -1.0])),
        F.conv2d(tensor(x), tensor(weight)[:, :, None, None], tensor([1.0, -1.0])).numpy(),
        what="conv1x1(x (2, 3, 4, 4), weight (2, 3), bias (2,))",
        hint="add bias[o] to every pixel of output channel o",
    )
    passed("conv1x1")


def check_fit_filter(fit_filter: Callable) -> None:
    """Learns the Sobel kernel back from an image and its Sobel response."""
    x = np.random.default_rng(7).normal(size=(12, 12))
    sobel = np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0])
    y = F.conv2d(tensor(x)[None, None], tensor(sobel)[None, None]).numpy()[0, 0]
    kernel, losses = call(fit_filter, x, y, (3, 3))
    if type(kernel) is not np.ndarray:
        raise AssertionError(
            f"fit_filter: expected the kernel as a NumPy array, got {type(kernel).__name__}"
        )
    error = np.abs(kernel - sobel).max()
    if error > 1e-3:
        raise AssertionError(
            f"fit_filter(image, its Sobel response, (3, 3)): expected the Sobel kernel within "
            f"1e-3, got a largest error of {error:.3g}: check the loss, zero the gradients each "
            "step, take more steps"
        )
    if not losses[-1] < losses[0] / 1000:
        raise AssertionError(
            f"fit_filter: expected the loss to fall 1000x, got {losses[0]:.3g} -> {losses[-1]:.3g}"
        )
    passed("fit_filter")
