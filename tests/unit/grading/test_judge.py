"""The judge runs hidden pytest modules against a submission and reports each test."""

from __future__ import annotations

from pathlib import Path

import pytest

from grading.judge.run import preload, start_judge
from grading.protocol.messages import ReportEntry

CELLS = (
    "import time\n"
    "def busy(seconds):\n"
    "    end = time.process_time() + seconds\n"
    "    while time.process_time() < end:\n"
    "        pass\n"
    "    return seconds\n"
)
TEST = '''
def test_busy(student):
    """a call that computes for 1.5 CPU seconds"""
    assert student.call("busy", 1.5)[0] == 1.5
'''


def judge_cells(tests: Path, modules: list[str]) -> tuple[list[ReportEntry], str]:
    """The report and output of a judge running ``modules`` of ``tests`` on :data:`CELLS`."""
    return start_judge(
        {"preamble": [], "cells": [{"grade_id": "cells", "source": CELLS}]},
        tests=tests,
        modules=modules,
        task_timeout=10.0,
        task_wall_timeout=60.0,
        timeout=120.0,
    ).result()


@pytest.mark.usefixtures("forked_workers")
def test_a_module_marked_cpu_limit_gives_each_call_that_much_cpu_time(tmp_path):
    (tmp_path / "test_unmarked.py").write_text(TEST)
    (tmp_path / "test_marked.py").write_text(
        "import pytest\npytestmark = pytest.mark.cpu_limit(0.5)\n" + TEST
    )
    entries, output = judge_cells(tmp_path, ["test_unmarked", "test_marked"])
    outcomes = {entry["module"]: (entry["outcome"], entry.get("message", "")) for entry in entries}
    assert outcomes["test_unmarked"][0] == "passed", (
        f"expected the call to pass within --task-timeout 10, got {outcomes}\n{output[-2000:]}"
    )
    assert (
        outcomes["test_marked"][0] == "failed" and "0.5 s of CPU time" in outcomes["test_marked"][1]
    ), f"expected the marked module's call stopped after 0.5 CPU seconds, got {outcomes}"


def test_a_judge_out_of_time_keeps_the_finished_tests_and_fails_the_rest_as_not_reached(tmp_path):
    (tmp_path / "test_first.py").write_text('def test_quick():\n    """a quick test"""\n')
    (tmp_path / "test_second.py").write_text(
        "import time\n"
        'def test_slow():\n    """a test that outlasts the judge"""\n    time.sleep(600)\n'
        'def test_after():\n    """a test after it"""\n'
    )
    preload()  # the judge's imports, so that its 5 s go to the tests
    entries, output = start_judge(
        {"preamble": [], "cells": []},
        tests=tmp_path,
        modules=["test_first", "test_second"],
        task_timeout=10.0,
        task_wall_timeout=60.0,
        timeout=5.0,
    ).result()
    outcomes = {entry["test"]: (entry["outcome"], entry.get("message", "")) for entry in entries}
    assert outcomes["test_quick"] == ("passed", ""), (
        f"expected the finished test to keep its result, got {outcomes}\n{output[-2000:]}"
    )
    for test in ("test_slow", "test_after"):
        outcome, message = outcomes[test]
        assert outcome == "failed" and message.startswith("not reached"), (
            f"expected {test} to fail as not reached, got {outcomes[test]}"
        )


@pytest.mark.zygote_may_fail
def test_a_worker_zygote_that_cannot_serve_is_named_in_the_report(tmp_path, forked_workers):
    (tmp_path / "test_unmarked.py").write_text(TEST)
    forked_workers.stop()
    try:
        entries, output = judge_cells(tmp_path, ["test_unmarked"])
    finally:
        forked_workers.ensure()
    assert [entry["outcome"] for entry in entries] == ["passed"], f"got {entries}\n{output[-2000:]}"
    assert "zygote_failure" in entries[0], f"expected the zygote's failure reported, got {entries}"
