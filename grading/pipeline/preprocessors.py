"""nbgrader preprocessors of the course, and the autograde pipeline that uses them."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader import utils
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute, NbGraderPreprocessor, OverwriteCells
from traitlets import Float, Integer, List, Unicode

from grading.judge.run import JudgeRun, preload, start_judge
from grading.judge.student import DEFAULT_TASK_TIMEOUT, DEFAULT_TASK_WALL_TIMEOUT
from grading.pipeline.kernel import SandboxedExecute
from grading.protocol.messages import Bundle, ReportEntry
from grading.sandbox.bubblewrap import Sandbox

PASS, FAIL, SKIP = "\u2714", "\u2718", "-"


def is_test_cell(cell: NotebookNode) -> bool:
    """An autograded test cell: a graded code cell that is not a solution."""
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def tampered_names(entries: list[ReportEntry]) -> list[str]:
    """The library names the worker restored during these tests, each once, in report order."""
    return list(dict.fromkeys(name for entry in entries for name in entry.get("tampered", [])))


def verdict(entries: list[ReportEntry], points: float) -> tuple[float, str]:
    """Points earned and the report text for one graded cell's hidden tests.

    Every test that ran counts equally; skipped tests (no GPU, say) do not count. Library
    functions the student's code replaced (and the worker put back) are named at the end.
    """
    counted = [e for e in entries if e["outcome"] != "skipped"]
    passed = sum(e["outcome"] == "passed" for e in counted)
    earned = round(points * passed / len(counted), 2) if counted else 0.0
    lines = [f"Hidden tests: {passed} of {len(counted)} passed, {earned:g} of {points:g} points."]
    for entry in entries:
        mark = {"passed": PASS, "failed": FAIL}.get(entry["outcome"], SKIP)
        lines.append(f"  {mark} {entry['description']}")
        if entry["outcome"] != "passed":
            lines.append(f"      {entry['message']}")
    tampered = tampered_names(entries)
    if tampered:
        shown = ", ".join(tampered[:5]) + (
            f" and {len(tampered) - 5} more" if len(tampered) > 5 else ""
        )
        lines.append(
            f"Note: your code replaced {shown}; the hidden tests put the originals back and "
            "checked your work with them."
        )
    return earned, "\n".join(lines) + "\n"


@dataclass(frozen=True)
class InstructorCells:
    """The gradebook's record of a notebook's nbgrader cells, as the instructor wrote them."""

    sources: dict[str, str]
    solution_ids: set[str]
    graded_ids: set[str]


def instructor_cells(resources: ResourcesDict) -> InstructorCells:
    """The instructor's cells of the notebook being converted, from the gradebook."""
    info = resources["nbgrader"]
    with Gradebook(info["db_url"]) as gradebook:
        notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
        solution_ids = {cell.name for cell in notebook.solution_cells}
        return InstructorCells(
            sources={cell.name: cell.source for cell in notebook.source_cells},
            solution_ids=solution_ids,
            graded_ids={cell.name for cell in notebook.grade_cells} - solution_ids,
        )


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


#: Cell metadata key of the outcome of each hidden test of a graded cell (for the class report).
OUTCOMES = "hidden_tests"
#: Where :class:`StartHiddenTests` leaves the running judge for :class:`RunHiddenTests`.
PENDING_JUDGE = "hidden_tests_judge"


class RunHiddenTests(NbGraderPreprocessor):
    """Judge every autograded test cell with its hidden pytest module, outside the kernel.

    The module of a cell with grade id ``G`` in assignment ``A`` is ``<tests_directory>/A/G.py``.
    The student's code is taken from the submitted solution cells (after the trusted preamble
    cells from the gradebook) and runs in a separate worker; the kernel's outputs of the test cell
    are replaced by the verdict: a report and the earned points as the cell's result, which
    nbgrader reads as partial credit. The judge is the one :class:`StartHiddenTests` started
    before the kernel ran, or started here if there is none.
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
        modules = [cell.metadata.nbgrader["grade_id"] for cell in test_cells]
        by_module = {module: [e for e in entries if e["module"] == module] for module in modules}
        silent = [module for module, found in by_module.items() if not found]
        if silent:
            raise RuntimeError(
                f"hidden test modules {silent} reported no test; the judge said:\n{output}"
            )
        for cell in test_cells:
            grade_id = cell.metadata.nbgrader["grade_id"]
            earned, text = verdict(by_module[grade_id], cell.metadata.nbgrader["points"])
            cell.metadata[OUTCOMES] = [
                {"test": entry["description"], "outcome": entry["outcome"]}
                for entry in by_module[grade_id]
            ]
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


class DropUnknownGradeCells(NbGraderPreprocessor):
    """Turn cells whose nbgrader metadata the instructor never wrote into plain cells.

    A student who adds a "graded" cell (say with 50 points) would otherwise make nbgrader reject
    the whole notebook; this way the cell is ignored and the rest is graded.
    """

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        known = instructor_cells(resources).sources
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if "nbgrader" in cell.metadata and grade_id not in known:
                self.log.warning(
                    "Ignoring cell %r: its nbgrader metadata is not the instructor's", grade_id
                )
                del cell.metadata["nbgrader"]
        return nb, resources


class CapOutputSize(NbGraderPreprocessor):
    """Cut outputs that would bloat autograded notebooks and feedback, and say so.

    nbgrader's ``LimitOutput`` caps the number of lines; this caps characters per text output
    and bytes per rich output (images, HTML).
    """

    max_chars = Integer(20_000, help="Characters kept of each text output.").tag(config=True)
    max_bytes = Integer(1_000_000, help="Bytes kept of each rich output (image, HTML).").tag(
        config=True
    )

    def cut(self, text: str) -> str:
        """``text`` shortened to ``max_chars`` with a note saying how much was cut."""
        if len(text) <= self.max_chars:
            return text
        return (
            text[: self.max_chars]
            + f"\n[output cut: {len(text) - self.max_chars:,} more characters]\n"
        )

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        for output in cell.get("outputs", []):
            if "text" in output:
                output.text = self.cut("".join(output.text))
            if "traceback" in output:
                output.traceback = [self.cut(line) for line in output.traceback]
            data = output.get("data", {})
            for mime in list(data):
                value = data[mime] if isinstance(data[mime], str) else "".join(map(str, data[mime]))
                if mime == "text/plain":
                    data[mime] = self.cut(value)
                elif len(value) > self.max_bytes:
                    del data[mime]
                    data["text/plain"] = (
                        f"[{mime} output of {len(value):,} bytes removed: too large]"
                    )
        return cell, resources


def sanitize_preprocessors() -> list[type]:
    """nbgrader's sanitising steps, with :class:`DropUnknownGradeCells` before ``OverwriteCells``
    (which restores the instructor's graded cells and would trip over unknown ones)."""
    steps = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    steps.insert(steps.index(OverwriteCells), DropUnknownGradeCells)
    return steps


def autograde_preprocessors() -> list[type]:
    """nbgrader's autograde steps, with the kernel in the sandbox and the hidden tests beside it.

    :class:`StartHiddenTests` starts the judge just before the kernel runs; :class:`RunHiddenTests`
    must come after the kernel ran (whose test-cell outputs it replaces) and before
    ``LimitOutput`` and ``SaveAutoGrades`` (which read its verdict); :class:`CapOutputSize` cuts
    what the kernel printed before anything is saved.
    """
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    position = steps.index(Execute)
    steps[position : position + 1] = [
        StartHiddenTests,
        SandboxedExecute,
        RunHiddenTests,
        CapOutputSize,
    ]
    return steps
