"""The student worker: runs the submitted cells in a fresh interpreter and answers the judge.

Started by :class:`grading.judge.student.StudentProcess` as ``python -I -m grading.worker.main
BUNDLE``. The bundle (JSON) holds the trusted preamble (the notebook's locked import cell, taken
from the gradebook) and the student's solution cells. Requests and replies travel over private
copies of stdin/stdout (:mod:`grading.protocol.wire`); the student's own prints, reads and warnings
go to ``/dev/null``, so ``input()`` fails at once instead of hanging.

Before the submission loads, the worker loads the assignment's trusted ``modules`` (its probes and
stand-ins, which register themselves in :mod:`grading.worker.probes`), wires the library functions
the bundle lists in ``tripwires`` (:mod:`grading.worker.tripwires`), arms the watches on the other
routes to them (:mod:`grading.worker.guards`, kept during each request that names a ``ban``) and
snapshots the libraries its trusted code relies on (:mod:`grading.worker.integrity`); it restores
them each time student code returns, and every reply lists what had to be restored under
``tampered``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

from grading.protocol import wire
from grading.protocol.messages import Bundle, CallResult, Request, TrustedModule
from grading.worker import guards, integrity, probes, tripwires
from grading.worker.probes import lookup
from helpers.library_use import internals_used

CELL_FILENAME_PREFIX = "<cell "


class UnknownRequest(LookupError):
    """The judge asked for something the worker does not have: the grader's mistake."""


def load_trusted(modules: list[TrustedModule]) -> list[types.ModuleType]:
    """Run the assignment's trusted modules, in order, each registered in ``sys.modules`` under its
    name (so that a later one can import an earlier one)."""
    loaded = []
    for spec in modules:
        module = types.ModuleType(spec["name"])
        module.__file__ = f"<trusted {spec['name']}>"
        sys.modules[spec["name"]] = module
        exec(compile(spec["source"], module.__file__, "exec"), vars(module))  # noqa: S102 - trusted
        loaded.append(module)
    return loaded


def graders_modules(trusted: list[types.ModuleType]) -> list[str]:
    """The names in ``sys.modules`` of the grader's own code in this process: its package, the
    assignment's trusted modules, and ``__main__`` (this worker, or the zygote it was forked from).
    They are unlisted before student code loads (:func:`grading.worker.integrity.unlist`), so that
    student code reaches the grader's switches and records only through Python's internals, which
    the guards watch (docs/THREAT_MODEL.md)."""
    package = probes.__name__.partition(".")[0]
    own = [name for name in sys.modules if name.partition(".")[0] == package]
    return [*own, *(module.__name__ for module in trusted), "__main__"]


def describe(error: BaseException) -> str:
    """``"ValueError: ... (my_solution, line 4)"``, naming the student's innermost frame."""
    where = ""
    for frame, line in traceback.walk_tb(error.__traceback__):
        if frame.f_code.co_filename.startswith(CELL_FILENAME_PREFIX):
            where = f" ({frame.f_code.co_filename[len(CELL_FILENAME_PREFIX) : -1]}, line {line})"
    if isinstance(error, SystemExit):
        return f"your code called sys.exit({error.code!r}){where}"
    if isinstance(error, probes.ProbeError | probes.StudentNameError):
        return f"{error}{where}"
    if isinstance(error, NotImplementedError):
        return f"not implemented yet{where}: replace `raise NotImplementedError()` with your code"
    message = str(error).strip()
    return (
        f"{type(error).__name__}: {message}{where}" if message else f"{type(error).__name__}{where}"
    )


def load(bundle: Bundle, announce: Callable[[str], None]) -> tuple[dict, dict[str, str]]:
    """Run the preamble, then each solution cell; return the namespace and per-cell load errors.

    ``announce(grade_id)`` is called before each cell runs, so that the judge knows which cell
    was running if the process dies.
    """
    namespace: dict[str, Any] = {"__name__": "__student__"}
    for index, source in enumerate(bundle["preamble"]):
        exec(compile(source, f"<preamble {index}>", "exec"), namespace)  # noqa: S102 - trusted
    errors = {}
    for cell in bundle["cells"]:
        announce(cell["grade_id"])
        try:
            exec(
                compile(cell["source"], f"{CELL_FILENAME_PREFIX}{cell['grade_id']}>", "exec"),
                namespace,
            )  # noqa: S102
        except BaseException as error:  # noqa: BLE001 - any failure is the student's, recorded per cell
            errors[cell["grade_id"]] = describe(error)
    return namespace, errors


def note_internals(code: Any, request: Request) -> None:
    """In a guarded request, record the names of Python's internals the student's function or
    class (and the helpers it calls) uses (:mod:`grading.worker.guards`)."""
    if "ban" in request:
        for name in internals_used(code):
            tripwires.note(guards.INTERNALS + name)


def handle(namespace: dict, request: Request) -> Any:
    """Answer one request: ``call`` a student function (with trusted stand-ins for the functions
    named in ``references``), ``get`` a value, or run a trusted probe."""
    op = request["op"]
    kwargs = wire.decode(request.get("kwargs", {"__dict__": {}}))
    if op == "call":
        args = wire.decode(request.get("args", []))
        function = lookup(namespace, request["name"])
        unknown = set(request.get("references", [])) - set(probes.REFERENCES)
        if unknown:
            raise UnknownRequest(f"no stand-in is registered for {sorted(unknown)}")
        with probes.swapped(namespace, request.get("references", [])):
            note_internals(function, request)  # the helpers it uses: the stand-ins, where swapped
            with probes.student_code():
                result = function(*args, **kwargs)
        return CallResult(result=result, args_after=args)
    if op == "get":
        return lookup(namespace, request["name"])
    if op == "probe":
        if request["name"] not in probes.PROBES:
            raise UnknownRequest(
                f"no probe is registered as {request['name']!r}; known: {sorted(probes.PROBES)}"
            )
        if "cls" in kwargs and kwargs["cls"] in namespace:
            note_internals(namespace[kwargs["cls"]], request)
        return probes.PROBES[request["name"]](namespace, **kwargs)
    raise UnknownRequest(f"unknown request {op!r}")


def serve(bundle_path: Path) -> None:
    """Load the submission and answer requests until the judge closes the channel."""
    channel_in = os.fdopen(os.dup(0), "rb")
    channel_out = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    bundle = json.loads(bundle_path.read_text())
    trusted = load_trusted(bundle.get("modules", []))
    tripwires.install(bundle.get("tripwires", []))
    guards.arm()
    integrity.arm(trusted)
    integrity.unlist(graders_modules(trusted))

    def send(message: dict) -> None:
        integrity.restore()  # the student's last code may have replaced json.dumps, say
        wire.send(channel_out, {**message, "tampered": integrity.take_tampered()})

    namespace, load_errors = load(bundle, lambda cell: send({"loading": cell}))
    guards.end_strays()
    send({"ok": True, "load_errors": load_errors})
    while True:
        try:
            request = wire.receive(channel_in)
        except EOFError:
            return
        library_calls: list[str] = []
        try:
            with tripwires.watching() as library_calls, guards.guarding(request.get("ban")):
                value = handle(namespace, request)
            reply = {"ok": True, "value": wire.encode(value)}
        except UnknownRequest as error:
            reply = {"ok": False, "error": str(error), "grader_error": True}
        except BaseException as error:  # noqa: BLE001 - reported to the judge, which decides
            reply = {
                "ok": False,
                "error": describe(error),
                "missing_name": isinstance(error, probes.StudentNameError),
            }
        guards.end_strays()
        send({**reply, "library_calls": library_calls})


if __name__ == "__main__":
    serve(Path(sys.argv[1]))
