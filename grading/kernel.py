"""nbgrader's Execute step with the kernel confined by :class:`grading.sandbox.Sandbox`."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import Execute
from traitlets import Float

from grading import zygote
from grading.sandbox import Sandbox

KERNEL_DIED = (
    "the kernel stopped while running this cell (os._exit, a crash, or the memory cap); later "
    "cells were not run. The hidden tests still graded your solution cells."
)
KERNEL_HUNG = (
    "this cell ran past the {timeout} s limit and did not stop when interrupted, so the kernel "
    "was shut down; later cells were not run. The hidden tests still graded your solution cells."
)
NOT_RUN = (
    "not run: the notebook used up its {budget:g} s of running time while autograding (an "
    "endless loop in an earlier cell?). The hidden tests still graded your solution cells."
)


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel inside the sandbox; only the notebook's own folder is writable.

    When ``$GRADING_KERNEL_ZYGOTE`` names a kernel zygote (:mod:`grading.zygote`, kept by the
    batch grader) whose work folder holds the notebook's folder, the kernel is forked by it,
    confined as the zygote is, with its libraries already imported; otherwise a fresh kernel is
    started in a sandbox of its own.
    """

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        # A signal would reach bubblewrap, not the kernel: interrupt it with a message instead.
        self.kernel_spec.interrupt_mode = "message"
        command, kw = await super()._async_pre_start_kernel(**kw)
        folder = Path(kw.get("cwd") or os.getcwd()).resolve()
        connection = Path(self.connection_file).resolve()
        address = os.environ.get(zygote.KERNEL.address_variable)
        if (
            address
            and folder.is_relative_to(zygote.work_folder(address).resolve())
            and zygote.ping(address, wait=zygote.START_TIMEOUT) is not None
        ):
            # -P: the notebook's folder, where this client starts, must not shadow ``grading``.
            forked = [sys.executable, "-P", "-m", "grading.zygote", "kernel", address]
            forked.append(str(connection))
            return forked, kw
        # The kernel cannot see its parent's PID from inside the sandbox's PID namespace, so it must
        # not poll it (it would exit at once); the sandbox ends it with its parent instead.
        wrapped = Sandbox(config=self.config).wrap(
            command,
            writable=[folder],
            readable=[connection],
            cwd=folder,
            unset=["JPY_PARENT_PID"],
            network=True,
        )
        return wrapped, kw


def error_output(name: str, reason: str) -> NotebookNode:
    """An error output ``name: reason`` for a cell, as the kernel would show it."""
    output = {"output_type": "error", "ename": name, "evalue": reason}
    return from_dict({**output, "traceback": [f"{name}: {reason}"]})


class SandboxedExecute(Execute):
    """nbgrader's ``Execute`` whose kernel runs in the sandbox, within a time budget for the whole
    notebook, and which survives losing the kernel.

    A cell that runs past ``Execute.timeout``, or past what is left of ``total_timeout`` (an
    endless loop), is interrupted by nbgrader, through the message-based interrupt set up above,
    and execution continues; once the budget is used up, the remaining code cells are recorded as
    not run. When the kernel dies (``os._exit``, a crash, the memory cap), or ignores the
    interrupt (it keeps running, so nbclient raises ``CellTimeoutError``), the kernel is shut
    down, the cell responsible gets an error saying why, the remaining cells are left unrun, and
    grading goes on: the hidden tests do not need the kernel, so the marks never depend on these
    limits.
    """

    total_timeout = Float(
        60.0,
        help="Seconds the kernel may run one notebook in all (from its start); cells after that "
        "are recorded as not run. The marks come from the hidden tests, which need no kernel.",
    ).tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)
        self.kernel_lost = False
        self._deadline = float("inf")

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, *args: Any) -> tuple:
        self.kernel_lost, self._deadline = False, time.monotonic() + self.total_timeout
        return super().preprocess(nb, resources, *args)

    def _get_timeout(self, cell: NotebookNode | None) -> int | None:
        """The cell's limit: ``Execute.timeout``, or less when less of the budget is left."""
        timeout = super()._get_timeout(cell)
        left = max(1, int(self._deadline - time.monotonic()))
        return left if timeout is None else min(timeout, left)

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int) -> tuple:
        if self.kernel_lost:
            return cell, resources
        if cell.cell_type == "code" and time.monotonic() >= self._deadline:
            cell.outputs = [error_output("NotRun", NOT_RUN.format(budget=self.total_timeout))]
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            reason = KERNEL_DIED
        except CellTimeoutError:
            reason = KERNEL_HUNG.format(timeout=self.timeout)
            run_sync(self.km.shutdown_kernel)(now=True)
        self.kernel_lost = True
        self.log.warning("Lost the kernel at cell %d (%s); later cells were not run", index, reason)
        cell.outputs.append(error_output("KernelLost", reason))
        return cell, resources
