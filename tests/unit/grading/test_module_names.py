"""Every module the grader names in a string (what each process preloads, what the integrity
restore guards) exists under that name, so that a rename cannot silently stop a preload or a guard;
a missing preload is refused loudly."""

from __future__ import annotations

import importlib

import pytest

from grading import preloads
from grading.batch import job
from grading.judge import run as judge
from grading.sandbox.zygote import roles
from grading.worker import integrity

LISTS = {
    "the judge preloads": preloads.JUDGE,
    "the job fork server preloads": preloads.JOB,
    "the worker zygote preloads": roles.WORKER.preload,
    "the kernel zygote preloads": roles.KERNEL.preload,
    "the integrity restore guards": [m for m in integrity.GUARDED_MODULES if m != "__main__"],
}


@pytest.mark.parametrize("names", sorted(LISTS))
def test_every_named_module_imports(names):
    failed = {}
    for name in LISTS[names]:
        try:
            importlib.import_module(name)
        except ImportError as error:
            failed[name] = str(error)
    assert not failed, f"expected every module {names} to import, got {failed}"


def test_the_processes_use_the_one_list():
    assert tuple(judge.PRELOAD) == preloads.JUDGE and tuple(job.PRELOAD) == preloads.JOB, (
        "the judge and the job fork server should preload grading.preloads' lists"
    )


def test_a_missing_preload_is_refused_loudly():
    with pytest.raises(ImportError, match="cannot preload grading.renamed_module"):
        preloads.checked(("numpy", "grading.renamed_module"))
