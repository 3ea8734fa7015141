"""A JupyterLab server on a free loopback port for the browser tests, and a client for the kernels
of its notebooks (to set up and inspect what the page shows)."""

from __future__ import annotations

import ast
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyter_client import BlockingKernelClient


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Kernel:
    """A second client of a notebook's kernel: runs code and reads values in the student's
    namespace, as the page's own cells would."""

    def __init__(self, connection_file: Path) -> None:
        self.client = BlockingKernelClient()
        self.client.load_connection_file(str(connection_file))
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code: str, timeout: float = 300) -> str:
        """Execute ``code``; return what it printed, or raise with the kernel's error."""
        printed: list[str] = []
        errors: list[str] = []

        def collect(message: dict) -> None:
            content = message["content"]
            if message["msg_type"] == "stream":
                printed.append(content["text"])
            elif message["msg_type"] == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")

        self.client.execute_interactive(code, timeout=timeout, output_hook=collect)
        if errors:
            raise RuntimeError(f"the kernel raised {errors[0]} running:\n{code}")
        return "".join(printed)

    def value(self, expression: str) -> Any:
        """The value of a Python literal ``expression`` (numbers, strings, tuples) in the kernel."""
        return ast.literal_eval(self.run(f"print(repr({expression}))").strip())

    def wait_for(
        self, expression: str, condition: Callable[[Any], bool], timeout: float = 30
    ) -> Any:
        """The value of ``expression`` once ``condition`` holds for it (or the last value read
        when ``timeout`` seconds have passed): widget events reach the kernel asynchronously."""
        deadline = time.monotonic() + timeout
        while not condition(value := self.value(expression)) and time.monotonic() < deadline:
            time.sleep(0.2)
        return value

    def close(self) -> None:
        self.client.stop_channels()


@dataclass
class LabServer:
    """A running ``jupyter lab`` serving ``root``."""

    root: Path
    port: int
    token: str
    runtime_dir: Path
    process: subprocess.Popen

    def url(self, path: str) -> str:
        """The address of ``path`` on this server, with the access token."""
        separator = "&" if "?" in path else "?"
        return f"http://127.0.0.1:{self.port}/{path}{separator}token={self.token}"

    def api(self, path: str) -> Any:
        """GET ``/api/<path>`` as JSON."""
        with urllib.request.urlopen(self.url(f"api/{path}"), timeout=10) as response:
            return json.load(response)

    def kernel(self, notebook: str) -> Kernel:
        """A client of the kernel of the open notebook at ``notebook`` (relative to ``root``)."""
        sessions = [s for s in self.api("sessions") if s["path"] == notebook]
        assert sessions, f"expected a kernel session for {notebook}, got {self.api('sessions')}"
        kernel_id = sessions[0]["kernel"]["id"]
        return Kernel(self.runtime_dir / f"kernel-{kernel_id}.json")

    def stop(self) -> None:
        stop_server(self.process, 20)


def stop_server(process: subprocess.Popen, seconds: float) -> None:
    """Terminate a server, and kill it if it is still running after ``seconds``."""
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()


def wait_until_answering(
    name: str,
    process: subprocess.Popen,
    ask: Callable[[], object],
    stop: Callable[[], None],
    log: Path,
    timeout: float,
) -> None:
    """Wait until ``ask()`` (a request to the server ``name``) no longer fails with ``OSError``;
    raise with the server's ``log`` if it exits first, or after ``stop()`` if ``timeout`` seconds
    pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text()}")
        try:
            ask()
            return
        except OSError:
            time.sleep(0.5)
    stop()
    raise RuntimeError(f"{name} did not answer within {timeout:g} s:\n{log.read_text()}")


#: Turns JupyterLab's command line and its environment into the command to start: runs it as
#: another user, say (:meth:`accounts.Student.command`).
Launcher = Callable[[list[str], dict[str, str]], list[str]]


def start_lab(
    root: Path,
    log: Path,
    timeout: float = 90,
    *,
    python: Path = Path(sys.executable),
    launch: Launcher | None = None,
) -> LabServer:
    """Start JupyterLab of ``python``'s environment on ``root`` (its working folder, so nbgrader
    finds the course's config) on a free loopback port, and wait until it answers.

    Without ``launch`` it runs as this process's user with its environment; with it, as
    ``launch`` says, with only the variables JupyterLab needs (``root`` must then be writable
    by that user).
    """
    port, token = free_port(), secrets.token_hex(16)
    runtime_dir = root / ".jupyter-runtime"
    settings_dir = root / ".jupyterlab-settings"
    news = settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True, exist_ok=True)
    news.write_text(json.dumps({"fetchNews": "false"}))  # no "Jupyter news?" toast over the page
    runtime_dir.mkdir(mode=0o700, exist_ok=True)
    owner = root.stat()  # the server's own folders belong to whoever owns root
    for folder in (runtime_dir, settings_dir):
        for path in (folder, *folder.rglob("*")):
            os.chown(path, owner.st_uid, owner.st_gid)
    variables = {"JUPYTER_RUNTIME_DIR": str(runtime_dir)}
    bin_dir = python.parent
    command = [
        str(python),
        "-m",
        "jupyterlab",
        "--no-browser",
        "--allow-root",  # CI and containers run as root
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={settings_dir}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if launch is None:
        path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
        env: dict[str, str] | None = {**os.environ, **variables, "PATH": path}
    else:
        command, env = launch(command, variables), None
    with open(log, "w") as output:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    server = LabServer(root, port, token, runtime_dir, process)
    wait_until_answering(
        "jupyter lab", process, lambda: server.api("status"), server.stop, log, timeout
    )
    return server
