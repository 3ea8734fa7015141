"""nbgrader's Execute step with the kernel confined by :class:`grading.sandbox.Sandbox`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import Execute

from grading.sandbox import Sandbox

KERNEL_DIED = (
    "the kernel stopped while running this cell (os._exit, a crash, or the memory cap); later "
    "cells were not run. The hidden tests still graded your solution cells."
)
KERNEL_HUNG = (
    "this cell ran past the {timeout} s limit and did not stop when interrupted, so the kernel "
    "was shut down; later cells were not run. The hidden tests still graded your solution cells."
)


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel inside the sandbox; only the notebook's own folder is writable."""

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        # A signal would reach bubblewrap, not the kernel: interrupt it with a message instead.
        self.kernel_spec.interrupt_mode = "message"
        command, kw = await super()._async_pre_start_kernel(**kw)
        folder = Path(kw.get("cwd") or os.getcwd()).resolve()
        connection = Path(self.connection_file).resolve()
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


class SandboxedExecute(Execute):
    """nbgrader's ``Execute`` whose kernel runs in the sandbox, and which survives losing it.

    A cell that runs past ``Execute.timeout`` (an endless loop) is interrupted by nbgrader, through
    the message-based interrupt set up above, and execution continues. When the kernel dies
    (``os._exit``, a crash, the memory cap), or ignores the interrupt (it keeps running, so nbclient
    raises ``CellTimeoutError``), the kernel is shut down, the cell responsible gets an error
    saying why, the remaining cells are left unrun, and grading goes on: the hidden tests do not
    need the kernel.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)
        self.kernel_lost = False

    def preprocess_cell(self, cell: NotebookNode, resources: ResourcesDict, index: int) -> tuple:
        if self.kernel_lost:
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
        cell.outputs.append(
            from_dict(
                {
                    "output_type": "error",
                    "ename": "KernelLost",
                    "evalue": reason,
                    "traceback": [f"KernelLost: {reason}"],
                }
            )
        )
        return cell, resources
