"""The course's nbgrader preprocessors, one per module as in nbgrader's own ``preprocessors``.

- :mod:`.hidden_tests`: :class:`StartHiddenTests` starts the judge of the hidden tests before the
  kernel runs; :class:`RunHiddenTests` waits for it and writes its verdict into the test cells;
- :mod:`.unknown_cells`: :class:`DropUnknownGradeCells` ignores graded cells a student made up;
- :mod:`.output_size`: :class:`CapOutputSize` cuts outputs that would bloat what is saved;
- :mod:`.scores_only`: :class:`KeepScoresOnly` leaves the scores of feedback, not the verdicts;
- :mod:`.steps`: where they go in nbgrader's autograde and sanitising steps.

What they share: :mod:`.gradebook` (the instructor's cells, as the gradebook keeps them) and
:mod:`.verdict` (the points and report text of one graded cell). A course's ``nbgrader_config.py``
imports them from here.
"""

from grading.pipeline.preprocessors.hidden_tests import RunHiddenTests, StartHiddenTests
from grading.pipeline.preprocessors.output_size import CapOutputSize
from grading.pipeline.preprocessors.scores_only import KeepScoresOnly
from grading.pipeline.preprocessors.steps import autograde_preprocessors, sanitize_preprocessors
from grading.pipeline.preprocessors.unknown_cells import DropUnknownGradeCells

__all__ = [
    "CapOutputSize",
    "DropUnknownGradeCells",
    "KeepScoresOnly",
    "RunHiddenTests",
    "StartHiddenTests",
    "autograde_preprocessors",
    "sanitize_preprocessors",
]
