"""ex10's widgets in JupyterLab 4 under real keyboard and mouse events: the arithmetic explorer's
slider and transposed toggle redraw its grid and caption; the filter playground's preset, kernel
editor and Learn button (running the student's ``fit_filter``) change the kernel and the picture.

Drives Debian's ``chromium`` (``make setup-browser``) with Playwright; skipped, saying why, where
no browser is installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from grading.submissions import solution_sources
from support.courses import Course
from support.lab_server import LabServer, start_lab
from support.pages import (
    NEEDS_BROWSER,
    code_cell,
    open_notebook,
    playwright,
    run_cell,
    screenshot,
)

pytestmark = NEEDS_BROWSER

ASSIGNMENT = "ex10"
NOTEBOOK = f"release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
IMPORTS = "from helpers import checks_ex10"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LabServer, dict[str, str]]]:
    """JupyterLab on a course copy with ex10 released; the instructor's solution sources."""
    course = Course(tmp_path_factory.mktemp("lab_ex10"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    server = start_lab(course.root, course.root / "jupyterlab.log")
    yield server, solution_sources(course.notebook("source", ASSIGNMENT))
    server.stop()


def test_the_explorer_redraws_when_a_slider_moves_and_transposed_is_toggled(page, lab):
    server, _ = lab
    open_notebook(page, server, NOTEBOOK)
    run_cell(page, code_cell(page, IMPORTS))
    cell = code_cell(page, r"^explore_arithmetic\(\)$")
    run_cell(page, cell)
    caption = cell.locator(".widget-html-content").first
    playwright.expect(caption).to_contain_text("output 3 x 3")
    image = cell.locator(".jp-OutputArea-output img").first
    before = image.get_attribute("src")
    stride = cell.locator(".widget-slider", has_text="stride s").locator("[role='slider']").first
    stride.focus()
    page.keyboard.press("ArrowLeft")
    playwright.expect(caption).to_contain_text("output 5 x 5")
    playwright.expect(image).not_to_have_attribute("src", before)
    cell.get_by_role("button", name="transposed").click()
    playwright.expect(caption).to_contain_text(re.compile(r"transposed convolution: output 5 x 5"))
    screenshot(cell, "arithmetic_explorer")


def test_the_playground_takes_presets_edits_and_learns_with_the_students_fit_filter(page, lab):
    server, solutions = lab
    open_notebook(page, server, NOTEBOOK)
    run_cell(page, code_cell(page, IMPORTS))
    kernel = server.kernel(NOTEBOOK)
    try:
        kernel.run(solutions["fit_filter_solution"])
        cell = code_cell(page, r"playground = filter_playground\(fit_filter\)")
        run_cell(page, cell)
        image = cell.locator(".jp-OutputArea-output img").first
        image.wait_for()
        before = image.get_attribute("src")
        cell.locator("select").select_option("checkerboard")
        checkerboard = [[1.0, -1.0, 1.0], [-1.0, 1.0, -1.0], [1.0, -1.0, 1.0]]
        chosen = kernel.wait_for("playground.kernel.tolist()", lambda k: k == checkerboard)
        assert chosen == checkerboard, f"expected the checkerboard preset, got {chosen}"
        playwright.expect(image).not_to_have_attribute("src", before)

        centre = cell.locator(".widget-text input").nth(4)
        centre.fill("5")
        centre.press("Enter")
        edited = kernel.wait_for("float(playground.kernel[1, 1])", lambda value: value == 5.0)
        assert edited == 5.0, f"expected the typed centre weight 5, got {edited}"

        cell.get_by_role("button", name="Learn").click()
        playwright.expect(
            cell.get_by_text(re.compile("the learned kernel is within"))
        ).to_be_visible()
        distance = kernel.value("float(abs(playground.kernel - playground.target).max())")
        assert distance < 1e-3, f"expected the editor to hold the learned kernel, {distance} away"
        shown = float(cell.locator(".widget-text input").first.input_value())
        target = kernel.value("float(playground.target[0, 0])")
        assert abs(shown - target) < 1e-3, f"expected the editor to show {target}, got {shown}"
        screenshot(cell, "filter_playground")
    finally:
        kernel.close()
