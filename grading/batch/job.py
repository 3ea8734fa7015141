"""One grading job: ``nbgrader autograde`` of one student's submission in a scratch course.

A job runs wherever a grading worker runs (this machine, or a Dask worker elsewhere with the
course checkout at the same path). It carries the submission's files and a gradebook holding the
assignment but no student, builds a scratch course from them next to the real course's
configuration, ``source/`` and hidden tests, runs nbgrader's own autograde pipeline there (the
sandboxed kernel and the hidden tests), and returns the autograded notebooks as data. It never
touches the real gradebook: the coordinator (:mod:`grading.batch.command`) replays the result into
it.

The autograde itself runs in a child forked from a server that has already imported nbgrader and
the grader (a ``multiprocessing`` fork server, shared by the worker's threads), so a job does not
pay those imports; the child is killed when the job's time runs out, and its kernel and judge die
with it.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import os
import re
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from grading import preloads
from grading.sandbox.processes import die_with_parent
from grading.sandbox.zygote.owner import Zygote
from grading.sandbox.zygote.roles import KERNEL, WORKER

EXCEPTION_LINE = re.compile(r"^\s*(?:[\w]+\.)*(\w+(?:Error|Exception): .*)$")


def reason(result: dict) -> str:
    """The exception that stopped a submission, from nbgrader's log (``NotJSONError: ...``)."""
    text = "\n".join(filter(None, (result.get("log"), result.get("error"))))
    found = [
        m.group(1)
        for m in map(EXCEPTION_LINE.match, text.splitlines())
        if m and "NbGraderException" not in m.group(1)
    ]
    return found[-1][:120] if found else "unknown error (see nbgrader's log)"


#: Modules the fork server imports once, so that each job's child starts with them loaded (checked:
#: the fork server would skip a missing one without a word).
PRELOAD = list(preloads.checked(preloads.JOB))


@dataclass(frozen=True)
class Job:
    """What a worker needs to autograde one submission.

    Attributes:
        course_root: the course checkout on the worker (its config, ``source/``, hidden tests).
        assignment: the assignment id.
        student: the student id.
        files: the submission folder's files, by path relative to it.
        gradebook: an SQLite gradebook with the assignment and no student (see
            :func:`grading.batch.selection.template_gradebook`).
        timeout: seconds the autograde may take before it is killed.
    """

    course_root: str
    assignment: str
    student: str
    files: dict[str, bytes]
    gradebook: bytes
    timeout: float


@dataclass(frozen=True)
class JobResult:
    """What came of a :class:`Job`.

    Attributes:
        student: the student id.
        graded: whether nbgrader autograded the submission.
        lost: whether the job ended without nbgrader's verdict (killed, crashed, out of time).
        notebooks: the autograded notebooks (file contents), by notebook name.
        error: why it was not graded, in one line ('' when graded).
        log: nbgrader's log of the autograde (the kernels' chatter included).
        seconds: wall-clock time of the job.
        host: the machine that ran it.
    """

    student: str
    graded: bool
    lost: bool = False
    notebooks: dict[str, bytes] = field(default_factory=dict)
    error: str = ""
    log: str = ""
    seconds: float = 0.0
    host: str = field(default_factory=socket.gethostname)

    @classmethod
    def without_verdict(
        cls, student: str, error: str, log: str = "", seconds: float = 0.0
    ) -> JobResult:
        """A lost job: it ended without nbgrader's verdict, for the reason ``error``."""
        return cls(student, graded=False, lost=True, error=error, log=log, seconds=seconds)


def _fork_server() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


#: This process's zygotes, one per thread, course and role (see :func:`_zygote`).
_zygotes: dict[tuple[int, str, str], Zygote] = {}


def _zygote(course_root: str, role: str) -> Zygote:
    """The ``role`` zygote of this thread's jobs on the course at ``course_root``, confined as
    the course configures its sandbox; a thread runs one job at a time, so what its zygotes fork
    for one job never overlaps with another job's."""
    key = (threading.get_ident(), course_root, role)
    if key not in _zygotes:
        from grading.course import load_config
        from grading.sandbox.bubblewrap import Sandbox

        _zygotes[key] = Zygote(Sandbox(config=load_config(Path(course_root))), role)
        atexit.register(_zygotes[key].close)
    return _zygotes[key]


def lay_out(job: Job, scratch: Path, autograded: Path) -> None:
    """Write the scratch course of ``job`` into ``scratch``: the gradebook, the submission, a
    link to the real course's ``source/`` (whose other files nbgrader copies over the student's),
    and its ``autograde/`` as a link to ``autograded`` (the kernel zygote's work folder, whose
    notebook folders the forked kernels work on)."""
    (scratch / "gradebook.db").write_bytes(job.gradebook)
    folder = scratch / "submitted" / job.student / job.assignment
    for relative, content in job.files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    (scratch / "source").symlink_to(Path(job.course_root) / "source")
    (scratch / "autograde").symlink_to(autograded)


def autograde_in(
    scratch: Path, course_root: str, assignment: str, student: str, zygotes: dict[str, str]
) -> None:
    """Autograde ``student`` in the scratch course (in the forked child); write ``result.json``.

    The course's ``nbgrader_config.py`` is used as it is, with the scratch folder as the course
    root, and the hidden tests' workers and the kernel forked by the zygotes at the addresses
    ``zygotes`` gives by environment variable; everything the child prints goes to
    ``output.txt``.
    """
    os.environ.update(zygotes)
    os.setsid()
    die_with_parent()  # the job's worker (and so its fork server) may be lost mid-job
    output = os.open(scratch / "output.txt", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    for fd in (1, 2):
        os.dup2(output, fd)
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    from grading.course import load_config

    config = load_config(Path(course_root))
    config.CourseDirectory.root = str(scratch)
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    result = api.autograde(assignment, student, force=True)
    (scratch / "result.json").write_text(json.dumps(result))


def forget_nanny_tuning() -> None:
    """Take out of this process's environment the malloc tuning that Dask's nanny gives its
    workers (``distributed.nanny.pre-spawn-environ``), so that a job's processes do not inherit
    it: glibc handing freed memory back at once makes torch's training about 20 % slower, in the
    hidden tests and the kernel alike."""
    os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)


def run(job: Job) -> JobResult:
    """Autograde ``job``'s submission in a scratch course; the Dask task of
    :mod:`grading.batch.command`."""
    started = time.monotonic()
    forget_nanny_tuning()  # before the fork server and the zygotes start
    scratch = Path(tempfile.mkdtemp(prefix=f"grading-{job.student}-"))
    kernels = _zygote(job.course_root, KERNEL.name)
    try:
        zygotes = {
            role.address_variable: _zygote(job.course_root, role.name).ensure()
            for role in (WORKER, KERNEL)
        }
        lay_out(job, scratch, kernels.work)
        child = _fork_server().Process(
            target=autograde_in,
            args=(scratch, job.course_root, job.assignment, job.student, zygotes),
        )
        child.start()
        child.join(job.timeout)
        lost = None
        if child.is_alive():
            os.killpg(child.pid, 9)
            child.join()
            lost = f"grading did not finish within {job.timeout:g} s; the job was stopped"
        elif not (scratch / "result.json").is_file():
            lost = f"the grading process ended with exit code {child.exitcode}"
        if lost is not None:
            return JobResult.without_verdict(
                job.student, lost, _read(scratch / "output.txt"), time.monotonic() - started
            )
        result = json.loads((scratch / "result.json").read_text())
        log = "\n".join(filter(None, (_read(scratch / "output.txt"), result.get("log"))))
        folder = scratch / "autograde" / job.student / job.assignment
        notebooks = {path.stem: path.read_bytes() for path in sorted(folder.glob("*.ipynb"))}
        return JobResult(
            job.student,
            graded=bool(result["success"]) and bool(notebooks),
            notebooks=notebooks,
            error="" if result["success"] else reason(result),
            log=log,
            seconds=time.monotonic() - started,
        )
    finally:
        kernels.clear()
        shutil.rmtree(scratch, ignore_errors=True)


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.is_file() else ""
