"""Benchmark: the similarity report (``python -m grading.similarity``) on a class of 300 ex09
submissions.

On a temporary copy of the course, 300 students: each NumPy task's cell from one of the
similarity corpus's independent authors (``tests/support/similarity_corpus.py``), disguised with
names of the student's own, and each PyTorch task answered with the instructor's solution or left
as released, at random (seeded). The figure is the command's wall time, from its start to the
HTML and CSV written (the issue's target: under 2 minutes on a 2-core machine).

Used by ``tools/benchmark.py`` (``make benchmark``); alone:
``python tools/similarity_benchmark.py``.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import nbformat

from grading import COURSE_ROOT, course
from grading.similarity.cells import starter_code
from grading.submissions import fill, read, solution_sources

sys.path.insert(0, str(COURSE_ROOT / "tests"))  # the corpus is the similarity test's
from support.disguise import disguise  # noqa: E402
from support.similarity_corpus import AUTHORS, KEEP, TASKS  # noqa: E402

#: The assignment the corpus is written for.
ASSIGNMENT = "ex09"
STUDENTS = 300


def class_of(count: int, root: Path) -> None:
    """Put ``count`` submissions in ``root``'s ``submitted/``."""
    release = read(str(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"))
    solutions = solution_sources(read(str(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")))
    code_tasks = list(starter_code(release))
    rng, authors = random.Random(0), sorted(AUTHORS)
    for number in range(count):
        cells = {task: AUTHORS[rng.choice(authors)][task] for task in TASKS}
        cells = disguise(cells, KEEP, seed=number)
        cells |= {t: solutions[t] for t in code_tasks if t not in TASKS and rng.random() < 0.5}
        folder = root / "submitted" / f"student{number:03d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(fill(release, cells), str(folder / f"{ASSIGNMENT}.ipynb"))


def measure(count: int = STUDENTS) -> tuple[float, str]:
    """Seconds ``python -m grading.similarity`` takes on a class of ``count``, and what it
    printed."""
    with tempfile.TemporaryDirectory(prefix="similarity-benchmark-") as folder:
        root = course.copy_course(Path(folder) / "course")
        course.api(root).generate_assignment(ASSIGNMENT, force=True)
        class_of(count, root)
        started = time.monotonic()
        ran = subprocess.run(
            [sys.executable, "-m", "grading.similarity", ASSIGNMENT],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        return time.monotonic() - started, ran.stdout


def report(seconds: float, printed: str, say: Callable[[str], None]) -> None:
    """The benchmark's section of ``docs/PERFORMANCE.md``."""
    summary = next(line for line in printed.splitlines() if "pairs compared" in line)
    say(
        f"\n## {ASSIGNMENT}: similarity of {STUDENTS} submissions\n\n"
        f"`python -m grading.similarity {ASSIGNMENT}` on {STUDENTS} submissions (the similarity "
        "corpus's authors, each student's names their own; PyTorch tasks answered or not): "
        f"{seconds:.1f} s from start to report written (target: under 120 s). It said: "
        f'"{summary.strip()}"\n'
    )


if __name__ == "__main__":
    report(*measure(), print)
