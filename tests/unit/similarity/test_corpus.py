"""The similarity corpus is what its test claims: independent solutions that are correct, and
copies that are disguised but compute the same."""

from __future__ import annotations

import numpy as np
import pytest

from grading.submissions import read, solution_sources
from helpers import SOBEL_X, SOBEL_Y
from support.paths import ROOT
from support.similarity_corpus import COPY, TASKS, corpus

STUDENTS = corpus()


def run(cells: dict[str, str]) -> dict:
    """The namespace after running ``cells`` in the notebook's order."""
    namespace = {"np": np, "SOBEL_X": SOBEL_X, "SOBEL_Y": SOBEL_Y}
    for task in TASKS:
        exec(cells[task], namespace)  # noqa: S102 - the corpus's own code
    return namespace


@pytest.fixture(scope="module")
def reference() -> dict:
    return run(solution_sources(read(str(ROOT / "source" / "ex09" / "ex09.ipynb"))))


@pytest.mark.parametrize("student", sorted(STUDENTS))
def test_each_solution_computes_what_the_instructors_does(student: str, reference: dict):
    mine, rng = run(STUDENTS[student]), np.random.default_rng(0)
    for size in (1, 2, 3, 4, 5):
        x, h = rng.normal(size=9), rng.normal(size=size)
        for name, args in (("add_padding_1d", (x, size)), ("convolution_one_dimensional", (x, h))):
            np.testing.assert_allclose(
                mine[name](*args), reference[name](*args), atol=1e-9, err_msg=f"{student}: {name}"
            )
    for shape in ((1, 1), (3, 3), (2, 3), (5, 4)):
        x, h = rng.normal(size=(7, 8)), rng.normal(size=shape)
        for name, args in (("add_padding_2d", (x, shape)), ("convolution_two_dimensional", (x, h))):
            np.testing.assert_allclose(
                mine[name](*args), reference[name](*args), atol=1e-9, err_msg=f"{student}: {name}"
            )
    image = rng.random((12, 10))
    np.testing.assert_array_equal(
        mine["sobel_edges"](image, 0.7), reference["sobel_edges"](image, 0.7), err_msg=student
    )


@pytest.mark.parametrize("author", sorted(s for s in STUDENTS if not s.endswith(COPY)))
def test_each_copy_is_disguised(author: str):
    original, copy = STUDENTS[author], STUDENTS[author + COPY]
    changed = [task for task in TASKS if original[task].strip() != copy[task].strip()]
    assert changed == list(TASKS), f"expected every cell of {author}'s copy changed, got {changed}"
    assert "'''my solution'''" in copy["conv1d_solution"], (
        f"expected the copy's docstrings rewritten, got {copy['conv1d_solution']!r}"
    )
