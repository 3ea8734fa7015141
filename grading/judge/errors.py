"""How a request to the student's code fails: the student's fault (its message is for the student)
or the hidden test's."""

from __future__ import annotations


class StudentError(Exception):
    """The student's code failed a request; the message is meant for the student."""


class StudentTimeout(StudentError):
    """The student's code did not answer within the time limit."""


class StudentCrashed(StudentError):
    """The process running the student's code ended."""


class LibraryUsed(StudentError):
    """The student's code called a library function the task asks them to write by hand."""


class GraderRequestError(RuntimeError):
    """The worker has no such probe or stand-in: the hidden test's mistake, not the student's."""
