"""Data-only messages between the judge and the student worker.

Values travel as JSON; arrays and tensors as ``.npy`` bytes read back with
``allow_pickle=False``. Nothing a student object defines (``__eq__``, ``__reduce__``, array
subclasses) survives the trip: the judge only ever sees plain Python values and base ndarrays.
"""

from __future__ import annotations

import base64
import io
import json
import struct
import sys
from typing import Any, BinaryIO

import numpy as np

#: Largest message accepted, in bytes (a guard against a flood from student code).
MAX_MESSAGE_BYTES = 256 * 1024 * 1024
_HEADER = struct.Struct(">Q")
#: ``type.__qualname__`` itself, which a class cannot override.
_TYPE_NAME = vars(type)["__qualname__"]


def _npy(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def encode(value: Any) -> Any:
    """Turn a value into JSON-able data; other objects become ``{"__unsupported__": type}``.

    Types are read with ``type()``, never ``isinstance``, so that no method a student object
    defines (a ``__class__`` property, say) runs while its value is read.
    """
    kind = type(value)
    if value is None or kind in (bool, int, float, str):
        return value
    if kind is np.bool_:
        return bool(value)
    torch = sys.modules.get("torch")
    if issubclass(kind, np.generic | np.ndarray):
        array = np.array(value, subok=False)
    elif torch is not None and kind in (torch.Tensor, torch.nn.Parameter):
        array = value.detach().cpu().numpy()
    else:
        array = None
    if array is not None and array.dtype.kind in "biuf":
        if issubclass(kind, np.generic):
            return {"__scalar__": _npy(array)}
        return {"__ndarray__" if issubclass(kind, np.ndarray) else "__tensor__": _npy(array)}
    if kind in (list, tuple):
        items = [encode(item) for item in value]
        return items if kind is list else {"__tuple__": items}
    if kind is dict and all(type(key) is str for key in value):
        return {"__dict__": {key: encode(item) for key, item in value.items()}}
    return {"__unsupported__": _TYPE_NAME.__get__(kind)}


class Unsupported:
    """Stands for a value the worker could not send (an arbitrary object)."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<object of type {self.type_name}>"


class TensorValue(np.ndarray):
    """A base ndarray that remembers it was a torch tensor in the student's process."""


def _load(text: str) -> np.ndarray:
    return np.load(io.BytesIO(base64.b64decode(text)), allow_pickle=False)


def decode(data: Any) -> Any:
    """Invert :func:`encode` (tensors come back as :class:`TensorValue` arrays)."""
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict):
        return data
    ((tag, payload),) = data.items()
    if tag == "__ndarray__":
        return _load(payload)
    if tag == "__scalar__":
        return _load(payload)[()]
    if tag == "__tensor__":
        return _load(payload).view(TensorValue)
    if tag == "__tuple__":
        return tuple(decode(item) for item in payload)
    if tag == "__dict__":
        return {key: decode(item) for key, item in payload.items()}
    if tag == "__unsupported__":
        return Unsupported(payload)
    raise ValueError(f"unknown wire tag {tag!r}")


def send(stream: BinaryIO, message: dict) -> None:
    """Write one length-prefixed JSON message."""
    body = json.dumps(message).encode("utf-8")
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def _read_exactly(stream: BinaryIO, size: int) -> bytes:
    """``size`` bytes from a buffered or raw stream (raw reads may return fewer)."""
    chunks, missing = [], size
    while missing:
        chunk = stream.read(missing)
        if not chunk:
            raise EOFError("the other process closed the channel")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def receive(stream: BinaryIO) -> dict:
    """Read one message written by :func:`send`; ``EOFError`` if the stream ended.

    Reads exactly one message, so that an unbuffered stream can be polled with ``select``.
    """
    (size,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    if size > MAX_MESSAGE_BYTES:
        raise ValueError(f"message of {size} bytes exceeds the limit of {MAX_MESSAGE_BYTES}")
    return json.loads(_read_exactly(stream, size))
