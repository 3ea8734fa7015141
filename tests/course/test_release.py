"""The release is generated from source/ by nbgrader and holds no solution and no hidden test."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from support.courses import Course
from support.leaks import hidden_lines, leaked
from support.paths import ASSIGNMENTS, ROOT

MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def release_texts(root: Path) -> dict[Path, str]:
    return {
        path: path.read_text(errors="replace")
        for path in (root / "release").rglob("*")
        if path.is_file()
    }


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_is_what_nbgrader_generates(released_course: Course, assignment: str):
    generated = released_course.notebook("release", assignment)
    committed_path = ROOT / "release" / assignment / f"{assignment}.ipynb"
    committed = committed_path.read_text()
    assert nbformat.reads(committed, as_version=4) == generated, (
        f"{committed_path} differs from what `nbgrader generate_assignment` makes of source/: "
        "run `make release`"
    )


def solution_region_lines(source) -> set[str]:
    """Distinctive lines between the solution markers of the source notebook."""
    lines, inside = set(), False
    for cell in source.cells:
        for line in cell.source.splitlines():
            if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
                inside = "BEGIN" in line
            elif inside and len(line.strip()) >= 8:  # skip lone brackets and the like
                lines.add(line.strip())
    return lines


def leaked_solution_lines(source, release) -> list[str]:
    """Solution lines of ``source`` found in code cells of ``release``."""
    solution = solution_region_lines(source)
    return sorted(
        line.strip()
        for cell in release.cells
        if cell.cell_type == "code"
        for line in cell.source.splitlines()
        if line.strip() in solution
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solution_code(released_course: Course, assignment: str):
    release = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    leaked = leaked_solution_lines(released_course.notebook("source", assignment), release)
    assert not leaked, f"the committed release contains solution lines, expected none: {leaked[:3]}"
    for path, text in release_texts(ROOT).items():
        found = [marker for marker in MARKERS if marker in text]
        assert not found, f"{path} contains the markers {found}, expected none"


def test_leak_check_finds_a_planted_solution_line(released_course: Course):
    release = released_course.notebook("release")
    release.cells[-1].source += "\n    gx = convolution_two_dimensional(image, SOBEL_X)"
    leaked = leaked_solution_lines(released_course.notebook("source"), release)
    assert leaked == ["gx = convolution_two_dimensional(image, SOBEL_X)"], (
        f"expected the planted line, got {leaked}"
    )


def test_release_has_nothing_from_grader_tests(released_course: Course):
    lines = hidden_lines()
    hidden_names = {path.name for path in (ROOT / "grader_tests").rglob("*.py")}
    for path, text in release_texts(ROOT).items():
        assert path.name not in hidden_names, f"{path} has the name of a hidden test file"
        found = leaked(text, lines)
        assert not found, f"{path} contains lines of grader_tests/, expected none: {found[:3]}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_graded_cell_has_a_hidden_test_module_and_back(
    released_course: Course, assignment: str
):
    graded = {
        cell.metadata.nbgrader["grade_id"]
        for cell in released_course.notebook("source", assignment).cells
        if cell.metadata.get("nbgrader", {}).get("grade")
        and not cell.metadata.nbgrader.get("solution")
    }
    modules = {path.stem for path in (ROOT / "grader_tests" / assignment).glob("test_*.py")}
    assert graded == modules, (
        f"graded test cells {sorted(graded)} and hidden modules {sorted(modules)} differ"
    )
