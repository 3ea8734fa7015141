"""The browser tests' fixtures: Debian's chromium driven by Playwright (:mod:`support.pages`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.pages import CHROMIUM, TIMEOUT_MS, playwright


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport={"width": 1200, "height": 1600})
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()
