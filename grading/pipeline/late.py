"""The course's late-submission rule, as an nbgrader late-submission plugin.

nbgrader compares each submission's ``timestamp.txt`` (written by ``nbgrader submit``, kept by
``nbgrader collect``) with the assignment's due date in the gradebook (``nbgrader db assignment
import assignments.csv``) and asks this plugin for the penalty of each late notebook. Set in
``nbgrader_config.py`` as ``c.AssignLatePenalties.plugin_class``; because the batch grader records
every result through nbgrader's own autograde pipeline (:mod:`grading.pipeline.replay`), the rule
applies to parallel grading exactly as to ``nbgrader autograde``.
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Float

SECONDS_PER_DAY = 24 * 60 * 60


class PenaltyPerDay(LateSubmissionPlugin):
    """Take a share of the notebook's score for each started day past the due date.

    With the defaults, a notebook 1 minute late loses 10 % of its score, one 25 hours late 20 %;
    after ten days nothing is left. A grace period forgives clock skew and slow uploads.
    """

    share_per_day = Float(
        0.1, help="Share of the notebook's score taken for each started day late (0 to 1)."
    ).tag(config=True)
    grace_seconds = Float(
        0.0, help="Seconds after the due date during which a submission counts as on time."
    ).tag(config=True)

    def late_submission_penalty(
        self, student_id: str, score: float, total_seconds_late: float
    ) -> float:
        """Points taken from ``score`` for a notebook submitted ``total_seconds_late`` late."""
        if total_seconds_late <= self.grace_seconds:
            return 0.0
        days = math.ceil(total_seconds_late / SECONDS_PER_DAY)
        penalty = min(score, score * self.share_per_day * days)
        self.log.info(
            "%s is %d day(s) late: %.4g of %.4g points taken", student_id, days, penalty, score
        )
        return penalty
