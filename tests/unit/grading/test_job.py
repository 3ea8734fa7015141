"""What a grading job (:mod:`grading.batch.job`) hands on to the processes it starts."""

from __future__ import annotations

import subprocess
import sys

from grading.batch import job


def test_a_job_does_not_hand_the_nannys_malloc_tuning_to_its_processes(monkeypatch):
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")  # what Dask's nanny sets in a worker
    job.forget_nanny_tuning()
    seen = subprocess.run(
        [sys.executable, "-c", "import os; print(os.environ.get('MALLOC_TRIM_THRESHOLD_'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert seen == "None", f"expected a job's process to see no malloc tuning, it saw {seen!r}"
