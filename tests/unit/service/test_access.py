"""Who reaches the course's folder of the exchange: the roster's group (``make exchange-access``).

The group and the folder's owner are set by the course test with real accounts
(``tests/course/test_exchange_access.py``); these check whom the plan names and when the service
warns.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from grading.service.access import exposure, plan
from support.courses import configured_course


def test_a_folder_every_user_may_enter_is_exposed(tmp_path: Path):
    folder = tmp_path / "cnn-exercises"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)  # whatever the umask
    assert "every user of the hub" in (exposure(folder) or ""), (
        f"expected a folder of mode 755 to be reported, got {exposure(folder)!r}"
    )


@pytest.mark.parametrize("mode", [0o750, 0o700])
def test_a_folder_of_the_group_or_a_missing_one_is_not(tmp_path: Path, mode: int):
    folder = tmp_path / "cnn-exercises"
    assert exposure(folder) is None, "expected no warning before the course is released"
    folder.mkdir()
    folder.chmod(mode)
    assert exposure(folder) is None, (
        f"expected no warning for mode {mode:o}, got {exposure(folder)}"
    )


def test_the_plan_names_the_instructor_and_the_roster_with_accounts(tmp_path: Path):
    gradebook_url = configured_course(tmp_path, "cnn-exercises", tmp_path / "exchange")
    with Gradebook(gradebook_url, "cnn-exercises") as gradebook:
        for student in ("nobody", "no-such-account-here"):
            gradebook.add_student(student)
    instructor = "root" if os.geteuid() == 0 else os.environ.get("USER", "")
    access = plan(tmp_path, instructor=instructor)
    assert access.folder == tmp_path / "exchange" / "cnn-exercises", (
        f"expected the course's folder of the exchange, got {access.folder}"
    )
    assert access.group == "nbgrader-cnn-exercises", f"got the group {access.group!r}"
    assert access.members == tuple(sorted({instructor, "nobody"})), (
        f"expected the instructor and the roster's account 'nobody', got {access.members}"
    )
    assert access.without_account == ("no-such-account-here",), (
        f"expected the roster's id without an account to be named, got {access.without_account}"
    )
