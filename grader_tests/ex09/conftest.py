"""Settings of the ex09 hidden tests for the judge's plugin (:mod:`grading.judge.pytest_plugin`)."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def trusted_modules() -> list[Path]:
    """The stand-ins and the training probes, loaded into the student worker."""
    return [HERE / "stand_ins.py", HERE / "probes.py"]
