"""Settings of the ex09 hidden tests for the judge's plugin (:mod:`grading.pytest_plugin`)."""

from pathlib import Path

import pytest

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def trusted_modules() -> list[Path]:
    """The stand-ins (``reference``) and the training probes, loaded into the student worker."""
    return [HERE / "reference.py", HERE / "probes.py"]
