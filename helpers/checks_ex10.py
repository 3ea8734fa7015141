"""Public sanity checks of Exercise 10, run by the notebook's test cells.

Each check calls the student's function on the lecture's worked examples (shown in the notebook
and verified against PyTorch by the course's tests) and on small examples compared with
``torch.nn.functional``, and raises an ``AssertionError`` that says what was expected, what came
instead and what to look at. A check keeps every contract of form that the hidden tests enforce
(a Python int, a float64 NumPy array, shapes, inputs left unchanged) and flags the library calls
that earn nothing (:data:`helpers.bans.BANS`, the lists the hidden tests' tripwires watch); the
hidden tests try more values, and each check's last line says which. When a function fails
because an earlier function of the student's is wrong, the check names that one
(:mod:`helpers.culprits`).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
import torch.nn.functional as F

from helpers.bans import BANS, PLAIN_NAMES
from helpers.culprits import Verifiers
from helpers.expect import (
    call,
    expect_array,
    expect_equal,
    expect_int,
    passed,
    short,
)
from helpers.library_use import expect_by_hand

#: The lecture's 4x4 image ``simg`` and 3x3 kernel ``akernel``; their valid convolution, and
#: the transpose of the convolution matrix applied to that result.
SIMG = np.array([[4, 5, 8, 7], [1, 8, 8, 8], [3, 6, 6, 4], [6, 5, 7, 8]])
AKERNEL = np.array([[10, -4, 10], [10, 0, 30], [30, 30, -1]])
SIMG_VALID = np.array([[614, 764], [591, 660]])
SIMG_TRANSPOSED = np.array(
    [
        [6140, 5184, 3084, 7640],
        [12050, 11876, 21690, 29520],
        [24330, 47940, 40036, 19036],
        [17730, 37530, 19209, -660],
    ]
)
#: The lecture's 5x5 image, convolved with a 3x3 kernel of ones at stride 2 and padding 1.
STRIDE_IMAGE = np.array(
    [[1, 2, 1, 1, 1], [1, 1, 5, 3, 9], [2, 4, 4, 7, 5], [3, 6, 7, 5, 6], [1, 6, 5, 3, 1]]
)
STRIDE_RESULT = np.array([[5, 13, 14], [17, 42, 35], [16, 32, 15]])
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
#: The lecture's SimpleCNN, and a network with stride, padding, pooling and batch norm.
SIMPLE_CNN = [("conv", 6, 5), ("flatten",), ("linear", 10)]
SIMPLE_CNN_ROWS = [((6, 24, 24), 156), ((3456,), 0), ((10,), 34570)]
SMALL_NET = [("conv", 4, 3, 2, 1), ("bn",), ("act",), ("pool", 2), ("flatten",), ("linear", 3)]
SMALL_NET_ROWS = [((4, 5, 4), 112), ((4, 5, 4), 8), ((4, 5, 4), 0), ((4, 2, 2), 0),
                  ((16,), 0), ((3,), 51)]  # fmt: skip

verifies = Verifiers()


def tensor(array: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.array(array, dtype=np.float64))


def by_hand(function: Callable, task: str) -> None:
    """Fail when the cell of ``function`` calls a library function banned in ``task``."""
    banned, advice = BANS[task]
    expect_by_hand(function, banned, names=PLAIN_NAMES.get(task, ()), task=task, advice=advice)


def expect_float64(result: object, expected: np.ndarray, *, what: str, hint: str) -> None:
    """A float64 NumPy array equal to ``expected`` (what every array task returns)."""
    expect_array(result, np.asarray(expected, dtype=np.float64), what=what, dtype="float64",
                 hint=hint)  # fmt: skip


@verifies("conv_output_size")
def verify_conv_output_size(conv_output_size: Callable) -> None:
    by_hand(conv_output_size, "conv_output_size")
    for args, expected in (((28, 5), 24), ((5, 3, 2, 1), 3), ((6, 3, 2), 2), ((7, 3, 1, 0, 2), 3)):
        expect_int(
            conv_output_size(*args),
            expected,
            what=f"conv_output_size{args}",
            hint="floor((n + 2p - d(k - 1) - 1) / s) + 1",
        )
    try:
        found = conv_output_size(2, 3)
    except ValueError:
        return
    raise AssertionError(
        f"conv_output_size(2, 3): expected a ValueError (the kernel does not fit), got {found}"
    )


@verifies("conv_transpose_output_size")
def verify_conv_transpose_output_size(conv_transpose_output_size: Callable) -> None:
    by_hand(conv_transpose_output_size, "conv_transpose_output_size")
    for args in ((3, 3, 2, 1, 1, 1), (4, 2, 2, 0, 0, 1), (5, 3, 1, 1, 1, 2), (2, 3, 3, 0, 2, 1)):
        n, k, s, p, op, d = args
        expected = F.conv_transpose1d(
            torch.zeros(1, 1, n), torch.zeros(1, 1, k), None, s, p, op, 1, d
        )
        expect_int(
            conv_transpose_output_size(*args),
            expected.shape[-1],
            what=f"conv_transpose_output_size{args}",
            hint="(n - 1)s - 2p + d(k - 1) + output_padding + 1",
        )
    try:
        found = conv_transpose_output_size(1, 1, 1, 1)
    except ValueError:
        return
    raise AssertionError(
        f"conv_transpose_output_size(1, 1, 1, 1): expected a ValueError (the output would be "
        f"empty), got {found}"
    )


def check_output_size(conv_output_size: Callable, conv_transpose_output_size: Callable) -> None:
    """The lecture's sizes and PyTorch's on small cases, as Python ints, and ValueError for
    empty outputs."""
    verifies.run("conv_output_size", conv_output_size)
    verifies.run("conv_transpose_output_size", conv_transpose_output_size)
    passed(
        "conv_output_size and conv_transpose_output_size",
        hidden="about 90 combinations of n, k, stride, padding and dilation (and every "
        "output_padding below max(stride, dilation)), and more empty outputs",
    )


def rows_of(found: object) -> list[tuple] | None:
    """``found`` as [(shape tuple, count)], or None when it is not a list of such pairs."""
    if not isinstance(found, list | tuple):
        return None
    rows = []
    for row in found:
        if not (isinstance(row, list | tuple) and len(row) == 2):
            return None
        shape, count = row
        if not isinstance(shape, list | tuple):
            return None
        rows.append((tuple(shape), count))
    return rows


@verifies("describe_network")
def verify_describe_network(describe_network: Callable) -> None:
    by_hand(describe_network, "describe_network")
    for input_shape, layers, expected, hint in (
        ((1, 28, 28), SIMPLE_CNN, SIMPLE_CNN_ROWS, "a conv layer has out * in * kh * kw "
         "weights and out biases"),
        ((3, 9, 8), SMALL_NET, SMALL_NET_ROWS, "batch norm learns 2 parameters per channel; "
         "a pool's stride defaults to its kernel size"),
    ):  # fmt: skip
        found = describe_network(input_shape, layers)
        what = f"describe_network({input_shape}, {layers})"
        rows = rows_of(found)
        if rows is None:
            raise AssertionError(
                f"{what}: expected a list of (output shape tuple, parameter count) pairs, one "
                f"per layer, like {expected[:1]}, got {short(found)}"
            )
        if rows != expected:
            raise AssertionError(f"{what}: expected {expected}, got {rows}: {hint}")


def check_describe_network(describe_network: Callable) -> None:
    """The lecture's SimpleCNN, then a small network with stride, padding, batch norm, an
    activation and pooling."""
    verifies.run("describe_network", describe_network)
    passed(
        "describe_network",
        hidden="networks with rectangular kernels, pooling with stride and padding, and 1x1 "
        "convolutions",
    )


@verifies("conv2d")
def verify_conv2d(conv2d: Callable) -> None:
    by_hand(conv2d, "conv2d")
    hint = "slide the kernel without flipping it (cross-correlation, as in PyTorch)"
    expect_float64(
        call(conv2d, SIMG[None, None], AKERNEL[None, None]),
        SIMG_VALID[None, None],
        what="conv2d(simg[None, None], akernel[None, None]) (the lecture's example, int input)",
        hint=hint + ", and return float64",
    )
    expect_float64(
        call(conv2d, STRIDE_IMAGE[None, None], np.ones((1, 1, 3, 3)), stride=2, padding=1),
        STRIDE_RESULT[None, None],
        what="conv2d(the lecture's 5x5 image, 3x3 ones, stride=2, padding=1)",
        hint="pad p zeros on each side, then step s pixels between outputs",
    )
    rng = np.random.default_rng(0)
    x, weight, bias = rng.normal(size=(2, 3, 7, 6)), rng.normal(size=(4, 3, 3, 2)), np.arange(4.0)
    for options in ({}, {"dilation": (2, 1)}, {"stride": (2, 1), "padding": (1, 0)}):
        expect_float64(
            call(conv2d, x, weight, bias, **options),
            F.conv2d(tensor(x), tensor(weight), tensor(bias), **options).numpy(),
            what=f"conv2d(x (2, 3, 7, 6), weight (4, 3, 3, 2), bias, {options or 'defaults'})",
            hint="sum over input channels, add one bias per output channel; taps are d apart",
        )


def check_conv2d(conv2d: Callable) -> None:
    """The lecture's examples, then channels, bias, stride, padding and dilation against
    F.conv2d."""
    verifies.run("conv2d", conv2d)
    passed("conv2d", hidden="other sizes, every option as an int and as a pair, and int input")


@verifies("pool2d")
def verify_pool2d(pool2d: Callable) -> None:
    by_hand(pool2d, "pool2d")
    expect_float64(
        call(pool2d, POOL_IMAGE[None, None], 2),
        POOL_RESULT[None, None],
        what="pool2d(the lecture's 4x4 image, 2) (max; int input)",
        hint="stride defaults to the kernel size; return float64",
    )
    x = np.random.default_rng(1).normal(size=(1, 2, 5, 5)) - 3.0
    for mode, reference, hint in (
        ("max", F.max_pool2d, "max pooling pads with -inf: the padding never wins"),
        ("avg", F.avg_pool2d, "average pooling counts the zero padding in each window"),
    ):
        expect_float64(
            call(pool2d, x, 3, stride=2, padding=1, mode=mode),
            reference(tensor(x), 3, 2, 1).numpy(),
            what=f"pool2d(x (1, 2, 5, 5) below zero, 3, stride=2, padding=1, mode={mode!r})",
            hint=hint,
        )


def check_pool2d(pool2d: Callable) -> None:
    """The lecture's 2x2 max pooling, then max and average pooling with padding."""
    verifies.run("pool2d", pool2d)
    passed("pool2d", hidden="several channels and images, rectangular windows and strides")


@verifies("conv1x1")
def verify_conv1x1(conv1x1: Callable) -> None:
    by_hand(conv1x1, "conv1x1")
    pixels = np.array([[1.0, 1.0], [1.0, 0.0], [1.0, 0.0]])[None, :, :, None]  # (1, 3, 2, 1)
    expect_float64(
        call(conv1x1, pixels, RGB_TO_XYZ),
        (RGB_TO_XYZ @ pixels[0, :, :, 0])[None, :, :, None],
        what="conv1x1(a white and a red pixel, RGB_TO_XYZ)",
        hint="each output channel o is sum over c of weight[o, c] * x[:, c]",
    )
    x, weight = np.random.default_rng(6).normal(size=(2, 3, 4, 4)), RGB_TO_XYZ[:2]
    expect_float64(
        call(conv1x1, x, weight, np.array([1.0, -1.0])),
        F.conv2d(tensor(x), tensor(weight)[:, :, None, None], tensor([1.0, -1.0])).numpy(),
        what="conv1x1(x (2, 3, 4, 4), weight (2, 3), bias (2,))",
        hint="add bias[o] to every pixel of output channel o",
    )


def check_conv1x1(conv1x1: Callable) -> None:
    """RGB to XYZ on a white and a red pixel, then a bias against F.conv2d."""
    verifies.run("conv1x1", conv1x1)
    passed("conv1x1", hidden="other channel counts and int input")


@verifies("conv_matrix")
def verify_conv_matrix(conv_matrix: Callable) -> None:
    by_hand(conv_matrix, "conv_matrix")
    expect_float64(
        call(conv_matrix, np.array([[-1.0, 1.0]]), (1, 10)),
        np.eye(9, 10, k=1) - np.eye(9, 10),
        what="conv_matrix([[-1, 1]], (1, 10))",
        hint="row i holds -1 at column i and 1 at column i + 1",
    )
    expect_float64(
        call(conv_matrix, AKERNEL, (4, 4)),
        matrix_of(AKERNEL, (4, 4), 1),
        what="conv_matrix(akernel, (4, 4)) (the lecture's 4x16 matrix: M @ simg.ravel() gives "
        "614, 764, 591, 660)",
        hint="a (4, 16) matrix: one row per output pixel, in C order",
    )
    kernel = np.random.default_rng(2).normal(size=(2, 3))
    expect_float64(
        call(conv_matrix, kernel, (5, 7), 2),
        matrix_of(kernel, (5, 7), 2),
        what="conv_matrix(kernel (2, 3), (5, 7), stride=2)",
        hint="output pixel (r, c) reads the image at rows r*s.., columns c*s..",
    )


def matrix_of(kernel: np.ndarray, input_shape: tuple[int, int], stride: int) -> np.ndarray:
    """The matrix of F.conv2d: its outputs on each basis image, as columns."""
    size = input_shape[0] * input_shape[1]
    basis = torch.eye(size, dtype=torch.float64).reshape(size, 1, *input_shape)
    return F.conv2d(basis, tensor(kernel)[None, None], stride=stride).reshape(size, -1).T.numpy()


def check_conv_matrix(conv_matrix: Callable) -> None:
    """The [-1, 1] filter's 9x10 matrix, the lecture's 4x16 matrix, and a stride."""
    verifies.run("conv_matrix", conv_matrix)
    passed("conv_matrix", hidden="rectangular kernels and images, and strides as pairs")


@verifies("conv_transpose_matmul")
def verify_conv_transpose_matmul(conv_transpose_matmul: Callable) -> None:
    by_hand(conv_transpose_matmul, "conv_transpose_matmul")
    expect_float64(
        call(conv_transpose_matmul, SIMG_VALID, AKERNEL, (4, 4)),
        SIMG_TRANSPOSED,
        what="conv_transpose_matmul(the lecture's [[614, 764], [591, 660]], akernel, (4, 4))",
        hint="(conv_matrix(kernel, input_shape, stride).T @ y.ravel()).reshape(input_shape)",
    )
    rng = np.random.default_rng(3)
    kernel, y = rng.normal(size=(3, 3)), rng.normal(size=(1, 1))
    expect_float64(
        call(conv_transpose_matmul, y, kernel, (4, 4), 2),
        F.conv_transpose2d(tensor(y)[None, None], tensor(kernel)[None, None], stride=2,
                           output_padding=1).numpy()[0, 0],
        what="conv_transpose_matmul(y (1, 1), 3x3 kernel, (4, 4), stride=2)",
        hint="use the strided conv_matrix and reshape to input_shape",
    )  # fmt: skip


def check_conv_transpose_matmul(conv_transpose_matmul: Callable) -> None:
    """M.T @ y: the lecture's example, and a stride against F.conv_transpose2d."""
    verifies.run("conv_transpose_matmul", conv_transpose_matmul)
    passed("conv_transpose_matmul", hidden="rectangular kernels and images and strides as pairs")


@verifies("dilate2d")
def verify_dilate2d(dilate2d: Callable) -> None:
    by_hand(dilate2d, "dilate2d")
    expect_float64(
        call(dilate2d, np.array([[1, 2], [3, 4]]), 2),
        np.array([[1, 0, 2], [0, 0, 0], [3, 0, 4]]),
        what="dilate2d(np.array([[1, 2], [3, 4]]), 2)",
        hint="(n - 1) * factor + 1 rows and columns, float64",
    )
    expect_float64(
        call(dilate2d, np.ones((2, 2, 2)), (3, 1)),
        np.ones((2, 4, 2)) * np.array([1, 0, 0, 1])[None, :, None],
        what="dilate2d(np.ones((2, 2, 2)), (3, 1))",
        hint="leading axes (channels) are not dilated; factor may be a pair (fh, fw)",
    )


def check_dilate2d(dilate2d: Callable) -> None:
    """Zeros between the entries of a 2x2 block, and only along the last two axes."""
    verifies.run("dilate2d", dilate2d)
    passed("dilate2d", hidden="other shapes, leading axes and factors")


@verifies("conv_transpose2d")
def verify_conv_transpose2d(conv_transpose2d: Callable) -> None:
    by_hand(conv_transpose2d, "conv_transpose2d")
    expect_float64(
        call(conv_transpose2d, SIMG_VALID[None], AKERNEL[None, None]),
        SIMG_TRANSPOSED[None],
        what="conv_transpose2d([[614, 764], [591, 660]] as (1, 2, 2), akernel as (1, 1, 3, 3))",
        hint="pad k - 1 - p zeros and convolve with the kernel flipped in both axes",
    )
    rng = np.random.default_rng(4)
    y, weight = rng.normal(size=(2, 3, 3)), rng.normal(size=(2, 3, 3, 2))
    for stride, padding in ((1, 0), (2, 1)):
        expect_float64(
            call(conv_transpose2d, y, weight, stride, padding),
            F.conv_transpose2d(tensor(y)[None], tensor(weight), None, stride, padding).numpy()[0],
            what=f"conv_transpose2d(y (2, 3, 3), weight (2, 3, 3, 2), {stride}, {padding})",
            hint="dilate by the stride, pad k - 1 - p, convolve with "
            "weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3); the result is (Cout, H, W)",
        )


def check_conv_transpose2d(conv_transpose2d: Callable) -> None:
    """The lecture's transposed product, then channels, stride and padding against
    F.conv_transpose2d."""
    verifies.run("conv_transpose2d", conv_transpose2d)
    passed("conv_transpose2d", hidden="more channels, and strides and paddings as pairs")


@verifies("rank1_filter")
def verify_rank1_filter(rank1_filter: Callable) -> None:
    by_hand(rank1_filter, "rank1_filter")
    for name, kernel in (
        ("Sobel", np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0])),
        ("random 4x3", np.random.default_rng(5).normal(size=(4, 3))),
    ):
        found = call(rank1_filter, kernel)
        what = f"rank1_filter({name} kernel)"
        if not (isinstance(found, tuple | list) and len(found) == 2):
            raise AssertionError(f"{what}: expected a (column, row) pair, got {short(found)}")
        for part, value, size in (("column", found[0], kernel.shape[0]),
                                  ("row", found[1], kernel.shape[1])):  # fmt: skip
            if np.shape(value) != (size,):
                raise AssertionError(
                    f"{what}: expected a {part} of shape ({size},), got shape {np.shape(value)}"
                )
        u, s, vt = np.linalg.svd(kernel)
        expect_array(
            np.outer(*found),
            s[0] * np.outer(u[:, 0], vt[0]),
            what=f"np.outer(*{what})",
            hint="take the first column of U and the first row of Vt, each scaled by sqrt(s[0])",
        )


@verifies("is_separable")
def verify_is_separable(is_separable: Callable) -> None:
    by_hand(is_separable, "is_separable")
    for name, kernel, options, expected in (
        ("Sobel", np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0]), {}, True),
        ("random 3x3", np.random.default_rng(5).normal(size=(3, 3)), {}, False),
        ("ones + 1e-6 * eye", np.ones((3, 3)) + 1e-6 * np.eye(3), {"rtol": 1e-3}, True),
    ):
        found = call(is_separable, kernel, **options)
        expect_equal(
            bool(found) if type(found) is np.bool_ else found,
            expected,
            what=f"is_separable({name}, {options or 'rtol=1e-8'})",
            hint="return a bool: s[1] <= rtol * s[0]",
        )


def check_separable(rank1_filter: Callable, is_separable: Callable) -> None:
    """The Sobel kernel is separable (and its pair rebuilds it); a random one is not."""
    verifies.run("rank1_filter", rank1_filter)
    verifies.run("is_separable", is_separable)
    passed("rank1_filter and is_separable", hidden="Gaussian, random and integer kernels")


@verifies("fit_filter")
def verify_fit_filter(fit_filter: Callable) -> None:
    by_hand(fit_filter, "fit_filter")
    rng = np.random.default_rng(7)
    for kernel in (np.outer([1.0, 2.0, 1.0], [1.0, 0.0, -1.0]), rng.normal(size=(2, 4))):
        x = rng.normal(size=(12, 12))
        y = F.conv2d(tensor(x)[None, None], tensor(kernel)[None, None]).numpy()[0, 0]
        what = f"fit_filter(x (12, 12), y {y.shape}, {kernel.shape})"
        found = call(fit_filter, x, y, kernel.shape)
        if not (isinstance(found, tuple | list) and len(found) == 2):
            raise AssertionError(f"{what}: expected (kernel, losses), got {short(found)}")
        learned, losses = found
        if type(learned) is not np.ndarray or learned.shape != kernel.shape:
            raise AssertionError(
                f"{what}: expected the kernel as a NumPy array of shape {kernel.shape}, got "
                f"{short(learned)}: return kernel.detach().numpy() of the kernel_shape given"
            )
        losses = np.asarray(losses, dtype=np.float64)
        if losses.ndim != 1 or losses.size < 2:
            raise AssertionError(
                f"{what}: expected a list of per-step losses, got {short(losses)}: append "
                "loss.item() each step"
            )
        error = np.abs(learned - kernel).max()
        if error > 1e-3:
            raise AssertionError(
                f"{what}: expected the hidden kernel within 1e-3, got a largest error of "
                f"{error:.3g}: check the loss, zero the gradients each step, take more steps"
            )
        if not losses[-1] <= losses[0] / 1000:
            raise AssertionError(
                f"{what}: expected the loss to fall 1000x, got {losses[0]:.3g} -> {losses[-1]:.3g}"
            )


def check_fit_filter(fit_filter: Callable) -> None:
    """Learns the Sobel kernel and a 2x4 kernel back from an image and its response."""
    verifies.run("fit_filter", fit_filter)
    passed("fit_filter", hidden="other images and kernels, and a noisy target")
