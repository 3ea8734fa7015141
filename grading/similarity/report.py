"""The similarity report: ``similarity-<assignment>.html`` (the flagged pairs side by side, the
matching code marked, highest first) and ``similarity-<assignment>.csv`` (every pair's score, whole
and per task)."""

from __future__ import annotations

import csv
import html
from pathlib import Path

import numpy as np

from grading.similarity.compare import WHOLE, Comparison, Fingerprint, Pair, normalise
from grading.similarity.settings import Similarity

_STYLE = """
body { font-family: sans-serif; margin: 2em; max-width: 110em; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: .6em 1em; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .2em .6em; }
td.score { text-align: right; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
pre { background: #f6f6f6; padding: .6em; overflow-x: auto; font-size: 85%; }
mark { background: #ffd54f; }
"""


def ranked(pairs: list[Pair]) -> list[Pair]:
    """``pairs`` from the most similar, then by names."""
    return sorted(pairs, key=lambda pair: (-pair.score(), pair.a, pair.b))


def write_csv(path: Path, pairs: list[Pair], tasks: list[str]) -> None:
    """Every pair's score (the larger share of either's code found in the other), whole and per
    task, and whether it is flagged."""
    with path.open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["student_a", "student_b", WHOLE, *tasks, "flagged"])
        for pair in ranked(pairs):
            scores = [f"{pair.score(task):.3f}" for task in (WHOLE, *tasks)]
            writer.writerow([pair.a, pair.b, *scores, int(pair.flagged)])


def raw_regions(mask: np.ndarray, offsets: np.ndarray) -> list[tuple[int, int]]:
    """The regions of a cell's code (as submitted) that ``mask`` (over its normalised code)
    marks, mapped back as copydetect maps its matches."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    starts, ends = edges[0::2], edges[1::2]
    if offsets.shape[0]:
        shift = offsets[:, 1][
            np.clip(np.searchsorted(offsets[:, 0], [starts, ends]), 0, len(offsets) - 1)
        ]
        starts, ends = starts + shift[0], ends + shift[1]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def marked(code: str, regions: list[tuple[int, int]]) -> str:
    """``code`` as HTML with ``regions`` in ``<mark>``."""
    parts, at = [], 0
    for start, end in regions:
        start = max(start, at)  # regions mapped back may touch; never show code twice
        parts += [html.escape(code[at:start]), "<mark>", html.escape(code[start:end]), "</mark>"]
        at = max(at, end)
    return "".join([*parts, html.escape(code[at:])])


def _cell(fingerprint: Fingerprint, mask: np.ndarray, index: int, task: str) -> str:
    segment = mask[fingerprint.starts[index] : fingerprint.starts[index + 1]]
    code = fingerprint.code[task]
    return f"<pre>{marked(code, raw_regions(segment, normalise(code)[1]))}</pre>"


def _pair_section(
    number: int, pair: Pair, comparison: Comparison, prints: dict[str, Fingerprint]
) -> str:
    a, b = prints[pair.a], prints[pair.b]
    in_a, in_b = comparison.matches(a, b)
    parts = [
        f'<section id="pair-{number}"><h2>{number}. {html.escape(pair.a)} and '
        f"{html.escape(pair.b)}: {pair.score():.0%}</h2>"
    ]
    for index, task in enumerate(comparison.tasks):
        if task not in pair.overlaps:
            continue
        first, second = pair.overlaps[task].shares
        parts.append(
            f"<h3>{html.escape(task)}: {first:.0%} of {html.escape(pair.a)}'s code is in "
            f"{html.escape(pair.b)}'s, {second:.0%} the other way</h3>"
            f'<div class="side">{_cell(a, in_a, index, task)}{_cell(b, in_b, index, task)}</div>'
        )
    return "".join(parts) + "</section>"


def _link(number: int, shown: int) -> str:
    return f'<a href="#pair-{number}">{number}</a>' if number <= shown else str(number)


def write_html(
    path: Path,
    assignment: str,
    pairs: list[Pair],
    comparison: Comparison,
    prints: dict[str, Fingerprint],
) -> None:
    """The flagged pairs, highest first: a table (with the tasks some flagged pair shares code
    of), then each pair's cells side by side with the code they share marked."""
    settings: Similarity = comparison.settings
    flagged = [pair for pair in ranked(pairs) if pair.flagged]
    columns = [task for task in comparison.tasks if any(pair.score(task) for pair in flagged)]
    heads = "".join(f"<th>{html.escape(task)}</th>" for task in columns)
    rows = "".join(
        f"<tr><td>{_link(n, settings.shown)}</td><td>{html.escape(p.a)}</td>"
        f"<td>{html.escape(p.b)}</td><td class=score>{p.score():.0%}</td>"
        + "".join(f"<td class=score>{p.score(task):.0%}</td>" for task in columns)
        + "</tr>"
        for n, p in enumerate(flagged, 1)
    )
    shown = flagged[: settings.shown]
    sections = "".join(_pair_section(n, p, comparison, prints) for n, p in enumerate(shown, 1))
    if len(flagged) > len(shown):
        sections += (
            f"<p>The other {len(flagged) - len(shown)} flagged pairs are in the table above and "
            "the CSV (<code>c.Similarity.shown</code> sets how many are shown here).</p>"
        )
    title = f"Code similarity: {html.escape(assignment)}"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{_STYLE}</style></head><body>
<h1>{title}</h1>
<p class="note"><strong>Similarity is evidence for a person to look at, not a verdict.</strong>
Students who solve the same small task often write alike, and a shared source (the lecture, a
textbook, a tutor) explains a match as well as copying does. Read the marked code, and talk to the
students, before you decide anything.</p>
<p>{len(prints)} submissions, {len(pairs)} pairs. Code is compared after names, strings, comments
and spacing are normalised, without the released starter code (MOSS's winnowing, by copydetect).
A pair is flagged when at least {settings.threshold:.0%} of either submission's code (all its
solution cells) is found in the other, in matches of at least {settings.noise} normalised
characters, and they share at least {settings.min_overlap} (<code>c.Similarity.*</code> in
<code>nbgrader_config.py</code>). Every pair's scores are in the CSV beside this page.</p>
<h2>{len(flagged)} flagged pairs</h2>
<table><tr><th>#</th><th>student</th><th>student</th><th>{WHOLE}</th>{heads}</tr>{rows}</table>
{sections}
</body></html>
"""
    path.write_text(page, encoding="utf-8")
