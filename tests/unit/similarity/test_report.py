"""The similarity report's page and CSV: student code shown as text, the matches marked, the
number of pairs shown in full the instructor's choice."""

from __future__ import annotations

import csv
from pathlib import Path

from grading.similarity.compare import Comparison
from grading.similarity.report import marked, write_csv, write_html
from grading.similarity.settings import Similarity
from support.similarity_corpus import AUTHORS

HOSTILE = "\n# </pre><script>alert('x')</script>\n"


def report(tmp_path: Path, students: dict[str, dict[str, str]], **settings: object) -> str:
    starters = {task: "" for task in AUTHORS["loops"]}
    comparison = Comparison(starters, Similarity(**settings))
    prints = {student: comparison.fingerprint(code) for student, code in students.items()}
    pairs = comparison.compare(prints)
    write_html(tmp_path / "page.html", "ex09", pairs, comparison, prints)
    write_csv(tmp_path / "pairs.csv", pairs, comparison.tasks)
    return (tmp_path / "page.html").read_text()


def test_student_code_is_shown_as_text_never_as_markup(tmp_path: Path):
    hostile = {task: code + HOSTILE for task, code in AUTHORS["loops"].items()}
    page = report(tmp_path, {"ada": AUTHORS["loops"], "bob": hostile})
    assert "<script>" not in page and "&lt;script&gt;" in page, (
        "expected the submitted code's markup escaped on the page"
    )
    assert "<mark>" in page, "expected the shared code marked"


def test_marked_wraps_each_region_and_escapes_the_rest():
    assert marked("a < b and c", [(4, 5)]) == "a &lt; <mark>b</mark> and c", (
        f"expected one region marked, got {marked('a < b and c', [(4, 5)])!r}"
    )


def test_regions_that_touch_never_show_code_twice():
    assert marked("abcdef", [(1, 3), (2, 5)]) == "a<mark>bc</mark><mark>de</mark>f", (
        f"expected each character once, got {marked('abcdef', [(1, 3), (2, 5)])!r}"
    )


def test_only_the_first_pairs_are_shown_in_full_and_the_csv_has_them_all(tmp_path: Path):
    students = {f"s{i}": AUTHORS["loops"] for i in range(4)}  # 6 identical pairs
    page = report(tmp_path, students, shown=2)
    assert page.count("<section") == 2 and "The other 4 flagged pairs" in page, (
        f"expected 2 pairs in full and the other 4 named, got {page.count('<section')} sections"
    )
    with (tmp_path / "pairs.csv").open() as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 6 and all(row["flagged"] == "1" for row in rows), (
        f"expected the CSV to list all 6 flagged pairs, got {len(rows)}"
    )
