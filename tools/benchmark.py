"""Benchmark: where one submission's grading time goes, and a batch graded serially and in parallel.

In one run, on a temporary copy of the course:

1. one submission of the solution notebook: the kernel (start, imports cell, the rest) and the
   judge (its start, each hidden module, the worker's start inside the first test), each started
   afresh as plain ``nbgrader autograde`` starts them, and the whole job through
   ``python -m grading.batch`` alone (two solutions graded one after the other: the first job
   starts the zygotes, the second is the figure for one submission);
2. a batch of 8 submissions (solutions, partial, wrong, one with an endless loop, as the
   assignment's ``samples.toml`` describes them): plain serial ``nbgrader autograde``, then
   ``grading.batch.command`` with 1 and with 2 jobs; marks must agree;
3. feedback on submit: from ``nbgrader submit`` to fetchable feedback with the feedback service
   running, idle and under a burst of 10 students (:mod:`feedback_latency`);
4. for ex09, the similarity report on a class of 300 (:mod:`similarity_benchmark`).

Prints the figures, one section per assignment, and writes them to ``docs/PERFORMANCE.md`` with
the machine they were taken on; the report's hand-written comparisons of revisions (from the
heading :data:`KEPT_HEADING` on) are kept. Usage: ``python tools/benchmark.py [--assignment ID
...]`` (default: every assignment; ``make benchmark``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import feedback_latency
import nbclient
import nbformat
import psutil
import similarity_benchmark

from grading import COURSE_ROOT, course
from grading.batch import command as batch
from grading.judge.run import preload, start_judge
from grading.pipeline.kernel import SandboxedKernelManager
from grading.pipeline.preprocessors.hidden_tests import submission_bundle
from grading.samples import plan
from grading.sandbox.bubblewrap import Sandbox
from grading.submissions import fill, grade_id, read, solution_sources

REPORT = COURSE_ROOT / "docs" / "PERFORMANCE.md"
#: Where the report's hand-written part starts (figures of two revisions taken the same day), which
#: a new run keeps below its own figures.
KEPT_HEADING = "## Comparisons between revisions"


def seconds(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def busy_cpu_seconds() -> float:
    """CPU seconds this machine's cores have spent running code since it started."""
    times = psutil.cpu_times()
    return times.user + times.nice + times.system + times.irq + times.softirq


class Course:
    """A released copy of the course in a temporary folder."""

    def __init__(self, folder: Path, assignment: str) -> None:
        self.root, self.assignment = course.copy_course(folder), assignment
        self.nbgrader("generate_assignment", assignment, "--force")
        coursedir = course.api(self.root).coursedir
        self.source = read(str(course.notebook_path(coursedir, "source", assignment)))
        self.release = read(str(course.notebook_path(coursedir, "release", assignment)))
        self.solutions = solution_sources(self.source)

    def nbgrader(self, *args: str) -> None:
        env = {key: value for key, value in os.environ.items() if key != "NBGRADER_EXECUTION"}
        scripts = str(Path(sys.executable).parent)  # nbgrader runs alembic from PATH
        env["PATH"] = os.pathsep.join([scripts, env.get("PATH", "")])
        nbgrader = str(Path(scripts) / "nbgrader")
        subprocess.run([nbgrader, *args], cwd=self.root, env=env, check=True, capture_output=True)

    def submit(self, student: str, cells: dict[str, str]) -> None:
        path = self.root / "submitted" / student / self.assignment / f"{self.assignment}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(fill(self.release, cells), str(path))

    def reset(self) -> None:
        """Forget every grade: remove the autograded folder and the students' gradebook rows."""
        shutil.rmtree(self.root / "autograde", ignore_errors=True)
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            for student in list(gradebook.students):
                gradebook.remove_student(student.id)

    def marks(self) -> dict[str, float]:
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            return {
                submission.student.id: submission.score
                for submission in gradebook.find_assignment(self.assignment).submissions
            }


def kernel_breakdown(submission: Course) -> dict[str, float]:
    """The solution notebook in the sandboxed kernel at the autograde budget, by phase."""
    folder = submission.root / "kernel-run"
    shutil.copytree(submission.root / "source" / submission.assignment, folder)
    notebook = fill(submission.release, submission.solutions)
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        kernel_manager_class=SandboxedKernelManager,
        resources={"metadata": {"path": str(folder)}},
    )
    times: dict[str, float] = defaultdict(float)
    try:
        started = time.perf_counter()
        with client.setup_kernel():
            times["kernel start"] = time.perf_counter() - started
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    phase = "imports cell" if grade_id(cell) == "imports" else "other cells"
                    times[phase] += seconds(lambda: client.execute_cell(cell, index))  # noqa: B023
    finally:
        del os.environ["NBGRADER_EXECUTION"]
    return dict(times)


def judge_breakdown(submission: Course) -> tuple[float, dict[str, float]]:
    """The hidden tests of the solution: the judge's wall time and the seconds of each module."""
    preload()
    config = course.load_config(submission.root).RunHiddenTests
    by_id = {grade_id(cell): cell for cell in submission.source.cells if grade_id(cell)}
    solution_ids = {i for i, cell in by_id.items() if cell.metadata.nbgrader.get("solution")}
    notebook = fill(submission.release, submission.solutions)
    bundle = submission_bundle(
        notebook, [by_id[cell_id].source for cell_id in config.preamble_cells], solution_ids
    )
    tests = Path(config.tests_directory) / submission.assignment
    modules = sorted(path.stem for path in tests.glob("test_*.py"))
    started = time.perf_counter()
    entries, _ = start_judge(
        bundle,
        tests=tests,
        modules=modules,
        task_timeout=60,
        task_wall_timeout=300,
        timeout=1800,
        sandbox=Sandbox(config=course.load_config(submission.root)),
    ).result()
    wall = time.perf_counter() - started
    per_module: dict[str, float] = defaultdict(float)
    for entry in entries:
        per_module[entry["module"]] += entry.get("seconds", 0.0)
    return wall, dict(per_module)


def graded(root: Path, assignment: str, **options) -> tuple[float, dict[str, float]]:
    """Run ``grading.batch.command`` quietly; return its wall time and each job's own seconds (and,
    as ``"recording"``, the coordinator's mean seconds to record one result)."""
    log = root / f"autograde-{assignment}.log"
    log.unlink(missing_ok=True)
    with contextlib.redirect_stderr(io.StringIO()):
        wall = seconds(
            lambda: batch.main(assignment=assignment, root=root, out=io.StringIO(), **options)
        )
    text = log.read_text()
    jobs = re.findall(r"^===== (\S+) \(.*?, ([\d.]+) s\)$", text, re.MULTILINE)
    recorded = [float(v) for v in re.findall(r"^===== recorded \S+ in ([\d.]+) s$", text, re.M)]
    figures = {student: float(value) for student, value in jobs}
    figures["recording"] = sum(recorded) / len(recorded)
    return wall, figures


def benchmark(assignment: str, say: Callable[[str], None]) -> dict[str, float]:
    """Benchmark ``assignment``, telling ``say`` each Markdown line; return the figures."""
    figures: dict[str, float] = {}
    sample_plan = plan(assignment)
    with tempfile.TemporaryDirectory(prefix="ex-benchmark-") as folder:
        submission = Course(Path(folder), assignment)
        say(f"## {assignment}: one submission of the solution notebook\n")
        say("| phase | seconds |\n|---|---:|")
        for phase, value in kernel_breakdown(submission).items():
            say(f"| kernel: {phase} | {value:.1f} |")
        wall, modules = judge_breakdown(submission)
        say(f"| judge: start (fork, collection) | {wall - sum(modules.values()):.1f} |")
        for module, value in sorted(modules.items(), key=lambda item: -item[1]):
            say(f"| judge: {module} | {value:.1f} |")
        say(f"| judge, in all | {wall:.1f} |")
        submission.submit("first", submission.solutions)
        submission.submit("second", submission.solutions)
        command, jobs = graded(submission.root, assignment, jobs=1)
        figures["one job"] = jobs["second"]
        say(
            "| **`grading.batch.command`, one submission alone** (kernel and judge side by side, "
            "on a "
            f"warm grading process) | **{jobs['second']:.1f}** |"
        )
        say(f"| the same, first job of a batch (its zygotes start) | {jobs['first']:.1f} |")
        say(
            f"| `grading.batch.command` command for both (cluster start, imports) | {command:.1f} |"
        )

        say(f"\n## {assignment}: a batch of 8 submissions\n")
        batch_of_8 = {
            "solution_1": {},
            "solution_2": {},
            "solution_3": {},
            "partial_1": None,
            "partial_2": None,
            "wrong_1": sample_plan.wrong_cells,
            "wrong_2": sample_plan.wrong_cells,
            "endless_loop": sample_plan.endless_cells,
        }
        shutil.rmtree(submission.root / "submitted")
        for student, changes in batch_of_8.items():
            cells = (
                {cell: submission.solutions[cell] for cell in sample_plan.partial_cells}
                if changes is None
                else {**submission.solutions, **changes}
            )
            submission.submit(student, cells)
        submission.reset()
        busy = busy_cpu_seconds()
        figures["serial"] = seconds(lambda: submission.nbgrader("autograde", assignment))
        serial_cores = (busy_cpu_seconds() - busy) / figures["serial"]
        serial_marks = submission.marks()
        runs, recording, endless = {}, 0.0, 0.0
        for jobs_count in (1, 2):
            submission.reset()
            runs[jobs_count], times = graded(submission.root, assignment, jobs=jobs_count)
            recording, endless = times["recording"], times["endless_loop"]
            if submission.marks() != serial_marks:
                raise AssertionError(
                    f"marks with {jobs_count} jobs {submission.marks()} differ from serial "
                    f"nbgrader's {serial_marks}"
                )
        figures["jobs 1"], figures["jobs 2"] = runs[1], runs[2]
        say("| how | seconds | vs serial |\n|---|---:|---:|")
        say(f"| serial `nbgrader autograde` | {figures['serial']:.1f} | 1.00 |")
        for jobs_count in (1, 2):
            value = runs[jobs_count]
            say(
                f"| `grading.batch.command --jobs {jobs_count}` | {value:.1f} | "
                f"{figures['serial'] / value:.2f}x |"
            )
        say(f"\nScaling from 1 to 2 jobs: {runs[1] / runs[2]:.2f}x. Marks equal serial: yes.")
        say(
            f"\nWhile serial `nbgrader autograde` ran, {serial_cores:.2f} cores were busy on "
            "average (its kernel and hidden tests run side by side), so on this machine parallel "
            f"jobs can add at most {(os.cpu_count() or 1) / serial_cores:.2f}x by using the idle "
            "cores; the rest of the gain is work saved per submission (zygotes, one fork server)."
        )
        say(
            f"\nThe submission with an endless loop held its job slot for {endless:.1f} s: its "
            "cell's CPU-time limit in the kernel (`SandboxedExecute.cell_cpu_limit`) and, side by "
            "side, the hidden module's CPU-time limit per call in the judge (`cpu_limit` marker; "
            "later calls of the same function fail at once)."
        )
        core_seconds = runs[2] * (os.cpu_count() or 1) / len(batch_of_8)
        estimate = 300 * max(core_seconds / 16, recording)
        say(
            f"\n## {assignment}: a 16-core server and 300 students\n\n"
            f"Here a submission of this mix costs {core_seconds:.1f} core-seconds (the batch of "
            f"8 with 2 jobs on {os.cpu_count()} cores), and the coordinator takes "
            f"{recording:.2f} s to record each result in the gradebook, one at a time, while the "
            f"jobs run. With 16 jobs, 300 students take about 300 x max({core_seconds:.1f} / 16, "
            f"{recording:.2f}) s = {estimate / 60:.0f} minutes. Grading is CPU-bound: one core "
            "per job, and the sandbox pins one math thread per process. Memory allows it: a job "
            "slot keeps two zygotes (about 0.75 GB resident each, torch imported) and runs a "
            "kernel, a judge and a worker, about 3 GB in all, so 16 jobs fit in 64 GB. The "
            "single gradebook writer keeps pace while it records a result faster than 16 jobs "
            "finish one; past that, more cores or machines (Dask) only help once "
            "recording gets faster.\n"
        )
    latency = feedback_latency.latencies(assignment)
    feedback_latency.report(assignment, latency, say)
    figures["feedback idle"], figures["feedback burst"] = latency["idle"], max(latency["burst"])
    if assignment == similarity_benchmark.ASSIGNMENT:
        figures["similarity"], printed = similarity_benchmark.measure()
        similarity_benchmark.report(figures["similarity"], printed, say)
    return figures


def main(*, assignments: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Benchmark ``assignments`` (default: every one), print the figures and write
    ``docs/PERFORMANCE.md``; return the figures by assignment."""
    lines: list[str] = []

    def say(text: str) -> None:
        print(text, flush=True)
        lines.append(text)

    figures = {name: benchmark(name, say) for name in assignments or course.assignments()}
    machine = f"{platform.node()}: {os.cpu_count()} cores, {platform.machine()}, Python "
    machine += f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    previous = REPORT.read_text(encoding="utf-8") if REPORT.exists() else ""
    kept = previous[previous.index(KEPT_HEADING) :] if KEPT_HEADING in previous else ""
    REPORT.write_text(
        "# Performance\n\nWritten by `make benchmark` (`tools/benchmark.py`); taken on "
        f"{machine}.\n\n" + "\n".join(lines) + "\n" + (f"\n{kept}" if kept else ""),
        encoding="utf-8",
    )
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", action="append", help="only this assignment (repeatable)")
    main(assignments=parser.parse_args().assignment)
