"""Benchmark: grading time of this checkout against another one (an earlier revision), in turns.

Each round grades the same batch (N solution notebooks of ASSIGNMENT, ``grading.batch.command --jobs
2`` on a temporary copy of each checkout's course) with both checkouts, the other first in odd
rounds and this one first in even rounds, and prints both wall times; the end prints the mean of
each and their ratio. Taking turns in one run keeps a busy machine from favouring either side. Each
checkout runs with its own ``.venv``: the sandboxed processes start ``python -I``, which finds the
``grading`` package through the environment's editable install, so a shared environment would run
one checkout's worker under the other's judge. Make the other with ``git worktree add /tmp/base
<revision> && make -C /tmp/base setup``.

Usage: ``python tools/side_by_side.py /tmp/base [--assignment ex09] [--students 6] [--rounds 2]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
from pathlib import Path

from grading import COURSE_ROOT

#: Run in a checkout (first on ``sys.path``): grade the batch, print the wall time in seconds.
GRADE = """
import sys, tempfile
from pathlib import Path
import benchmark
assignment, students = sys.argv[1], int(sys.argv[2])
with tempfile.TemporaryDirectory() as folder:
    course = benchmark.Course(Path(folder), assignment)
    for number in range(students):
        course.submit(f"student{number}", course.solutions)
    print(benchmark.graded(course.root, assignment, jobs=2)[0])
"""


def grading_seconds(checkout: Path, assignment: str, students: int) -> float:
    """Wall seconds ``checkout`` takes to grade the batch."""
    python = checkout / ".venv" / "bin" / "python"
    if not python.exists():
        raise SystemExit(f"{checkout} has no .venv: run `make -C {checkout} setup` first")
    done = subprocess.run(
        [str(python), "-c", GRADE, assignment, str(students)],
        cwd=checkout,
        env={**os.environ, "PYTHONPATH": str(checkout / "tools")},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.split()[-1])


def main(other: Path, assignment: str, students: int, rounds: int) -> float:
    """Print each round's figures; return this checkout's mean time over the other's."""
    times: dict[Path, list[float]] = {other: [], COURSE_ROOT: []}
    for number in range(1, rounds + 1):
        order = list(times) if number % 2 else list(reversed(times))  # ABBA: a trend hits both
        for checkout in order:
            times[checkout].append(grading_seconds(checkout, assignment, students))
            print(f"round {number}: {checkout}: {times[checkout][-1]:.1f} s", flush=True)
    theirs, ours = statistics.mean(times[other]), statistics.mean(times[COURSE_ROOT])
    print(
        f"{assignment}, {students} solutions, --jobs 2: {other} {theirs:.1f} s, this checkout "
        f"{ours:.1f} s, ratio {ours / theirs:.2f}"
    )
    return ours / theirs


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other checkout (a git worktree)")
    parser.add_argument("--assignment", default="ex09")
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    main(args.other.resolve(), args.assignment, args.students, args.rounds)
