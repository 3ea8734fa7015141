"""The autograde pipeline and the verdict written into graded cells."""

from __future__ import annotations

import subprocess
import sys
import time

import nbformat
from nbformat.notebooknode import from_dict
from nbgrader.preprocessors import Execute, LimitOutput, SaveAutoGrades

from grading.pipeline.kernel import SandboxedExecute
from grading.pipeline.preprocessors import (
    CapOutputSize,
    KeepScoresOnly,
    RunHiddenTests,
    StartHiddenTests,
    autograde_preprocessors,
)
from grading.pipeline.preprocessors.hidden_tests import write_verdict
from grading.pipeline.preprocessors.verdict import verdict
from support.paths import ROOT


def entry(outcome, message=""):
    return {"outcome": outcome, "description": f"a {outcome} test", "message": message}


def test_hidden_tests_run_beside_the_sandboxed_kernel_and_before_grades_are_saved():
    steps = autograde_preprocessors()
    assert Execute not in steps, "the kernel should only run sandboxed"
    chain = (
        StartHiddenTests,
        SandboxedExecute,
        RunHiddenTests,
        CapOutputSize,
        LimitOutput,
        SaveAutoGrades,
    )
    order = [steps.index(step) for step in chain]
    assert order == sorted(order), (
        f"expected the order {[s.__name__ for s in chain]}, got {[s.__name__ for s in steps]}"
    )


def test_course_config_loads_and_uses_the_pipeline():
    script = (
        "from traitlets.config.loader import PyFileConfigLoader\n"
        f"config = PyFileConfigLoader('nbgrader_config.py', path={str(ROOT)!r}).load_config()\n"
        "steps = config.Autograde.autograde_preprocessors\n"
        "print([s.__name__ for s in steps], config.CourseDirectory.autograded_directory)\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert "RunHiddenTests" in output and "autograde" in output.split("]")[-1], f"got {output!r}"


def test_verdict_gives_points_in_proportion_to_passed_tests():
    earned, text = verdict(
        [entry("passed"), entry("failed", "expected 1, got 2"), entry("passed")], 3
    )
    assert earned == 2, f"2 of 3 tests on a 3-point cell should earn 2, got {earned}"
    assert "2 of 3 passed" in text and "expected 1, got 2" in text, (
        f"the report should explain, got {text!r}"
    )


def test_verdict_ignores_skipped_tests():
    earned, text = verdict([entry("passed"), entry("skipped", "no CUDA GPU")], 2)
    assert earned == 2, f"a skipped test should not cost points, got {earned}"
    assert "no CUDA GPU" in text, "the report should say why a test was skipped"


def test_huge_outputs_are_cut_with_a_note():
    cell = from_dict(
        {
            "cell_type": "code",
            "metadata": {},
            "source": "",
            "outputs": [
                {"output_type": "stream", "name": "stdout", "text": "x" * 50_000_000},
                {
                    "output_type": "display_data",
                    "metadata": {},
                    "data": {"image/png": "A" * 5_000_000, "text/plain": "<Figure>"},
                },
            ],
        }
    )
    cell, _ = CapOutputSize().preprocess_cell(cell, {}, 0)
    text, image = cell.outputs
    assert len(text.text) < 21_000 and "output cut" in text.text, f"got {len(text.text)} chars"
    assert "image/png" not in image.data and "removed" in image.data["text/plain"], (
        f"got {image.data}"
    )


def test_scores_only_feedback_keeps_the_score_and_hides_the_verdicts():
    test_cell = from_dict(
        {
            "cell_type": "code",
            "metadata": {"nbgrader": {"grade": True, "solution": False, "points": 3}},
            "source": "",
            "outputs": [],
        }
    )
    write_verdict(
        test_cell, [entry("passed"), entry("failed", "expected 1, got 2"), entry("passed")]
    )
    cell, _ = KeepScoresOnly().preprocess_cell(test_cell, {}, 0)
    shown = "".join(output.get("text", "") for output in cell.outputs)
    assert "expected 1, got 2" not in shown and "a passed test" not in shown, (
        f"expected the hidden tests' verdicts hidden, got {shown!r}"
    )
    results = [o.data["text/plain"] for o in cell.outputs if o.output_type == "execute_result"]
    assert results == ["2"], f"expected the cell's score, 2 points, kept, got {results}"


def test_a_cell_past_its_cpu_limit_is_interrupted_and_later_cells_still_run(tmp_path):
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("while True:\n    pass"),
            nbformat.v4.new_code_cell("import time\ntime.sleep(3)\nprint('slept')"),
            nbformat.v4.new_code_cell("print('after')"),
        ]
    )
    execute = SandboxedExecute(cell_cpu_limit=2.0, timeout=60, total_timeout=120.0)
    started = time.monotonic()
    execute.preprocess(notebook, {"metadata": {"path": str(tmp_path)}})
    elapsed = time.monotonic() - started
    looping, sleeping, last = (cell.outputs for cell in notebook.cells)
    names = [output.get("ename") for output in looping]
    assert names == ["KeyboardInterrupt", "CPULimit"], (
        f"expected the endless loop interrupted with a CPULimit note, got outputs {looping}"
    )
    assert [o.get("text") for o in sleeping] == ["slept\n"], (
        f"a cell that sleeps uses no CPU time and should finish, got {sleeping}"
    )
    assert [o.get("text") for o in last] == ["after\n"], f"expected 'after', got {last}"
    assert elapsed < 40, (
        f"expected the loop stopped after about 2 s of CPU time, took {elapsed:.0f} s"
    )
