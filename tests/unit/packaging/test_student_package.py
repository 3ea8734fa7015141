"""The students' package (``tools/build_student_package.py``): ``helpers`` and the embedded MNIST
subset, nothing of the grader, and ``load_mnist()`` working after ``pip install`` alone; the
hub's nbgrader configuration for students (``hub/``)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from grading.submissions import grade_id, read, solution_sources
from support.accounts import build_wheel, students_environment
from support.leaks import hidden_lines, leaked
from support.paths import ROOT

#: Folders of the course that must not reach students.
PRIVATE = ("grading/", "grader_tests/", "source/", "tests/", "samples/")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by the command the README gives (``make student-package`` runs it)."""
    return build_wheel(tmp_path_factory.mktemp("dist"))


def test_the_package_holds_the_helpers_and_the_embedded_subset_only(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        texts = {name: archive.read(name).decode(errors="replace") for name in names}
    expected = {f"helpers/{p.name}" for p in (ROOT / "helpers").glob("*.py")}
    expected |= {"helpers/data/mnist_subset.npz", "helpers/data/LICENSE.mnist-npm"}
    assert expected <= set(names), f"expected {sorted(expected - set(names))} in the wheel"
    private = [n for n in names if n.startswith(PRIVATE)]
    assert not private, f"expected nothing of the grader or the master notebook, got {private}"
    outside = [n for n in names if not n.startswith(("helpers/", "cnn_exercises_helpers-"))]
    assert not outside, f"expected only helpers/ and the package's metadata, got {outside}"
    helpers = {f"helpers/{p.name}": p.read_text() for p in (ROOT / "helpers").glob("*.py")}
    changed = [name for name, text in helpers.items() if texts[name] != text]
    assert not changed, f"expected the course's helpers as they are, got changed {changed}"
    forbidden = hidden_lines(public="".join(helpers.values())) | {"### BEGIN SOLUTION"}
    found = {name: lines for name, text in texts.items() if (lines := leaked(text, forbidden))}
    assert not found, f"expected no solution marker or hidden-test line, got {found}"


def test_load_mnist_works_after_pip_install_into_a_fresh_environment(wheel, tmp_path):
    """The package alone, installed without the course checkout: its dependencies come from this
    environment's site-packages (no index is reached), the data from the package."""
    python = students_environment(tmp_path / "venv", wheel, interpreter=Path(sys.executable))
    site = next((tmp_path / "venv" / "lib").glob("python3*/site-packages"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EX09_", "CNN_", "PYTHON"))}
    script = (
        "import helpers\n"
        "train, test = helpers.load_mnist()\n"
        "print(helpers.__file__)\n"
        "print(len(train), len(test), tuple(train[0][0].shape))\n"
    )
    result = subprocess.run(
        [str(python), "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, f"expected load_mnist() to work, got:\n{result.stderr[-2000:]}"
    location, sizes = result.stdout.splitlines()[-2:]
    assert location.startswith(str(site)), (
        f"expected helpers imported from the fresh environment {site}, got {location}"
    )
    assert sizes == "8000 2000 (1, 28, 28)", (
        f"expected the embedded subset's 8000 / 2000 images of (1, 28, 28), got {sizes!r}"
    )


#: Each ex09 model's trainable parameters, as torchsummary prints them.
MODEL_TOTALS = {"FC": "567,434", "CNN_LeNet": "106,154", "CNN": "98,442"}


def test_the_notebooks_torchsummary_cell_runs_on_the_cpu_after_pip_install(wheel, tmp_path):
    """The ex09 cell that shows ``torchsummary.summary`` for each model, run with the released
    imports cell and the models' solutions in a fresh environment with the package alone."""
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(
            archive.read(n).decode() for n in archive.namelist() if n.endswith("METADATA")
        )
    assert "Requires-Dist: torchsummary" in metadata, (
        f"expected torchsummary among the package's dependencies, got:\n{metadata}"
    )
    python = students_environment(tmp_path / "venv", wheel, interpreter=Path(sys.executable))
    release = read(str(ROOT / "release" / "ex09" / "ex09.ipynb"))
    solutions = solution_sources(read(str(ROOT / "source" / "ex09" / "ex09.ipynb")))
    summary = next(c.source for c in release.cells if "from torchsummary import" in c.source)
    imports = next(c.source for c in release.cells if grade_id(c) == "imports")
    models = [solutions[cell] for cell in ("fc_solution", "lenet_solution", "cnn_solution")]
    script = "\n\n".join([imports, *models, summary])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "CUDA"))}
    result = subprocess.run(
        [str(python), "-c", script],
        cwd=tmp_path,
        env={**env, "MPLBACKEND": "Agg", "CUDA_VISIBLE_DEVICES": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        f"expected the summary cell to run, got:\n{result.stderr[-2000:]}"
    )
    for model, total in MODEL_TOTALS.items():
        assert f"Total params: {total}" in result.stdout, (
            f"expected {model}'s layer table with 'Total params: {total}', got:\n"
            f"{result.stdout[-3000:]}"
        )


def test_the_hub_and_the_course_use_the_same_exchange():
    from traitlets.config.loader import PyFileConfigLoader

    from grading.course import load_config

    hub = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT / "hub")).load_config()
    course = load_config()
    assert hub.Exchange.root == course.Exchange.root, (
        f"students (hub/nbgrader_config.py) use the exchange {hub.Exchange.root!r}, the "
        f"instructor (nbgrader_config.py) {course.Exchange.root!r}: expected the same folder"
    )
