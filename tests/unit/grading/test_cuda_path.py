"""The CUDA accuracy tests run on any GPU grader; their logic runs here on the CPU, forced."""

from __future__ import annotations

import importlib
import sys

import pytest
import torch

from grading.judge.run import start_judge
from grading.pipeline.preprocessors.hidden_tests import submission_bundle
from grading.submissions import fill, grade_id, read, solution_sources
from support.paths import ASSIGNMENT, ROOT

HIDDEN = ROOT / "grader_tests" / ASSIGNMENT


@pytest.fixture
def models(monkeypatch):
    """The hidden tests' ``models`` module, imported as the judge imports it."""
    monkeypatch.syspath_prepend(str(HIDDEN))
    for name in ("models", "thresholds", "reference", "stand_ins"):
        sys.modules.pop(name, None)
    yield importlib.import_module("models")
    for name in ("models", "thresholds", "reference", "stand_ins"):
        sys.modules.pop(name, None)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_without_a_gpu_the_cuda_tests_are_skipped_saying_why(models, monkeypatch):
    monkeypatch.delenv("GRADING_CUDA_DEVICE", raising=False)
    assert models.cuda_unavailable_reason() == "no CUDA GPU on the grading machine", (
        f"expected the missing GPU as the reason, got {models.cuda_unavailable_reason()!r}"
    )


def test_full_mnist_is_not_needed_for_the_cuda_tests(models, monkeypatch):
    monkeypatch.setenv("GRADING_CUDA_DEVICE", "cpu")
    reason = models.cuda_unavailable_reason()
    assert reason == "", f"expected the CUDA tests to run on the forced device, got {reason!r}"


def solution_bundle() -> dict:
    source = read(str(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"))
    release = read(str(ROOT / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"))
    by_id = {grade_id(cell): cell for cell in source.cells if grade_id(cell)}
    solution_ids = {i for i, cell in by_id.items() if cell.metadata.nbgrader.get("solution")}
    notebook = fill(release, solution_sources(source))
    return submission_bundle(notebook, [by_id["imports"].source], solution_ids)


@pytest.mark.slow
def test_the_cuda_path_trains_and_passes_the_solution_when_forced_onto_the_cpu(monkeypatch):
    monkeypatch.setenv("GRADING_CUDA_DEVICE", "cpu")
    entries, output = start_judge(
        solution_bundle(),
        tests=HIDDEN,
        modules=["test_fc"],
        task_timeout=120,
        task_wall_timeout=600,
        timeout=900,
    ).result()
    cuda = [entry for entry in entries if entry["test"] == "test_accuracy_cuda"]
    assert cuda and cuda[0]["outcome"] == "passed", (
        f"expected the CUDA accuracy test to train FC and pass, got {cuda}\n{output[-2000:]}"
    )
