"""Hidden tests of `describe_network(input_shape, layers)`: shapes and parameter counts by hand,
compared with the modules the specification builds (forward hooks and `numel`)."""

import pytest
import reference
from library_use import NO_CONVOLUTION_OR_POOLING
from thresholds import NUMPY_TASK_CPU_SECONDS

from grading.judge.source_check import cell_source, names_used
from helpers.bans import PLAIN_NAMES
from helpers.checks_ex10 import rows_of
from helpers.expect import short

pytestmark = [pytest.mark.cpu_limit(NUMPY_TASK_CPU_SECONDS), NO_CONVOLUTION_OR_POOLING]


@pytest.fixture(autouse=True)
def without_torch(submission):
    used = names_used(cell_source(submission, "describe_network_solution")) & set(
        PLAIN_NAMES["describe_network"]
    )
    assert not used, (
        f"describe_network uses {', '.join(sorted(used))}: this task asks you to compute the "
        "shapes and counts by hand, so it earns no credit; use conv_output_size and arithmetic"
    )


def check(student, input_shape, layers, hint):
    found, _ = student.call(
        "describe_network", input_shape, layers, references=["conv_output_size"]
    )
    expected = reference.describe_network(input_shape, layers)
    rows = rows_of(found)
    if rows is None:
        raise AssertionError(
            f"describe_network({input_shape}, {short(layers, 80)}): expected a list of "
            f"(output shape, parameter count) pairs, one per layer, got {short(found, 300)}"
        )
    if rows != expected:
        raise AssertionError(
            f"describe_network({input_shape}, {short(layers, 80)}): expected "
            f"{short(expected, 300)}, got {short(found, 300)}: {hint}"
        )


def test_lecture_network(student):
    """describes the lecture's SimpleCNN: conv 5x5, flatten, linear (34,726 parameters)"""
    check(student, (1, 28, 28), [("conv", 6, 5), ("flatten",), ("linear", 10)], "count the biases")


def test_strides_padding_and_pooling(student):
    """follows stride, padding and pooling (default stride = kernel) through the network"""
    layers = [
        ("conv", 8, 3, 2, 1),
        ("act",),
        ("pool", 2),
        ("conv", 4, (3, 1), 1, (1, 0)),
        ("pool", 3, 2, 1),
        ("flatten",),
        ("linear", 5),
    ]
    check(student, (3, 33, 20), layers, "the pool's stride defaults to its kernel size")


def test_batch_norm_and_activations(student):
    """counts two parameters per channel for batch norm and none for activations"""
    layers = [("conv", 5, 3), ("bn",), ("act",), ("conv", 2, 1), ("bn",), ("flatten",)]
    check(student, (4, 9, 7), layers, "batch norm learns a scale and a shift per channel")
