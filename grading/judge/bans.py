"""Tasks that ban library functions, and what a request's record of library calls says about them.

The worker records what student code reached during each request (:mod:`grading.worker.tripwires`,
:mod:`grading.worker.guards`); :func:`check_calls` reads that record in the judge.
"""

from __future__ import annotations

from dataclasses import dataclass

from grading.judge.errors import LibraryUsed
from grading.worker import guards, tripwires


@dataclass(frozen=True)
class Ban:
    """Library functions (dotted names, wired as tripwires) that the requests of ``task`` must not
    reach; ``advice`` says what to do instead."""

    task: str
    functions: frozenset[str]
    advice: str = ""


def check_calls(ban: Ban | None, what: str, library_calls: list[str]) -> None:
    """Raise :class:`LibraryUsed` when the record of a request (``what`` it did) shows the
    grader's own code called, or, under ``ban``, a process or thread started, the interpreter's
    internals reached, or a banned function or operation called."""

    def recorded(prefix: str) -> list[str]:
        return [call.removeprefix(prefix) for call in library_calls if call.startswith(prefix)]

    if borrowed := recorded(tripwires.GRADER_CODE):
        raise LibraryUsed(
            f"while {what}, your code called the grader's own {borrowed[0]}, so it earns no credit"
        )
    if ban is None:
        return
    if started := recorded(guards.PROCESS):
        raise LibraryUsed(
            f"your code started {started[0]} while {what}; the grader cannot watch what that "
            f"computes, so task {ban.task} earns no credit when it does"
        )
    if internals := recorded(guards.INTERNALS):
        raise LibraryUsed(
            f"while {what}, your code reached into Python's internals ({internals[0]}), where "
            f"the grader cannot watch it, so task {ban.task} earns no credit"
        )
    if banned := [call for call in library_calls if call in ban.functions]:
        called = banned[0]
        if called.startswith(guards.ATEN):
            called += " (a PyTorch operation, through whichever function)"
        advice = f"; {ban.advice}" if ban.advice else ""
        raise LibraryUsed(
            f"while {what}, your code called {called}, which task {ban.task} asks you to write "
            f"yourself, so it earns no credit{advice}"
        )
