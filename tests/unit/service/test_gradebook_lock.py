"""The gradebook's one writer: the feedback service's lock, and the commands that respect it."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from grading.batch import command
from grading.gradebook_lock import ServiceLock, holder, refusal


def test_the_lock_names_its_holder_and_is_held_once(tmp_path):
    with ServiceLock(tmp_path):
        assert holder(tmp_path) == os.getpid(), "expected the holder's pid in the lock"
        with pytest.raises(RuntimeError, match="another feedback service"):
            ServiceLock(tmp_path).acquire()
    assert holder(tmp_path) is None, "expected nobody to hold the lock once it is released"


def test_a_killed_service_leaves_the_lock_free(tmp_path):
    code = (
        "import sys, time; from pathlib import Path\n"
        "from grading.gradebook_lock import ServiceLock\n"
        "ServiceLock(Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "held", "expected the child to take the lock"
    assert holder(tmp_path) == process.pid, "expected the child to hold the lock"
    process.kill()
    process.wait()
    assert holder(tmp_path) is None, "expected the lock free once its holder was killed"


def test_the_batch_refuses_to_write_the_gradebook_beside_the_service(tmp_path):
    out = io.StringIO()
    with ServiceLock(tmp_path):
        assert refusal(tmp_path, "make collect"), "expected make collect to be refused"
        code = command.main(assignment="ex10", root=tmp_path, out=out)
    assert code == 2, f"expected the batch to stop with code 2, got {code}: {out.getvalue()}"
    assert "feedback service" in out.getvalue(), (
        f"expected the batch to say why it stopped, got {out.getvalue()!r}"
    )
