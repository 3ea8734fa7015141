"""Collecting a submission copies its owner's plain files and nothing a link points at."""

from __future__ import annotations

import os
import pwd
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from traitlets.config import Config

from grading.service.collect import Collector, UnsafeSubmission, collect_newest
from grading.service.inbox import Arrival
from support.courses import configured_course

ASSIGNMENT = "ex10"


@pytest.fixture
def course(tmp_path: Path) -> tuple[Collector, Path]:
    """A collector on a course in ``tmp_path`` and an inbound folder beside it."""
    config = Config()
    config.CourseDirectory.root = str(tmp_path / "course")
    (tmp_path / "course").mkdir()
    (tmp_path / "inbound").mkdir()
    return Collector(tmp_path / "course", config), tmp_path / "inbound"


def submission(inbound: Path, files: dict[str, bytes]) -> Arrival:
    name = f"ada+{ASSIGNMENT}+2026-12-01 10:00:00.000000 UTC+r"
    folder = inbound / name
    for path, content in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(content)
    return Arrival(name, "ada", ASSIGNMENT, datetime(2026, 12, 1, 10), folder)


def collected(collector: Collector) -> dict[str, bytes]:
    folder = Path(collector.coursedir.root) / "submitted" / "ada" / ASSIGNMENT
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_plain_files_are_collected_without_ignored_ones(course):
    collector, inbound = course
    arrival = submission(
        inbound,
        {
            f"{ASSIGNMENT}.ipynb": b"{}",
            "timestamp.txt": b"2026-12-01 10:00:00.000000 UTC",
            "data/extra.txt": b"mine",
            ".ipynb_checkpoints/old.ipynb": b"{}",
        },
    )
    collector.collect(arrival)
    assert collected(collector) == {
        f"{ASSIGNMENT}.ipynb": b"{}",
        "timestamp.txt": b"2026-12-01 10:00:00.000000 UTC",
        "data/extra.txt": b"mine",
    }, f"expected the plain files without checkpoints, got {collected(collector)}"


@pytest.mark.parametrize("kind", ["symbolic link", "hard link", "pipe", "linked folder"])
def test_a_link_or_special_file_refuses_the_whole_submission(course, tmp_path, kind):
    collector, inbound = course
    secret = tmp_path / "gradebook.db"
    secret.write_bytes(b"the instructor's")
    arrival = submission(inbound, {f"{ASSIGNMENT}.ipynb": b"{}"})
    planted = arrival.path / "planted"
    if kind == "symbolic link":
        planted.symlink_to(secret)
    elif kind == "hard link":
        os.link(secret, planted)
    elif kind == "pipe":
        os.mkfifo(planted)
    else:
        planted.symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(UnsafeSubmission, match="planted"):
        collector.collect(arrival)
    assert collected(collector) == {}, f"expected nothing collected, got {collected(collector)}"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_another_users_file_refuses_the_submission(course):
    collector, inbound = course
    arrival = submission(inbound, {f"{ASSIGNMENT}.ipynb": b"{}", "theirs.txt": b"x"})
    nobody = pwd.getpwnam("nobody")
    os.chown(arrival.path / "theirs.txt", nobody.pw_uid, nobody.pw_gid)
    with pytest.raises(UnsafeSubmission, match="another user"):
        collector.collect(arrival)


def test_a_new_collection_replaces_the_old_one(course):
    collector, inbound = course
    first = submission(inbound, {f"{ASSIGNMENT}.ipynb": b"1", "old.txt": b"old"})
    collector.collect(first)
    (first.path / "old.txt").unlink()
    (first.path / f"{ASSIGNMENT}.ipynb").write_bytes(b"2")
    collector.collect(first)
    assert collected(collector) == {f"{ASSIGNMENT}.ipynb": b"2"}, (
        f"expected only the newer submission's files, got {collected(collector)}"
    )


@pytest.mark.skipif(os.geteuid() != 0, reason="giving folders to other users needs root")
def test_make_collect_takes_each_students_own_newest_submission(tmp_path):
    root, exchange = tmp_path / "course", tmp_path / "exchange"
    root.mkdir()
    with Gradebook(configured_course(root, "course", exchange)) as gradebook:
        gradebook.add_assignment(ASSIGNMENT)
        gradebook.add_notebook(ASSIGNMENT, ASSIGNMENT)
    inbound = exchange / "course" / "inbound"
    inbound.mkdir(parents=True)
    nobody, daemon = pwd.getpwnam("nobody"), pwd.getpwnam("daemon")
    for when, owner, content in (
        ("2026-12-01 10:00:00.000000 UTC", nobody, b"old"),
        ("2026-12-01 11:00:00.000000 UTC", nobody, b"own newest"),
        ("2026-12-01 12:00:00.000000 UTC", daemon, b"planted by daemon"),
    ):
        folder = inbound / f"nobody+{ASSIGNMENT}+{when}+r"
        folder.mkdir()
        (folder / f"{ASSIGNMENT}.ipynb").write_bytes(content)
        (folder / "timestamp.txt").write_text(when)
        for path in (folder, *folder.iterdir()):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    lines = collect_newest(root, ASSIGNMENT)
    notebook = root / "submitted" / "nobody" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert notebook.read_bytes() == b"own newest", (
        f"expected nobody's own newest submission collected, got {notebook.read_bytes()!r}"
    )
    assert any("12:00:00" in line and "not collected" in line for line in lines), (
        f"expected the planted folder reported, got {lines}"
    )
    again = [line for line in collect_newest(root, ASSIGNMENT) if ": collected" in line]
    assert again == [], f"expected nothing newer to collect the second time, got {again}"
