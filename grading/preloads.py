"""What each long-lived grading process imports once, so that the processes it forks start warm.

One list per process, because each forks something different:

- :data:`JUDGE`: the process the judges are forked from (:func:`grading.judge.run.preload`): pytest,
  the judge's plugin, and the libraries the hidden tests import.
- :data:`JOB`: multiprocessing's fork server of a batch's jobs (:mod:`grading.batch.job`):
  nbgrader's applications and the course's preprocessors, and what a judge needs (each job forks its
  judge).
- :data:`WORKER`: the zygote of the student workers (:mod:`grading.sandbox.zygote`): the libraries
  of the notebooks' imports cells, the modules of the students' package, and the worker itself;
  never pytest or nbgrader, which student code does not need.
- :data:`KERNEL`: the zygote of the notebook kernels: IPython's kernel and the same libraries, but
  not the modules that hook into IPython when imported (the students' widgets register themselves
  with the kernel, matplotlib's inline backend its figures): the kernel imports those itself once
  its shell exists.

:func:`checked` fails loudly when a name does not import: multiprocessing's fork server skips a
preload it cannot import without a word, so a renamed module would silently stop being preloaded.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import pkgutil

import helpers

#: The numerical libraries every process that runs a submission's code or its tests imports.
LIBRARIES = ("numpy", "scipy.signal", "torch", "torch._dynamo")
#: The judge's pytest plugin (it gives the hidden tests ``student``), loaded by name.
JUDGE_PLUGIN = "grading.judge.pytest_plugin"
#: The judge's fork point.
JUDGE = ("pytest", *LIBRARIES, JUDGE_PLUGIN)
#: A batch's fork server of grading jobs.
JOB = ("grading.batch.job", "grading.pipeline.preprocessors", "nbgrader.apps", *JUDGE)
#: The student workers' zygote: the students' package, every module of it (it imports lazily).
WORKER = (
    *LIBRARIES,
    "matplotlib.pyplot",
    *(f"{helpers.__name__}.{module.name}" for module in pkgutil.iter_modules(helpers.__path__)),
    "grading.worker.main",
)
#: The notebook kernels' zygote.
KERNEL = ("ipykernel.kernelapp", *LIBRARIES, "torch.utils.data", "matplotlib.pyplot")


def _found(name: str) -> bool:
    """Whether module ``name`` exists, found without importing it or its packages."""
    parts = name.split(".")
    spec = importlib.util.find_spec(parts[0])
    for end in range(2, len(parts) + 1):
        if spec is None or not spec.submodule_search_locations:
            return False
        locations = spec.submodule_search_locations
        spec = importlib.machinery.PathFinder.find_spec(".".join(parts[:end]), locations)
    return spec is not None


def checked(names: tuple[str, ...]) -> tuple[str, ...]:
    """``names``, once each is known to exist.

    Raises:
        ImportError: a name that no installed module has.
    """
    missing = [name for name in names if not _found(name)]
    if missing:
        raise ImportError(f"cannot preload {', '.join(missing)}: no such module (renamed?)")
    return names
