"""Intake places a misnamed notebook under the name nbgrader grades, and reports what it cannot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grading.batch.intake import place_notebooks

EXPECTED = {"ex09": {"conv1d_solution", "test_conv1d", "imports"}}


def notebook(path: Path, grade_ids: list[str]) -> Path:
    cells = [
        {"cell_type": "code", "metadata": {"nbgrader": {"grade_id": g}}, "source": ""}
        for g in grade_ids
    ]
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    return path


def test_a_renamed_notebook_is_copied_to_the_expected_name(tmp_path):
    renamed = notebook(tmp_path / "ex09 (1).ipynb", ["imports", "conv1d_solution"])
    notebook(tmp_path / "scratch.ipynb", [])
    messages = place_notebooks(tmp_path, EXPECTED)
    assert (tmp_path / "ex09.ipynb").read_bytes() == renamed.read_bytes(), (
        "expected ex09.ipynb to be a copy of the renamed notebook"
    )
    assert renamed.exists(), "the student's file should be kept"
    assert messages == [f"{tmp_path}: graded 'ex09 (1).ipynb' as 'ex09.ipynb'"], messages


def test_the_notebook_with_most_graded_cells_wins(tmp_path):
    notebook(tmp_path / "old.ipynb", ["imports"])
    best = notebook(tmp_path / "ex09-Copy1.ipynb", ["imports", "conv1d_solution", "test_conv1d"])
    place_notebooks(tmp_path, EXPECTED)
    assert (tmp_path / "ex09.ipynb").read_bytes() == best.read_bytes(), (
        "expected the copy with all graded cells to be chosen"
    )


def test_a_correctly_named_notebook_is_left_alone(tmp_path):
    notebook(tmp_path / "ex09.ipynb", ["imports"])
    notebook(tmp_path / "other.ipynb", ["imports", "conv1d_solution"])
    assert place_notebooks(tmp_path, EXPECTED) == [], "nothing should be done or reported"


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({"a.ipynb": ["imports"], "b.ipynb": ["imports"]}, "several match equally"),
        ({"notes.ipynb": []}, "none has its graded cells"),
        ({}, "none has its graded cells"),
    ],
    ids=["tie", "unrelated", "empty_folder"],
)
def test_ambiguous_or_missing_notebooks_are_reported(tmp_path, files, why):
    for name, grade_ids in files.items():
        notebook(tmp_path / name, grade_ids)
    (tmp_path / "broken.ipynb").write_text("{not json")
    messages = place_notebooks(tmp_path, EXPECTED)
    assert not (tmp_path / "ex09.ipynb").exists(), "no notebook should be guessed"
    assert len(messages) == 1 and "no 'ex09.ipynb'" in messages[0] and why in messages[0], (
        f"expected one message saying {why!r}, got {messages}"
    )
