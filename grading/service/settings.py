"""What the instructor chooses in ``nbgrader_config.py`` (``c.FeedbackService.*``)."""

from __future__ import annotations

from traitlets import Enum, Float, Integer
from traitlets.config import LoggingConfigurable

#: What a student's feedback page shows: everything (each hidden test's verdict and message, as
#: after the deadline), each task's score only, or a receipt only.
SHOWN = ("full", "scores", "receipt")


class FeedbackService(LoggingConfigurable):
    """The feedback service's settings."""

    before_due = Enum(
        SHOWN,
        "full",
        help="What the feedback on a submission made before the due date shows: 'full' (each "
        "hidden test's verdict and message), 'scores' (each task's score only) or 'receipt' (when "
        "it was received; graded after the due date).",
    ).tag(config=True)
    after_due = Enum(
        SHOWN,
        "full",
        help="What the feedback on a late submission shows (the same choices).",
    ).tag(config=True)
    daily_limit = Integer(
        5,
        min=0,
        help="Submissions graded per student and assignment in any 24 hours (0: no limit); later "
        "ones are collected, and graded when the window allows, or at the due date if last.",
    ).tag(config=True)
    poll_seconds = Float(
        3.0, help="Seconds between two looks at the exchange's inbound folder."
    ).tag(config=True)
