"""The pages a student fetches in place of graded feedback."""

from __future__ import annotations

from datetime import datetime

from grading.service import pages

SUBMITTED = datetime(2026, 12, 1, 10, 0, 0)


def test_a_deferral_says_when_the_next_submission_is_graded():
    html = pages.deferred("ex10", SUBMITTED, 5, datetime(2026, 12, 2, 9, 30, 0))
    assert "2026-12-02 09:30:00" in html and "at most 5 times" in html, (
        f"expected the next turn and the limit on the page, got {html}"
    )


def test_what_went_wrong_is_escaped():
    html = pages.not_graded("ex10", SUBMITTED, "NotJSONError: <script>alert(1)</script>")
    assert "<script>" not in html and "&lt;script&gt;" in html, (
        f"expected the reason escaped, got {html}"
    )


def test_a_receipt_says_when_it_was_received():
    html = pages.receipt("ex10", SUBMITTED, datetime(2026, 12, 1, 10, 0, 3))
    assert "Received at 2026-12-01 10:00:03" in html, f"expected the time received, got {html}"
