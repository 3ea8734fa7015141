"""The parallel grader (``python -m grading.batch``) grades as serial ``nbgrader autograde`` does:
on this machine, on a Dask cluster that loses a worker, on a busy machine, on a fresh course."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from grading.submissions import fill, solution_sources
from support.courses import Course, corpus_submissions
from support.paths import ASSIGNMENT, ROOT

#: Students of the graded batch that are also graded serially, one of each kind.
COMPARED = ("solution", "unchanged_release", "wrong_1", "alternative_a", "truncated")
#: A summary line of a graded student: ``student  score / max  graded...``.
GRADED_LINE = re.compile(r"\S+\s+\S+ / \S+\s+graded\b")
DASK_STUDENTS = ("solution", "wrong_1", "alternative_a", "unchanged_release")


def reports(course: Course, student: str) -> dict[str, str]:
    """The hidden-test report of each graded test cell of a student's autograded notebook."""
    path = course.root / "autograde" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    if not path.is_file():
        return {}
    cells = json.loads(path.read_text())["cells"]
    return {
        cell["metadata"]["nbgrader"]["grade_id"]: "".join(
            "".join(output.get("text", "")) for output in cell.get("outputs", [])
        )
        for cell in cells
        if cell["metadata"].get("nbgrader", {}).get("grade")
        and not cell["metadata"]["nbgrader"].get("solution")
    }


def assert_same_grading(course: Course, reference: Course, students) -> None:
    for student in students:
        assert course.scores(student) == reference.scores(student), (
            f"{student}: expected the serial marks {reference.scores(student)}, got "
            f"{course.scores(student)}"
        )
        assert reports(course, student) == reports(reference, student), (
            f"{student}: the hidden-test reports differ from serial nbgrader's"
        )


@pytest.fixture(scope="session")
def serial(tmp_path_factory, graded) -> Course:
    """Some students of the graded batch, graded by plain serial ``nbgrader autograde``."""
    course = Course(tmp_path_factory.mktemp("serial"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    batch = corpus_submissions(graded[0])
    for student in COMPARED:
        course.submit(student, batch[student])
    course.nbgrader("autograde", ASSIGNMENT, "--force", check=False)
    return course


def test_parallel_marks_and_reports_equal_serial_nbgraders(graded, serial):
    assert_same_grading(graded[0], serial, COMPARED)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dask_cluster(folder: Path):
    """A real ``distributed`` scheduler and two single-threaded workers on 127.0.0.1; yields the
    scheduler's address and the workers' processes by name."""
    address = f"tcp://127.0.0.1:{free_port()}"
    binary = Path(sys.executable).parent
    env = {**os.environ, "DASK_DISTRIBUTED__WORKER__DAEMON": "False"}
    logs = (folder / "dask.log").open("w")
    common = {"cwd": folder, "env": env, "stdout": logs, "stderr": logs}
    scheduler = subprocess.Popen(
        [
            binary / "dask",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            address.rsplit(":")[-1],
            "--no-dashboard",
        ],
        **common,
    )
    workers = {
        name: subprocess.Popen(
            [
                binary / "dask",
                "worker",
                address,
                "--name",
                name,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--memory-limit",
                "0",
            ],
            **common,
        )
        for name in ("worker-a", "worker-b")
    }
    try:
        from distributed import Client

        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=60)
        yield address, workers
    finally:
        for process in (*workers.values(), scheduler):
            process.kill()
            process.wait()
        logs.close()


def busy_worker(address: str) -> str | None:
    """The name of a worker that is running a grading job, if one is."""
    from distributed import Client

    with Client(address, timeout=30) as client:
        info = client.scheduler_info()["workers"]
        for worker_address, tasks in client.processing().items():
            if tasks:
                return info[worker_address]["name"]
    return None


@pytest.mark.slow
def test_a_dask_cluster_that_loses_a_worker_grades_like_serial_nbgrader(tmp_path, graded, serial):
    course = Course(tmp_path / "course")
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    batch = corpus_submissions(graded[0])
    for student in DASK_STUDENTS:
        course.submit(student, batch[student])
    with dask_cluster(tmp_path) as (address, workers):
        grader = subprocess.Popen(
            [sys.executable, "-m", "grading.batch", ASSIGNMENT, "--scheduler", address],
            cwd=course.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 120
        while (victim := busy_worker(address)) is None and time.monotonic() < deadline:
            time.sleep(0.5)
        assert victim is not None, "no worker took a grading job within 120 s"
        time.sleep(3)  # well into the job: its kernel and judge are running
        workers[victim].send_signal(signal.SIGKILL)
        output, _ = grader.communicate(timeout=900)
    assert grader.returncode == 0, f"the batch should grade everyone, it said:\n{output}"
    summary = [line.split()[0] for line in output.splitlines() if GRADED_LINE.match(line)]
    assert sorted(summary) == sorted(DASK_STUDENTS), (
        f"expected each student graded exactly once, got {summary}\n{output}"
    )
    assert_same_grading(course, serial, DASK_STUDENTS)


@contextmanager
def cpu_burners(count: int):
    """``count`` processes that each keep a core busy."""
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


@pytest.fixture(scope="session")
def busy_batch(tmp_path_factory, released_course):
    """A fresh course (never released, like a fresh clone) with honest submissions, graded by
    ``grading.batch.command`` while every core also runs a CPU burner, with a per-call limit of 10
    CPU seconds (the slowest call, training CNN, takes about 4 s of CPU time alone)."""
    course = Course(tmp_path_factory.mktemp("busy"))
    with open(course.root / "nbgrader_config.py", "a") as config:
        config.write("\nc.RunHiddenTests.task_timeout = 10.0\n")
    honest = fill(
        released_course.notebook("release"), solution_sources(released_course.notebook("source"))
    )
    for student in ("honest_1", "honest_2"):
        course.submit(student, honest)
    with cpu_burners(os.cpu_count() or 1):
        result = course.run(
            sys.executable,
            "-m",
            "grading.batch",
            ASSIGNMENT,
            "--jobs",
            str(os.cpu_count()),
            check=False,
        )
    return course, result


def test_a_fresh_course_is_registered_before_grading(busy_batch):
    course, result = busy_batch
    assert "registering it with nbgrader generate_assignment" in result.stdout, (
        f"expected the grader to say it registers the assignment, got:\n{result.stdout}"
    )
    assert result.returncode == 0, f"expected everyone graded, got:\n{result.stdout}"


def test_marks_on_a_saturated_machine_equal_the_idle_marks(busy_batch, serial):
    course, _ = busy_batch
    for student in ("honest_1", "honest_2"):
        assert course.scores(student) == serial.scores("solution"), (
            f"{student}: graded with every core busy, expected the idle machine's marks "
            f"{serial.scores('solution')}, got {course.scores(student)}"
        )


def test_the_class_report_ranks_tasks_and_hidden_tests(graded):
    course, result = graded
    with (course.root / f"report-{ASSIGNMENT}.csv").open() as file:
        rows = list(csv.DictReader(file))
    tasks = {row["task"] for row in rows if row["kind"] == "task"}
    expected = set(course.scores("solution")) | set(course.written_answers())
    assert tasks == expected, (
        f"expected one row per graded task and written answer {sorted(expected)}, got "
        f"{sorted(tasks)}"
    )
    tests = [row for row in rows if row["kind"] == "hidden test"]
    shares = [float(row["passed"]) for row in tests]
    assert shares and min(shares) < max(shares), (
        f"expected some hidden tests to be harder than others, got pass shares {shares}"
    )
    discriminating = [float(row["discrimination"]) for row in tests if row["discrimination"]]
    assert discriminating and max(discriminating) > 0, (
        f"expected hidden tests that separate the corpus's students, got {discriminating}"
    )
    flagged = {row["flag"] for row in tests if row["flag"]}
    assert flagged <= {"everyone passes", "no one passes", "negative discrimination"}, flagged
    png = course.root / f"report-{ASSIGNMENT}.png"
    assert png.is_file() and png.read_bytes()[:4] == b"\x89PNG", f"expected a PNG at {png}"
    (ROOT / "artifacts").mkdir(exist_ok=True)
    shutil.copy(png, ROOT / "artifacts" / "class_report.png")  # the README's picture
    assert "class report:" in result.stdout, "the batch should say where the report is"
