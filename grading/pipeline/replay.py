"""The autograde pipeline of the coordinator: nbgrader's own, with the grading replayed from a job.

A grading job (:mod:`grading.batch.job`) runs nbgrader's autograde pipeline in a scratch course and
sends back the autograded notebook. The coordinator then runs ``nbgrader autograde`` on the real
course with :class:`ReplayResults` in place of the kernel and the hidden tests: nbgrader sanitises
the submission exactly as the job did, the cells' outputs (the kernel's and the hidden tests'
verdicts) are copied from the job's notebook, and nbgrader's ``SaveAutoGrades`` and late penalty
write the gradebook as a serial ``nbgrader autograde`` would. Only the coordinator writes the
gradebook.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from grading.pipeline.kernel import SandboxedExecute
from grading.pipeline.preprocessors.hidden_tests import RunHiddenTests, StartHiddenTests
from grading.pipeline.preprocessors.steps import autograde_preprocessors
from grading.protocol.messages import OUTCOMES


class ReplayResults(NbGraderPreprocessor):
    """Give each cell the outputs it got in the grading job's autograded notebook.

    The job's notebook is ``<results_directory>/<student>/<assignment>/<notebook>.ipynb``; it must
    have the same cells with the same sources (both come from the same submission and the same
    sanitising steps), or the replay stops with an error naming the first difference.
    """

    results_directory = Unicode(
        help="Folder of the grading jobs' autograded notebooks, laid out like the autograded "
        "folder (<student>/<assignment>/<notebook>.ipynb)."
    ).tag(config=True)

    def preprocess(
        self, nb: NotebookNode, resources: ResourcesDict
    ) -> tuple[NotebookNode, ResourcesDict]:
        info = resources["nbgrader"]
        path = (
            Path(self.results_directory)
            / info["student"]
            / info["assignment"]
            / f"{info['notebook']}.ipynb"
        )
        if not path.is_file():
            raise FileNotFoundError(f"no grading result {path} to replay")
        graded = nbformat.read(path, as_version=4)
        if len(graded.cells) != len(nb.cells):
            raise ValueError(
                f"{path} has {len(graded.cells)} cells, the sanitised submission "
                f"{len(nb.cells)}: the job graded another notebook"
            )
        for index, (cell, result) in enumerate(zip(nb.cells, graded.cells, strict=True)):
            if cell.source != result.source:
                raise ValueError(f"cell {index} of {path} differs from the sanitised submission")
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = result.outputs, result.execution_count
            if OUTCOMES in result.metadata:
                cell.metadata[OUTCOMES] = result.metadata[OUTCOMES]
        if "language_info" in graded.metadata:
            nb.metadata["language_info"] = graded.metadata["language_info"]
        return nb, resources


def replay_preprocessors() -> list[type]:
    """The autograde pipeline with :class:`ReplayResults` in place of the kernel and the hidden
    tests (:func:`grading.pipeline.preprocessors.steps.autograde_preprocessors`)."""
    steps = autograde_preprocessors()
    graded_by_the_job = (StartHiddenTests, SandboxedExecute, RunHiddenTests)
    position = steps.index(graded_by_the_job[0])
    steps[position : position + len(graded_by_the_job)] = [ReplayResults]
    return steps
