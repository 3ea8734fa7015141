"""The hidden tests' lines, to check that nothing a student can read contains one."""

from __future__ import annotations

import html
import json
import re

from support.paths import ROOT

SIGNATURE_OPENING = re.compile(r"(def|class) \w+\(")


def hidden_lines(public: str = "") -> set[str]:
    """Distinctive lines of the hidden test suites (long, not imports, comments, docstring quotes
    or the bare opening of a signature, ``def conv2d(``, which names only a public function) that
    are not in ``public``, text the student has anyway: their own notebook (its JSON), the helpers'
    sources. A reference solution shares lines with what a student may write, and a public hint may
    quote a line of it."""
    return {
        line
        for path in (ROOT / "grader_tests").rglob("*.py")
        for line in map(str.strip, path.read_text().splitlines())
        if len(line) > 25
        and not line.startswith(("import ", "from ", "#", '"""'))
        and not SIGNATURE_OPENING.fullmatch(line)
        and line not in public
        and json.dumps(line)[1:-1] not in public
    }


def page_text(page: str) -> str:
    """The text of an HTML page, tags removed and entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def leaked(text: str, lines: set[str]) -> list[str]:
    """The ``lines`` found in ``text``, sorted."""
    return sorted(line for line in lines if line in text)
