"""Reference answers of Exercise 10, computed with PyTorch (never released), for the judge only:
the student worker never loads this module (it loads ``stand_ins.py``, whose functions this one
uses too).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from stand_ins import conv2d, conv_matrix, conv_output_size, dilate2d, tensor  # noqa: F401 - also the judge's references
from torch import nn


def conv_transpose_output_size(
    n: int, k: int, stride: int = 1, padding: int = 0, output_padding: int = 0, dilation: int = 1
) -> int:
    """The output length of ``F.conv_transpose1d`` on zeros; ValueError when it would be empty."""
    try:
        found = F.conv_transpose1d(
            torch.zeros(1, 1, n),
            torch.zeros(1, 1, k),
            stride=stride,
            padding=padding,
            output_padding=output_padding,
            dilation=dilation,
        ).shape[-1]
    except RuntimeError:  # "Output size is too small"
        found = 0
    if found < 1:
        raise ValueError(f"the output would have {found} elements")
    return found


def with_defaults(args: list, defaults: tuple) -> tuple:
    """``args``, completed by the ``defaults`` of the positions they leave out."""
    return (*args, *defaults[len(args) :])


def layer(spec: tuple, x: torch.Tensor) -> nn.Module:
    """The module of one layer specification, for an input like ``x`` (batch axis first)."""
    kind, *args = spec
    if kind == "conv":
        out, k, stride, padding = with_defaults(args, (None, None, 1, 0))
        return nn.Conv2d(x.shape[1], out, k, stride=stride, padding=padding)
    if kind == "pool":
        k, stride, padding = with_defaults(args, (None, None, 0))
        return nn.MaxPool2d(k, stride=stride, padding=padding)
    if kind == "bn":
        return nn.BatchNorm2d(x.shape[1])
    if kind == "act":
        return nn.ReLU()
    if kind == "flatten":
        return nn.Flatten()
    if kind == "linear":
        return nn.Linear(x.shape[1], args[0])
    raise ValueError(f"unknown layer {kind!r}")


def describe_network(input_shape: tuple[int, ...], layers: list[tuple]) -> list[tuple]:
    """Each layer's output shape (without the batch axis) and trainable parameter count, measured
    on the modules the specification builds with a forward hook and ``numel``."""
    x, rows = torch.zeros(1, *input_shape), []
    for spec in layers:
        module = layer(spec, x).eval()
        module.register_forward_hook(lambda _, __, output: rows.append(tuple(output.shape[1:])))
        with torch.no_grad():
            x = module(x)
        rows[-1] = (rows[-1], sum(p.numel() for p in module.parameters() if p.requires_grad))
    return rows


def pool2d(x, kernel_size, stride=None, padding=0, mode="max") -> np.ndarray:
    """``F.max_pool2d`` or ``F.avg_pool2d`` (counting the padding) on NumPy arrays."""
    pool = F.max_pool2d if mode == "max" else F.avg_pool2d
    return pool(tensor(x), kernel_size, stride, padding).numpy()


def conv_transpose_matmul(y, kernel, input_shape, stride=1) -> np.ndarray:
    """``F.conv_transpose2d`` of ``y``, with the output padding that gives ``input_shape``."""
    kh, kw = np.shape(kernel)
    sh, sw = (stride, stride) if np.ndim(stride) == 0 else stride
    h, w = np.shape(y)
    extra = (input_shape[0] - ((h - 1) * sh + kh), input_shape[1] - ((w - 1) * sw + kw))
    return F.conv_transpose2d(
        tensor(y)[None, None], tensor(kernel)[None, None], stride=(sh, sw), output_padding=extra
    ).numpy()[0, 0]


def conv_transpose2d(y, weight, stride=1, padding=0) -> np.ndarray:
    """``F.conv_transpose2d`` of one (Cin, h, w) input."""
    return F.conv_transpose2d(tensor(y)[None], tensor(weight), None, stride, padding).numpy()[0]


def rank1(kernel) -> np.ndarray:
    """The best rank-1 approximation of ``kernel`` (its leading singular triple)."""
    u, s, vt = np.linalg.svd(np.asarray(kernel, dtype=np.float64))
    return s[0] * np.outer(u[:, 0], vt[0])


def is_separable(kernel, rtol: float = 1e-8) -> bool:
    """Whether the second singular value is at most ``rtol`` times the first."""
    s = np.linalg.svd(np.asarray(kernel, dtype=np.float64), compute_uv=False)
    return bool(s.size < 2 or s[1] <= rtol * s[0])


def conv1x1(x, weight, bias=None) -> np.ndarray:
    """``F.conv2d`` with the (O, C) weight as a 1x1 kernel."""
    return conv2d(x, np.asarray(weight)[:, :, None, None], bias)
