"""The exchange's inbound folder as the service reads it."""

from __future__ import annotations

import os
import pwd
from datetime import datetime

import pytest

from grading.service.inbox import arrivals


def submit(folder, name):
    (folder / name).mkdir()
    return folder / name


def test_submissions_are_read_oldest_first_and_bad_names_skipped(tmp_path):
    submit(tmp_path, "ada+ex10+2026-12-02 10:00:00.000000 UTC+r1")
    submit(tmp_path, "bob+ex10+2026-12-01 09:00:00.000000 UTC+r2")
    submit(tmp_path, "eve+ex09+2026-12-01 08:00:00.000000 UTC+r3")
    submit(tmp_path, "not-a-submission")
    submit(tmp_path, "mal+ex10+yesterday-ish+r4")
    found = arrivals(tmp_path, {"ex10"})
    assert [(a.student, a.submitted) for a in found] == [
        ("bob", datetime(2026, 12, 1, 9)),
        ("ada", datetime(2026, 12, 2, 10)),
    ], f"expected ex10's two submissions, oldest first, got {found}"


def test_a_missing_inbound_folder_has_no_submissions(tmp_path):
    assert arrivals(tmp_path / "absent", set()) == [], "expected no submissions"


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a folder's owner needs root")
def test_a_folder_that_names_another_student_is_forged(tmp_path):
    nobody = pwd.getpwnam("nobody")
    path = submit(tmp_path, "root+ex10+2026-12-01 09:00:00.000000 UTC+r1")
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    (claimed_by_root,) = arrivals(tmp_path, set())
    assert claimed_by_root.forged(), "expected a folder of nobody's that names root to be forged"
    own = submit(tmp_path, "nobody+ex10+2026-12-01 10:00:00.000000 UTC+r2")
    os.chown(own, nobody.pw_uid, nobody.pw_gid)
    assert arrivals(tmp_path, set())[1].forged() is None, "expected nobody's own folder to pass"
