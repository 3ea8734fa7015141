""":class:`grading.worker.integrity.Guard` in this process, on a tiny module: what its fast checks
see, and what the name-by-name restore puts back and reports."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from grading.worker.integrity import Guard

SOURCE = """
def scale(x, factor=2, *, offset=0):
    return x * factor + offset


class Model(metaclass=Meta):
    def forward(self, x):
        return scale(x)
"""


class Meta(type):
    """A metaclass outside the guarded module (a submission's, say)."""


@pytest.fixture
def guarded() -> Iterator[tuple[types.ModuleType, Guard]]:
    """A module ``tiny`` (see :data:`SOURCE`, its classes made by :class:`Meta`) and a guard
    snapshotted on it."""
    module = types.ModuleType("tiny")
    vars(module)["Meta"] = Meta
    exec(compile(SOURCE, "tiny.py", "exec"), vars(module))  # noqa: S102 - the test's own source
    del module.Meta
    sys.modules["tiny"] = module
    guard = Guard(("tiny",))
    guard.snapshot()
    yield module, guard
    del sys.modules["tiny"]


def test_an_untouched_module_restores_nothing(guarded):
    module, guard = guarded
    module.calls = 3  # data changes in normal use and is not guarded
    assert guard.restore() == [], "expected nothing to restore after a change of data"


@pytest.mark.parametrize(
    ("tamper", "reported"),
    [
        (lambda m: setattr(m.scale, "__defaults__", (0,)), "tiny.scale.__defaults__"),
        (lambda m: setattr(m.scale, "__kwdefaults__", {"offset": 9}), "tiny.scale.__kwdefaults__"),
        (lambda m: m.scale.__kwdefaults__.update(offset=9), "tiny.scale.__kwdefaults__"),
        (
            lambda m: setattr(m.scale, "__code__", (lambda x, f=1, *, offset=0: 0).__code__),
            "tiny.scale.__code__",
        ),
    ],
    ids=["defaults", "keyword_defaults_replaced", "keyword_defaults_edited", "code"],
)
def test_a_swap_inside_a_function_is_found_and_put_back(guarded, tamper, reported):
    module, guard = guarded
    tamper(module)
    assert guard.restore() == [reported], f"expected only {reported} to be restored"
    assert module.scale(3) == 6, f"expected the original scale(3) == 6, got {module.scale(3)}"


def test_a_slot_no_guard_covers_costs_a_check_but_is_not_reported(guarded):
    module, guard = guarded
    module.scale.__doc__ = "changed"
    vars(module.scale).setdefault("note", 1)  # makes the function's __dict__ on first use
    assert guard.restore() == [], "expected a docstring and a function attribute not reported"
    module.scale.__defaults__ = (5,)
    assert guard.restore() == ["tiny.scale.__defaults__"], "the next swap should still be found"


def test_behaviour_added_to_a_module_or_class_is_removed(guarded):
    module, guard = guarded
    module.__getattr__ = lambda name: print  # PEP 562: would answer every missing name
    module.Model.extra = lambda self: 0
    restored = guard.restore()
    assert restored == ["tiny.__getattr__", "tiny.Model.extra"], f"got {restored}"
    assert not hasattr(module, "__getattr__"), "expected the module's __getattr__ gone"


def test_restoring_a_class_runs_no_setattr_of_its_metaclass(guarded):
    module, guard = guarded
    ran = []
    module.Model.forward = lambda self, x: 0
    Meta.__setattr__ = lambda cls, name, value: ran.append(name)
    Meta.__delattr__ = lambda cls, name: ran.append(name)
    type.__setattr__(module.Model, "extra", print)
    try:
        restored = guard.restore()
    finally:
        del Meta.__setattr__, Meta.__delattr__
    assert restored == ["tiny.Model.extra", "tiny.Model.forward"], f"got {restored}"
    assert ran == [], f"expected the metaclass's methods not to run, they ran for {ran}"
    assert module.Model().forward(3) == 6, "expected the original forward back"
