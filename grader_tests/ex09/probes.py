"""Exercise 09's trusted probes, run inside the student worker (never in the judge).

The judge's plugin ships this module to the worker with the submission (``trusted_modules`` in
``conftest.py``); it registers its probes with :func:`grading.worker.probes.probe` before student
code loads. Each trains or traces the student's code with a trusted loop and returns plain data.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import torch
from torch import nn

from grading.worker import integrity
from grading.worker.probes import (
    ProbeError,
    build_model,
    logits_of,
    lookup,
    probe,
    student_code,
    student_device,
    trainable,
)
from helpers.mnist import data_dir, mnist_array
from helpers.training import Problem, trace_training


def mnist_images(full: bool, train: bool) -> torch.Tensor:
    """MNIST images (N, 1, 28, 28) float in [0, 1], without the PIL round trip."""
    return torch.from_numpy(mnist_array(data_dir(), "images", train, full)).unsqueeze(1) / 255.0


def mnist_labels(full: bool, train: bool) -> torch.Tensor:
    """MNIST labels (N,) int64. The worker sees the training labels only (the test labels are
    kept out of its sandbox: :mod:`grading.sandbox.bubblewrap`)."""
    return torch.from_numpy(mnist_array(data_dir(), "labels", train, full))


def training_batches(n: int, steps: int, batch_size: int, seed: int) -> Iterator[torch.Tensor]:
    """Indices of ``steps`` training batches over ``n`` samples: shuffled passes (epochs) in an
    order fixed by ``seed``, the last batch of each pass possibly smaller."""
    generator = torch.Generator().manual_seed(seed)
    while True:
        for batch in torch.randperm(n, generator=generator).split(batch_size):
            if steps == 0:
                return
            steps -= 1
            yield batch


@probe
def fit_and_predict(
    namespace: dict,
    cls: str,
    kwargs: dict,
    steps: int,
    seed: int,
    full_mnist: bool = False,
    device: str = "cpu",
    batch_size: int = 64,
    lr: float = 1e-3,
    label_permutation: list[int] | None = None,
) -> torch.Tensor:
    """Train ``cls(**kwargs)`` for ``steps`` Adam steps on MNIST (full or the embedded subset) on
    ``device`` with a trusted loop; return its test-set predictions.

    ``seed`` sets both the initial weights and the order of the training batches;
    ``label_permutation`` renames the classes (class ``c`` becomes ``label_permutation[c]``) in
    the training labels and in the output layer's initial weights alike (:func:`rename_outputs`),
    so that an honest model trains exactly as it would on the real classes.
    """
    device = torch.device(device)
    x_train, y_train = mnist_images(full_mnist, True), mnist_labels(full_mnist, True)
    x_test = mnist_images(full_mnist, train=False)
    model = build_model(namespace, cls, kwargs, seed=seed)
    if label_permutation is not None:
        y_train = torch.tensor(label_permutation)[y_train]
        rename_outputs(model, label_permutation)
    with student_code():
        model.to(device).train()
    optimizer = torch.optim.Adam(trainable(model), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    for batch in training_batches(len(x_train), steps, batch_size, seed):
        optimizer.zero_grad()
        loss_fn(logits_of(model, x_train[batch].to(device)), y_train[batch].to(device)).backward()
        optimizer.step()
    with student_code():
        model.eval()
    with torch.no_grad():
        return torch.cat(
            [logits_of(model, chunk.to(device)).argmax(dim=1).cpu() for chunk in x_test.split(1000)]
        )


def rename_outputs(model: nn.Module, permutation: list[int]) -> None:
    """Move the rows of the output layer's initial weight and bias (the last trainable parameters
    with one row per class) so that output ``permutation[c]`` starts as output ``c`` did.

    Training on renamed labels from there is the same computation as training on the real ones
    (cross-entropy and Adam treat the outputs alike), so the renaming leaves an honest model's
    accuracy as it was, and the thresholds as calibrated; only answers the model did not learn
    come out wrong.
    """
    rows = [p for p in trainable(model) if p.dim() >= 1 and p.shape[0] == len(permutation)]
    with torch.no_grad():
        for param in rows[-2:]:
            moved = torch.empty_like(param)
            moved[torch.as_tensor(permutation)] = param
            param.copy_(moved)


def small_mlp(weights: list[np.ndarray]) -> nn.Sequential:
    """A trusted two-layer MLP (Linear, ReLU, Linear) holding the given weights."""
    model = nn.Sequential(
        nn.Linear(weights[0].shape[1], weights[0].shape[0]),
        nn.ReLU(),
        nn.Linear(weights[2].shape[1], weights[2].shape[0]),
    )
    with torch.no_grad():
        for param, weight in zip(model.parameters(), weights, strict=True):
            param.copy_(torch.from_numpy(weight))
    return model


@probe
def train_model_trace(
    namespace: dict,
    x_train: np.ndarray,
    y_train: np.ndarray,
    x_test: np.ndarray,
    y_test: np.ndarray,
    weights: list[np.ndarray],
    epochs: int,
    lr: float,
    train_batch: int,
    test_batch: int,
) -> dict:
    """Run the student's ``train_model`` on a small MLP and record what it does (the trace of
    :func:`helpers.training.trace_training`, which the public check holds to the same contract);
    every callback first restores what student code may have patched."""
    device = student_device(namespace)
    problem = Problem(
        *(torch.from_numpy(a) for a in (x_train, y_train, x_test, y_test)),
        train_batch=train_batch,
        test_batch=test_batch,
        epochs=epochs,
        lr=lr,
    )
    return trace_training(
        lookup(namespace, "train_model"),
        small_mlp(weights).to(device),
        problem,
        device,
        on_event=integrity.restore,
        running=student_code,
    )


@probe
def criterion_and_optimizer(
    namespace: dict,
    weights: list[np.ndarray],
    logits: np.ndarray,
    targets: np.ndarray,
    x: np.ndarray,
    y: np.ndarray,
    steps: int,
) -> dict:
    """Call the student's ``make_criterion_and_optimizer`` on a small MLP and try both out.

    Returns the criterion's value on ``(logits, targets)``, which model parameters the optimiser
    holds, and the training loss on ``(x, y)`` over ``steps`` optimiser steps (measured with a
    trusted cross-entropy, whatever the student's criterion reports).
    """
    model = small_mlp(weights)
    with student_code():
        made = lookup(namespace, "make_criterion_and_optimizer")(model)
    if not issubclass(type(made), tuple) or tuple.__len__(made) != 2:
        raise ProbeError(
            "make_criterion_and_optimizer must return (criterion, optimizer), got a "
            f"{type(made).__name__}"
        )
    criterion, optimizer = tuple.__getitem__(made, 0), tuple.__getitem__(made, 1)
    if not issubclass(type(optimizer), torch.optim.Optimizer):
        raise ProbeError(
            f"the optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}"
        )
    with student_code():
        value = criterion(torch.from_numpy(logits), torch.from_numpy(targets))
        held = {id(p) for group in optimizer.param_groups for p in group["params"]}
    x_tensor, y_tensor = torch.from_numpy(x), torch.from_numpy(y)
    losses = []
    for _ in range(steps):
        with torch.no_grad():
            losses.append(nn.functional.cross_entropy(model(x_tensor), y_tensor).item())
        with student_code():
            optimizer.zero_grad()
            loss = criterion(model(x_tensor), y_tensor)
            loss.backward()
            optimizer.step()
    return {"value": value, "held": [id(p) in held for p in model.parameters()], "losses": losses}
