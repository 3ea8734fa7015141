"""The public check of a model: its layers, in order, as the notebook specifies them.

The hidden tests compare a model's trainable parameter shapes with the specification, run it with
the reference weights and train it. A public check cannot ship the reference model, so it checks
what the specification says instead: the parameter shapes, and the sequence of operations the
forward pass runs (recorded with :class:`torch.overrides.TorchFunctionMode`), each linear or
convolution layer followed by its activation and pooling. A model that fails inside its forward
pass is reported with the operation that failed and the shape it received.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch.overrides import TorchFunctionMode

from helpers.expect import short

#: Operations that start a layer (they hold its weights).
LAYERS = ("conv2d", "linear")
#: Operations that may follow a layer and change what the model computes; others (flatten,
#: view, dropout, ...) are not recorded.
FOLLOWERS = {
    "relu": "relu",
    "relu_": "relu",
    "max_pool2d": "max_pool2d",
    "max_pool2d_with_indices": "max_pool2d",
    "avg_pool2d": "avg_pool2d",
    "adaptive_avg_pool2d": "adaptive_avg_pool2d",
    "adaptive_max_pool2d": "adaptive_max_pool2d",
    "lp_pool2d": "lp_pool2d",
    "sigmoid": "sigmoid",
    "tanh": "tanh",
    "softmax": "softmax",
    "log_softmax": "log_softmax",
    "leaky_relu": "leaky_relu",
    "gelu": "gelu",
    "elu": "elu",
}
#: Operations that are a ReLU when their lower bound is 0.
CLAMPS = ("clamp", "clamp_", "clamp_min", "clamp_min_", "clip", "clip_")
#: How a student writes each operation.
WRITTEN = {
    "relu": "a ReLU (nn.ReLU, F.relu or torch.relu)",
    "max_pool2d": "max pooling (nn.MaxPool2d(2) or F.max_pool2d(x, 2))",
}

BATCH = 3

Layer = tuple[str, tuple[int, ...], tuple[str, ...]]


class OperationTrace(TorchFunctionMode):
    """Records each layer operation (with its weight shape) and what follows it, and the last
    operation started with the shape of its input (to explain a failure)."""

    def __init__(self) -> None:
        super().__init__()
        self.layers: list[list[Any]] = []
        self.last: tuple[str, tuple[int, ...]] = ("", ())

    def __torch_function__(self, func, types, args=(), kwargs=None):  # noqa: ANN001
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "").lstrip("_")
        if name in CLAMPS and _clamps_at_zero(args, kwargs):
            name = "relu"  # x.clamp(min=0) is a ReLU
        if name in LAYERS or name in FOLLOWERS:
            first = args[0] if args else None
            self.last = (name, tuple(first.shape) if isinstance(first, torch.Tensor) else ())
        if name in LAYERS:
            weight = args[1] if len(args) > 1 else kwargs.get("weight")
            self.layers.append([name, tuple(getattr(weight, "shape", ())), []])
        elif name in FOLLOWERS and self.layers:
            self.layers[-1][2].append(FOLLOWERS[name])
        return func(*args, **kwargs)


def _clamps_at_zero(args: tuple, kwargs: dict) -> bool:
    """Whether a clamp's arguments bound it below by 0 and not above."""
    low = kwargs.get("min", args[1] if len(args) > 1 else None)
    high = kwargs.get("max", args[2] if len(args) > 2 else None)
    return isinstance(low, int | float) and low == 0 and high is None


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ..., ``11th``, ``21st``."""
    teen = n % 100 in (11, 12, 13)
    return f"{n}{'th' if teen else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def describe(followers: tuple[str, ...] | list[str]) -> str:
    return " and ".join(WRITTEN.get(f, f) for f in followers) or "nothing"


def expect_parameter_shapes(model: nn.Module, signature: str, layers: list[Layer]) -> None:
    """The model's trainable parameters have the shapes of the specified layers (in any order)."""
    got = sorted(tuple(p.shape) for p in model.parameters() if p.requires_grad)
    expected = sorted(shape for _, weight, _ in layers for shape in (weight, weight[:1]))
    if got != expected:
        count = sum(math.prod(shape) for shape in got)
        total = sum(math.prod(shape) for shape in expected)
        surplus = sorted((Counter(got) - Counter(expected)).elements())
        lacking = sorted((Counter(expected) - Counter(got)).elements())
        raise AssertionError(
            f"{signature} has trainable parameters of shapes {got} ({count:,} in all), expected "
            f"{expected} ({total:,}): missing {lacking}, not in the specification {surplus}; "
            "check each layer's input and output sizes (a weight of shape (out, in) or "
            "(out, in, kh, kw), and a bias of shape (out,))"
        )


def run_forward(model: nn.Module, signature: str) -> tuple[torch.Tensor, OperationTrace]:
    """The model's output on a batch of zeros, and the operations it ran; a failure inside the
    forward pass is explained with the operation and the shape it received."""
    trace = OperationTrace()
    x = torch.rand(BATCH, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    model.eval()
    try:
        with torch.no_grad(), trace:
            out = model(x)
    except Exception as error:  # noqa: BLE001 - any failure inside the student's model
        operation, shape = trace.last
        where = (
            f" in {operation} (its {ordinal(len(trace.layers))} layer) on an input of shape {shape}"
            if operation
            else ""
        )
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise AssertionError(
            f"{signature} failed on a batch of shape {tuple(x.shape)}{where}: "
            f"{type(error).__name__}: {first_line}: follow the shapes layer by layer (padding 1 "
            "keeps 28x28 through a 3x3 conv, each 2x2 max-pool halves it, rounding down) and "
            "flatten to (B, features) before the first Linear layer"
        ) from None
    return out, trace


def expect_layer_order(trace: OperationTrace, signature: str, layers: list[Layer]) -> None:
    """Each recorded layer is the specified one, followed by the specified activation and
    pooling (in either order: ReLU and max-pooling commute)."""
    got = [(name, weight, tuple(sorted(followers))) for name, weight, followers in trace.layers]
    for index, (expected, found) in enumerate(zip(layers, got, strict=False), start=1):
        name, weight, followers = expected
        if found[:2] != (name, weight):
            raise AssertionError(
                f"{signature}: its {ordinal(index)} layer should be {name} with a weight of shape "
                f"{weight}, the forward pass ran {found[0]} with a weight of shape {found[1]}: "
                "apply the layers in the specified order"
            )
        if found[2] != tuple(sorted(followers)):
            raise AssertionError(
                f"{signature}: after its {ordinal(index)} layer ({name}, weight {weight}) expected "
                f"{describe(followers)}, the forward pass ran {describe(found[2])}"
                + (": return the last layer's logits as they are" if not followers else "")
            )
    if len(got) != len(layers):
        raise AssertionError(
            f"{signature}: expected {len(layers)} conv/linear layers in the forward pass, it ran "
            f"{len(got)}: use every layer once, in the specified order"
        )


def expect_model(model_class: Callable[..., nn.Module], kwargs: dict, layers: list[Layer]) -> None:
    """``model_class(**kwargs)`` is an ``nn.Module`` with the specified layers that maps a batch
    (B, 1, 28, 28) to logits (B, 10)."""
    signature = f"{model_class.__name__}({', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
    model = model_class(**kwargs)
    if not isinstance(model, nn.Module):
        raise AssertionError(f"{signature} should be a torch.nn.Module, got {type(model).__name__}")
    expect_parameter_shapes(model, signature, layers)
    out, trace = run_forward(model, signature)
    if not (isinstance(out, torch.Tensor) and tuple(out.shape) == (BATCH, 10)):
        raise AssertionError(
            f"{signature} on a batch of shape ({BATCH}, 1, 28, 28): expected logits of shape "
            f"({BATCH}, 10), got {short(getattr(out, 'shape', out))}"
        )
    expect_layer_order(trace, signature, layers)
