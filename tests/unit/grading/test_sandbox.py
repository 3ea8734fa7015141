"""Student code in the sandbox cannot read or change the course, read anything outside its
allow-list (other students' submissions, homes, other courses), reach the network or, where the
hidden tests run, the test labels; its memory, processes and disk are capped."""

from __future__ import annotations

import concurrent.futures
import functools
import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from grading.judge.errors import StudentError
from grading.judge.student import StudentProcess
from grading.sandbox import cgroups
from grading.sandbox.bubblewrap import Sandbox, SandboxUnavailable
from helpers.mnist import EMBEDDED_FILE_NAME, RAW_FILES
from support import outside
from support.kernels import execute as run_notebook
from support.paths import ROOT


def run_confined(
    code: str, tmp_path, wrap: dict | None = None, **settings
) -> subprocess.CompletedProcess:
    """Run ``code`` in a sandbox (``settings``) working in a copy of ``tmp_path``, wrapped with
    ``wrap``."""
    command = Sandbox(**settings).wrap(
        [sys.executable, "-c", code], workspace=tmp_path, **(wrap or {})
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


def test_student_code_changes_only_its_copy_of_its_folder(tmp_path):
    (tmp_path / "data.txt").write_text("submitted")
    code = (
        "import os\n"
        "print(open('data.txt').read(), os.getcwd())\n"
        "open('data.txt', 'w').write('changed')\n"
        "open('mine.txt', 'w').write('ok')\n"
        "print(open('data.txt').read(), open('mine.txt').read())\n"
        "try:\n"
        f"    open({str(ROOT / 'data' / 'planted.txt')!r}, 'w')\n"
        "except OSError as error:\n"
        "    print('blocked', error.errno)\n"
    )
    result = run_confined(code, tmp_path)
    assert result.stdout.split() == [
        "submitted",
        str(tmp_path),
        "changed",
        "ok",
        "blocked",
        "30",
    ], (
        "expected the code to start in its folder with the submitted files, change its copy, and "
        f"be blocked writing into the course (EROFS), got {result.stdout!r} {result.stderr!r}"
    )
    assert (tmp_path / "data.txt").read_text() == "submitted", "the folder itself should not change"
    assert not (tmp_path / "mine.txt").exists(), "files written in the sandbox should stay there"
    assert not (ROOT / "data" / "planted.txt").exists(), "nothing should be written into the course"


@pytest.mark.parametrize("place", [".", "/tmp", "/dev/shm"])
def test_writes_beyond_the_disk_cap_fail_with_enospc(tmp_path, place):
    code = (
        "import errno\n"
        "written = 0\n"
        "try:\n"
        f"    with open({place!r} + '/big', 'wb') as file:\n"
        "        for _ in range(100):\n"
        "            file.write(bytes(1024**2))\n"
        "            written += 1\n"
        "            file.flush()\n"
        "except OSError as error:\n"
        "    print(written, errno.errorcode[error.errno])\n"
    )
    result = run_confined(code, tmp_path, disk_limit=20 * 1024**2)
    written, error = (result.stdout.split() or ["-1", ""])[:2]
    assert int(written) <= 20 and error == "ENOSPC", (
        f"expected at most 20 MiB written to {place} and then ENOSPC, got {result.stdout!r} "
        f"{result.stderr[-300:]!r}"
    )


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
        sandbox=Sandbox(),
    )
    try:
        with pytest.raises(StudentError, match="FileNotFoundError"):
            process.call("peek")
        with pytest.raises(StudentError, match="MemoryError"):
            process.call("bomb")
    finally:
        process.close()


@pytest.fixture
def listener() -> Iterator[int]:
    """A TCP server on the grader's 127.0.0.1; its port."""
    with socket.create_server(("127.0.0.1", 0)) as server:
        yield server.getsockname()[1]


CONNECT = (
    "import socket\n"
    "try:\n"
    "    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n"
    "    print('connected')\n"
    "except OSError as error:\n"
    "    print(type(error).__name__)\n"
    "print(sorted(name for _, name in socket.if_nameindex()))\n"
)


def test_a_sandbox_has_no_network(tmp_path, listener):
    result = run_confined(CONNECT.format(port=listener), tmp_path)
    assert result.stdout.split("\n")[:2] == ["ConnectionRefusedError", "['lo']"], (
        "expected the grader's listener out of reach and only a loopback device, got "
        f"{result.stdout!r} {result.stderr[-300:]!r}"
    )


def test_the_kernel_has_no_network_and_nbgrader_still_reaches_it(tmp_path, listener):
    outputs = run_notebook(tmp_path, CONNECT.format(port=listener))
    printed = outputs[0][0]["text"].split("\n")[:2]
    assert printed == ["ConnectionRefusedError", "['lo']"], (
        f"expected the kernel cut off from the network, got {printed}"
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
    monkeypatch.setenv("CNN_DATA_DIR", str(data))
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


def test_processes_beyond_the_cap_cannot_start(tmp_path):
    code = (
        "import subprocess\n"
        "started = 0\n"
        "try:\n"
        "    while started < 500:\n"
        "        subprocess.Popen(['sleep', '10'])\n"
        "        started += 1\n"
        "except OSError as error:\n"
        "    print(started, error.errno)\n"
    )
    result = run_confined(code, tmp_path, process_limit=40)
    started, errno = map(int, result.stdout.split() or [-1, -1])
    assert 0 < started < 40 and errno == 11, (
        f"expected fewer than 40 processes to start and then EAGAIN (11), got {result.stdout!r} "
        f"{result.stderr[-300:]!r}"
    )


def test_without_a_cgroup_for_the_cap_the_sandbox_says_what_to_do(monkeypatch):
    monkeypatch.setattr(
        "grading.sandbox.cgroups.unavailable", lambda: "no cgroup file system is mounted"
    )
    with pytest.raises(SandboxUnavailable, match="process_limit = 0"):
        Sandbox().wrap(["true"])
    assert Sandbox(process_limit=0).wrap(["true"])[0] == "bwrap", (
        "with process_limit = 0 the sandbox should run without a cap"
    )


@pytest.mark.skipif(bool(cgroups.unavailable()), reason="this machine offers no pids cgroup")
def test_threads_that_ask_at_once_all_get_the_process_cgroup_folder(monkeypatch):
    """A grading process runs its jobs in threads; the first of them find the cgroup folder
    together, and none may be told that there is none."""
    monkeypatch.setattr(
        "grading.sandbox.cgroups._find_parent", functools.cache(cgroups._find_parent.__wrapped__)
    )
    # The folder is this process's, whose removal at exit is registered already.
    monkeypatch.setattr("grading.sandbox.cgroups.atexit.register", lambda *args: None)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        found = list(pool.map(lambda _: cgroups._parent(), range(8)))
    assert all(isinstance(f, Path) for f in found) and len(set(found)) == 1, (
        f"expected 8 threads to get one cgroup folder, got {found}"
    )


@pytest.fixture
def planted() -> Iterator[list[Path]]:
    """Files the grading user can read outside the course (:func:`outside.planted`)."""
    with outside.planted() as places:
        yield places


#: Prints each planted path's fate and what the folders above them list (JSON on one line).
LOOK_AROUND = """
import json, os

def look(paths):
    seen = {}
    for path in paths:
        try:
            seen[path] = open(path).read()
        except OSError as error:
            seen[path] = type(error).__name__
    for folder in ("/srv", "/home", "/root", "/opt", "/var/lib", "/etc"):
        try:
            seen[folder] = sorted(os.listdir(folder))
        except OSError as error:
            seen[folder] = type(error).__name__
    return json.dumps(seen)
"""


def assert_nothing_planted_seen(printed: str, planted: list[Path]) -> None:
    seen = json.loads(printed)
    leaked = {path: seen[str(path)] for path in planted if seen[str(path)] != "FileNotFoundError"}
    assert not leaked, f"expected every planted file absent (FileNotFoundError), got {leaked}"
    listed = {folder: names for folder, names in seen.items() if "planted-" in str(names)}
    assert not listed, f"expected no planted folder listed, got {listed}"
    assert "SECRET" not in printed, f"a planted file's content reached student code: {printed}"


def test_files_outside_the_allow_list_are_invisible(tmp_path, planted):
    code = f"{LOOK_AROUND}\nprint(look({[str(p) for p in planted]!r}))"
    result = run_confined(code, tmp_path)
    assert result.returncode == 0, f"the sandboxed code failed: {result.stderr[-500:]}"
    assert_nothing_planted_seen(result.stdout, planted)


def test_the_worker_cannot_read_outside_the_allow_list(planted):
    process = StudentProcess(
        {"preamble": [], "cells": [{"grade_id": "c", "source": LOOK_AROUND}]},
        timeout=30,
        sandbox=Sandbox(),
    )
    try:
        printed, _ = process.call("look", [str(p) for p in planted])
    finally:
        process.close()
    assert_nothing_planted_seen(printed, planted)


def test_the_kernel_cannot_read_outside_the_allow_list(tmp_path, planted):
    outputs = run_notebook(tmp_path, f"{LOOK_AROUND}\nprint(look({[str(p) for p in planted]!r}))")
    assert_nothing_planted_seen(outputs[0][0]["text"], planted)
