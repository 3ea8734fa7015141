"""Feedback within a minute of submitting: the service the instructor runs on the hub.

It watches nbgrader's exchange for new submissions (polling, which works on a network file system),
collects each as ``nbgrader collect --update`` would, grades it with the batch's job engine (local
jobs, or ``--scheduler`` for a Dask cluster) and releases that student's feedback, so that
``nbgrader fetch_feedback`` and JupyterLab's Assignments panel show it. What the feedback shows
before the due date, and how many submissions a day are graded, are the instructor's choice
(``c.FeedbackService.*`` in ``nbgrader_config.py``). While it runs it is the gradebook's only
writer: ``make collect`` and ``make autograde`` refuse to run beside it.

Usage: ``python -m grading.service [ASSIGNMENT ...] [--jobs N] [--scheduler ADDRESS]`` in the
course root (``make serve-feedback``); one log line per submission on stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

from grading.gradebook_lock import ServiceLock
from grading.service.serve import Service


def main(
    *,
    root: Path,
    assignments: list[str],
    jobs: int | None = None,
    scheduler: str | None = None,
    stop: threading.Event | None = None,
    idle_exit: bool = False,
) -> int:
    """Serve the course at ``root`` until ``stop`` is set (or SIGTERM, or SIGINT); with
    ``idle_exit``, until nothing is left to do. 0 when it stopped as asked, 2 when another
    service holds the course."""
    warnings.filterwarnings("ignore", module="nbgrader.api")  # SQLAlchemy warnings
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    lock = ServiceLock(root)
    try:
        lock.acquire()
    except RuntimeError as error:
        logging.getLogger("grading.service").error("%s", error)
        return 2
    try:
        service = Service(root, assignments, jobs or os.cpu_count() or 1, scheduler)
        # nbgrader's API loggers start at INFO: one line per file it copies; its results keep them
        logging.getLogger("traitlets").setLevel(logging.WARNING)
        try:
            service.serve(stop, idle_exit=idle_exit)
        finally:
            service.close()
    finally:
        lock.release()
    return 0


def cli() -> None:
    """``python -m grading.service [ASSIGNMENT ...] [--jobs N] [--scheduler ADDRESS]``."""
    parser = argparse.ArgumentParser(
        prog="python -m grading.service", description=__doc__.splitlines()[0]
    )
    parser.add_argument("assignment", nargs="*", help="assignments to serve (default: all)")
    parser.add_argument("--jobs", type=int, help="parallel jobs on this machine (default: cores)")
    parser.add_argument("--scheduler", help="address of a Dask scheduler (tcp://HOST:8786)")
    parser.add_argument(
        "--until-idle", action="store_true", help="stop once nothing is left to do (for scripts)"
    )
    args = parser.parse_args()
    # Its own lines, and only the warnings of nbgrader and Dask, which say much per submission.
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S"
    )
    logging.getLogger("grading.service").setLevel(logging.INFO)
    sys.exit(
        main(
            root=Path.cwd(),
            assignments=args.assignment,
            jobs=args.jobs,
            scheduler=args.scheduler,
            idle_exit=args.until_idle,
        )
    )
