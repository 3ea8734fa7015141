"""Student worker processes on tiny submissions, for the tests of :mod:`grading.judge.student`."""

from __future__ import annotations

from collections.abc import Sequence

from grading.judge.student import StudentProcess
from grading.protocol.messages import TrustedModule

PREAMBLE = "import numpy as np\nimport torch\nfrom torch import nn\n"

#: A trusted module as an assignment ships one: stand-ins for two student functions.
STAND_INS = TrustedModule(
    name="stand_ins",
    source="""
import numpy as np
import scipy.signal

from grading.worker.probes import stand_in


@stand_in
def add_padding_1d(x, filter_size):
    return np.pad(np.asarray(x, dtype=float), filter_size // 2)


@stand_in
def convolution_two_dimensional(x, h):
    return scipy.signal.convolve2d(x, h, mode="same")
""",
)


def start(
    cells: dict[str, str],
    timeout: float = 20.0,
    tripwires: Sequence[str] = (),
    modules: Sequence[TrustedModule] = (STAND_INS,),
) -> StudentProcess:
    """A worker on the solution cells ``{grade id: source}`` after :data:`PREAMBLE`, with the
    trusted ``modules`` loaded first and the ``tripwires`` wired."""
    bundle = {
        "preamble": [PREAMBLE],
        "cells": [{"grade_id": k, "source": v} for k, v in cells.items()],
        "modules": list(modules),
        "tripwires": list(tripwires),
    }
    return StudentProcess(bundle, timeout=timeout)
