"""Settings of the ex10 hidden tests for the judge's plugin (:mod:`grading.judge.pytest_plugin`)."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def trusted_modules() -> list[Path]:
    """The stand-ins of the tasks other tasks build on, loaded into the student worker."""
    return [HERE / "stand_ins.py"]
