"""Build student submissions from the release notebook: for tests, samples and benchmarks.

A submission is the release notebook with some solution cells filled in, as a student would hand
it in. The instructor's solutions come from the source notebook, without the solution markers.
"""

from __future__ import annotations

import copy
import re

import nbformat
from nbformat import NotebookNode

_MARKER = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*\n", re.MULTILINE)


def grade_id(cell: NotebookNode) -> str | None:
    """The nbgrader grade id of a cell, if it has one."""
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def solution_sources(source: NotebookNode) -> dict[str, str]:
    """The instructor's code of every solution cell, by grade id, with the markers removed."""
    return {
        grade_id(cell): _MARKER.sub("", cell.source)
        for cell in source.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }


def fill(release: NotebookNode, sources: dict[str, str]) -> NotebookNode:
    """A copy of ``release`` whose solution cells named in ``sources`` hold that code.

    Raises:
        KeyError: a grade id in ``sources`` is not a solution cell of the notebook.
    """
    submission = copy.deepcopy(release)
    cells = {
        grade_id(cell): cell
        for cell in submission.cells
        if cell.metadata.get("nbgrader", {}).get("solution")
    }
    unknown = set(sources) - set(cells)
    if unknown:
        raise KeyError(
            f"no solution cells {sorted(unknown)} in the notebook; it has {sorted(cells)}"
        )
    for cell_id, code in sources.items():
        cells[cell_id].source = code
    return submission


def read(path: str) -> NotebookNode:
    """Read a notebook in nbformat 4."""
    return nbformat.read(path, as_version=4)
