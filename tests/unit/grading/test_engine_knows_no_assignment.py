"""``grading/`` is what every assignment shares: it names no assignment and none of its tasks, so
that adding an assignment never touches it."""

from __future__ import annotations

import ast
import re

from grading import course
from grading.submissions import grade_id, read
from support.paths import ROOT


def task_names(assignment: str) -> set[str]:
    """The assignment's name, the grade ids of its graded and solution cells, and the functions
    and classes its solution cells define."""
    notebook = read(str(ROOT / "source" / assignment / f"{assignment}.ipynb"))
    names = {assignment}
    for cell in notebook.cells:
        nbgrader = cell.metadata.get("nbgrader", {})
        if not (nbgrader.get("grade") or nbgrader.get("solution")):
            continue
        names.add(grade_id(cell))
        if cell.cell_type == "code":
            source = re.sub(r"^\s*[%!].*$", "", cell.source, flags=re.MULTILINE)  # magics
            tree = ast.parse(source)
            names |= {
                node.name for node in tree.body if isinstance(node, ast.FunctionDef | ast.ClassDef)
            }
    return names


def test_the_engine_names_no_assignment_nor_any_of_its_tasks():
    names = set().union(*(task_names(assignment) for assignment in course.assignments(ROOT)))
    assert {"add_padding_1d", "ex09", "test_conv2d"} <= names, f"expected ex09's tasks in {names}"
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names))) + r")\b")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in sorted((ROOT / "grading").rglob("*"))
        if path.is_file() and path.suffix in {".py", ".ini", ".toml", ".md"}
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        for match in pattern.finditer(line)
    ]
    assert not found, f"expected grading/ to name no assignment or task, found: {found}"
