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

Regrading students who are graded already writes ``regrade-<assignment>-<time>.csv`` (their old
and new marks, :mod:`grading.batch.regrade`) and names those whose marks moved; ``--keep-higher``
keeps each task's earlier score where the new one is lower.

Usage: ``python -m grading.batch ASSIGNMENT [--jobs N] [--student ID ...] [--scheduler ADDRESS]
[--force] [--keep-higher]`` in the course root (``make autograde``).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from grading import course
from grading.batch import regrade, report
from grading.batch.cluster import cluster
from grading.batch.intake import intake
from grading.batch.job import Job, JobResult, run
from grading.batch.recording import Recorder
from grading.batch.selection import (
    graded_students,
    job_timeout,
    jobs_for,
    pending_students,
    registered,
    submitted_students,
    template_gradebook,
)
from grading.batch.summary import Outcome, Progress, print_summary
from grading.gradebook_lock import refusal

if TYPE_CHECKING:
    from distributed import Client


def register(root: Path, coursedir: CourseDirectory, assignment: str, out: TextIO) -> bool:
    """Make sure the gradebook knows ``assignment``, registering it with ``nbgrader
    generate_assignment`` if not; False (said on ``out``) when that failed."""
    if registered(coursedir, assignment):
        return True
    print(
        f"{assignment} is not in the gradebook yet: registering it with nbgrader "
        f"generate_assignment {assignment}",
        file=out,
        flush=True,
    )
    released = course.api(root).generate_assignment(assignment, force=True)
    if not released["success"]:
        print(
            f"nbgrader generate_assignment {assignment} failed:\n{released.get('error')}", file=out
        )
    return bool(released["success"])


def grade(client: Client, jobs: list[Job], recorder: Recorder, log: TextIO) -> list[Outcome]:
    """Run ``jobs`` on the cluster and record each result as it comes (one at a time: this
    process alone writes the gradebook); each student's outcome, in order of completion. A job
    that raised or lost its worker costs only its student. nbgrader's log of each job goes to
    ``log``."""
    from distributed import as_completed

    futures = {
        client.submit(
            run, job, key=f"autograde-{job.assignment}-{job.student}-{time.time_ns()}", pure=False
        ): job
        for job in jobs
    }
    progress = Progress(len(futures))
    outcomes = []
    for future in as_completed(list(futures)):
        job = futures[future]
        try:
            result = future.result()
        except Exception as error:  # noqa: BLE001 - a lost job costs only its student
            result = JobResult.without_verdict(
                job.student, f"{type(error).__name__}: {error}".strip()[:200]
            )
        log.write(f"===== {job.student} ({result.host}, {result.seconds:.1f} s)\n{result.log}\n")
        recording = time.monotonic()
        outcome = recorder.record(job.assignment, result)
        log.write(f"===== recorded {job.student} in {time.monotonic() - recording:.2f} s\n")
        outcomes.append(outcome)
        progress.update(outcome)
    return outcomes


def report_regrade(
    coursedir: CourseDirectory,
    config: Config,
    assignment: str,
    before: dict[str, regrade.Marks],
    keep: bool,
    out: TextIO,
) -> None:
    """After a batch that regraded graded students (their marks ``before`` it): with ``keep``,
    put back each task's earlier score where the new one is lower; write
    ``regrade-<assignment>-<time>.csv`` and say whose marks moved."""
    regraded = regrade.snapshot(coursedir, assignment, list(before))
    kept = regrade.keep_higher(coursedir, config, assignment, before) if keep else {}
    recorded = regrade.snapshot(coursedir, assignment, list(before)) if kept else regraded
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = Path(coursedir.root) / f"regrade-{assignment}-{stamp}.csv"
    regrade.write_diff(path, before, regraded, recorded, kept)
    moved = regrade.moved(before, regraded)
    print(f"\nregraded {len(before)} graded student(s); marks moved for {len(moved)}", file=out)
    for student in moved:
        what = regrade.changes(before[student], regraded[student], kept.get(student, []))
        print(f"  {student}: {what}", file=out)
    if kept:
        tasks = sum(map(len, kept.values()))
        print(
            f"--keep-higher kept the earlier score of {tasks} task(s) of {len(kept)} student(s)",
            file=out,
        )
    print(f"old and new marks: {path}", file=out)


def main(
    *,
    assignment: str,
    jobs: int | None = None,
    students: Iterable[str] = (),
    scheduler: str | None = None,
    force: bool = False,
    keep_higher: bool = False,
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
        keep_higher: where a regrade lowers a task's score, keep the earlier one.
        root: the course root.
        out: where the summary goes (default stdout; progress goes to stderr).
    """
    out = out or sys.stdout
    warnings.filterwarnings("ignore", module="nbgrader.api")  # SQLAlchemy warnings
    if why := refusal(root, "grading.batch"):
        print(why, file=out)
        return 2
    config = course.load_config(root)
    coursedir = CourseDirectory(config=config)
    if not register(root, coursedir, assignment, out):
        return 2
    for message in intake(Path(coursedir.root), assignment):
        print(message, file=out)
    wanted = set(students)
    pending = pending_students(coursedir, assignment, wanted, force)
    unknown = sorted(wanted - set(submitted_students(coursedir, assignment)))
    outcomes = [Outcome(student, error="no submission folder") for student in unknown]
    if not pending:
        print("nothing to grade (every submission is graded; --force regrades)", file=out)
        return 1 if outcomes else 0

    before = regrade.snapshot(
        coursedir, assignment, graded_students(coursedir, assignment, pending)
    )
    log_path = Path(coursedir.root) / f"autograde-{assignment}.log"
    with tempfile.TemporaryDirectory(prefix="grading-batch-") as scratch, log_path.open("a") as log:
        template = template_gradebook(coursedir, Path(scratch))
        batch = jobs_for(coursedir, assignment, pending, template, job_timeout(config))
        recorder = Recorder(root, Path(scratch))
        client, local = cluster(scheduler, jobs or os.cpu_count() or 1)
        try:
            outcomes += grade(client, batch, recorder, log)
        finally:
            client.close()
            if local is not None:
                local.close()
    print_summary(outcomes, out)
    if before:
        report_regrade(coursedir, config, assignment, before, keep_higher, out)
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
    parser.add_argument(
        "--keep-higher",
        action="store_true",
        help="where a regrade lowers a task's score, keep the earlier one",
    )
    args = parser.parse_args()
    sys.exit(
        main(
            assignment=args.assignment,
            jobs=args.jobs,
            students=args.student,
            scheduler=args.scheduler,
            force=args.force,
            keep_higher=args.keep_higher,
            root=Path.cwd(),
        )
    )


if __name__ == "__main__":
    cli()
