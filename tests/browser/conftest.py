"""The browser tests' fixtures: Debian's chromium driven by Playwright (:mod:`support.pages`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from support.pages import CHROMIUM, TIMEOUT_MS, playwright, screenshot


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator:
    """Keep each phase's report on the test item, for :func:`page` to see whether it failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def page(browser, request: pytest.FixtureRequest) -> Iterator:
    """A page of a new browser context; when the test failed, its screenshot is kept as
    ``artifacts/browser/failed-<test>.png`` and the text of any JupyterLab dialog that was open
    is added to the report (a dialog over the notebook is what a lost click usually hides)."""
    context = browser.new_context(viewport={"width": 1200, "height": 1600})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        screenshot(page, f"failed-{request.node.name}")
        dialogs = page.locator(".jp-Dialog").all_inner_texts()
        report.sections.append(("open dialogs", "\n---\n".join(dialogs) or "none"))
    context.close()
