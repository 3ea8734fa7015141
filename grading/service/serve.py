"""The service's loop: look at the exchange, decide each submission's fate, grade, publish.

Each student's submissions of an assignment are taken one at a time, oldest first (collecting one
into ``submitted/`` while another of the same student is graded would mix them up); different
students are graded side by side, as many as the cluster has job slots. The gradebook is written
here alone, one result at a time (:class:`grading.batch.recording.Recorder`).
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nbgrader.coursedir import CourseDirectory

from grading import course
from grading.batch.cluster import cluster
from grading.batch.intake import intake
from grading.batch.job import JobResult, run
from grading.batch.recording import Recorder
from grading.batch.selection import job_timeout, jobs_for, template_gradebook
from grading.service import pages
from grading.service.access import exposure
from grading.service.collect import Collector, UnsafeSubmission
from grading.service.inbox import Arrival, arrivals, inbound
from grading.service.journal import Entry, Journal
from grading.service.limits import WINDOW
from grading.service.policy import Policy
from grading.service.publish import Publisher
from grading.service.settings import FeedbackService

if TYPE_CHECKING:
    from distributed import Future

LOG = logging.getLogger("grading.service")


@dataclass
class Grading:
    """A submission whose job is running."""

    arrival: Arrival
    shown: str
    future: Future


class Service:
    """The feedback service of the course at ``root``.

    Args:
        root: the course root (its ``nbgrader_config.py``, gradebook and folders).
        assignments: serve only these (default: every assignment with submissions).
        jobs: job slots of the local cluster (ignored with ``scheduler``).
        scheduler: address of an existing Dask scheduler for the jobs.
    """

    def __init__(
        self, root: Path, assignments: list[str], jobs: int, scheduler: str | None = None
    ) -> None:
        config = course.load_config(root)
        self.root = root
        self.assignments = set(assignments)
        self.settings = FeedbackService(config=config)
        self.coursedir = CourseDirectory(config=config)
        self.policy = Policy(self.settings, self.coursedir)
        self.inbound = inbound(Path(config.Exchange.root), self.coursedir.course_id)
        self.collector = Collector(root, config)
        self.timeout = job_timeout(config)
        self.journal = Journal(root)
        self.publisher = Publisher(root)
        self._scratch = tempfile.TemporaryDirectory(prefix="grading-service-")
        self.recorder = Recorder(root, Path(self._scratch.name))
        self.templates: dict[str, bytes] = {}
        self.running: dict[tuple[str, str], Grading] = {}
        self.known = {entry.name for entry in self.journal.entries()}
        self.client, self.local = cluster(scheduler, jobs)

    def close(self) -> None:
        """Stop the cluster and remove the scratch folder (jobs still running are lost; a restart
        grades them again)."""
        self.client.close()
        if self.local is not None:
            self.local.close()
        self.journal.close()
        self._scratch.cleanup()

    def serve(self, stop: threading.Event, idle_exit: bool = False) -> None:
        """Serve until ``stop`` is set (or, with ``idle_exit``, until nothing is left to do)."""
        self.resume()
        LOG.info("serving %s from %s", ", ".join(sorted(self.assignments)) or "all", self.inbound)
        if why := exposure(self.inbound.parent):
            LOG.warning("%s", why)
        while not stop.is_set():
            self.look()
            self.decide()
            if not self.running:
                if idle_exit and not self._waiting():
                    return
                stop.wait(self.settings.poll_seconds)
            else:
                self.finish(self.settings.poll_seconds)

    def resume(self) -> None:
        """Take up what a previous run left: a submission it was grading is graded again, one it
        graded is published."""
        for entry in self.journal.entries("grading"):
            self.journal.move(entry.name, "received")
        for entry in self.journal.entries("graded"):
            arrival = self._arrival(entry)
            if arrival is not None:
                self._publish(arrival, entry, self.policy.shown(arrival))

    def look(self) -> None:
        """Record the submissions that arrived since the last look; refuse forged ones."""
        self.policy.refresh()
        for arrival in arrivals(self.inbound, self.assignments):
            if arrival.name in self.known:
                continue
            self.known.add(arrival.name)
            if not self.journal.receive(arrival):
                continue
            LOG.info("%s %s received %s", arrival.student, arrival.assignment, arrival.name)
            refused = arrival.forged() or self.policy.unknown(arrival.student)
            if refused:
                self._reject(arrival, refused)

    def _reject(self, arrival: Arrival, why: str) -> None:
        """Refuse the submission for good (no page: it is not the named student's, or not plain
        files)."""
        self.journal.move(arrival.name, "rejected", reason=why)
        LOG.warning("%s %s rejected: %s", arrival.student, arrival.assignment, why)

    def _collect(self, arrival: Arrival) -> bool:
        """Collect the submission; False (and it is rejected) when it is not plain files."""
        try:
            self.collector.collect(arrival)
        except UnsafeSubmission as error:
            self._reject(arrival, str(error))
            return False
        for message in intake(self.root, arrival.assignment):
            LOG.info("%s", message)
        return True

    def decide(self) -> None:
        """Start, defer or give a receipt to each waiting submission whose student has nothing
        being graded."""
        now = time.time()
        waiting = self.journal.entries("received", "deferred")
        for key in dict.fromkeys((e.student, e.assignment) for e in waiting):
            if key not in self.running:
                self._decide_for([e for e in waiting if (e.student, e.assignment) == key], now)

    def _decide_for(self, entries: list[Entry], now: float) -> None:
        """The waiting submissions of one student and assignment, oldest first."""
        received = [e for e in entries if e.state == "received"]
        for entry in entries:
            if entry.state == "deferred" and received:
                self.journal.move(entry.name, "superseded")  # a newer one takes its turn
        for entry in received:
            arrival = self._arrival(entry)
            if arrival is None:
                continue
            is_last = entry is received[-1]
            if not self._defer(arrival, entry, now, last=is_last):
                self._start(arrival)
                return
        deferred = [e for e in entries if e.state == "deferred"]
        if not received and deferred:
            entry = deferred[-1]
            if self.policy.turn_has_come(entry, now):
                arrival = self._arrival(entry)
                if arrival is not None:
                    self._start(arrival)

    def _defer(self, arrival: Arrival, entry: Entry, now: float, last: bool) -> bool:
        """Give the submission a receipt or a deferral page instead of grading it now; whether it
        did (or refused it). A submission that is not the student's last waiting one is
        superseded."""
        graded = self.journal.graded_since(arrival.student, arrival.assignment, now - WINDOW)
        held = self.policy.hold(arrival, graded, now)
        if held is None:
            return False
        next_at, html = held
        if self._collect(arrival):
            self._page(arrival, html)
            self.journal.move(entry.name, "deferred", next_at=next_at)
            LOG.info(
                "%s %s not graded until %s",
                arrival.student,
                arrival.assignment,
                next_at or "the due date",
            )
            self._supersede_unless(last, entry)
        return True

    def _supersede_unless(self, last: bool, entry: Entry) -> None:
        if not last:
            self.journal.move(entry.name, "superseded")

    def _start(self, arrival: Arrival) -> None:
        """Collect the submission and send its job to the cluster."""
        if not self._collect(arrival):
            return
        template = self.templates.get(arrival.assignment)
        if template is None:
            template = template_gradebook(self.coursedir, Path(self._scratch.name))
            self.templates[arrival.assignment] = template
        (job,) = jobs_for(
            self.coursedir, arrival.assignment, [arrival.student], template, self.timeout
        )
        future = self.client.submit(run, job, key=f"feedback-{arrival.name}", pure=False)
        self.journal.move(arrival.name, "grading")
        self.running[(arrival.student, arrival.assignment)] = Grading(
            arrival, self.policy.shown(arrival), future
        )

    def finish(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for a job to end; record and publish each one that
        did."""
        from distributed import wait
        from distributed.client import FuturesCancelledError

        futures = [grading.future for grading in self.running.values()]
        try:
            wait(futures, timeout=timeout, return_when="FIRST_COMPLETED")
        except TimeoutError:
            return
        except FuturesCancelledError:
            pass  # a cancelled job is recorded as lost below
        for key, grading in list(self.running.items()):
            if grading.future.done():
                del self.running[key]
                self._record(grading)

    def _record(self, grading: Grading) -> None:
        arrival = grading.arrival
        try:
            result = grading.future.result()
        except Exception as error:  # noqa: BLE001 - a lost job costs only its submission
            result = JobResult.without_verdict(arrival.student, f"{type(error).__name__}: {error}")
        outcome = self.recorder.record(arrival.assignment, result)
        self.journal.move(
            arrival.name,
            "graded",
            graded=time.time(),
            score=None if outcome.error else outcome.score - outcome.late_penalty,
            max_score=outcome.max_score,
            reason=outcome.error,
        )
        self._publish(arrival, self.journal.entry(arrival.name), grading.shown)

    def _publish(self, arrival: Arrival, entry: Entry, shown: str) -> None:
        """Release the graded submission's feedback (or why it could not be graded), and log its
        line."""
        if entry.reason:
            self._page(
                arrival, pages.not_graded(arrival.assignment, arrival.submitted, entry.reason)
            )
        elif shown != "receipt":  # a receipt's page stays until the instructor returns feedback
            try:
                self.publisher.graded(arrival, shown)
            except (RuntimeError, OSError) as error:
                LOG.error(
                    "%s %s: feedback not released: %s", arrival.student, arrival.assignment, error
                )
        self.journal.move(entry.name, "released", released=time.time())
        LOG.info("%s", self.journal.entry(entry.name).line())

    def _page(self, arrival: Arrival, html: str) -> None:
        try:
            self.publisher.page(arrival, html)
        except (RuntimeError, OSError) as error:
            LOG.error("%s %s: page not released: %s", arrival.student, arrival.assignment, error)

    def _arrival(self, entry: Entry) -> Arrival | None:
        """The journal entry's submission in the exchange; None (and the entry rejected) when it
        is gone."""
        path = self.inbound / entry.name
        if not path.is_dir():
            self.journal.move(entry.name, "rejected", reason="removed from the exchange")
            return None
        return Arrival(entry.name, entry.student, entry.assignment, entry.submitted, path)

    def _waiting(self) -> bool:
        """Whether a submission waits for a turn that will come without a new one."""
        now = time.time()
        return any(
            self.policy.turn_has_come(entry, now)
            for entry in self.journal.entries("received", "deferred")
        )
