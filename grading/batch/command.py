"""Grade a whole class: every submission of an assignment as a job of its own, in parallel.

Each submission is autograded by a grading job (:mod:`grading.batch.job`) on a Dask cluster: a local
one (worker threads in this process running ``--jobs`` jobs at a time, default one per core), or an
existing cluster (``--scheduler tcp://HOST:8786``) whose workers have the course checkout at the
same path. Jobs return the autograded notebooks as data; this process alone writes the gradebook,
by replaying each result through nbgrader's own autograde pipeline (:mod:`grading.pipeline.replay`),
so marks, reports, feedback, export and formgrader are those of a serial ``nbgrader autograde``. A
job that fails, hangs past its limit or loses its worker costs only its own student, who is
reported; running the command again grades only the students not graded yet, or whose submission was
collected again since (``--force`` regrades everyone).

Usage: ``python -m grading.batch ASSIGNMENT [--jobs N] [--student ID ...] [--scheduler ADDRESS]
[--force]`` in the course root (``make autograde``).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sqlite3
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TextIO

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import parse_utc

from grading import course
from grading.batch import report
from grading.batch.intake import intake
from grading.batch.job import Job, JobResult, reason, run
from grading.pipeline.replay import replay_preprocessors

#: Seconds a job may take on top of the hidden tests' own limit (nbgrader, the kernel's start).
JOB_MARGIN = 300.0


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


def registered(coursedir: CourseDirectory, assignment: str) -> bool:
    """Whether the gradebook knows the assignment (``nbgrader generate_assignment`` ran)."""
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        try:
            gradebook.find_assignment(assignment)
        except MissingEntry:
            return False
    return True


def template_gradebook(coursedir: CourseDirectory, folder: Path) -> bytes:
    """The course's gradebook with no student in it: what a job needs to autograde."""
    path = folder / "template.db"
    shutil.copy(coursedir.db_url.removeprefix("sqlite:///"), path)
    with Gradebook(f"sqlite:///{path}", coursedir.course_id) as gradebook:
        for student in list(gradebook.students):
            gradebook.remove_student(student.id)
    with sqlite3.connect(path) as connection:
        connection.execute("VACUUM")
    return path.read_bytes()


def submission_folder(coursedir: CourseDirectory, assignment: str, student: str) -> Path:
    return Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))


def submitted_students(coursedir: CourseDirectory, assignment: str) -> list[str]:
    """Students with a submission folder for ``assignment``."""
    root = Path(coursedir.root) / coursedir.submitted_directory
    return sorted(path.name for path in root.glob("*") if (path / assignment).is_dir())


def submitted_at(folder: Path) -> datetime | None:
    """When the submission in ``folder`` was made (its ``timestamp.txt``, as nbgrader reads it:
    naive UTC), or None without a readable one."""
    try:
        return parse_utc((folder / "timestamp.txt").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError, ValueError, OverflowError):
        return None


def is_graded(
    coursedir: CourseDirectory, gradebook: Gradebook, assignment: str, student: str
) -> bool:
    """Whether the student's current submission is graded: the gradebook has it, with the time of
    the submitted folder (a resubmission collected since then is not graded yet), and its
    autograded notebooks exist."""
    folder = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    try:
        submission = gradebook.find_submission(assignment, student)
    except MissingEntry:
        return False
    current = submitted_at(submission_folder(coursedir, assignment, student))
    return submission.timestamp == current and any(folder.glob("*.ipynb"))


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a submission folder, by path relative to it."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


class Progress:
    """A progress line with an estimate of the time left, on ``stream``."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total, self.done, self.failed = total, 0, 0
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.live = self.stream.isatty()

    def update(self, outcome: Outcome) -> None:
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


def cluster(scheduler: str | None, jobs: int):
    """A Dask client on the cluster at ``scheduler``, or on a local cluster of ``jobs`` worker
    threads in this process; also the local cluster (``None`` for a remote one).

    Jobs spend their time waiting for their grading process, so threads of this process serve them
    all (no worker process to start), and one fork server (:mod:`grading.batch.job`) imports
    nbgrader and torch once, not per job.
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    # The worker's statistical profiler, sampling every 10 ms, would only cost the jobs CPU time.
    dask.config.set({"distributed.worker.profile.enabled": False})
    local = LocalCluster(
        n_workers=1,
        threads_per_worker=jobs,
        processes=False,
        dashboard_address=None,
        memory_limit=0,  # the sandbox caps student code's memory
        silence_logs=logging.WARNING,
    )
    return Client(local), local


def replay(api, results: Path, assignment: str, result: JobResult) -> Outcome:
    """Record a job's verdict as nbgrader's: run its autograde pipeline with
    :class:`grading.pipeline.replay.ReplayResults` on the submission, which writes the gradebook and
    the autograded folder, or fails as the job's nbgrader failed (an unreadable notebook, say)."""
    folder = results / result.student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in result.notebooks.items():
        (folder / f"{name}.ipynb").write_bytes(content)
    replayed = api.autograde(assignment, result.student, force=True)
    if not replayed["success"]:
        return Outcome(result.student, error=result.error or reason(replayed))
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gradebook:
        submission = gradebook.find_submission(assignment, result.student)
        return Outcome(
            result.student,
            submission.score,
            submission.max_score,
            late_penalty=submission.late_submission_penalty,
            by_hand=sum(
                grade.max_score
                for notebook in submission.notebooks
                for grade in notebook.grades
                if grade.auto_score is None and grade.manual_score is None
            ),
        )


def main(
    *,
    assignment: str,
    jobs: int | None = None,
    students: Iterable[str] = (),
    scheduler: str | None = None,
    force: bool = False,
    root: Path = course.COURSE_ROOT,
    out: TextIO | None = None,
) -> int:
    """Grade the submissions of ``assignment``; return 0 when every one was graded.

    Args:
        assignment: the assignment id.
        jobs: parallel jobs on this machine (default: one per core); ignored with ``scheduler``.
        students: grade only these students (default: everyone with a submission).
        scheduler: address of an existing Dask scheduler to send the jobs to.
        force: regrade students who are graded already.
        root: the course root.
        out: where the summary goes (default stdout; progress goes to stderr).
    """
    out = out or sys.stdout
    warnings.filterwarnings("ignore", module="nbgrader.api")  # SQLAlchemy warnings
    config = course.load_config(root)
    coursedir = CourseDirectory(config=config)
    log_path = Path(coursedir.root) / f"autograde-{assignment}.log"
    if not registered(coursedir, assignment):
        print(
            f"{assignment} is not in the gradebook yet: registering it with nbgrader "
            f"generate_assignment {assignment}",
            file=out,
            flush=True,
        )
        released = course.api(root).generate_assignment(assignment, force=True)
        if not released["success"]:
            print(
                f"nbgrader generate_assignment {assignment} failed:\n{released.get('error')}",
                file=out,
            )
            return 2
    for message in intake(Path(coursedir.root), assignment):
        print(message, file=out)
    wanted = set(students)
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        pending = [
            student
            for student in submitted_students(coursedir, assignment)
            if (not wanted or student in wanted)
            and (force or not is_graded(coursedir, gradebook, assignment, student))
        ]
    unknown = sorted(wanted - set(submitted_students(coursedir, assignment)))
    outcomes = [Outcome(s, error="no submission folder") for s in unknown]
    if not pending:
        print("nothing to grade (every submission is graded; --force regrades)", file=out)
        return 1 if outcomes else 0

    timeout = config.RunHiddenTests.get("judge_timeout", 1800.0) + JOB_MARGIN
    with tempfile.TemporaryDirectory(prefix="grading-batch-") as scratch, log_path.open("a") as log:
        template = template_gradebook(coursedir, Path(scratch))
        replay_config = course.load_config(root)
        replay_config.Autograde.autograde_preprocessors = replay_preprocessors()
        replay_config.ReplayResults.results_directory = str(Path(scratch) / "results")
        api = course.api(root, replay_config)
        client, local = cluster(scheduler, jobs or os.cpu_count() or 1)
        try:
            from distributed import as_completed

            futures = [
                client.submit(
                    run,
                    Job(
                        course_root=str(Path(coursedir.root).resolve()),
                        assignment=assignment,
                        student=student,
                        files=files_of(submission_folder(coursedir, assignment, student)),
                        gradebook=template,
                        timeout=timeout,
                    ),
                    key=f"autograde-{assignment}-{student}-{time.time_ns()}",
                    pure=False,
                )
                for student in pending
            ]
            students_of = dict(zip(futures, pending, strict=True))
            progress = Progress(len(futures))
            for future in as_completed(futures):
                student = students_of[future]
                try:
                    result = future.result()
                except Exception as error:  # noqa: BLE001 - a lost job costs only its student
                    result = JobResult(
                        student,
                        graded=False,
                        lost=True,
                        error=f"{type(error).__name__}: {error}".strip()[:200],
                    )
                log.write(
                    f"===== {student} ({result.host}, {result.seconds:.1f} s)\n{result.log}\n"
                )
                recording = time.monotonic()
                outcome = (
                    Outcome(student, error=result.error)
                    if result.lost
                    else replay(api, Path(scratch) / "results", assignment, result)
                )
                log.write(f"===== recorded {student} in {time.monotonic() - recording:.2f} s\n")
                outcomes.append(outcome)
                progress.update(outcome)
        finally:
            client.close()
            if local is not None:
                local.close()
    print(f"\n{'student':<24} {'score':>13}  result", file=out)
    for outcome in sorted(outcomes, key=lambda o: o.student):
        print(outcome.line(), file=out)
    if any(not o.error for o in outcomes):
        written = report.main(assignment=assignment, root=root)
        print(f"\nclass report: {' and '.join(map(str, written))}", file=out)
    print(f"nbgrader's and the kernels' log: {log_path}", file=out)
    return 1 if any(o.error for o in outcomes) else 0


def cli() -> None:
    """``python -m grading.batch ASSIGNMENT [--jobs N] [--student S] [--scheduler ADDRESS]``."""
    parser = argparse.ArgumentParser(
        prog="python -m grading.batch", description=__doc__.splitlines()[0]
    )
    parser.add_argument("assignment", help="assignment id")
    parser.add_argument("--jobs", type=int, help="parallel jobs on this machine (default: cores)")
    parser.add_argument("--student", action="append", default=[], help="grade only this student")
    parser.add_argument("--scheduler", help="address of a Dask scheduler (tcp://HOST:8786)")
    parser.add_argument("--force", action="store_true", help="regrade graded students too")
    args = parser.parse_args()
    sys.exit(
        main(
            assignment=args.assignment,
            jobs=args.jobs,
            students=args.student,
            scheduler=args.scheduler,
            force=args.force,
            root=Path.cwd(),
        )
    )


if __name__ == "__main__":
    cli()
