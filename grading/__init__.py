"""Grading of the course's exercises: hidden tests judged outside the student's kernel.

One subpackage per place code runs (``grading/README.md`` draws them): :mod:`grading.protocol`
(the messages between processes), :mod:`grading.sandbox` (where student code is confined, and the
fork servers that start it), :mod:`grading.worker` (what runs beside student code),
:mod:`grading.judge` (the hidden tests' pytest, which never runs student code),
:mod:`grading.pipeline` (what nbgrader calls) and :mod:`grading.batch` (what ``make autograde``
calls); at the top, the course, submission builders, the demo's samples and the demo.
"""

from pathlib import Path

#: The course checkout this package belongs to (where ``nbgrader_config.py`` is).
COURSE_ROOT = Path(__file__).resolve().parents[1]
