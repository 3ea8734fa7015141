"""Collecting one submission: its folder in the exchange copied into ``submitted/``, as ``nbgrader
collect --update`` copies a student's newest (nbgrader's own copy, with the course's ignore, include
and size limits), then renamed notebooks put where nbgrader looks for them
(:mod:`grading.batch.intake`)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeCollect
from traitlets.config import Config

from grading.batch.intake import intake
from grading.service.inbox import Arrival

LOG = logging.getLogger("grading.service")


class Collector:
    """Collects submissions into the course at ``root``."""

    def __init__(self, root: Path, config: Config) -> None:
        self.root = root
        self.coursedir = CourseDirectory(config=config)
        self.exchange = ExchangeCollect(
            coursedir=self.coursedir, authenticator=Authenticator(config=config), config=config
        )

    def collect(self, arrival: Arrival) -> None:
        """Make the submission the student's collected one, replacing what was there."""
        destination = Path(
            self.coursedir.format_path(
                self.coursedir.submitted_directory, arrival.student, arrival.assignment
            )
        )
        if destination.exists():
            shutil.rmtree(destination)
        destination.parent.mkdir(parents=True, exist_ok=True)
        self.exchange.do_copy(str(arrival.path), str(destination))
        for message in intake(self.root, arrival.assignment):
            LOG.info("%s", message)
