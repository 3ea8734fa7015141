"""What a batch tells the grader: a progress line while it runs, one line per student at the end."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class Outcome:
    """One student's line of the batch summary."""

    student: str
    score: float | None = None
    max_score: float | None = None
    error: str = ""
    late_penalty: float = 0.0
    by_hand: float = 0.0  # points of written answers that wait for a grader

    def line(self) -> str:
        """``student  score / max  graded`` (the score after any late penalty, and the points
        still to grade by hand), or the reason it was not graded."""
        if self.error:
            return f"{self.student:<24} {'-':>13}  not graded: {self.error}"
        score = f"{self.score - self.late_penalty:g} / {self.max_score:g}"
        late = f" (late: {self.score:g} - {self.late_penalty:g})" if self.late_penalty else ""
        by_hand = f", {self.by_hand:g} points to grade by hand" if self.by_hand else ""
        return f"{self.student:<24} {score:>13}  graded{late}{by_hand}"


def print_summary(outcomes: list[Outcome], out: TextIO) -> None:
    """The summary table, one line per student in order of id."""
    print(f"\n{'student':<24} {'score':>13}  result", file=out)
    for outcome in sorted(outcomes, key=lambda o: o.student):
        print(outcome.line(), file=out)


class Progress:
    """A progress line with an estimate of the time left, on ``stream``."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.live = self.stream.isatty()

    def update(self, outcome: Outcome) -> None:
        """Count ``outcome`` and show the line again (in place on a terminal)."""
        self.done += 1
        self.failed += bool(outcome.error)
        elapsed = time.monotonic() - self.started
        left = elapsed / self.done * (self.total - self.done)
        width = 30
        bar = "#" * (width * self.done // self.total)
        text = (
            f"[{bar:<{width}}] {self.done}/{self.total} graded, {self.failed} failed, "
            f"{elapsed:.0f} s elapsed, about {left:.0f} s left"
        )
        if self.live:
            self.stream.write(f"\r{text}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{text} ({outcome.student})\n")
        self.stream.flush()
