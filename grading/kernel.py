"""nbgrader's Execute step with the notebook kernel confined by :class:`grading.sandbox.Sandbox`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from nbgrader.preprocessors import Execute

from grading.sandbox import Sandbox


class SandboxedKernelManager(AsyncKernelManager):
    """Starts the kernel inside the sandbox; only the notebook's own folder is writable."""

    async def _async_pre_start_kernel(self, **kw: Any) -> tuple[list[str], dict[str, Any]]:
        command, kw = await super()._async_pre_start_kernel(**kw)
        folder = Path(kw.get("cwd") or os.getcwd()).resolve()
        connection = Path(self.connection_file).resolve()
        # The kernel cannot see its parent's PID from inside the sandbox's PID namespace, so it must
        # not poll it (it would exit at once); the sandbox ends it with its parent instead.
        wrapped = Sandbox(config=self.config).wrap(
            command, writable=[folder], readable=[connection], cwd=folder, unset=["JPY_PARENT_PID"]
        )
        return wrapped, kw


class SandboxedExecute(Execute):
    """nbgrader's ``Execute`` whose kernel runs in the sandbox."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["kernel_manager_class"] = SandboxedKernelManager
        super().__init__(*args, **kwargs)
