"""Hidden tests of `fit_filter(x, y, kernel_shape)`: gradient descent recovers the hidden kernel
that produced `y` (F.conv2d is allowed here; least squares is not)."""

import numpy as np
import pytest
import reference
from library_use import NO_LEAST_SQUARES
from thresholds import (
    FIT_FILTER_CPU_SECONDS,
    KERNEL_TOLERANCE,
    LOSS_DROP,
    NOISY_KERNEL_TOLERANCE,
)

from helpers.expect import expect_unchanged, short

pytestmark = [pytest.mark.cpu_limit(FIT_FILTER_CPU_SECONDS), NO_LEAST_SQUARES]


def problem(seed, size, kernel_shape, noise=0.0):
    """An image, a hidden kernel and the valid convolution of the one with the other (+ noise)."""
    rng = np.random.default_rng(seed)
    x, kernel = rng.normal(size=size), rng.normal(size=kernel_shape)
    y = reference.conv2d(x[None, None], kernel[None, None])[0, 0]
    return x, kernel, y + noise * rng.normal(size=y.shape)


def fit(student, x, y, kernel_shape):
    found, args_after = student.call("fit_filter", x, y, kernel_shape)
    what = f"fit_filter(x {x.shape}, y {y.shape}, {kernel_shape})"
    if not (isinstance(found, tuple | list) and len(found) == 2):
        raise AssertionError(f"{what}: expected (kernel, losses), got {short(found)}")
    kernel, losses = found
    if type(kernel) is not np.ndarray or kernel.shape != kernel_shape:
        raise AssertionError(
            f"{what}: expected the kernel as a NumPy array of shape {kernel_shape}, got "
            f"{short(kernel)}: return kernel.detach().numpy()"
        )
    losses = np.asarray(losses, dtype=np.float64)
    if losses.ndim != 1 or losses.size < 2:
        raise AssertionError(f"{what}: expected a list of per-step losses, got {short(losses)}")
    expect_unchanged([x, y], args_after[:2], what="fit_filter")
    return what, kernel, losses


@pytest.mark.parametrize(("size", "kernel_shape"), [((16, 16), (3, 3)), ((20, 15), (2, 4))])
def test_recovers_the_hidden_kernel(student, size, kernel_shape):
    """recovers the kernel behind a clean target, and the loss falls by at least 1000x"""
    x, hidden, y = problem(15, size, kernel_shape)
    what, kernel, losses = fit(student, x, y, kernel_shape)
    error = np.abs(kernel - hidden).max()
    assert error <= KERNEL_TOLERANCE, (
        f"{what}: expected the hidden kernel within {KERNEL_TOLERANCE}, got a largest error of "
        f"{error:.3g}: take more steps or a larger learning rate, and zero the gradients each step"
    )
    drop = losses[0] / max(losses[-1], 1e-300)
    assert drop >= LOSS_DROP, (
        f"{what}: expected the loss to fall by {LOSS_DROP:g}x, it fell by {drop:.3g}x "
        f"(first {losses[0]:.3g}, last {losses[-1]:.3g})"
    )


def test_noisy_target(student):
    """comes close to the kernel behind a noisy target"""
    x, hidden, y = problem(16, (24, 24), (3, 3), noise=0.1)
    what, kernel, _ = fit(student, x, y, (3, 3))
    error = np.abs(kernel - hidden).max()
    assert error <= NOISY_KERNEL_TOLERANCE, (
        f"{what}: expected the hidden kernel within {NOISY_KERNEL_TOLERANCE} despite the noise, "
        f"got a largest error of {error:.3g}"
    )
