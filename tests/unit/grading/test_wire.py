"""Messages between judge and worker carry plain data only."""

from __future__ import annotations

import io

import numpy as np
import pytest
import torch

from grading.protocol import wire


def round_trip(value):
    return wire.decode(wire.encode(value))


def test_plain_values_and_containers_survive():
    value = [1, 2.5, "s", None, True, (1, [2]), {"a": 3}]
    assert round_trip(value) == value, f"expected {value}, got {round_trip(value)}"


def test_arrays_keep_dtype_and_values():
    for array in (
        np.arange(6).reshape(2, 3),
        np.linspace(0, 1, 4, dtype=np.float32),
        np.array([True, False]),
    ):
        back = round_trip(array)
        assert type(back) is np.ndarray and back.dtype == array.dtype, (
            f"expected {array.dtype}, got {back!r}"
        )
        np.testing.assert_array_equal(back, array)


def test_tensors_come_back_marked_as_tensors():
    back = round_trip(torch.ones(2, 3))
    assert isinstance(back, wire.TensorValue) and back.shape == (2, 3), (
        f"expected a (2, 3) TensorValue, got {back!r}"
    )


def test_objects_with_custom_equality_are_not_sent():
    class AlwaysEqual:
        def __eq__(self, other):
            return True

    back = round_trip(AlwaysEqual())
    assert isinstance(back, wire.Unsupported) and "AlwaysEqual" in back.type_name, f"got {back!r}"


def test_array_subclasses_become_plain_arrays():
    class Sneaky(np.ndarray):
        def __eq__(self, other):
            return np.ones(self.shape, dtype=bool)

    back = round_trip(np.zeros(3).view(Sneaky))
    assert type(back) is np.ndarray, f"expected a base ndarray, got {type(back)}"


def test_object_arrays_are_not_sent():
    assert isinstance(round_trip(np.array([object()])), wire.Unsupported), (
        "object arrays would need pickle"
    )


def test_frames_round_trip_and_report_eof():
    stream = io.BytesIO()
    wire.send(stream, {"ok": True})
    stream.seek(0)
    assert wire.receive(stream) == {"ok": True}, "the message should come back unchanged"
    with pytest.raises(EOFError):
        wire.receive(stream)
