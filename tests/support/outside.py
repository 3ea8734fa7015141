"""Files planted outside the course, where a grading user can read them, to show that student code
never can."""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Where a hub keeps nbgrader's exchange (``hub/nbgrader_config.py``).
EXCHANGE = Path("/srv/nbgrader/exchange")
#: What each planted file holds, before its tag.
SECRET = "SECRET"


@contextlib.contextmanager
def planted() -> Iterator[list[Path]]:
    """Plant a file in each place a grading user may read outside the course: a classmate's
    submission in a real exchange inbound, a home folder, root's home, another course, a service's
    state; each holds ``SECRET <tag>``. All are removed afterwards. Skips the test without root."""
    tag = f"planted-{uuid.uuid4().hex[:8]}"
    places = [
        Path(EXCHANGE, tag, "inbound", "classmate+ex09+2026-01-01", "ex09.ipynb"),
        Path("/home", tag, "notes.txt"),
        Path("/root", tag, "token"),
        Path("/opt", tag, "nbgrader_config.py"),
        Path("/var/lib", tag, "state"),
    ]
    made = [folder for folder in (EXCHANGE.parent, EXCHANGE) if not folder.exists()]
    try:
        for path in places:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{SECRET} {tag}")
    except PermissionError:
        pytest.skip("planting files outside the course needs root")
    try:
        yield places
    finally:
        for path in places:
            shutil.rmtree(next(folder for folder in path.parents if folder.name == tag), True)
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
