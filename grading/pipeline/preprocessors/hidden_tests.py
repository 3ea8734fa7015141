"""The hidden tests of each graded cell, judged outside the student's kernel.

:class:`StartHiddenTests` starts the judge (:mod:`grading.judge.run`) just before the kernel runs,
so that both take their time side by side; :class:`RunHiddenTests`, after the kernel, waits for
the judge and replaces each test cell's outputs with its verdict (:mod:`.verdict`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Float, List, Unicode

from grading.judge.run import JudgeRun, preload, start_judge
from grading.judge.student import DEFAULT_TASK_TIMEOUT, DEFAULT_TASK_WALL_TIMEOUT
from grading.pipeline.preprocessors.gradebook import InstructorCells, instructor_cells
from grading.pipeline.preprocessors.verdict import tampered_names, verdict
from grading.protocol.messages import OUTCOMES, Bundle, ReportEntry, TestOutcome
from grading.sandbox.bubblewrap import Sandbox

#: Where :class:`StartHiddenTests` leaves the running judge for :class:`RunHiddenTests`.
PENDING_JUDGE = "hidden_tests_judge"


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: a graded code cell that is not a solution."""
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def submission_bundle(nb: NotebookNode, preamble: list[str], solution_ids: set[str]) -> Bundle:
    """What the student worker runs: the trusted ``preamble`` sources, then the notebook's code
    solution cells whose grade ids are in ``solution_ids``, in notebook order."""
    cells = [
        {"grade_id": cell.metadata.nbgrader["grade_id"], "source": cell.source}
        for cell in nb.cells
        if cell.cell_type == "code"
        and utils.is_solution(cell)
        and cell.metadata.nbgrader.get("grade_id") in solution_ids
    ]
    return {"preamble": preamble, "cells": cells}


def write_verdict(cell: NotebookNode, entries: list[ReportEntry]) -> None:
    """Replace the test cell's outputs with its hidden tests' report and the earned points (its
    result, which nbgrader reads as partial credit), and keep each test's outcome in its
    metadata for the class report."""
    earned, text = verdict(entries, cell.metadata.nbgrader["points"])
    outcomes: list[TestOutcome] = [
        {"test": entry["description"], "outcome": entry["outcome"]} for entry in entries
    ]
    cell.metadata[OUTCOMES] = outcomes
    cell.outputs = [
        from_dict({"output_type": "stream", "name": "stdout", "text": text}),
        from_dict(
            {
                "output_type": "execute_result",
                "execution_count": cell.get("execution_count"),
                "metadata": {},
                "data": {"text/plain": f"{earned:g}"},
            }
        ),
    ]


class RunHiddenTests(NbGraderPreprocessor):
    """Judge every autograded test cell with its hidden pytest module, outside the kernel.

    The module of a cell with grade id ``G`` in assignment ``A`` is ``<tests_directory>/A/G.py``.
    The student's code is taken from the submitted solution cells (after the trusted preamble
    cells from the gradebook) and runs in a separate worker; the kernel's outputs of the test cell
    are replaced by the verdict (:func:`write_verdict`). The judge is the one
    :class:`StartHiddenTests` started before the kernel ran, or started here if there is none.
    """

    tests_directory = Unicode(
        "grader_tests", help="Folder of hidden test suites, one sub-folder per assignment."
    ).tag(config=True)
    preamble_cells = List(
        Unicode(),
        ["imports"],
        help="Grade ids of locked cells run, from the gradebook, before the solution cells.",
    ).tag(config=True)
    task_timeout = Float(
        DEFAULT_TASK_TIMEOUT, help="CPU seconds one call into the student's code may use."
    ).tag(config=True)
    task_wall_timeout = Float(
        DEFAULT_TASK_WALL_TIMEOUT,
        help="Wall-clock seconds one call into the student's code may take however little CPU "
        "it uses (it sleeps or waits); a backstop far above any honest call's time.",
    ).tag(config=True)
    judge_timeout = Float(
        1800.0,
        help="Seconds all hidden tests of one notebook may take; tests not reached by then fail.",
    ).tag(config=True)

    def test_cells(self, nb: NotebookNode, known: InstructorCells) -> list[NotebookNode]:
        """The notebook's test cells the instructor graded (a cell a student marked as graded
        is ignored)."""
        return [
            cell
            for cell in nb.cells
            if is_test_cell(cell) and cell.metadata.nbgrader["grade_id"] in known.graded_ids
        ]

    def start(self, nb: NotebookNode, resources: ResourcesDict) -> JudgeRun | None:
        """Start the judge on the notebook's solution cells; ``None`` when nothing is graded."""
        known = instructor_cells(resources)
        missing = [cell_id for cell_id in self.preamble_cells if cell_id not in known.sources]
        if missing:
            raise ValueError(
                f"preamble cells {missing} are not in the gradebook: check "
                "RunHiddenTests.preamble_cells"
            )
        modules = [cell.metadata.nbgrader["grade_id"] for cell in self.test_cells(nb, known)]
        if not modules:
            return None
        tests = Path(self.tests_directory) / resources["nbgrader"]["assignment"]
        absent = [m for m in modules if not (tests / f"{m}.py").is_file()]
        if absent:
            raise FileNotFoundError(f"no hidden test module for graded cells {absent} in {tests}")
        bundle = submission_bundle(
            nb, [known.sources[cell_id] for cell_id in self.preamble_cells], known.solution_ids
        )
        return start_judge(
            bundle,
            tests=tests,
            modules=modules,
            task_timeout=self.task_timeout,
            task_wall_timeout=self.task_wall_timeout,
            timeout=self.judge_timeout,
            sandbox=Sandbox(parent=self),
        )

    def log_findings(self, entries: list[ReportEntry]) -> None:
        """Tell the grader what the student's feedback does not: the grader's own errors, a
        zygote that could not serve, library functions the submission replaced."""
        for entry in entries:
            if entry.get("grader_error"):
                self.log.error(
                    "Grader error in %s::%s\n%s", entry["module"], entry["test"], entry["traceback"]
                )
        for failure in [entry["zygote_failure"] for entry in entries if "zygote_failure" in entry]:
            self.log.warning(
                "The worker zygote could not serve (%s): this submission's workers started fresh, "
                "a few seconds each",
                failure,
            )
        tampered = tampered_names(entries)
        if tampered:
            self.log.warning(
                "The submission replaced library functions the grader relies on (restored): %s",
                ", ".join(tampered),
            )

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        run = resources.pop(PENDING_JUDGE, None) or self.start(nb, resources)
        if run is None:
            return nb, resources
        test_cells = self.test_cells(nb, instructor_cells(resources))
        waited = time.monotonic()
        entries, output = run.result()
        self.log.info("Waited %.1f s for the hidden tests", time.monotonic() - waited)
        self.log_findings(entries)
        modules = [cell.metadata.nbgrader["grade_id"] for cell in test_cells]
        by_module = {module: [e for e in entries if e["module"] == module] for module in modules}
        silent = [module for module, found in by_module.items() if not found]
        if silent:
            raise RuntimeError(
                f"hidden test modules {silent} reported no test; the judge said:\n{output}"
            )
        for cell in test_cells:
            write_verdict(cell, by_module[cell.metadata.nbgrader["grade_id"]])
        return nb, resources


class StartHiddenTests(RunHiddenTests):
    """Start the judge of :class:`RunHiddenTests` before the kernel runs, so that the hidden tests
    and the notebook's execution take their time side by side (the judge needs only the
    submitted sources, which executing the notebook does not change). Configured as
    ``RunHiddenTests``. What every judge imports is imported here once (:func:`preload`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        preload()

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        run = self.start(nb, resources)
        if run is not None:
            resources[PENDING_JUDGE] = run
        return nb, resources
