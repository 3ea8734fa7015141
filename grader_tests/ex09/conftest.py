"""Settings of the ex09 hidden tests for the judge's plugin (:mod:`grading.pytest_plugin`)."""

import pytest
from library_use import LIBRARY_CONVOLUTIONS


@pytest.fixture(scope="session")
def tripwires() -> list[str]:
    """Calls into the student's functions must not reach a library convolution."""
    return list(LIBRARY_CONVOLUTIONS)


@pytest.fixture(scope="session")
def library_advice() -> str:
    return "use loops or array slicing instead"
