"""What the browser tests share: Debian's ``chromium`` (``make setup-browser``) driven by
Playwright, pages with a generous timeout, and screenshots in ``artifacts/browser/``.

Test modules import the ``browser`` and ``page`` fixtures from here and mark themselves with
:data:`NEEDS_BROWSER`, which skips them, saying why, where no browser is installed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests_paths import ROOT

try:
    from playwright import sync_api as playwright
except ImportError:  # pragma: no cover - requirements.txt installs it
    playwright = None

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NEEDS_BROWSER = [
    pytest.mark.slow,
    pytest.mark.skipif(playwright is None, reason="Playwright is not installed"),
    pytest.mark.skipif(CHROMIUM is None, reason="no chromium: run `make setup-browser`"),
]
ARTIFACTS = ROOT / "artifacts" / "browser"
TIMEOUT_MS = 120_000


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


def screenshot(target, name: str) -> Path:
    """Save a screenshot of a page or element as ``artifacts/browser/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path
