"""Feedback that shows each task's score but not the hidden tests' verdicts, for submissions made
before the due date when the instructor chooses so (``c.FeedbackService.before_due = "scores"``)."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import NbGraderPreprocessor

from grading.pipeline.preprocessors.hidden_tests import is_test_cell


class KeepScoresOnly(NbGraderPreprocessor):
    """Replace each test cell's verdict (which hidden tests passed, and why others failed) with a
    note; its score, the cell's result, stays. A step of ``GenerateFeedback``, after
    ``GetGrades``."""

    def preprocess_cell(
        self, cell: NotebookNode, resources: ResourcesDict, index: int
    ) -> tuple[NotebookNode, ResourcesDict]:
        if is_test_cell(cell):
            note = from_dict(
                {
                    "output_type": "stream",
                    "name": "stdout",
                    "text": "The hidden tests' verdicts are shown after the due date.\n",
                }
            )
            cell.outputs = [note, *(o for o in cell.outputs if o.output_type == "execute_result")]
        return cell, resources
