"""Notebooks of a few cells run in the sandboxed kernel, for the tests of
:mod:`grading.pipeline.kernel`."""

from __future__ import annotations

from pathlib import Path

import nbclient
import nbformat

from grading.pipeline.kernel import SandboxedKernelManager


def execute(folder: Path, *sources: str) -> list[list[dict]]:
    """Run a notebook of the cells ``sources`` in ``folder`` with nbgrader's kernel manager (a
    kernel forked by the kernel zygote the environment names, else a fresh sandboxed one);
    each cell's outputs."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbclient.NotebookClient(
        notebook,
        kernel_manager_class=SandboxedKernelManager,
        resources={"metadata": {"path": str(folder)}},
        timeout=60,
    ).execute()
    return [cell.outputs for cell in notebook.cells]
