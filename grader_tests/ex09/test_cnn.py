"""Hidden tests of `CNN(filters)`.

Three conv 3x3 (padding 1) + max-pool 2 blocks, then fc 9*filters[2]->128->10.
"""

from models import (
    GRADED_ON_LEARNING,
    check_accuracy,
    check_matches_reference,
    check_output_shape,
    check_parameter_shapes,
    requires_cuda,
)

OTHER_FILTERS = {"filters": (8, 12, 20)}
HINT = (
    "use filters[0], filters[1], filters[2] as the conv channels and 9 * filters[2] inputs to fc1"
)


def test_parameter_shapes(student):
    """CNN() has the layers of the specification (its trainable parameter shapes, 98,442 in all)"""
    check_parameter_shapes(student, "CNN", {}, HINT)


def test_parameter_shapes_other_filters(student):
    """CNN(filters=(8, 12, 20)) has the layers of the specification (its parameter shapes)"""
    check_parameter_shapes(student, "CNN", OTHER_FILTERS, HINT)


def test_output_shape(student):
    """CNN maps a batch (B, 1, 28, 28) to logits (B, 10)"""
    check_output_shape(student, "CNN", {})


def test_matches_reference_outputs(student):
    """CNN() computes the reference outputs when given the reference weights"""
    check_matches_reference(
        student, "CNN", {}, "check ReLU after each conv, max-pooling, and the flatten before fc1"
    )


def test_matches_reference_outputs_other_filters(student):
    """CNN(filters=(8, 12, 20)) computes the reference outputs when given the reference weights"""
    check_matches_reference(student, "CNN", OTHER_FILTERS, HINT)


@GRADED_ON_LEARNING
def test_accuracy_cpu(student):
    """CNN trains to the CPU accuracy threshold on the embedded MNIST subset"""
    check_accuracy(student, "CNN", cuda=False)


@requires_cuda
@GRADED_ON_LEARNING
def test_accuracy_cuda(student):
    """CNN trains to the CUDA accuracy threshold on the GPU (full MNIST when present)"""
    check_accuracy(student, "CNN", cuda=True)
