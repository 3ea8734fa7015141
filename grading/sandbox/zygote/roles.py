"""The two kinds of zygote, what each preloads and sees, and where its forked processes work."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from grading import preloads


@dataclass(frozen=True)
class Role:
    """What a zygote forks.

    Attributes:
        name: the role's name on the server's command line (a key of :data:`ROLES`).
        address_variable: the environment variable that names the zygote's socket to the
            grading process (the judge's workers, the kernel manager).
        preload: modules imported once in the zygote.
        test_labels: whether the data folder shows the test labels (the student's notebook
            evaluates with them; the hidden tests' worker must not see them).
        environment: variables set before the imports (how the libraries configure themselves).
    """

    name: str
    address_variable: str
    preload: tuple[str, ...]
    test_labels: bool = False
    environment: dict[str, str] = field(default_factory=dict)


#: The judge's workers (what they preload: :data:`grading.preloads.WORKER`).
WORKER = Role("worker", "GRADING_ZYGOTE", preloads.WORKER, environment={"MPLBACKEND": "Agg"})
#: The notebook's kernel (:data:`grading.preloads.KERNEL`).
KERNEL = Role(
    "kernel",
    "GRADING_KERNEL_ZYGOTE",
    preloads.KERNEL,
    test_labels=True,
    environment={"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
)
ROLES = {role.name: role for role in (WORKER, KERNEL)}
#: Seconds a zygote may take to import its libraries and listen; past that, fresh workers and
#: kernels are started instead.
START_TIMEOUT = 60.0


def work_folder(address: str) -> Path:
    """The folder of what the zygote at ``address`` forks processes for (workers' bundles and
    working folders, kernels' notebook folders), which they see as a size-capped copy."""
    return Path(address).parent / "work"
