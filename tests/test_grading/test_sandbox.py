"""Student code in the sandbox cannot read or change the course, and its memory is capped."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from tests_paths import ROOT

from grading.sandbox import Sandbox, SandboxUnavailable
from grading.student import StudentError, StudentProcess
from helpers.mnist import EMBEDDED_FILE_NAME, RAW_FILES


def run_confined(
    code: str, tmp_path, wrap: dict | None = None, **settings
) -> subprocess.CompletedProcess:
    """Run ``code`` in a sandbox (``settings``) writable in ``tmp_path``, wrapped with ``wrap``."""
    command = Sandbox(course_root=str(ROOT), **settings).wrap(
        [sys.executable, "-c", code], writable=[tmp_path], cwd=tmp_path, **(wrap or {})
    )
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def test_hidden_tests_and_gradebook_are_invisible(tmp_path):
    code = (
        "import os\n"
        f"print(os.path.exists({str(ROOT / 'grader_tests')!r}), "
        f"os.path.exists({str(ROOT / 'source')!r}),"
        f" os.path.exists({str(ROOT / 'nbgrader_config.py')!r}), "
        f"os.path.isdir({str(ROOT / 'data')!r}))"
    )
    result = run_confined(code, tmp_path)
    assert result.stdout.split() == ["False", "False", "False", "True"], (
        "expected grader_tests, source and the config hidden and data readable, got "
        f"{result.stdout!r} {result.stderr!r}"
    )


def test_student_code_cannot_unmount_what_hides_the_course(tmp_path):
    code = (
        "import ctypes, os\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        f"status = libc.umount2({str(ROOT).encode()!r}, 2)\n"
        f"print(status, os.path.exists({str(ROOT / 'grader_tests')!r}))"
    )
    result = run_confined(code, tmp_path)
    assert result.stdout.split() == ["-1", "False"], (
        "expected unmounting the course's hiding layer to fail (no capabilities) and the hidden "
        f"tests to stay invisible, got {result.stdout!r} {result.stderr[-500:]!r}"
    )


def test_only_the_given_folder_is_writable(tmp_path):
    code = (
        f"open({str(tmp_path / 'mine.txt')!r}, 'w').write('ok')\n"
        "try:\n"
        f"    open({str(ROOT / 'data' / 'planted.txt')!r}, 'w')\n"
        "except OSError as error:\n"
        "    print('blocked', error.errno)\n"
    )
    result = run_confined(code, tmp_path)
    assert (tmp_path / "mine.txt").read_text() == "ok", (
        f"the writable folder should be writable: {result.stderr}"
    )
    assert result.stdout.startswith("blocked"), (
        f"writing into the course should fail, got {result.stdout!r}"
    )
    assert not (ROOT / "data" / "planted.txt").exists(), "nothing should be written into the course"


def test_memory_beyond_the_cap_fails_with_memory_error(tmp_path):
    code = "try:\n    b = bytearray(3 * 1024**3)\nexcept MemoryError:\n    print('MemoryError')\n"
    result = run_confined(code, tmp_path, memory_limit=1024**3)
    assert result.stdout.strip() == "MemoryError", (
        f"expected a MemoryError at the 1 GiB cap, got {result!r}"
    )


def test_missing_bubblewrap_is_a_clear_error(monkeypatch):
    monkeypatch.setattr("shutil.which", lambda tool: None)
    with pytest.raises(SandboxUnavailable, match="bubblewrap"):
        Sandbox().wrap(["true"])


def test_disabled_sandbox_leaves_the_command_alone():
    assert Sandbox(enabled=False).wrap(["python", "-V"]) == ["python", "-V"], (
        "a disabled sandbox should not wrap"
    )


def test_worker_in_the_sandbox_cannot_read_hidden_tests():
    hidden = ROOT / "grader_tests" / "ex09" / "test_conv1d.py"
    cell = (
        f"def peek():\n    return open({str(hidden)!r}).read()\n\n"
        "def bomb():\n    return bytearray(8 * 1024**3)"
    )
    process = StudentProcess(
        {"preamble": [], "cells": [{"grade_id": "c", "source": cell}]},
        timeout=30,
        sandbox=Sandbox(course_root=str(ROOT)),
    )
    try:
        with pytest.raises(StudentError, match="FileNotFoundError"):
            process.call("peek")
        with pytest.raises(StudentError, match="MemoryError"):
            process.call("bomb")
    finally:
        process.close()


def test_the_worker_sandbox_has_no_network(tmp_path):
    code = (
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('127.0.0.1', 9), timeout=2)\n"
        "except OSError as error:\n"
        "    print(type(error).__name__)\n"
        "print(sorted(name for _, name in socket.if_nameindex()))\n"
    )
    result = run_confined(code, tmp_path)
    assert result.stdout.splitlines()[-1] == "['lo']", (
        f"expected only a loopback device, got {result!r}"
    )


@pytest.mark.parametrize(
    ("test_labels", "hidden"), [(True, []), (False, ["t10k-labels", "y_test"])]
)
def test_the_test_labels_are_out_of_reach_where_the_hidden_tests_run(
    tmp_path, monkeypatch, test_labels, hidden
):
    data, work = tmp_path / "data", tmp_path / "work"
    (data / "MNIST" / "raw").mkdir(parents=True)
    work.mkdir()
    shutil.copy(ROOT / "data" / EMBEDDED_FILE_NAME, data)
    for name in RAW_FILES:
        (data / "MNIST" / "raw" / name).write_bytes(b"idx")
    monkeypatch.setenv("EX09_DATA_DIR", str(data))
    code = (
        "import os, numpy as np\n"
        f"print(*np.load({str(data / EMBEDDED_FILE_NAME)!r}).files, "
        f"*os.listdir({str(data / 'MNIST' / 'raw')!r}))"
    )
    result = run_confined(code, work, wrap={"test_labels": test_labels})
    seen = result.stdout.split()
    expected = {"x_train", "y_train", "x_test", "y_test", *RAW_FILES}
    expected -= {name for name in expected if any(name.startswith(h) for h in hidden)}
    assert set(seen) == expected, (
        f"expected the data folder to show {sorted(expected)}, got {sorted(seen)} "
        f"{result.stderr[-500:]!r}"
    )
