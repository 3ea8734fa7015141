"""The daily limit: hidden tests are not an oracle to hammer."""

from __future__ import annotations

#: The rolling window of the limit, in seconds.
WINDOW = 24 * 3600.0


def next_turn(graded: list[float], now: float, limit: int, window: float = WINDOW) -> float | None:
    """When (Unix time) the student's next submission may be graded, given when the earlier ones
    were (``graded``); None when one may be graded now (fewer than ``limit`` in the last
    ``window`` seconds, or no limit: 0)."""
    if limit == 0:
        return None
    recent = sorted(moment for moment in graded if moment > now - window)
    if len(recent) < limit:
        return None
    return recent[len(recent) - limit] + window
