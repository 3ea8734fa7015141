"""The daily limit: how many submissions of a student are graded in any 24 hours."""

from __future__ import annotations

from grading.service.limits import WINDOW, next_turn

NOW = 1_000_000.0


def test_a_submission_under_the_limit_is_graded_now():
    assert next_turn([NOW - 10, NOW - 20], NOW, limit=3) is None, (
        "expected two graded in the window to leave a third turn now"
    )


def test_over_the_limit_the_next_turn_is_when_the_oldest_leaves_the_window():
    graded = [NOW - 3000, NOW - 2000, NOW - 1000]
    turn = next_turn(graded, NOW, limit=3)
    assert turn == NOW - 3000 + WINDOW, (
        f"expected the next turn a day after the oldest of the three, got {turn}"
    )


def test_gradings_older_than_a_day_do_not_count():
    graded = [NOW - WINDOW - 1, NOW - WINDOW - 2, NOW - 5]
    assert next_turn(graded, NOW, limit=2) is None, (
        "expected only the grading within 24 hours to count against a limit of 2"
    )


def test_a_limit_of_zero_means_no_limit():
    assert next_turn([NOW - i for i in range(100)], NOW, limit=0) is None, (
        "expected limit 0 to grade every submission"
    )
