"""Every module a grading process preloads exists under its name, so that a rename cannot silently
stop a preload, and a missing one is refused loudly."""

from __future__ import annotations

import importlib

import pytest

from grading import job, judge, preloads, zygote

LISTS = {
    "judge": preloads.JUDGE,
    "job": preloads.JOB,
    "worker zygote": zygote.WORKER.preload,
    "kernel zygote": zygote.KERNEL.preload,
}


@pytest.mark.parametrize("process", sorted(LISTS))
def test_every_preloaded_module_imports(process):
    failed = {}
    for name in LISTS[process]:
        try:
            importlib.import_module(name)
        except ImportError as error:
            failed[name] = str(error)
    assert not failed, f"expected every module the {process} preloads to import, got {failed}"


def test_the_processes_use_the_one_list():
    assert tuple(judge.PRELOAD) == preloads.JUDGE and tuple(job.PRELOAD) == preloads.JOB, (
        "the judge and the job fork server should preload grading.preloads' lists"
    )


def test_a_missing_preload_is_refused_loudly():
    with pytest.raises(ImportError, match="cannot preload grading.renamed_module"):
        preloads.checked(("numpy", "grading.renamed_module"))
