"""Run a notebook's public checks as a student does once every task is written: the imports cell
and every solution cell (as grading loads them, all together), then each graded test cell's
public code, in one namespace, each cell registered with :mod:`linecache` under its own file
name as Jupyter does (the checks read solution cells back)."""

from __future__ import annotations

import contextlib
import io
import linecache
import os

from nbformat import NotebookNode

from grading.submissions import fill


def _run_cell(source: str, name: str, namespace: dict) -> None:
    filename = f"<cell {name}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - the course's own cells


def public_verdicts(release: NotebookNode, solutions: dict[str, str]) -> dict[str, str]:
    """``{graded test cell: ''}`` when its public check passes, else the failure's first line.

    ``release`` is the released notebook and ``solutions`` the code of its solution cells (by
    grade id); a solution cell that fails to run fails every check after it, as in Jupyter.
    """
    notebook = fill(release, solutions)
    namespace: dict = {"__name__": "__main__"}
    verdicts: dict[str, str] = {}
    os.environ.setdefault("MPLBACKEND", "Agg")
    code = [
        (index, cell.source, cell.metadata.get("nbgrader", {}))
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code"
    ]
    loaded = [c for c in code if c[2].get("grade_id") == "imports" or c[2].get("solution")]
    checks = [c for c in code if c[2].get("grade") and not c[2].get("solution")]
    for index, source, grading in loaded + checks:
        grade_id = grading.get("grade_id", "")
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                _run_cell(source, f"{index}:{grade_id}", namespace)
        except Exception as error:  # noqa: BLE001 - a failing check is a verdict
            if (index, source, grading) in checks:
                verdicts[grade_id] = f"{type(error).__name__}: {error}".splitlines()[0]
            continue
        if (index, source, grading) in checks:
            verdicts[grade_id] = ""
    return verdicts
