"""The public check of the training loop: what it does, not only what it returns.

The student's ``train_model`` runs on a tiny problem with a model, an optimiser and two loaders
that record every forward pass (its mode, whether gradients were on, which loader it came from),
every optimiser step (and whether its gradients came from that batch alone) and the test
accuracy at the start of every pass over the test loader. The recorded trace is held to the
contract the hidden tests grade: train mode with gradients over every batch of ``dl_tr``, one
step per batch with freshly zeroed gradients, evaluation of ``dl_te`` in eval mode without
gradients, and the sample-weighted test accuracy of every epoch returned.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers.expect import expect_array, short

EPOCHS, LR = 2, 0.1
#: 12 training samples in batches of 5 (the last of 2), 11 test samples in batches of 4 (the last
#: of 3): a mean of the batches' accuracies differs from the accuracy over all samples.
N_TRAIN, TRAIN_BATCH, N_TEST, TEST_BATCH = 12, 5, 11, 4
TRAIN_BATCHES = -(-N_TRAIN // TRAIN_BATCH)


class TracingLoader:
    """A DataLoader that calls ``on_pass`` each time a pass over it starts."""

    def __init__(self, loader: DataLoader, on_pass: Callable[[], None]) -> None:
        self.loader = loader
        self.on_pass = on_pass

    def __iter__(self) -> Iterator:
        self.on_pass()
        return iter(self.loader)

    def __len__(self) -> int:
        return len(self.loader)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loader, name)


@dataclass(frozen=True)
class Problem:
    """A small training problem: data (tensors), batch sizes, epochs and the SGD learning rate."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    train_batch: int
    test_batch: int
    epochs: int
    lr: float


def public_problem() -> tuple[Problem, nn.Linear]:
    """The public check's problem, and a linear model to train on it."""
    generator = torch.Generator().manual_seed(5)
    x_train, y_train = (
        torch.randn(N_TRAIN, 4, generator=generator),
        torch.randint(0, 3, (N_TRAIN,), generator=generator),
    )
    x_test, y_test = (
        torch.randn(N_TEST, 4, generator=generator),
        torch.randint(0, 3, (N_TEST,), generator=generator),
    )
    model = nn.Linear(4, 3)
    with torch.no_grad():
        model.weight.copy_(torch.randn(3, 4, generator=generator))
        model.bias.zero_()
    problem = Problem(x_train, y_train, x_test, y_test, TRAIN_BATCH, TEST_BATCH, EPOCHS, LR)
    return problem, model


def reference_weights(problem: Problem, model: nn.Module) -> list[np.ndarray]:
    """The weights of a copy of ``model`` after the specified loop: per batch forward, loss,
    backward, step, zero the gradients."""
    model = copy.deepcopy(model)
    optimizer = torch.optim.SGD(model.parameters(), lr=problem.lr)
    loader = DataLoader(TensorDataset(problem.x_train, problem.y_train), problem.train_batch)
    for _ in range(problem.epochs):
        for x, y in loader:
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
            optimizer.zero_grad()
    return [p.detach().numpy() for p in model.parameters()]


def trace_training(
    train_model: Callable,
    model: nn.Module,
    problem: Problem,
    device: torch.device | str = "cpu",
    *,
    on_event: Callable[[], None] = lambda: None,
    running: Callable[[], AbstractContextManager] = nullcontext,
) -> dict[str, Any]:
    """Run ``train_model`` on ``model`` (already on ``device``) and ``problem``; record what it
    does.

    Returns what it returned (``returned``), the mode and gradient state of every forward pass
    over each loader (``train``, ``test``), the number of optimiser steps (``steps``), how many
    used gradients left over from an earlier batch (``stale_steps``), the number of steps taken
    and the test accuracy at the start of each pass over the test loader (``passes``), and the
    final weights. ``on_event`` runs first in every callback (the grader restores the libraries
    student code may have patched); ``running`` wraps the call of student code.
    """
    params = list(model.parameters())
    trace: dict[str, Any] = {"train": [], "test": [], "steps": 0, "stale_steps": 0, "passes": []}
    state = {"loader": "", "probing": False}
    fresh: dict[int, torch.Tensor] = {}

    def on_forward(module: nn.Module, inputs: Any, output: Any) -> None:
        on_event()
        if not state["probing"] and state["loader"]:
            trace[state["loader"]].append([module.training, torch.is_grad_enabled()])

    model.register_forward_hook(on_forward)
    for index, param in enumerate(params):
        param.register_hook(lambda grad, i=index: fresh.__setitem__(i, grad.detach().clone()))

    class TracingSGD(torch.optim.SGD):
        def step(self, closure: Any = None) -> Any:
            on_event()
            trace["steps"] += 1
            trace["stale_steps"] += any(
                p.grad is not None and (i not in fresh or not torch.allclose(p.grad, fresh[i]))
                for i, p in enumerate(params)
            )
            fresh.clear()
            return super().step(closure)

    def start_pass(loader: str) -> None:
        on_event()
        state["loader"] = loader
        if loader == "test":
            state["probing"] = True
            was_training = model.training
            model.eval()
            with torch.no_grad():
                predictions = model(problem.x_test.to(device)).argmax(1).cpu()
            model.train(was_training)
            state["probing"] = False
            accuracy = float((predictions == problem.y_test).float().mean())
            trace["passes"].append([trace["steps"], accuracy])

    loaders = {
        name: TracingLoader(
            DataLoader(TensorDataset(x, y), batch_size=batch), lambda name=name: start_pass(name)
        )
        for name, x, y, batch in (
            ("train", problem.x_train, problem.y_train, problem.train_batch),
            ("test", problem.x_test, problem.y_test, problem.test_batch),
        )
    }
    optimizer = TracingSGD(params, lr=problem.lr)
    with running():
        trace["returned"] = train_model(
            model, nn.CrossEntropyLoss(), optimizer, loaders["train"], loaders["test"],
            problem.epochs,
        )  # fmt: skip
    trace["final_weights"] = [p.detach().cpu() for p in params]
    return trace


def expect_training_loop(train_model: Callable) -> None:
    """Hold ``train_model``'s trace to the loop the notebook specifies (see the module)."""
    problem, model = public_problem()
    expected_weights = reference_weights(problem, model)
    device = getattr(train_model, "__globals__", {}).get("device", "cpu")
    trace = trace_training(train_model, model.to(device), problem, device)
    what = (
        f"train_model(..., epochs={EPOCHS}) on {N_TRAIN} training samples in batches of "
        f"{TRAIN_BATCH}"
    )
    returned = trace["returned"]
    if not (isinstance(returned, list | tuple) and len(returned) == EPOCHS):
        raise AssertionError(
            f"{what}: expected a list of {EPOCHS} accuracies, got {short(returned)}"
        )
    if not all(np.ndim(v) == 0 and 0.0 <= float(v) <= 1.0 for v in returned):
        raise AssertionError(
            f"{what}: expected accuracies as fractions in [0, 1] (one number per epoch), got "
            f"{short(returned)}"
        )
    train = [training for training, grad in trace["train"] if grad]
    if not train:
        raise AssertionError(f"{what}: the model was never run on dl_tr with gradients enabled")
    if not all(train):
        raise AssertionError(
            f"{what}: {train.count(False)} of {len(train)} training forward passes ran in eval "
            "mode: call model.train() before the training batches of every epoch"
        )
    expected_steps = EPOCHS * TRAIN_BATCHES
    if trace["steps"] != expected_steps:
        raise AssertionError(
            f"{what}: expected {expected_steps} calls of opt.step() ({EPOCHS} epochs x "
            f"{TRAIN_BATCHES} batches), got {trace['steps']}: one step per batch of dl_tr, over "
            "all of dl_tr in every epoch"
        )
    if trace["stale_steps"]:
        raise AssertionError(
            f"{what}: {trace['stale_steps']} of {trace['steps']} steps used gradients accumulated "
            "over earlier batches: call opt.zero_grad() once per batch"
        )
    test = trace["test"]
    if not test:
        raise AssertionError(f"{what}: the model was never run on the test loader dl_te")
    wrong = sum(training or grad for training, grad in test)
    if wrong:
        raise AssertionError(
            f"{what}: {wrong} of {len(test)} test forward passes ran in train mode or with "
            "gradients: call model.eval() and evaluate inside `with torch.no_grad():`"
        )
    for epoch in range(1, EPOCHS + 1):
        after = [accuracy for steps, accuracy in trace["passes"] if steps == epoch * TRAIN_BATCHES]
        got = returned[epoch - 1]
        if not after or not np.isclose(float(got), after[-1], atol=1e-6):
            raise AssertionError(
                f"{what}: epoch {epoch}: expected the accuracy on dl_te after the epoch's "
                f"training, {after[-1] if after else float('nan'):.4f} (correct / all {N_TEST} "
                f"test samples, in batches of {TEST_BATCH}), got {short(got)}: evaluate dl_te "
                "after each epoch and weight each batch's accuracy by its number of samples"
            )
    for index, (got, expected) in enumerate(
        zip(trace["final_weights"], expected_weights, strict=True)
    ):
        expect_array(
            got.numpy().astype(np.float32),
            expected,
            what=f"{what}: parameter {index} after training",
            rtol=1e-4,
            atol=1e-5,
            hint="per batch: forward, loss, backward, step, with gradients zeroed",
        )
