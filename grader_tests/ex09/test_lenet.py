"""Hidden tests of `CNN_LeNet`.

conv 1->6 and 6->16 (3x3, padding 1), max-pool 2, fc 784->120->84->10.
"""

from models import (
    GRADED_ON_LEARNING,
    check_accuracy,
    check_matches_reference,
    check_output_shape,
    check_parameter_shapes,
    requires_cuda,
)

HINT = "check the conv channels, kernel 3x3 with padding 1, and fc 784->120->84->10"


def test_parameter_shapes(student):
    """CNN_LeNet has the layers of the specification (its trainable parameter shapes)"""
    check_parameter_shapes(student, "CNN_LeNet", {}, HINT)


def test_output_shape(student):
    """CNN_LeNet maps a batch (B, 1, 28, 28) to logits (B, 10)"""
    check_output_shape(student, "CNN_LeNet", {})


def test_matches_reference_outputs(student):
    """CNN_LeNet computes the reference outputs when given the reference weights"""
    check_matches_reference(
        student, "CNN_LeNet", {}, "check the activations (ReLU), pooling (max) and layer order"
    )


@GRADED_ON_LEARNING
def test_accuracy_cpu(student):
    """CNN_LeNet trains to the CPU accuracy threshold on the embedded MNIST subset"""
    check_accuracy(student, "CNN_LeNet", cuda=False)


@requires_cuda
@GRADED_ON_LEARNING
def test_accuracy_cuda(student):
    """CNN_LeNet trains to the CUDA accuracy threshold on the GPU (full MNIST when present)"""
    check_accuracy(student, "CNN_LeNet", cuda=True)
