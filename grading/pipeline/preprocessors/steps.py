"""Where the course's preprocessors go in nbgrader's autograde and sanitising steps."""

from __future__ import annotations

from nbgrader.converters import Autograde, GenerateFeedback
from nbgrader.preprocessors import Execute, GetGrades, OverwriteCells

from grading.pipeline.kernel import SandboxedExecute
from grading.pipeline.preprocessors.hidden_tests import RunHiddenTests, StartHiddenTests
from grading.pipeline.preprocessors.output_size import CapOutputSize
from grading.pipeline.preprocessors.scores_only import KeepScoresOnly
from grading.pipeline.preprocessors.unknown_cells import DropUnknownGradeCells


def sanitize_preprocessors() -> list[type]:
    """nbgrader's sanitising steps, with :class:`DropUnknownGradeCells` before ``OverwriteCells``
    (which restores the instructor's graded cells and would trip over unknown ones)."""
    steps = list(Autograde.class_traits()["sanitize_preprocessors"].default())
    steps.insert(steps.index(OverwriteCells), DropUnknownGradeCells)
    return steps


def autograde_preprocessors() -> list[type]:
    """nbgrader's autograde steps, with the kernel in the sandbox and the hidden tests beside it.

    :class:`StartHiddenTests` starts the judge just before the kernel runs; :class:`RunHiddenTests`
    must come after the kernel ran (whose test-cell outputs it replaces) and before
    ``LimitOutput`` and ``SaveAutoGrades`` (which read its verdict); :class:`CapOutputSize` cuts
    what the kernel printed before anything is saved.
    """
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    position = steps.index(Execute)
    steps[position : position + 1] = [
        StartHiddenTests,
        SandboxedExecute,
        RunHiddenTests,
        CapOutputSize,
    ]
    return steps


def scores_only_feedback_preprocessors() -> list[type]:
    """nbgrader's feedback steps with :class:`KeepScoresOnly` right after ``GetGrades`` (which
    reads the scores it keeps)."""
    steps = list(GenerateFeedback.class_traits()["preprocessors"].default())
    steps.insert(steps.index(GetGrades) + 1, KeepScoresOnly)
    return steps
