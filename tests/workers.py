"""Student worker processes on tiny submissions, for the tests of :mod:`grading.student`."""

from __future__ import annotations

from collections.abc import Sequence

from grading.student import StudentProcess

PREAMBLE = "import numpy as np\nimport torch\nfrom torch import nn\n"


def start(
    cells: dict[str, str],
    timeout: float = 20.0,
    tripwires: Sequence[str] = (),
    library_advice: str = "",
) -> StudentProcess:
    """A worker on the solution cells ``{grade id: source}`` after :data:`PREAMBLE`."""
    bundle = {
        "preamble": [PREAMBLE],
        "cells": [{"grade_id": k, "source": v} for k, v in cells.items()],
        "tripwires": list(tripwires),
    }
    return StudentProcess(bundle, timeout=timeout, library_advice=library_advice)
