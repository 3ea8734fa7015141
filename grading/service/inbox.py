"""The submissions in nbgrader's exchange: each folder of the course's ``inbound``, as
``nbgrader submit`` names it (``STUDENT+ASSIGNMENT+TIMESTAMP+RANDOM``), and whether its owner is
the student it names."""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from nbgrader.utils import parse_utc


@dataclass(frozen=True)
class Arrival:
    """One submission in the exchange.

    Attributes:
        name: its folder's name in ``inbound`` (unique: the service's key for it).
        student: the student id the name claims.
        assignment: the assignment id.
        submitted: when ``nbgrader submit`` made it (naive UTC, as nbgrader reads it).
        path: its folder.
    """

    name: str
    student: str
    assignment: str
    submitted: datetime
    path: Path

    def forged(self) -> str | None:
        """Why the folder is not the student's own (it belongs to another user), or None.

        ``inbound`` is writable by every user of the hub, so anyone can make a folder that names
        another student; ``nbgrader collect`` only warns. A folder owned by root passes (the
        instructor's own tests and tools submit as root)."""
        try:
            owner = self.path.stat().st_uid
        except OSError as error:
            return f"cannot read its owner: {error}"
        if owner == 0:
            return None
        try:
            expected = pwd.getpwnam(self.student).pw_uid
        except KeyError:
            return f"no user {self.student!r} on this machine, but the folder names them"
        if owner != expected:
            return f"it names {self.student} but belongs to the user with uid {owner}"
        return None


def inbound(exchange_root: Path, course_id: str) -> Path:
    """The course's inbound folder in the exchange."""
    return exchange_root / course_id / "inbound"


def arrivals(folder: Path, assignments: set[str]) -> list[Arrival]:
    """The submissions of ``assignments`` (all when empty) in the inbound ``folder``, oldest
    first; names that do not parse are skipped."""
    found = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return []
    for entry in entries:
        parts = entry.name.rsplit("+", 3)
        if len(parts) != 4 or not entry.is_dir(follow_symlinks=False):
            continue
        student, assignment, timestamp, _ = parts
        if assignments and assignment not in assignments:
            continue
        try:
            submitted = parse_utc(timestamp)
        except (ValueError, OverflowError):
            continue
        found.append(Arrival(entry.name, student, assignment, submitted, Path(entry.path)))
    return sorted(found, key=lambda arrival: (arrival.submitted, arrival.name))
