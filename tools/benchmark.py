"""Benchmark: autograde wall time per submission, and the notebook at full budget, in one run.

Builds a temporary copy of the course, releases it, autogrades N copies of the instructor's
solution with ``nbgrader autograde`` (kernel execution at the autograde budget plus the hidden
tests), times the hidden tests alone on the same solution, and executes the source notebook as
written (full training budget) with nbclient. Prints the figures and their ratios.

Usage: ``python tools/benchmark.py [--assignment ex09] [--submissions 3]`` (``make benchmark``).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbclient
import nbformat

from grading import course
from grading.judge import judge
from grading.preprocessors import RunHiddenTests, submission_bundle
from grading.submissions import fill, grade_id, read, solution_sources


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main(*, assignment: str = "ex09", submissions: int = 3) -> dict[str, float]:
    """Run the benchmark and print it; return the measured seconds."""
    with tempfile.TemporaryDirectory(prefix="ex-benchmark-") as folder:
        root = course.copy_course(Path(folder))
        env = {
            **os.environ,
            "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        }
        env.pop("NBGRADER_EXECUTION", None)
        nbgrader = [str(Path(sys.executable).parent / "nbgrader")]
        subprocess.run(
            [*nbgrader, "generate_assignment", assignment, "--force"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        coursedir = course.api(root).coursedir
        source = read(str(course.notebook_path(coursedir, "source", assignment)))
        solution = fill(
            read(str(course.notebook_path(coursedir, "release", assignment))),
            solution_sources(source),
        )
        for index in range(submissions):
            path = course.notebook_path(
                coursedir, "submitted", assignment, student=f"student{index}"
            )
            path.parent.mkdir(parents=True)
            nbformat.write(solution, str(path))
        autograde = timed(
            lambda: subprocess.run(
                [*nbgrader, "autograde", assignment, "--force"],
                cwd=root,
                env=env,
                check=True,
                capture_output=True,
            )
        )

        config = course.load_config(root).RunHiddenTests
        by_id = {grade_id(cell): cell for cell in source.cells if grade_id(cell)}
        solution_ids = {
            cell_id for cell_id, cell in by_id.items() if cell.metadata.nbgrader.get("solution")
        }
        bundle = submission_bundle(
            solution, [by_id[cell_id].source for cell_id in config.preamble_cells], solution_ids
        )
        modules = sorted(
            p.stem for p in (Path(config.tests_directory) / assignment).glob("test_*.py")
        )
        hidden = timed(
            lambda: judge(
                bundle,
                tests=Path(config.tests_directory) / assignment,
                modules=modules,
                task_timeout=RunHiddenTests.task_timeout.default_value,
                timeout=1800,
            )
        )

        notebook_dir = course.notebook_path(coursedir, "source", assignment).parent
        notebook = read(str(notebook_dir / f"{assignment}.ipynb"))
        client = nbclient.NotebookClient(
            notebook, timeout=1800, resources={"metadata": {"path": str(notebook_dir)}}
        )
        full = timed(client.execute)

    per_submission = autograde / submissions
    print(f"autograde, per submission ({submissions} submissions, CPU):   {per_submission:7.1f} s")
    print(f"hidden tests alone (the judge, one submission):           {hidden:7.1f} s")
    print(f"notebook as written, full training budget (nbclient):    {full:7.1f} s")
    print(f"ratio full notebook / autograde per submission:          {full / per_submission:7.2f}")
    return {
        "autograde_per_submission": per_submission,
        "hidden_tests": hidden,
        "full_notebook": full,
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignment", default="ex09", help="assignment id")
    parser.add_argument(
        "--submissions", type=int, default=3, help="how many submissions to autograde"
    )
    args = parser.parse_args()
    main(assignment=args.assignment, submissions=args.submissions)
