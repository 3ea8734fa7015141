"""Graded cells a student made up are ignored, not a reason to reject the notebook."""

from __future__ import annotations

from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor

from grading.pipeline.preprocessors.gradebook import instructor_cells


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
