"""Trusted probes that run inside the student worker (:mod:`grading.worker.main`), and what they
share.

Each probe exercises the student's classes or functions the way a hidden test needs, and returns
plain data (numbers, arrays) that the judge checks in its own process. Probes never decide a
grade. Messages of :class:`ProbeError` go to the student as they are.

This module holds the registries and the probes any assignment with model classes can use; an
assignment's own probes and trusted stand-ins live next to its hidden tests and are shipped to the
worker in the submission bundle (``trusted_modules`` in :mod:`grading.judge.pytest_plugin`), where
they register themselves with :func:`probe` and :func:`stand_in` before student code loads.

Student code runs only inside :func:`student_code` blocks, after which the libraries are restored
(:mod:`grading.worker.integrity`); facts are read through the model's own registries and exact
types, not through methods a student class could override.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch
from torch import nn

from grading.worker import integrity, tripwires

#: Trusted stand-ins the judge may swap in for a student function of the same name (the
#: ``references`` of :meth:`grading.judge.student.StudentProcess.call`), so that a task is graded on
#: its own and a mistake in an earlier task is not counted twice; registered with :func:`stand_in`.
REFERENCES: dict[str, Callable[..., Any]] = {}

#: The probes a hidden test may run by name (:meth:`grading.judge.student.StudentProcess.probe`),
#: registered with :func:`probe`; each is called as ``probe(namespace, **kwargs)``.
PROBES: dict[str, Callable[..., Any]] = {}


def probe(function: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``function`` as the probe of its name."""
    PROBES[function.__name__] = function
    return function


def stand_in(function: Callable[..., Any]) -> Callable[..., Any]:
    """Register ``function`` as the trusted stand-in for the student function of its name.

    Returns it wired (:func:`grading.worker.tripwires.wired`): the grader's swap runs it unrecorded,
    but student code that calls it directly (kept from a swap: the registry and the trusted modules
    are not listed in the worker's ``sys.modules``) is recorded as ``grader:<name>``, and that
    costs the task (:class:`grading.judge.errors.LibraryUsed`).
    """
    guarded = tripwires.wired(f"{tripwires.GRADER_CODE}{function.__name__}", function)
    REFERENCES[function.__name__] = guarded
    return guarded


class ProbeError(Exception):
    """The submission does not have the form a hidden test needs; the message says how."""


class StudentNameError(LookupError):
    """A name the hidden tests need is not defined by the submission."""


def lookup(namespace: dict, name: str) -> Any:
    """The student's definition of ``name``, or :class:`StudentNameError`."""
    if name not in namespace:
        raise StudentNameError(f"`{name}` is not defined: implement it in its solution cell")
    return namespace[name]


@contextmanager
def student_code() -> Iterator[None]:
    """Run a block of student code: the library functions it reaches are recorded
    (:mod:`grading.worker.tripwires`), and the guarded libraries are restored when it ends."""
    try:
        with tripwires.recording(True):
            yield
    finally:
        integrity.restore()


@contextmanager
def swapped(namespace: dict, references: list[str]) -> Iterator[None]:
    """Swap the student's functions named in ``references`` for trusted ones
    (:data:`REFERENCES`) while the block runs, then restore them.

    While the swap lasts, a call of a trusted one is not recorded (it may convolve); one that
    student code kept and calls after the swap is recorded as the grader's own code it is."""
    live = True

    def trusted(function: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            if not live:
                return function(*args, **kwargs)
            with tripwires.recording(False):
                return function(*args, **kwargs)

        return call

    saved = {name: namespace[name] for name in references if name in namespace}
    namespace.update({name: trusted(REFERENCES[name]) for name in references})
    try:
        yield
    finally:
        live = False
        for name in references:
            namespace.pop(name)
        namespace.update(saved)


def student_device(namespace: dict) -> torch.device:
    """The ``device`` the notebook chose, or the CPU."""
    device = namespace.get("device")
    return device if isinstance(device, torch.device) else torch.device("cpu")


def build_model(namespace: dict, cls: str, kwargs: dict, seed: int = 0) -> nn.Module:
    """Instantiate the student's model class ``cls(**kwargs)`` after seeding torch with ``seed``."""
    torch.manual_seed(seed)
    with student_code():
        model = lookup(namespace, cls)(**kwargs)
    if not issubclass(type(model), nn.Module):
        raise ProbeError(f"{cls}(...) returned {type(model).__name__}, expected a torch.nn.Module")
    return model


def parameters_of(model: nn.Module) -> list[nn.Parameter]:
    """The model's parameters in definition order (as ``model.parameters()`` lists them), read
    from the modules' own registries, so that a class overriding ``parameters`` cannot forge them.
    """
    found: dict[int, nn.Parameter] = {}
    visited: set[int] = set()

    def visit(module: Any) -> None:
        if id(module) in visited:
            return
        visited.add(id(module))
        if not issubclass(type(module), nn.Module):
            raise ProbeError(f"the model holds a {type(module).__name__} among its sub-modules")
        state = object.__getattribute__(module, "__dict__")
        for param in dict.values(state["_parameters"]):
            if param is not None and type(param) is not nn.Parameter:
                raise ProbeError(
                    f"the model registers a {type(param).__name__} as a parameter, expected "
                    "torch.nn.Parameter"
                )
            if param is not None:
                found.setdefault(id(param), param)
        for child in dict.values(state["_modules"]):
            if child is not None:
                visit(child)

    visit(model)
    return list(found.values())


def trainable(model: nn.Module) -> list[nn.Parameter]:
    """The parameters the optimiser trains, in definition order."""
    return [p for p in parameters_of(model) if p.requires_grad]


def logits_of(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """The model's output on ``x``, which must be a plain tensor (a subclass could forge it)."""
    with student_code():
        output = model(x)
    if type(output) is not torch.Tensor:
        raise ProbeError(f"the model returned {type(output).__name__}, expected a torch.Tensor")
    return output


@probe
def parameter_shapes(namespace: dict, cls: str, kwargs: dict | None = None) -> list[list[int]]:
    """Shapes of the trainable parameters of ``cls(**kwargs)``."""
    return [list(p.shape) for p in trainable(build_model(namespace, cls, kwargs or {}))]


def load_by_shape(model: nn.Module, weights: list[np.ndarray]) -> None:
    """Copy reference ``weights`` into the model, matching tensors by shape in definition order.

    Any layer naming or ordering works; the parameter shapes must be those of the specification.
    """
    params = trainable(model)
    shapes = [tuple(p.shape) for p in params]
    expected = [tuple(w.shape) for w in weights]
    if sorted(shapes) != sorted(expected):
        raise ProbeError(
            f"the model's trainable parameter shapes are {shapes}; the specification needs "
            f"{expected}"
        )
    unused = list(range(len(params)))
    with torch.no_grad():
        for weight in weights:
            index = next(i for i in unused if shapes[i] == weight.shape)
            unused.remove(index)
            params[index].copy_(torch.from_numpy(np.asarray(weight)))


@probe
def forward(
    namespace: dict, cls: str, kwargs: dict, x: np.ndarray, weights: list[np.ndarray] | None = None
) -> torch.Tensor:
    """Outputs of ``cls(**kwargs)`` on input ``x`` in eval mode, with the reference ``weights``
    loaded if given."""
    model = build_model(namespace, cls, kwargs)
    if weights is not None:
        load_by_shape(model, weights)
    device = student_device(namespace)
    with student_code():
        model.to(device).eval()
    with torch.no_grad():
        return logits_of(model, torch.from_numpy(x).to(device))
