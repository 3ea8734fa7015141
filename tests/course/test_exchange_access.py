"""Only the roster reaches the course's folder of the exchange (``make exchange-access``), with
real Unix users.

As root (the hub's administrator, and here the instructor) a course copy releases ex10 to an
exchange folder; ``python -m grading.service.access`` gives the course folder to a group made from
the roster. A student on the roster fetches; a user of the same hub who is not on it can neither
fetch, nor list, nor read what was released, until the roster names them and the command runs
again. A folder planted in the course's place by another user is refused. Skipped, saying why,
where accounts cannot be made (not root, no useradd).
"""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from support.accounts import SharedHub, Student, shared_hub
from support.courses import Course

pytestmark = pytest.mark.slow

COURSE_ID = "cnn-exercises"
ASSIGNMENT = "ex10"


@dataclass
class Hub:
    """The instructor's course on a hub with one student on the roster and one not."""

    course: Course
    shared: SharedHub
    enrolled: Student
    outsider: Student
    group: str

    def grant(self) -> subprocess.CompletedProcess:
        """``python -m grading.service.access`` in the course, as the administrator runs it."""
        return self.course.run(
            sys.executable, "-m", "grading.service.access", "--group", self.group, check=False
        )

    def fetch(self, student: Student) -> subprocess.CompletedProcess:
        """``nbgrader fetch_assignment`` as ``student``."""
        fetch = ("fetch_assignment", ASSIGNMENT, "--course", COURSE_ID)
        return student.run(
            str(student.python), "-m", "nbgrader", *fetch, self.shared.exchange_option, check=False
        )


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    dist = tmp_path_factory.mktemp("dist")
    with shared_hub("cnn-access-", ["cnn-in", "cnn-out"], dist) as shared:
        enrolled, outsider = shared.students
        course = Course(tmp_path_factory.mktemp("instructor"))
        with (course.root / "nbgrader_config.py").open("a") as config:
            config.write(f"c.Exchange.root = {str(shared.exchange)!r}\n")
        course.nbgrader("db", "student", "add", enrolled.name)
        course.nbgrader("db", "student", "add", "cnn-no-account-here")
        course.nbgrader("generate_assignment", ASSIGNMENT, "--force")
        course.nbgrader("release_assignment", ASSIGNMENT)
        group = f"nbgrader-test-{secrets.token_hex(3)}"
        try:
            yield Hub(course, shared, enrolled, outsider, group)
        finally:
            subprocess.run(["groupdel", group], check=False, capture_output=True)


def test_a_student_on_the_roster_fetches_and_others_cannot(hub: Hub):
    granted = hub.grant()
    assert granted.returncode == 0, f"expected the access command to succeed, got {granted.stderr}"
    assert "without an account here: cnn-no-account-here" in granted.stdout, (
        f"expected the roster's id without an account to be named, got {granted.stdout!r}"
    )
    assert hub.fetch(hub.enrolled).returncode == 0, "expected the enrolled student to fetch"

    refused = hub.fetch(hub.outsider)
    assert refused.returncode != 0, (
        f"expected {hub.outsider.name}, not on the roster, to be refused, got "
        f"{refused.stdout.decode()!r}"
    )
    folder = hub.shared.exchange / COURSE_ID
    assert not hub.outsider.can_list(folder), f"{hub.outsider.name} should not list {folder}"
    readable = hub.outsider.readable_files(hub.shared.exchange)
    assert not readable, f"expected {hub.outsider.name} to read nothing released, got {readable}"


def test_the_next_run_after_the_roster_changes_lets_the_new_student_in(hub: Hub):
    hub.course.nbgrader("db", "student", "add", hub.outsider.name)
    assert hub.grant().returncode == 0, "expected the access command to succeed"
    fetched = hub.fetch(hub.outsider)
    assert fetched.returncode == 0, (
        f"expected {hub.outsider.name}, now on the roster, to fetch; got {fetched.stderr!r}"
    )


@pytest.mark.parametrize("planted", ["folder", "link"])
def test_a_course_folder_planted_by_another_user_is_refused(hub: Hub, planted: str):
    exchange = hub.shared.exchange / f"planted-{planted}"
    course_folder = str(exchange / COURSE_ID)
    make = (
        f"os.mkdir({course_folder!r})"
        if planted == "folder"
        else f"os.symlink('/etc', {course_folder!r})"
    )
    script = f"import os; os.mkdir({str(exchange)!r}); {make}"
    hub.outsider.run(str(hub.outsider.python), "-c", script)
    with (hub.course.root / "nbgrader_config.py").open("a") as config:
        config.write(f"c.Exchange.root = {str(exchange)!r}\n")
    refused = hub.grant()
    assert refused.returncode != 0 and "remove it" in refused.stderr, (
        f"expected a course {planted} made by {hub.outsider.name} to be refused, got "
        f"{refused.returncode}: {refused.stderr[-500:]!r}"
    )
