"""The instructor's cells of the notebook being converted, as the gradebook keeps them."""

from __future__ import annotations

from dataclasses import dataclass

from nbconvert.exporters.exporter import ResourcesDict
from nbgrader.api import Gradebook


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
