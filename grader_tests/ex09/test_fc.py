"""Hidden tests of `FC` (784-512-256-128-10 with ReLU between the linear layers)."""

from models import (
    GRADED_ON_LEARNING,
    check_accuracy,
    check_matches_reference,
    check_output_shape,
    check_parameter_shapes,
    requires_cuda,
)

HINT = "check the four Linear layers: 784->512->256->128->10"


def test_parameter_shapes(student):
    """FC has the layers of the specification (its trainable parameter shapes)"""
    check_parameter_shapes(student, "FC", {}, HINT)


def test_output_shape(student):
    """FC maps a batch (B, 1, 28, 28) to logits (B, 10)"""
    check_output_shape(student, "FC", {})


def test_matches_reference_outputs(student):
    """FC computes the reference outputs when given the reference weights"""
    check_matches_reference(
        student, "FC", {}, "check the activations (ReLU), pooling (max) and layer order"
    )


@GRADED_ON_LEARNING
def test_accuracy_cpu(student):
    """FC trains to the CPU accuracy threshold on the embedded MNIST subset"""
    check_accuracy(student, "FC", cuda=False)


@requires_cuda
@GRADED_ON_LEARNING
def test_accuracy_cuda(student):
    """FC trains to the CUDA accuracy threshold on the GPU (full MNIST when present)"""
    check_accuracy(student, "FC", cuda=True)
