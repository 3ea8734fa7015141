"""The pages a student fetches in place of graded feedback: a receipt, a deferral (over the daily
limit) or why the submission could not be graded. Plain HTML, every value escaped."""

from __future__ import annotations

from datetime import datetime
from html import escape

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body {{ font-family: sans-serif; max-width: 40em; margin: 2em auto; line-height: 1.5 }}
.what {{ color: #555 }}</style></head>
<body><h1>{title}</h1>
<p class="what">{assignment}, submitted {submitted} (UTC)</p>
{body}
</body></html>
"""


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def page(title: str, assignment: str, submitted: datetime, *paragraphs: str) -> str:
    """A page with ``title`` and ``paragraphs`` (plain text, escaped here)."""
    body = "\n".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    return _PAGE.format(
        title=escape(title),
        assignment=escape(assignment),
        submitted=escape(_when(submitted)),
        body=body,
    )


def receipt(assignment: str, submitted: datetime, received: datetime) -> str:
    """The submission arrived; it is graded after the due date."""
    return page(
        "Submission received",
        assignment,
        submitted,
        f"Received at {_when(received)} UTC. It will be graded after the due date; your "
        "feedback comes when your instructor returns it.",
        "The last submission you make before the due date is the one that counts.",
    )


def deferred(assignment: str, submitted: datetime, limit: int, next_at: datetime | None) -> str:
    """Over the daily limit: when the next submission is graded."""
    when = (
        f"Your next submission will be graded at {_when(next_at)} UTC (or this one, if you make "
        "no other before then)."
        if next_at
        else "It will be graded at the due date."
    )
    return page(
        "Submission received, not graded yet",
        assignment,
        submitted,
        f"Each student's submissions of an assignment are graded at most {limit} times in any "
        "24 hours, and you have reached that.",
        when,
        "Your last submission before the due date is always graded.",
    )


def not_graded(assignment: str, submitted: datetime, reason: str) -> str:
    """The submission could not be graded, and why."""
    return page(
        "Submission received, but it could not be graded",
        assignment,
        submitted,
        f"What went wrong: {reason}",
        "Check that you submitted the assignment's notebook under its own name, saved from "
        "JupyterLab (not edited by hand), then submit again.",
    )
