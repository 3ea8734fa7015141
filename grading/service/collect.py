"""Collecting submissions: a folder in the exchange copied into ``submitted/``, as ``nbgrader
collect --update`` copies a student's newest, with the course's rules (``CourseDirectory.ignore``,
``include``, ``max_file_size``, ``max_dir_size``); then renamed notebooks are put where nbgrader
looks for them (:mod:`grading.batch.intake`). The feedback service collects each submission as it
comes; ``make collect`` (``python -m grading.service.collect ASSIGNMENT``) each student's newest.

Unlike nbgrader's copy, it never follows a link. The collector runs with the instructor's rights
and the submission folder is the student's (mode 0777 even, as ``nbgrader submit`` leaves it): a
symbolic or hard link to the gradebook or a hidden test, swapped in at any moment, would otherwise
be copied into ``submitted/``, where the student's code runs beside it. Every entry is opened
without following links, relative to its already opened folder, and checked on the open
descriptor: a folder, or a plain file with one link owned by the submission's owner. Anything else
(a link, a device, a pipe, another user's file) refuses the whole submission.
"""

from __future__ import annotations

import argparse
import fnmatch
import logging
import os
import shutil
import stat
import sys
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from grading import course
from grading.batch.intake import intake
from grading.batch.selection import submission_folder, submitted_at
from grading.gradebook_lock import refusal
from grading.service.inbox import Arrival, arrivals, inbound

LOG = logging.getLogger("grading.service")
_OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_OPEN_FOLDER = _OPEN_FILE | os.O_DIRECTORY


class UnsafeSubmission(Exception):
    """The submission holds something other than its owner's plain files and folders."""


class Collector:
    """Collects submissions into the course at ``root``."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.coursedir = CourseDirectory(config=config)
        self._copied = 0

    def collect(self, arrival: Arrival) -> None:
        """Make the submission the student's collected one, replacing what was there; raises
        :class:`UnsafeSubmission` (collecting nothing) when it is not plain files. Renamed
        notebooks are left to the intake."""
        destination = submission_folder(self.coursedir, arrival.assignment, arrival.student)
        incoming = destination.with_name(f".{destination.name}.collecting")
        shutil.rmtree(incoming, ignore_errors=True)
        incoming.parent.mkdir(parents=True, exist_ok=True)
        folder = os.open(arrival.path, _OPEN_FOLDER)
        try:
            owner = os.fstat(folder).st_uid
            self._copied = 0
            self._copy_folder(folder, incoming, owner, Path(arrival.name))
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        finally:
            os.close(folder)
        shutil.rmtree(destination, ignore_errors=True)
        incoming.rename(destination)

    def _copy_folder(self, folder: int, destination: Path, owner: int, shown: Path) -> None:
        destination.mkdir()
        for name in sorted(os.listdir(folder)):
            if any(fnmatch.fnmatch(name, pattern) for pattern in self.coursedir.ignore):
                continue
            try:
                entry = os.open(name, _OPEN_FILE, dir_fd=folder)
            except OSError as error:  # ELOOP: a symbolic link
                raise UnsafeSubmission(f"{shown / name} is a link or cannot be read") from error
            try:
                info = os.fstat(entry)
                if info.st_uid != owner:
                    raise UnsafeSubmission(f"{shown / name} belongs to another user")
                if stat.S_ISDIR(info.st_mode):
                    self._copy_folder(entry, destination / name, owner, shown / name)
                elif stat.S_ISREG(info.st_mode) and info.st_nlink == 1:
                    self._copy_file(entry, info, destination / name, name)
                else:
                    raise UnsafeSubmission(f"{shown / name} is not a plain file")
            finally:
                os.close(entry)

    def _copy_file(self, entry: int, info: os.stat_result, destination: Path, name: str) -> None:
        include = self.coursedir.include
        if include and not any(fnmatch.fnmatch(name, pattern) for pattern in include):
            return
        if info.st_size > 1000 * self.coursedir.max_file_size:
            LOG.warning("not collected, too large (CourseDirectory.max_file_size): %s", name)
            return
        self._copied += info.st_size
        if self._copied > 1000 * self.coursedir.max_dir_size:
            raise UnsafeSubmission("the submission is larger than CourseDirectory.max_dir_size")
        os.set_blocking(entry, True)
        with os.fdopen(os.dup(entry), "rb") as source, destination.open("wb") as target:
            shutil.copyfileobj(source, target)
        os.utime(destination, ns=(info.st_atime_ns, info.st_mtime_ns))


def collect_newest(root: Path, assignment: str) -> list[str]:
    """Collect each student's newest submission of ``assignment`` that is newer than the one
    collected (``nbgrader collect --update``), skipping folders that name a student they do not
    belong to; one line per student collected or refused."""
    config = course.load_config(root)
    collector = Collector(root, config)
    found = arrivals(
        inbound(Path(config.Exchange.root), collector.coursedir.course_id), {assignment}
    )
    lines, newest = [], {}
    for arrival in found:  # oldest first: the newest of each student stays
        if forged := arrival.forged():
            lines.append(f"{arrival.name}: not collected: {forged}")
        else:
            newest[arrival.student] = arrival
    for student, arrival in sorted(newest.items()):
        collected = submitted_at(submission_folder(collector.coursedir, assignment, student))
        if collected is not None and collected >= arrival.submitted:
            continue
        try:
            collector.collect(arrival)
        except UnsafeSubmission as error:
            lines.append(f"{student}: not collected: {error}")
            continue
        lines.append(f"{student}: collected the submission of {arrival.submitted} UTC")
    return lines + intake(root, assignment)


def main(argv: list[str] | None = None) -> int:
    """``python -m grading.service.collect ASSIGNMENT ...`` in the course root."""
    parser = argparse.ArgumentParser(description=collect_newest.__doc__.splitlines()[0])
    parser.add_argument("assignment", nargs="+")
    args = parser.parse_args(argv)
    root = Path.cwd()
    if why := refusal(root, "make collect"):
        print(why, file=sys.stderr)
        return 1
    for assignment in args.assignment:
        print("\n".join(collect_newest(root, assignment)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
