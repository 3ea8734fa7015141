"""The notebooks run top to bottom headless, on the CPU, without widgets blocking."""

from __future__ import annotations

import shutil

import nbclient
import nbformat
import pytest

from support.paths import ASSIGNMENTS, ROOT


def run(notebook_dir, tmp_path, monkeypatch):
    shutil.copytree(notebook_dir, tmp_path / "nb")
    notebook = nbformat.read(tmp_path / "nb" / f"{notebook_dir.name}.ipynb", as_version=4)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")  # the small training budget
    client = nbclient.NotebookClient(
        notebook,
        timeout=600,
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path / "nb")}},
    )
    client.execute()
    return notebook


def errors(notebook) -> list[str]:
    return [
        f"{output.ename}: {output.evalue}"
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error"
    ]


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_runs_top_to_bottom(tmp_path, monkeypatch, assignment):
    notebook = run(ROOT / "source" / assignment, tmp_path, monkeypatch)
    assert errors(notebook) == [], (
        f"the source notebook should run without errors, got {errors(notebook)}"
    )
    text = "".join(
        output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
    )
    if "load_mnist(" in "".join(cell.source for cell in notebook.cells):
        assert "Using the embedded MNIST subset" in text or "Using full MNIST" in text, (
            "the notebook should say which data it uses"
        )


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_notebook_fails_only_where_students_must_write_code(
    tmp_path, monkeypatch, assignment
):
    notebook = run(ROOT / "release" / assignment, tmp_path, monkeypatch)
    kinds = {error.split(":")[0] for error in errors(notebook)}
    assert kinds <= {"NotImplementedError", "NameError"}, (
        f"expected only NotImplementedError and NameError, got {kinds}"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_notebook_avoids_what_breaks_autograding_or_jupyterlab(assignment):
    path = ROOT / "source" / assignment / f"{assignment}.ipynb"
    source = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells)
    for forbidden in ("input(", "%matplotlib notebook", "%matplotlib widget", "download=True"):
        assert forbidden not in source, f"the notebook should not use {forbidden!r}"
