"""Paths and names shared by the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The assignment whose corpus of submissions the course tests grade.
ASSIGNMENT = "ex09"
#: Every assignment of the course (a folder of source/ with a notebook of its name).
ASSIGNMENTS = sorted(
    path.parent.name
    for path in (ROOT / "source").glob("*/*.ipynb")
    if path.stem == path.parent.name
)
