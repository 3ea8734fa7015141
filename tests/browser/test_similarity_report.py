"""The similarity report in a browser: the flagged pairs' table, and each pair's cells side by
side with the shared code marked. The screenshot is the README's."""

from __future__ import annotations

import sys

import pytest

from support.courses import Course
from support.pages import NEEDS_BROWSER, playwright, screenshot
from support.similarity_corpus import submit_corpus

pytestmark = NEEDS_BROWSER


def test_the_report_shows_the_flagged_pairs_with_their_shared_code_marked(
    page, tmp_path_factory: pytest.TempPathFactory
):
    course = Course(tmp_path_factory.mktemp("course"))
    submit_corpus(course)
    course.run(sys.executable, "-m", "grading.similarity", "ex09")
    page.goto((course.root / "similarity-ex09.html").as_uri())
    playwright.expect(page.get_by_role("heading", name="7 flagged pairs")).to_be_visible()
    first = page.locator("section").first
    playwright.expect(first.locator("mark").first).to_be_visible()
    page.set_viewport_size({"width": 1400, "height": 1000})
    screenshot(page, "similarity_report")
