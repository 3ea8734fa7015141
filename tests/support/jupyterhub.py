"""The course's JupyterHub (``hub/jupyterhub_config.py``) on free loopback ports, for the hub test:
PAM logins of real student accounts, each student's JupyterLab spawned as their Unix user.

It runs the shipped configuration and changes only what a test hub must: its addresses, its state
folder, who may log in (the test's accounts), the students' environment of the test and the
proxy that ``make setup-hub`` installed.
"""

from __future__ import annotations

import importlib.util
import secrets
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from support.accounts import Student, jupyter_paths
from support.lab_server import free_port, stop_server, wait_until_answering
from support.paths import ROOT

PROXY = ROOT / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"


def unavailable() -> str | None:
    """Why the hub cannot run here, or None when it can."""
    if importlib.util.find_spec("jupyterhub") is None:
        return "JupyterHub is not installed: run `make setup-hub`"
    if not PROXY.exists():
        return (
            f"no {PROXY.relative_to(ROOT)} (configurable-http-proxy): run `make setup-hub` with npm"
        )
    return None


def give_password(student: Student) -> str:
    """Set a new random password of ``student``'s account (``chpasswd``) and return it."""
    password = secrets.token_urlsafe(12)
    subprocess.run(["chpasswd"], input=f"{student.name}:{password}".encode(), check=True)
    return password


@dataclass
class Hub:
    """A running JupyterHub."""

    url: str  # http://127.0.0.1:<port>/
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        """Stop the hub, its proxy and the servers it spawned."""
        stop_server(self.process, 60)

    def ask(self) -> None:
        """A request to the hub's API (raises ``OSError`` while it does not answer)."""
        with urllib.request.urlopen(f"{self.url}hub/api", timeout=5):
            pass


def start_hub(folder: Path, students: list[Student], python: Path, timeout: float = 90) -> Hub:
    """Start the course's hub with its state in ``folder``, ``students`` allowed to log in and
    ``python`` the students' environment, and wait until it answers."""
    port = free_port()
    config = folder / "jupyterhub_config.py"
    config.write_text(
        f"load_subconfig({str(ROOT / 'hub' / 'jupyterhub_config.py')!r})\n"
        f"c.JupyterHub.bind_url = 'http://127.0.0.1:{port}'\n"
        f"c.JupyterHub.hub_port = {free_port()}\n"
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{free_port()}'\n"
        f"c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]\n"
        f"c.JupyterHub.db_url = 'sqlite:///{folder / 'jupyterhub.sqlite'}'\n"
        f"c.JupyterHub.cookie_secret_file = {str(folder / 'cookie_secret')!r}\n"
        f"c.JupyterHub.pid_file = {str(folder / 'jupyterhub.pid')!r}\n"
        f"c.Authenticator.allowed_users = {sorted(s.name for s in students)!r}\n"
        f"c.Spawner.cmd = [{str(python)!r}, '-m', 'jupyterhub.singleuser']\n"
        f"c.Spawner.environment = {jupyter_paths()!r}\n"
    )
    log = folder / "jupyterhub.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(config)],
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    hub = Hub(f"http://127.0.0.1:{port}/", process, log)
    wait_until_answering("jupyterhub", process, hub.ask, hub.stop, log, timeout)
    return hub
