"""Tripwires on library functions that a task asks the student to implement by hand.

The static check of the hidden tests (which names a solution cell mentions) misses a library call
reached indirectly: through an alias defined in another cell, ``getattr`` with a computed name, or
a library function that convolves internally. The worker therefore replaces each listed function,
everywhere it is bound in a loaded module, by a wrapper that records the call while a request is
:func:`watching` and student code is :func:`recording` (trusted code reached from student code,
such as a stand-in, pauses it); the aliases a submission makes later all point to the wrappers.
Which of the recorded calls cost the student credit is the judge's decision, per task.

The grader's own stand-ins are wired the same way under :data:`GRADER_CODE` names (see
:func:`grading.worker.probes.stand_in`): student code that reaches for one gets the grader's answer,
and that costs the task whatever it bans.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from sys import setprofile
from types import ModuleType
from typing import Any

#: Names of wired functions called since :func:`watching` began; ``None`` while not watching.
_calls: list[str] | None = None
#: Whether the code running now is the student's (see :func:`recording`).
_recording = False
#: The profile function to run while student code is recorded (see :func:`profiling`).
_profiler: Callable | None = None
#: Prefix of the recorded name of a call from student code into the grader's own code.
GRADER_CODE = "grader:"
#: Prefix of a banned name that is an aten operation (watched by :mod:`grading.worker.guards`).
ATEN = "aten::"
#: The wired functions' originals, by dotted name (see :func:`originals`).
_originals: dict[str, Callable] = {}


def resolve(dotted: str) -> Any:
    """The object called ``dotted`` (``"scipy.signal.convolve2d"``), importing its module."""
    module_name, _, attribute = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except ModuleNotFoundError:
        return getattr(resolve(module_name), attribute)


def wired(name: str, function: Callable) -> Callable:
    """``function``, recording ``name`` when student code calls it during a request."""

    def tripwire(*args: Any, **kwargs: Any) -> Any:
        if _recording:
            note(name)
        return function(*args, **kwargs)

    tripwire.__name__ = getattr(function, "__name__", name)
    tripwire.__qualname__ = getattr(function, "__qualname__", name)
    tripwire.__doc__ = function.__doc__
    return tripwire


def install(names: list[str]) -> None:
    """Wire each function in ``names``, replacing it in every loaded module that binds it."""
    wrappers = {}
    for name in names:
        if name.startswith(ATEN):
            continue  # an operation of PyTorch's dispatcher, watched by grading.worker.guards
        function = resolve(name)
        _originals[name] = function
        wrappers.setdefault(id(function), (function, wired(name, function)))
    for module in list(sys.modules.values()):
        if isinstance(module, ModuleType):
            namespace = vars(module)
            for attribute, value in list(namespace.items()):
                function, wrapper = wrappers.get(id(value), (None, None))
                if function is value:
                    namespace[attribute] = wrapper


def originals() -> dict[str, Callable]:
    """The original of each function :func:`install` wired, by dotted name."""
    return dict(_originals)


def recording_now() -> bool:
    """Whether student code runs now inside a request that is watched."""
    return _recording and _calls is not None


def note(name: str) -> None:
    """Record ``name`` as called in the current request (another watch found it)."""
    if _calls is not None:
        _calls.append(name)


@contextmanager
def watching() -> Iterator[list[str]]:
    """Record the wired functions called in the block, in the list this yields (outermost first,
    each name once)."""
    global _calls
    outer, mine = _calls, []
    _calls = mine
    called: list[str] = []
    try:
        yield called
    finally:
        replaced, _calls = _calls is not mine, outer
        if replaced:
            raise RuntimeError("the submission replaced the grader's record of library calls")
        called += list(dict.fromkeys(mine))


@contextmanager
def recording(on: bool) -> Iterator[None]:
    """Record wired calls in the block (``on``: student code runs) or not (trusted code runs)."""
    outer = _recording
    _set_recording(on)
    try:
        yield
    finally:
        _set_recording(outer)


def _set_recording(on: bool) -> None:
    """Start or stop recording, and the :func:`profiling` function with it: switched on before
    student code is recorded and off after, so that a guard refusing ``sys.setprofile`` to student
    code never refuses it to this module."""
    global _recording
    if on:
        setprofile(_profiler)
        _recording = True
    else:
        _recording = False
        setprofile(None)


@contextmanager
def profiling(function: Callable) -> Iterator[None]:
    """Within the block, ``function`` is the profile function (``sys.setprofile``) whenever student
    code is recorded, and only then: the grader's own code between calls pays nothing for it."""
    global _profiler
    _profiler = function
    try:
        yield
    finally:
        _profiler = None
        setprofile(None)
