"""What the browser tests share: Debian's ``chromium`` (``make setup-browser``) driven by
Playwright, pages with a generous timeout, and screenshots in ``artifacts/browser/``.

Test modules import the notebook actions from here and mark themselves with :data:`NEEDS_BROWSER`,
which skips them, saying why, where no browser is installed; the ``browser`` and ``page`` fixtures
are in ``tests/browser/conftest.py``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from support.lab_server import LabServer
from support.paths import ROOT

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


def screenshot(target, name: str) -> Path:
    """Save a screenshot of a page or element as ``artifacts/browser/<name>.png``."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path


def open_notebook(page, lab: LabServer, path: str) -> None:
    """Open a notebook in JupyterLab and wait until its kernel is idle."""
    page.goto(lab.url(f"lab/tree/{path}"))
    page.locator(".jp-NotebookPanel .jp-CodeCell").first.wait_for()
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()


def code_cell(page, source: str):
    """The code cell whose source matches the regular expression ``source``."""
    editor = page.locator(".jp-InputArea-editor", has_text=re.compile(source))
    return page.locator(".jp-Notebook .jp-CodeCell").filter(has=editor).first


def run_cell(page, cell, attempts: int = 3) -> None:
    """Run a cell as a student does (click into it, Shift+Enter) and wait until it finished.

    A click that lands while JupyterLab is still laying the notebook out may not focus the editor;
    then the keystroke is lost and the click is repeated.
    """
    prompt = cell.locator(".jp-InputArea-prompt")
    for _ in range(attempts):
        cell.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Shift+Enter")
        try:
            playwright.expect(prompt).not_to_have_text("[ ]:", timeout=10_000)
            break
        except AssertionError:
            continue
    playwright.expect(prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=TIMEOUT_MS)
