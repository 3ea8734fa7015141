"""Unit tests that make small gradebooks of their own (the feedback service's, the LMS exports')."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def scripts_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """nbgrader creates a gradebook with ``alembic`` from PATH: this interpreter's scripts first,
    as activating the virtual environment would."""
    scripts = str(Path(sys.executable).parent)
    monkeypatch.setenv("PATH", os.pathsep.join([scripts, os.environ.get("PATH", "")]))
