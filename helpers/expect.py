"""Assertions whose messages say what was expected, what came instead, and what to look at.

Used by the public checks (:mod:`helpers.checks`, :mod:`helpers.checks_ex10`) and by the hidden
tests, which run them in the judge on plain data, so a student's object never takes part in a
comparison.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


def passed(name: str, hidden: str = "") -> None:
    """Tell the student that ``name`` passed its public checks and, in one more line, which
    further cases the hidden tests try (``hidden``), so they know what else to test."""
    verb = "pass" if " and " in name else "passes"
    print(f"\u2714 {name} {verb} the public checks.")
    if hidden:
        print(f"  The hidden tests also try {hidden}.")


def short(value: Any, limit: int = 160) -> str:
    """A one-line, length-limited repr for messages."""
    text = (
        np.array2string(value, precision=4, threshold=12)
        if isinstance(value, np.ndarray)
        else repr(value)
    )
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def expect_array(
    result: Any,
    expected: np.ndarray,
    *,
    what: str,
    kind: str = "f",
    dtype: str = "",
    hint: str = "",
    rtol: float = 1e-7,
    atol: float = 1e-9,
) -> None:
    """Assert ``result`` is a NumPy array of ``expected``'s shape, of dtype kind ``kind``
    (``"f"`` float, ``"b"`` bool) or exactly ``dtype`` when given (``"float64"``), and equal to
    ``expected`` within tolerance."""
    hint = f": {hint}" if hint else ""
    if type(result) is not np.ndarray:
        raise AssertionError(f"{what}: expected a NumPy array, got {short(result)}{hint}")
    if result.shape != expected.shape:
        raise AssertionError(f"{what}: expected shape {expected.shape}, got {result.shape}{hint}")
    if result.dtype.kind != kind:
        names = {"f": "a float", "b": "a boolean"}
        raise AssertionError(
            f"{what}: expected {names[kind]} array, got dtype {result.dtype}{hint}"
        )
    if dtype and result.dtype != np.dtype(dtype):
        raise AssertionError(
            f"{what}: expected a {dtype} array, got dtype {result.dtype}: convert with "
            f".astype(np.{dtype}) (or build the result with np.zeros(..., dtype=np.{dtype}))"
        )
    if kind == "b":
        wrong = np.flatnonzero(result != expected)
    else:
        wrong = np.flatnonzero(~np.isclose(result, expected, rtol=rtol, atol=atol))
    if wrong.size:
        index = np.unravel_index(wrong[0], expected.shape)
        raise AssertionError(
            f"{what}: {wrong.size} of {expected.size} values differ; at index "
            f"{tuple(map(int, index))} expected "
            f"{expected[index]:.6g}, got {result[index]:.6g}{hint}\n  expected "
            f"{short(expected)}\n  got      {short(result)}"
        )


def expect_unchanged(before: list[np.ndarray], after: tuple, *, what: str) -> None:
    """Assert the arguments a function received are unchanged after the call."""
    for position, (original, now) in enumerate(zip(before, after, strict=True)):
        if (
            not isinstance(now, np.ndarray)
            or now.shape != original.shape
            or not np.array_equal(now, original)
        ):
            raise AssertionError(
                f"{what} changed its argument {position + 1} in place (expected {short(original)}, "
                f"found {short(now)} after the call): work on a copy"
            )


def expect_int(
    result: Any, expected: int, *, what: str, hint: str = "", numpy_ok: bool = False
) -> None:
    """Assert ``result`` is a Python ``int`` (or, with ``numpy_ok``, a NumPy integer; never a
    float or a bool) equal to ``expected``."""
    types = (int, np.integer) if numpy_ok else (int,)
    if not isinstance(result, types) or isinstance(result, bool):
        kind = "an int" if numpy_ok else "a Python int"
        raise AssertionError(
            f"{what}: expected {kind} ({expected}), got {type(result).__name__} "
            f"{short(result)}: use // for whole-number division, or int(...)"
        )
    expect_equal(result, expected, what=what, hint=hint)


def call(function: Callable, *args: Any, **kwargs: Any) -> Any:
    """``function(*args, **kwargs)``, asserting that it left its array arguments unchanged."""
    before = [np.copy(a) for a in args if isinstance(a, np.ndarray)]
    result = function(*args, **kwargs)
    after = tuple(a for a in args if isinstance(a, np.ndarray))
    expect_unchanged(before, after, what=getattr(function, "__name__", "the function"))
    return result


def expect_equal(result: Any, expected: Any, *, what: str, hint: str = "") -> None:
    """Assert two plain values are equal (exact types: int, float, str, bool)."""
    if type(result) not in (int, float, bool, str, np.int64, np.float64) or result != expected:
        raise AssertionError(
            f"{what}: expected {short(expected)}, got {short(result)}"
            + (f": {hint}" if hint else "")
        )
