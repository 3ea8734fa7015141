"""A student's JupyterLab on a shared hub: nbgrader's Assignments panel lists the released ex09,
Fetch brings the notebook and Submit sends it, which the instructor's ``nbgrader collect`` picks up.

JupyterLab runs as a real Unix student account (:mod:`accounts`) with the students' environment
and the hub's nbgrader configuration; the screenshot of the panel is the README's. Skipped, saying
why, where no browser is installed or no account can be made.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from support.accounts import Student, jupyter_paths, shared_hub
from support.courses import Course
from support.lab_server import LabServer, start_lab
from support.pages import NEEDS_BROWSER, playwright, screenshot
from support.paths import ASSIGNMENT

pytestmark = NEEDS_BROWSER

COURSE_ID = "cnn-exercises"


@dataclass
class Hub:
    """The instructor's course, the exchange, and a student's JupyterLab."""

    course: Course
    exchange: str  # the --Exchange.root option of the instructor's commands
    student: Student
    lab: LabServer


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    dist = tmp_path_factory.mktemp("dist")
    with shared_hub("cnn-hub-", ["cnn-lab"], dist) as shared:
        (student,) = shared.students
        python = shared.python
        course = Course(tmp_path_factory.mktemp("instructor"))
        exchange = shared.exchange_option
        course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
        course.nbgrader("release_assignment", ASSIGNMENT, exchange)
        lab = start_lab(
            student.home,
            course.root / "jupyterlab.log",
            python=python,
            launch=lambda command, env: student.command(*command, env={**env, **jupyter_paths()}),
        )
        try:
            yield Hub(course, exchange, student, lab)
        finally:
            lab.stop()


def test_student_fetches_and_submits_from_the_assignments_panel(page, hub: Hub):
    page.goto(hub.lab.url("lab"))
    page.get_by_role("menuitem", name="Nbgrader").click()
    page.get_by_role("menuitem", name="Assignment List").click()
    panel = page.locator(".jp-Activity:visible", has_text="Released assignments")
    released = panel.locator("#released_assignments_list")
    playwright.expect(released).to_contain_text(ASSIGNMENT)
    screenshot(page, "assignment_list_released")

    released.get_by_role("button", name="Fetch").click()
    downloaded = panel.locator("#fetched_assignments_list")
    playwright.expect(downloaded).to_contain_text(ASSIGNMENT)
    notebook = hub.student.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.is_file(), f"Fetch should bring {notebook}"
    assert notebook.stat().st_uid == hub.student.home.stat().st_uid, (
        f"expected the fetched notebook to belong to {hub.student.name}"
    )

    downloaded.get_by_role("button", name="Submit").click()
    submitted = panel.locator("#submitted_assignments_list")
    playwright.expect(submitted).to_contain_text(ASSIGNMENT)
    screenshot(page, "assignment_list")

    hub.course.nbgrader("collect", ASSIGNMENT, hub.exchange)
    collected = hub.course.root / "submitted" / hub.student.name / ASSIGNMENT
    assert (collected / f"{ASSIGNMENT}.ipynb").is_file(), (
        f"expected nbgrader collect to bring the submission to {collected}, got "
        f"{sorted(p.name for p in collected.glob('*'))}"
    )
