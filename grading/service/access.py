"""Only the course's students reach its folder of nbgrader's exchange: a Unix group per course,
made from the roster, owns that folder (mode 0750).

nbgrader's exchange is one folder that every user of the hub reaches, and what a course releases
there is readable by all (outbound is 0755). nbgrader's JupyterHubAuthPlugin chooses which courses
a user is shown, but in the user's own process, which anyone can bypass by reading the folder. Here
the kernel decides: the course's folder belongs to the instructor and the course's group, whose
members are the roster's students that have an account on the hub, and the instructor; others
cannot enter it, so they can neither fetch, nor submit, nor read feedback.

Run as root (the hub's administrator) in the course checkout after each change of the roster:
``python -m grading.service.access`` (``make exchange-access``). A student added to the group
reaches the course from their next login; a server already running keeps the groups it started
with.
"""

from __future__ import annotations

import argparse
import grp
import os
import pwd
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory

from grading import course

#: The course folder's mode: the instructor writes, the course's group enters and reads.
COURSE_FOLDER_MODE = 0o750
#: The exchange root's mode: everyone creates entries (nbgrader needs 0777), and the sticky bit
#: keeps anyone from renaming or removing another's (nbgrader compares only the low nine bits).
EXCHANGE_ROOT_MODE = 0o1777


@dataclass(frozen=True)
class Access:
    """Who may enter the course's folder of the exchange."""

    folder: Path  # <Exchange.root>/<course id>
    group: str
    instructor: str
    members: tuple[str, ...]  # the instructor and the roster's students with an account
    without_account: tuple[str, ...]  # students on the roster with no account on this machine


def group_name(course_id: str) -> str:
    """The course's Unix group: ``nbgrader-<course id>``."""
    return f"nbgrader-{course_id}"


def has_account(user: str) -> bool:
    """Whether ``user`` is an account on this machine."""
    try:
        pwd.getpwnam(user)
    except KeyError:
        return False
    return True


def exposure(folder: Path) -> str | None:
    """Why the course's ``folder`` of the exchange lets users outside the roster in (every user
    may enter it), or None (it is the course group's, or does not exist yet)."""
    try:
        mode = folder.stat().st_mode
    except FileNotFoundError:
        return None
    if mode & 0o001:
        return (
            f"every user of the hub can enter {folder} and fetch what it holds: run "
            "`sudo make exchange-access` after each change of the roster"
        )
    return None


def plan(root: Path, instructor: str | None = None, group: str | None = None) -> Access:
    """Who may enter the course's folder, from the course at ``root``: its roster (the gradebook)
    and its instructor (by default, the owner of its ``nbgrader_config.py``)."""
    config = course.load_config(root)
    coursedir = CourseDirectory(config=config)
    instructor = instructor or pwd.getpwuid((root / "nbgrader_config.py").stat().st_uid).pw_name
    with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
        roster = sorted(student.id for student in gradebook.students)
    return Access(
        folder=Path(config.Exchange.root) / coursedir.course_id,
        group=group or group_name(coursedir.course_id),
        instructor=instructor,
        members=tuple(sorted({instructor, *filter(has_account, roster)})),
        without_account=tuple(user for user in roster if not has_account(user)),
    )


def apply(access: Access) -> None:
    """Make the group (if new) with exactly ``access.members``, and give it the course's folder
    (made if missing); the folder is opened without following links and must belong to the
    instructor, so a folder or link planted there by someone else is refused."""
    try:
        grp.getgrnam(access.group)
    except KeyError:
        subprocess.run(["groupadd", access.group], check=True)
    subprocess.run(["gpasswd", "--members", ",".join(access.members), access.group], check=True)
    exchange = access.folder.parent
    exchange.mkdir(mode=0o777, parents=True, exist_ok=True)
    if stat.S_IMODE(exchange.stat().st_mode) != EXCHANGE_ROOT_MODE:
        exchange.chmod(EXCHANGE_ROOT_MODE)
    instructor = pwd.getpwnam(access.instructor)
    try:
        os.mkdir(access.folder, COURSE_FOLDER_MODE)
        os.chown(access.folder, instructor.pw_uid, instructor.pw_gid, follow_symlinks=False)
    except FileExistsError:
        pass
    try:
        folder = os.open(access.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except NotADirectoryError:
        raise PermissionError(
            f"{access.folder} is not a folder (a link or a file someone made): remove it and run "
            "this again"
        ) from None
    try:
        owner = os.fstat(folder).st_uid
        if owner != instructor.pw_uid:
            raise PermissionError(
                f"{access.folder} belongs to uid {owner}, not to the instructor "
                f"{access.instructor}: remove it (someone else made it) and run this again"
            )
        os.fchown(folder, instructor.pw_uid, grp.getgrnam(access.group).gr_gid)
        os.fchmod(folder, COURSE_FOLDER_MODE)
    finally:
        os.close(folder)


def main(argv: list[str] | None = None) -> int:
    """``python -m grading.service.access [--instructor USER] [--group GROUP]`` in the course
    root, as root."""
    parser = argparse.ArgumentParser(
        prog="python -m grading.service.access", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--instructor", help="default: the owner of nbgrader_config.py")
    parser.add_argument("--group", help="default: nbgrader-<course id>")
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("run this as root: it manages a Unix group and the exchange", file=sys.stderr)
        return 1
    access = plan(Path.cwd(), args.instructor, args.group)
    apply(access)
    print(
        f"{access.folder}: {access.instructor} and group {access.group}, mode "
        f"{COURSE_FOLDER_MODE:o}; members: {', '.join(access.members)}"
    )
    if access.without_account:
        print(f"on the roster without an account here: {', '.join(access.without_account)}")
    print("students reach the course from their next login (a running server keeps its groups)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
