"""The course on a real JupyterHub, as students use it: log in, Fetch, Submit, Fetch Feedback.

As root (the hub's administrator, and here the instructor) a course copy releases ex10 to an
exchange folder, gives the course's folder to the roster's group (``make exchange-access``) and
runs the feedback service (``make serve-feedback``). The course's hub (``hub/jupyterhub_config.py``:
PAM logins, each student's JupyterLab spawned as their Unix account with the students'
environment and the hub's nbgrader configuration) runs behind configurable-http-proxy. Two
students on the roster log in through chromium, fetch ex10 in the Assignments panel, submit it
(one with every solution, one as fetched) and see their feedback appear with Fetch Feedback while
the service runs; a third user of the hub, not on the roster, is shown nothing to fetch. The
screenshots of the panel are the README's. Skipped, saying why, where no browser is installed,
no account can be made or the hub is not installed (``make setup-hub``).
"""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import nbformat
import pytest
from nbgrader.api import Gradebook

from grading.submissions import fill, read, solution_sources
from support import jupyterhub
from support.accounts import SharedHub, Student, shared_hub
from support.courses import Course
from support.feedback_service import ServiceProcess
from support.leaks import page_text
from support.pages import NEEDS_BROWSER, TIMEOUT_MS, playwright, screenshot

pytestmark = [
    *NEEDS_BROWSER,
    pytest.mark.skipif(bool(jupyterhub.unavailable()), reason=str(jupyterhub.unavailable())),
]

COURSE_ID = "cnn-exercises"
ASSIGNMENT = "ex10"  # the quicker of the two to grade
#: Seconds from Submit to feedback the panel can fetch (the service's promise is 60 s; the
#: browsers and the students' servers share this machine's two cores with the grading).
PROMISED = 90.0
#: No "Jupyter news?" toast over the panel (JupyterLab's setting, in the student's home).
NO_NEWS = (
    ".jupyter/lab/user-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
)


@dataclass
class CourseHub:
    """The course on a running hub: the instructor's course, the exchange and the hub's users."""

    course: Course
    shared: SharedHub
    hub: jupyterhub.Hub
    passwords: dict[str, str]
    solutions: dict[str, str]
    waited: dict[str, float] = field(default_factory=dict)  # Submit -> feedback to fetch


@pytest.fixture(scope="module")
def course_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CourseHub]:
    dist = tmp_path_factory.mktemp("dist")
    names = ["cnn-ada", "cnn-bob", "cnn-eve"]
    with shared_hub("cnn-jupyterhub-", names, dist) as shared:
        ada, bob, _ = shared.students  # eve is a user of the hub, not of the course
        course = Course(tmp_path_factory.mktemp("instructor"))
        with (course.root / "nbgrader_config.py").open("a") as config:
            config.write(
                f"c.Exchange.root = {str(shared.exchange)!r}\n"
                "c.FeedbackService.poll_seconds = 1.0\n"
            )
        for student, first in ((ada, "Ada"), (bob, "Bob")):
            course.nbgrader("db", "student", "add", student.name, f"--first-name={first}")
        course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
        course.nbgrader("release_assignment", ASSIGNMENT)
        group = f"nbgrader-test-{secrets.token_hex(3)}"
        course.run(sys.executable, "-m", "grading.service.access", "--group", group)
        passwords = {}
        for student in shared.students:
            passwords[student.name] = jupyterhub.give_password(student)
            student.write(student.home / NO_NEWS, json.dumps({"fetchNews": "false"}).encode())
        service = ServiceProcess(course, course.root / "service.log", ASSIGNMENT)
        hub = None
        try:
            folder = tmp_path_factory.mktemp("jupyterhub")
            hub = jupyterhub.start_hub(folder, shared.students, shared.python)
            solutions = solution_sources(course.notebook("source", ASSIGNMENT))
            yield CourseHub(course, shared, hub, passwords, solutions)
        finally:
            if hub is not None:
                hub.stop()
            service.kill()
            subprocess.run(["groupdel", group], check=False, capture_output=True)


def log_in(page, course_hub: CourseHub, student: Student):
    """Log ``student`` in to the hub, wait for their JupyterLab and open the Assignments panel;
    the panel."""
    page.goto(f"{course_hub.hub.url}hub/login")
    page.locator("#username_input").fill(student.name)
    page.locator("#password_input").fill(course_hub.passwords[student.name])
    page.locator("#login_submit").click()
    page.get_by_role("menuitem", name="Nbgrader").click()
    page.get_by_role("menuitem", name="Assignment List").click()
    panel = page.locator(".jp-Activity:visible", has_text="Released assignments")
    panel.locator("#refresh_assignments_list").wait_for()
    return panel


def fetch_and_submit(panel, student: Student, cells: dict[str, str]) -> float:
    """Fetch the assignment in the panel, fill in ``cells`` as ``student`` (an editor saving the
    notebook) and Submit; when the panel showed the submission."""
    released = panel.locator("#released_assignments_list")
    playwright.expect(released).to_contain_text(ASSIGNMENT)
    released.get_by_role("button", name="Fetch").click()
    fetched = panel.locator("#fetched_assignments_list")
    playwright.expect(fetched).to_contain_text(ASSIGNMENT)
    notebook = student.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.is_file(), f"Fetch should bring {notebook}"
    assert notebook.stat().st_uid == student.home.stat().st_uid, (
        f"expected the fetched notebook to belong to {student.name}"
    )
    student.write(notebook, nbformat.writes(fill(read(str(notebook)), cells)).encode())
    fetched.get_by_role("button", name="Submit").click()
    playwright.expect(panel.locator("#submitted_assignments_list")).to_contain_text(ASSIGNMENT)
    return time.monotonic()


def fetch_feedback(panel, seconds: float) -> None:
    """Refresh the panel until the submission has feedback to fetch (within ``seconds``), then
    Fetch Feedback and wait for the link to it."""
    submitted = panel.locator("#submitted_assignments_list")
    available = submitted.get_by_text("(feedback available to fetch)")
    deadline = time.monotonic() + seconds
    while not available.count():
        assert time.monotonic() < deadline, f"expected feedback to fetch within {seconds:g} s"
        time.sleep(2)
        panel.locator("#refresh_assignments_list").click()
        playwright.expect(submitted).to_contain_text(ASSIGNMENT)
    submitted.get_by_role("button", name="Fetch Feedback").click()
    playwright.expect(submitted.get_by_text("(view feedback)")).to_be_visible()


def feedback_page(student: Student) -> str:
    """The text of the student's one fetched feedback page."""
    pages = sorted((student.home / ASSIGNMENT / "feedback").glob("*/*.html"))
    assert len(pages) == 1, f"expected one fetched feedback page of {student.name}, got {pages}"
    return page_text(pages[0].read_text())


def servers_of(student: Student) -> list[str]:
    """The process ids of single-user servers that run as ``student``."""
    found = subprocess.run(
        ["pgrep", "-u", student.name, "-f", "jupyterhub.singleuser"],
        capture_output=True,
        text=True,
    )
    return found.stdout.split()


def heading(course: Course, student: Student) -> str:
    """The score line a feedback page of ``student`` shows, from the gradebook."""
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, student.name)
        return f"{ASSIGNMENT} (Score: {submission.score:.1f} / {submission.max_score:.1f})"


def test_students_submit_in_the_assignments_panel_and_fetch_their_feedback(
    browser, course_hub: CourseHub
):
    ada, bob, _ = course_hub.shared.students
    contexts, panels, submitted = [], {}, {}
    for student, cells in ((ada, course_hub.solutions), (bob, {})):
        context = browser.new_context(viewport={"width": 1200, "height": 1000})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        panels[student.name] = log_in(context.new_page(), course_hub, student)
        if student is ada:
            screenshot(panels[ada.name].page, "assignment_list_released")
        submitted[student.name] = fetch_and_submit(panels[student.name], student, cells)
        assert servers_of(student), f"expected {student.name}'s JupyterLab to run as that user"
    for student in (ada, bob):
        fetch_feedback(
            panels[student.name], PROMISED - (time.monotonic() - submitted[student.name])
        )
    screenshot(panels[ada.name].page, "assignment_list")
    for context in contexts:
        context.close()

    full = heading(course_hub.course, ada)
    assert full.endswith("(Score: 25.0 / 25.0)") and full in feedback_page(ada), (
        f"expected {ada.name}'s fetched page to show {full!r}, got {feedback_page(ada)[:300]!r}"
    )
    empty = heading(course_hub.course, bob)
    assert f"{ASSIGNMENT} (Score: 0.0" in empty and empty in feedback_page(bob), (
        f"expected {bob.name}'s fetched page to show {empty!r}, got {feedback_page(bob)[:300]!r}"
    )


def test_a_user_not_on_the_roster_is_shown_nothing_to_fetch(page, course_hub: CourseHub):
    *_, eve = course_hub.shared.students
    panel = log_in(page, course_hub, eve)
    playwright.expect(panel).to_contain_text("No courses found.")
    released = panel.locator("#released_assignments_list")
    playwright.expect(released).to_contain_text("There are no assignments to fetch.")
    playwright.expect(released).not_to_contain_text(ASSIGNMENT)
    screenshot(page, "assignment_list_not_on_roster")
    assert not (eve.home / ASSIGNMENT).exists(), f"expected nothing of {ASSIGNMENT} in {eve.home}"
    readable = eve.readable_files(course_hub.shared.exchange)
    assert not readable, f"expected {eve.name} to read nothing in the exchange, got {readable}"
