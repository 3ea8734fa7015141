"""Benchmark: feedback on submit, from ``nbgrader submit`` returning to the feedback being
fetchable.

On a temporary copy of the course, with an exchange in a temporary folder, the feedback service
(``python -m grading.service ASSIGNMENT``, no daily limit) runs while simulated students submit the
solution notebook with nbgrader's own commands, each with a home of their own (root may submit
under any student id: ``nbgrader submit --student``): one student twice on an idle service (the
first submission starts the grading process and its zygotes), then 10 students at once. A figure
is the time from ``nbgrader submit`` returning to the page appearing in the exchange under the name
``nbgrader fetch_feedback`` looks for; each student then fetches it.

Used by ``tools/benchmark.py`` (``make benchmark``); alone: ``python tools/feedback_latency.py
ASSIGNMENT``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
from nbgrader.utils import notebook_hash

from grading import course
from grading.submissions import fill, read, solution_sources

COURSE_ID = "cnn-exercises"
#: Students submitting at once in the burst.
BURST = 10
#: Seconds a page may take before the benchmark gives up on it.
GIVE_UP = 600.0


class Hub:
    """A course copy with its own exchange, its service and simulated students."""

    def __init__(self, folder: Path, assignment: str) -> None:
        self.folder, self.assignment = folder, assignment
        self.exchange = folder / "exchange"
        self.exchange.mkdir(mode=0o777)
        self.root = course.copy_course(folder / "course")
        with (self.root / "nbgrader_config.py").open("a") as config:
            config.write(
                f"c.Exchange.root = {str(self.exchange)!r}\n"
                "c.FeedbackService.daily_limit = 0\n"
                "c.FeedbackService.poll_seconds = 1.0\n"
            )
        students = [f"student{number:02d}" for number in range(BURST + 1)]
        roster = self.root / "students.csv"
        roster.write_text("id\n" + "\n".join(students) + "\n")
        self.nbgrader(self.root, "generate_assignment", assignment, "--force")
        self.nbgrader(self.root, "db", "student", "import", str(roster))
        self.nbgrader(self.root, "release_assignment", assignment, "--force")
        source = course.notebook_path(course.api(self.root).coursedir, "source", assignment)
        self.solutions = solution_sources(read(str(source)))
        self.service: subprocess.Popen | None = None

    def nbgrader(self, cwd: Path, *args: str, home: Path | None = None) -> None:
        """``nbgrader ARGS`` in ``cwd`` (as a student whose home is ``home``)."""
        scripts = Path(sys.executable).parent
        env = {key: value for key, value in os.environ.items() if key != "NBGRADER_EXECUTION"}
        env["PATH"] = os.pathsep.join([str(scripts), env.get("PATH", "")])
        if home is not None:
            env["HOME"] = str(home)
            args = (*args, "--course", COURSE_ID, f"--Exchange.root={self.exchange}")
        subprocess.run(
            [str(scripts / "nbgrader"), *args], cwd=cwd, env=env, check=True, capture_output=True
        )

    def start_service(self) -> None:
        """Start the service and wait until it serves."""
        log = (self.folder / "service.log").open("ab")
        self.service = subprocess.Popen(
            [sys.executable, "-m", "grading.service", self.assignment],
            cwd=self.root,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + GIVE_UP
        while b" serving " not in (self.folder / "service.log").read_bytes():
            if time.monotonic() > deadline or self.service.poll() is not None:
                raise RuntimeError(f"the service did not start; see {self.folder / 'service.log'}")
            time.sleep(0.2)

    def stop_service(self) -> None:
        self.service.terminate()
        self.service.wait(timeout=120)

    def submit(self, student: str) -> float:
        """As ``student``: fetch (once), fill in the solution, submit; seconds until the
        feedback of that submission can be fetched. Then fetch it."""
        home = self.folder / "homes" / student
        notebook = home / self.assignment / f"{self.assignment}.ipynb"
        if not notebook.exists():
            home.mkdir(parents=True)
            self.nbgrader(home, "fetch_assignment", self.assignment, home=home)
        nbformat.write(fill(read(str(notebook)), self.solutions), str(notebook))
        self.nbgrader(home, "submit", self.assignment, f"--student={student}", home=home)
        submitted = time.monotonic()
        page = self._page(home, student)
        while not page.exists():
            if time.monotonic() - submitted > GIVE_UP:
                raise RuntimeError(f"no feedback for {student} within {GIVE_UP:g} s")
            time.sleep(0.1)
        waited = time.monotonic() - submitted
        self.nbgrader(home, "fetch_feedback", self.assignment, f"--student={student}", home=home)
        return waited

    def _page(self, home: Path, student: str) -> Path:
        """Where the feedback of the student's latest submission will appear in the exchange."""
        cache = home / ".local" / "share" / "jupyter" / "nbgrader_cache" / COURSE_ID
        latest = max(cache.glob(f"{student}+{self.assignment}+*"))
        secret = (latest / "submission_secret.txt").read_text()
        name = notebook_hash(secret=secret, notebook_id=self.assignment)
        return self.exchange / COURSE_ID / "feedback" / f"{name}.html"


def latencies(assignment: str) -> dict[str, float | list[float]]:
    """Seconds from submit to fetchable feedback: the first and the second submission on an idle
    service, and each of a burst of :data:`BURST` students submitting at once."""
    with tempfile.TemporaryDirectory(prefix="ex-feedback-") as folder:
        Path(folder).chmod(0o755)
        hub = Hub(Path(folder), assignment)
        hub.start_service()
        try:
            first = hub.submit("student00")
            second = hub.submit("student00")
            students = [f"student{number:02d}" for number in range(1, BURST + 1)]
            with ThreadPoolExecutor(max_workers=BURST) as pool:
                burst = list(pool.map(hub.submit, students))
        finally:
            hub.stop_service()
            shutil.rmtree(Path(folder) / "homes", ignore_errors=True)
    return {"first": first, "idle": second, "burst": burst}


def report(assignment: str, figures: dict, say) -> None:
    """The figures as a Markdown section, told to ``say``."""
    burst = figures["burst"]
    say(f"\n## {assignment}: feedback on submit\n")
    say("| from `nbgrader submit` to fetchable feedback | seconds |\n|---|---:|")
    say(f"| first submission after the service started (zygotes start) | {figures['first']:.1f} |")
    say(f"| **a submission on an idle service** | **{figures['idle']:.1f}** |")
    say(f"| a burst of {len(burst)} students at once: median | {statistics.median(burst):.1f} |")
    say(f"| the same: the last one answered | {max(burst):.1f} |\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    name = parser.parse_args().assignment
    report(name, latencies(name), print)
