"""The student's and the instructor's view in a real browser: JupyterLab 4 runs the released
notebook's widgets under real mouse events, and nbgrader's formgrader lists the assignment and an
autograded submission. Screenshots go to ``artifacts/browser/``.

Drives Debian's ``chromium`` (``make setup-browser``) with Playwright; skipped, saying why, where
no browser is installed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

import pytest

from grading.submissions import fill, solution_sources
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
from support.paths import ASSIGNMENT

pytestmark = NEEDS_BROWSER

NOTEBOOK = f"release/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
STUDENT = "alice"

#: Stands in for the CNN the student trains earlier in the notebook (a small one, one epoch on the
#: embedded MNIST subset), so that the DrawingPad's prediction means something.
TRAINED_MODEL = """
torch.manual_seed(0)
cnn_model = nn.Sequential(
    nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 7 * 7, 10),
)
_train_set, _ = load_mnist(verbose=False)
_optimizer = torch.optim.Adam(cnn_model.parameters(), lr=1e-3)
for _images, _labels in DataLoader(_train_set, batch_size=64, shuffle=True):
    _optimizer.zero_grad()
    F.cross_entropy(cnn_model(_images), _labels).backward()
    _optimizer.step()
"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """JupyterLab on a course copy with the released assignment and one autograded submission."""
    course = Course(tmp_path_factory.mktemp("lab"))
    course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
    (course.root / "students.csv").write_text(
        f"id,first_name,last_name,email\n{STUDENT},Alice,Liddell,alice@example.org\n"
    )
    course.nbgrader("db", "student", "import", "students.csv")
    solutions = solution_sources(course.notebook("source"))
    course.submit(STUDENT, fill(course.notebook("release"), solutions))
    course.run(sys.executable, "-m", "grading.batch.intake", ASSIGNMENT)
    course.nbgrader("autograde", ASSIGNMENT, "--force")
    server = start_lab(course.root, course.root / "jupyterlab.log")
    yield server
    server.stop()


def test_visualizer_steps_the_kernel_and_redraws(page, lab):
    """The default visualize_convolution() draws a new frame when its slider moves."""
    open_notebook(page, lab, NOTEBOOK)
    run_cell(page, code_cell(page, "from helpers import checks"))
    cell = code_cell(page, r"^visualize_convolution\(\)$")
    run_cell(page, cell)
    image = cell.locator(".jp-OutputArea-output img").first
    image.wait_for()
    before = image.get_attribute("src")
    slider = cell.locator(".widget-slider .noUi-handle, .widget-slider [role='slider']").first
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    readout = cell.locator(".widget-readout").first
    playwright.expect(readout).to_have_text("3")
    playwright.expect(image).not_to_have_attribute("src", before)
    screenshot(cell, "visualizer")


def test_drawing_pad_draws_predicts_blurs_and_resets(page, lab):
    """A mouse stroke lands in dp.grid like an MNIST digit; Predict shows a class and a chart;
    Blur and Reset change the grid."""
    open_notebook(page, lab, NOTEBOOK)
    run_cell(page, code_cell(page, "from helpers import checks"))
    kernel = lab.kernel(NOTEBOOK)
    try:
        kernel.run(TRAINED_MODEL)
        cell = code_cell(page, r"pad = DrawingPad\(")
        run_cell(page, cell)
        canvas = cell.locator("canvas").last
        canvas.scroll_into_view_if_needed()
        box = canvas.bounding_box()
        assert box is not None, "expected the DrawingPad's canvas to be visible"
        x = box["x"] + box["width"] / 2
        page.mouse.move(x, box["y"] + 0.2 * box["height"])
        page.mouse.down()
        for step in range(1, 21):
            page.mouse.move(x, box["y"] + (0.2 + 0.6 * step / 20) * box["height"])
        page.mouse.up()
        kernel.wait_for("float(pad.grid.max())", lambda high: high == 1.0)
        shape, dtype, low, high = kernel.value(
            "(pad.grid.shape, str(pad.grid.dtype), float(pad.grid.min()), float(pad.grid.max()))"
        )
        assert (shape, dtype, low, high) == ((28, 28), "float32", 0.0, 1.0), (
            "expected a (28, 28) float32 grid in [0, 1] with the stroke at 1, got "
            f"{shape}, {dtype}, [{low}, {high}]"
        )
        rows = kernel.value("tuple(int(r) for r in (pad.grid > 0.5).any(axis=1).nonzero()[0])")
        assert len(rows) >= 12, f"expected a tall vertical stroke, got rows {rows}"

        cell.get_by_role("button", name="Predict").click()
        prediction = cell.get_by_text(re.compile(r"Prediction: \d"))
        prediction.wait_for()
        label = int(re.search(r"Prediction: (\d)", prediction.inner_text()).group(1))
        assert label == kernel.value("int(pad.probabilities.argmax())"), (
            "the shown class should be the most probable one"
        )
        assert label == 1, f"a vertical stroke should be read as a 1, got {label}"
        chart = cell.locator(".jp-OutputArea-output img").last
        playwright.expect(chart).to_have_attribute("src", re.compile(r"^(blob|data):"))
        screenshot(cell, "drawing_pad")

        before = kernel.value("float(pad.grid.sum())")
        cell.get_by_role("button", name="Blur").click()
        after = kernel.wait_for("float(pad.grid.sum())", lambda total: total != before)
        assert after != before, f"Blur should change the grid (sum {before} before, {after} after)"
        cell.get_by_role("button", name="Reset").click()
        playwright.expect(cell.get_by_text("Draw a digit, then press Predict.")).to_be_visible()
        cleared = kernel.wait_for("float(pad.grid.sum())", lambda total: total == 0.0)
        assert cleared == 0.0, f"Reset should clear the grid, its sum is {cleared}"
    finally:
        kernel.close()


def test_formgrader_lists_the_assignment_and_the_autograded_submission(page, lab):
    """nbgrader's formgrader shows ex09 and the autograded submission of the student, by the
    name the roster gives."""
    page.goto(lab.url("formgrader"))
    playwright.expect(page.get_by_role("link", name=ASSIGNMENT).first).to_be_visible()
    screenshot(page, "formgrader")
    page.goto(lab.url(f"formgrader/manage_submissions/{ASSIGNMENT}"))
    row = page.locator("tr", has_text=STUDENT).first
    playwright.expect(row).to_be_visible()
    playwright.expect(row).to_contain_text("22")
    playwright.expect(row).to_contain_text("Liddell, Alice")
    screenshot(page, "formgrader_submissions")
