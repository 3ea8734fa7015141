"""nbgrader's Execute step with the kernel confined by
:class:`grading.sandbox.bubblewrap.Sandbox`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import psutil
from jupyter_client.connect import port_names as PORT_NAMES
from jupyter_client.manager import AsyncKernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbconvert.exporters.exporter import ResourcesDict
from nbformat.notebooknode import NotebookNode, from_dict
from nbgrader.preprocessors import Execute
from traitlets import Float, default

from grading.sandbox.bubblewrap import Sandbox
from grading.sandbox.processes import tree_cpu_seconds
from grading.sandbox.zygote import client as zygote_client
from grading.sandbox.zygote.roles import KERNEL, START_TIMEOUT, work_folder

#: Seconds between two readings of the kernel's CPU time while a cell runs.
CPU_POLL_INTERVAL = 0.25

KERNEL_DIED = (
    "the kernel stopped while running this cell (os._exit, a crash, or the memory cap); later "
    "cells were not run. The hidden tests still graded your solution cells."
)
KERNEL_HUNG = (
    "this cell ran past the {timeout} s limit and did not stop when interrupted, so the kernel "
    "was shut down; later cells were not run. The hidden tests still graded your solution cells."
)
CPU_LIMIT_REACHED = (
    "this cell used its {limit:g} s of CPU time and was interrupted (an endless loop?). The "
    "hidden tests still graded your solution cells."
)
NOT_RUN = (
    "not run: the notebook used up its {budget:g} s of running time while autograding (an "
    "endless loop in an earlier cell?). The hidden tests still graded your solution cells."
)


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel inside the sandbox, which has no network: nbgrader talks to it over Unix
    sockets (ZeroMQ's IPC transport) in the sandbox's private ``/tmp``, which this process reaches
    through the sandbox's root, ``/proc/<pid>/root``. No socket, and no folder, is shared.

    When ``$GRADING_KERNEL_ZYGOTE`` names a kernel zygote (:mod:`grading.sandbox.zygote`, kept by
    the batch grader) whose work folder holds the notebook's folder, the kernel is forked by it,
    confined as the zygote is, with its libraries already imported; otherwise a fresh kernel is
    started in a sandbox of its own.
    """

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._zygote_pid: int | None = None  # the zygote that forks the kernel, if one does
        self._confined = True

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        # A signal would reach bubblewrap, not the kernel: interrupt it with a message instead.
        self.kernel_spec.interrupt_mode = "message"
        # The kernel binds <ip>-1 ... <ip>-5 in its /tmp (the sandbox's own, emptied for it);
        # a restart writes a new connection file for a new path.
        self.cleanup_connection_file()
        self.ip = f"/tmp/kernel-{secrets.token_hex(4)}"
        for port, name in enumerate(PORT_NAMES, start=1):
            setattr(self, name, port)
        command, kw = await super()._async_pre_start_kernel(**kw)
        folder = Path(kw.get("cwd") or os.getcwd()).resolve()
        connection = Path(self.connection_file).resolve()
        address = os.environ.get(KERNEL.address_variable)
        self._zygote_pid = None
        if address and folder.is_relative_to(work_folder(address).resolve()):
            self._zygote_pid = zygote_client.ping(address, wait=START_TIMEOUT)
        if self._zygote_pid is not None:
            # -P: the notebook's folder, where this client starts, must not shadow ``grading``.
            forked = [sys.executable, "-P", "-m", zygote_client.__name__, address]
            return [*forked, str(connection)], kw
        # The kernel cannot see its parent's PID from inside the sandbox's PID namespace, so it must
        # not poll it (it would exit at once); the sandbox ends it with its parent instead.
        sandbox = Sandbox(config=self.config)
        self._confined = sandbox.enabled
        wrapped = sandbox.wrap(
            command, workspace=folder, readable=[connection], unset=["JPY_PARENT_PID"]
        )
        return wrapped, kw

    def cpu_seconds(self) -> float:
        """CPU seconds the kernel's processes used so far (the zygote's tree, or the sandbox's)."""
        if self._zygote_pid is not None:
            return tree_cpu_seconds(self._zygote_pid)
        return tree_cpu_seconds(self.provisioner.process.pid) if self.provisioner else 0.0

    async def _async_post_start_kernel(self, **kw: Any) -> None:
        inside = self._zygote_pid
        if inside is None and self._confined:
            inside = await _inside(self.provisioner.process.pid)
        if inside is not None:  # this process's clients reach the sockets through its root
            self.ip = f"/proc/{inside}/root{self.ip}"
        await super()._async_post_start_kernel(**kw)


async def _inside(pid: int, timeout: float = 30.0) -> int:
    """A process in the sandbox that ``pid`` (bubblewrap, outside it) is starting: its first
    child in another mount namespace."""
    own = os.readlink("/proc/self/ns/mnt")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(psutil.Error, OSError):
            for child in psutil.Process(pid).children():
                if os.readlink(f"/proc/{child.pid}/ns/mnt") != own:
                    return child.pid
        await asyncio.sleep(0.02)
    raise RuntimeError(f"the kernel's sandbox (process {pid}) did not start")


def error_output(name: str, reason: str) -> NotebookNode:
    """An error output ``name: reason`` for a cell, as the kernel would show it."""
    output = {"output_type": "error", "ename": name, "evalue": reason}
    return from_dict({**output, "traceback": [f"{name}: {reason}"]})


class SandboxedExecute(Execute):
    """nbgrader's ``Execute`` whose kernel runs in the sandbox, within a time budget for the whole
    notebook, and which survives losing the kernel.

    A cell that uses ``cell_cpu_limit`` CPU seconds (an endless loop; CPU time, so that a busy
    machine does not cut honest cells short) is interrupted, and so is one that runs past
    ``Execute.timeout`` or what is left of ``total_timeout`` (wall-clock backstops for code that
    sleeps or waits), through the message-based interrupt set up above; execution continues, and
    once the budget is used up, the remaining code cells are recorded as not run. When the kernel
    dies (``os._exit``, a crash, the memory cap), or ignores the interrupt (it keeps running, so
    nbclient raises ``CellTimeoutError``), the kernel is shut down, the cell responsible gets an
    error saying why, the remaining cells are left unrun, and grading goes on: the hidden tests do
    not need the kernel, so the marks never depend on these limits.
    """

    total_timeout = Float(
        30.0,
        help="Seconds the kernel may run one notebook in all (from its start); cells after that "
        "are recorded as not run. The marks come from the hidden tests, which need no kernel.",
    ).tag(config=True)

    cell_cpu_limit = Float(
        10.0,
        help="CPU seconds one cell may use in the kernel before it is interrupted (0: no limit).",
    ).tag(config=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)
        self.kernel_lost = False
        self._deadline = float("inf")
        self._cpu_limit_reached = False

    def preprocess(self, nb: NotebookNode, resources: ResourcesDict, *args: Any) -> tuple:
        started = time.monotonic()
        self.kernel_lost, self._deadline = False, started + self.total_timeout
        result = super().preprocess(nb, resources, *args)
        self.log.info("The kernel ran the notebook in %.1f s", time.monotonic() - started)
        return result

    async def async_execute_cell(self, cell: NotebookNode, *args: Any, **kwargs: Any) -> Any:
        """Execute ``cell`` while a watchdog interrupts it past ``cell_cpu_limit``."""
        if cell.cell_type != "code" or not self.cell_cpu_limit:
            return await super().async_execute_cell(cell, *args, **kwargs)
        self._cpu_limit_reached = False
        watchdog = asyncio.ensure_future(self._interrupt_past_cpu_limit())
        try:
            reply = await super().async_execute_cell(cell, *args, **kwargs)
        finally:
            watchdog.cancel()
        if self._cpu_limit_reached:
            cell.outputs.append(
                error_output("CPULimit", CPU_LIMIT_REACHED.format(limit=self.cell_cpu_limit))
            )
        return reply

    execute_cell = run_sync(async_execute_cell)

    async def _interrupt_past_cpu_limit(self) -> None:
        """Interrupt the kernel once it used ``cell_cpu_limit`` CPU seconds from now."""
        start = self.km.cpu_seconds()
        while self.km.cpu_seconds() - start < self.cell_cpu_limit:
            await asyncio.sleep(CPU_POLL_INTERVAL)
        self.log.warning("A cell used %g s of CPU time; interrupting it", self.cell_cpu_limit)
        self._cpu_limit_reached = True
        await self.km.interrupt_kernel()

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
