"""The students' package (``tools/build_student_package.py``): ``helpers`` and the embedded MNIST
subset, nothing of the grader, and ``load_mnist()`` working after ``pip install`` alone."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from tests_paths import ROOT

#: Folders of the course that must not reach students.
PRIVATE = ("grading/", "grader_tests/", "source/", "tests/", "samples/")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by the command the README gives (``make student-package`` runs it)."""
    out = tmp_path_factory.mktemp("dist")
    command = [sys.executable, str(ROOT / "tools" / "build_student_package.py"), "--out", str(out)]
    printed = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return Path(printed.splitlines()[-1])


def hidden_test_lines() -> set[str]:
    """Distinctive lines of the hidden tests: long enough not to occur by chance, and no imports
    (the tests import the helpers too)."""
    return {
        line.strip()
        for path in (ROOT / "grader_tests").rglob("*.py")
        for line in path.read_text().splitlines()
        if len(line.strip()) > 40 and not line.strip().startswith(("import ", "from "))
    }


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
    forbidden = hidden_test_lines() | {"### BEGIN SOLUTION"}
    leaked = {name: line for name, text in texts.items() for line in forbidden if line in text}
    assert not leaked, f"expected no solution marker or hidden-test line, got {leaked}"


def test_load_mnist_works_after_pip_install_into_a_fresh_environment(wheel, tmp_path):
    """The package alone, installed without the course checkout: its dependencies come from this
    environment's site-packages (no index is reached), the data from the package."""
    fresh = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True)
    site = next((fresh / "lib").glob("python3*/site-packages"))
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = fresh / "bin" / "python"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EX09_", "PYTHON"))}
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + ["--no-index", str(wheel)],
        check=True,
        env=env,
    )
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
