"""Hidden tests of `train_model(model, crit, opt, dl_tr, dl_te, epochs)` on a small problem.

A trusted probe runs the student's loop on a small MLP, with an SGD optimiser and data loaders
that record every forward pass, gradient and step.
"""

import numpy as np
import pytest
import torch
from small_problem import initial_weights, make_data, mlp

from helpers import training
from helpers.expect import expect_array, short
from helpers.training import Problem

EPOCHS, LR, TRAIN_BATCH, TEST_BATCH = 3, 0.1, 8, 10
N_TRAIN, N_TEST = (
    50,
    23,
)  # uneven last batches: 7 train batches (last of 2), 3 test batches (last of 3)
TRAIN_BATCHES = -(-N_TRAIN // TRAIN_BATCH)


@pytest.fixture(scope="module")
def problem():
    x_train, y_train = make_data(N_TRAIN, seed=70)
    x_test, y_test = make_data(N_TEST, seed=71)
    return {
        "x_train": x_train,
        "y_train": y_train,
        "x_test": x_test,
        "y_test": y_test,
        "weights": initial_weights(72),
    }


@pytest.fixture(scope="module")
def trace(student, problem):
    return student.probe(
        "train_model_trace",
        "running train_model",
        epochs=EPOCHS,
        lr=LR,
        train_batch=TRAIN_BATCH,
        test_batch=TEST_BATCH,
        **problem,
    )


def reference_weights(problem):
    """Final weights of the reference loop (:func:`helpers.training.reference_weights`, the one
    the public check uses): forward, loss, backward, step, zero the gradients."""
    data = (torch.from_numpy(problem[k]) for k in ("x_train", "y_train", "x_test", "y_test"))
    setup = Problem(*data, TRAIN_BATCH, TEST_BATCH, EPOCHS, LR)
    return training.reference_weights(setup, mlp(problem["weights"]))


def test_returns_one_accuracy_per_epoch(trace):
    """returns a list with one test accuracy (a fraction in [0, 1]) per epoch"""
    returned = trace["returned"]
    assert isinstance(returned, list | tuple) and len(returned) == EPOCHS, (
        f"expected a list of {EPOCHS} accuracies for {EPOCHS} epochs, got {short(returned)}"
    )
    values = np.asarray([float(np.asarray(v)) if np.ndim(v) == 0 else np.nan for v in returned])
    assert np.all((values >= 0) & (values <= 1)), (
        f"expected accuracies as fractions in [0, 1], got {short(returned)}"
        + (": divide by the number of samples, not by 100" if np.nanmax(values) > 1 else "")
    )


def test_one_optimizer_step_per_batch(trace):
    """takes exactly one optimiser step per training batch"""
    expected = EPOCHS * TRAIN_BATCHES
    assert trace["steps"] == expected, (
        f"expected {expected} calls of opt.step() ({EPOCHS} epochs x {TRAIN_BATCHES} batches), "
        f"got {trace['steps']}"
    )


def test_gradients_zeroed_before_each_step(trace):
    """each step uses the gradient of its own batch only (gradients are zeroed)"""
    assert trace["steps"] > 0, "opt.step() was never called"
    assert trace["stale_steps"] == 0, (
        f"{trace['stale_steps']} of {trace['steps']} steps used gradients accumulated over "
        "earlier batches: "
        "call opt.zero_grad() once per batch"
    )


def test_trains_in_train_mode(trace):
    """runs the training batches in train mode"""
    modes = [training for training, grad in trace["train"] if grad]  # without gradients: evaluation
    assert modes, (
        "the model was never trained on the training loader dl_tr (with gradients enabled)"
    )
    wrong = modes.count(False)
    assert wrong == 0, (
        f"{wrong} of {len(modes)} training forward passes ran in eval mode: call model.train() "
        "before the "
        "training batches of every epoch"
    )


def test_evaluates_in_eval_mode_without_gradients(trace):
    """evaluates the test set in eval mode under torch.no_grad()"""
    modes = trace["test"]
    assert modes, "the model was never called on the test loader dl_te"
    wrong = sum(training or grad for training, grad in modes)
    assert wrong == 0, (
        f"{wrong} of {len(modes)} test forward passes ran in train mode or with gradients: "
        "call model.eval() and evaluate inside `with torch.no_grad():`"
    )


def test_returns_sample_weighted_test_accuracy(trace):
    """returns the test accuracy of each epoch, weighted by the number of samples per batch"""
    passes = trace["passes"]
    returned = trace["returned"]
    for epoch in range(1, EPOCHS + 1):
        after = [accuracy for steps, accuracy in passes if steps == epoch * TRAIN_BATCHES]
        assert after, f"the test loader dl_te was not evaluated after epoch {epoch}"
        got = (
            returned[epoch - 1]
            if isinstance(returned, list | tuple) and len(returned) >= epoch
            else None
        )
        assert (
            got is not None and np.ndim(got) == 0 and np.isclose(float(got), after[-1], atol=1e-6)
        ), (
            f"epoch {epoch}: expected the test accuracy {after[-1]:.4f} (correct / all {N_TEST} "
            "test samples), "
            f"got {short(got)}: weight each batch's accuracy by its size and evaluate on dl_te"
        )


def test_final_weights_match_reference_loop(trace, problem):
    """trains the model exactly as the reference loop does"""
    for index, (got, expected) in enumerate(
        zip(trace["final_weights"], reference_weights(problem), strict=True)
    ):
        expect_array(
            np.asarray(got, dtype=np.float32),
            expected,
            what=f"parameter {index} after training",
            rtol=1e-4,
            atol=1e-5,
            hint="per batch: forward, loss, backward, step, with gradients zeroed",
        )
