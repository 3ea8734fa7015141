"""Where a batch's jobs run: a Dask cluster of threads in this process, or an existing one."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from distributed import Client, LocalCluster


def cluster(scheduler: str | None, jobs: int) -> tuple[Client, LocalCluster | None]:
    """A Dask client on the cluster at ``scheduler``, or on a local cluster of ``jobs`` worker
    threads in this process; also the local cluster (``None`` for a remote one).

    Jobs spend their time waiting for their grading process, so threads of this process serve them
    all (no worker process to start), and one fork server (:mod:`grading.batch.job`) imports
    nbgrader and torch once, not per job. Dask is imported here, when a batch starts, not with the
    command.
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    # The worker's statistical profiler, sampling every 10 ms, would only cost the jobs CPU time.
    dask.config.set({"distributed.worker.profile.enabled": False})
    local = LocalCluster(
        n_workers=1,
        threads_per_worker=jobs,
        processes=False,
        dashboard_address=None,
        memory_limit=0,  # the sandbox caps student code's memory
        silence_logs=logging.WARNING,
    )
    return Client(local), local
