"""Real Unix student accounts for the tests of the course cycle, and the students' environment.

A student account is made with ``useradd`` (the tests run as root here and in CI), its home is
private (mode 0700, as on a shared JupyterHub), and its commands run through ``runuser`` with that
user's own HOME and a clean environment. The students' environment is what a JupyterHub image
installs: a virtual environment of Debian's ``/usr/bin/python3`` (the course's own interpreter
lives under /root, which other users cannot read) with the students' wheel installed. Its
third-party dependencies (nbgrader, torch, ...) come from the course's ``.venv`` through a
``.pth`` file, so no index is reached; a real image installs the same pins from PyPI.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from support.paths import ROOT

#: The interpreter a student account can run.
SYSTEM_PYTHON = Path("/usr/bin/python3")


def unavailable() -> str | None:
    """Why real student accounts cannot be used here, or None when they can."""
    if os.geteuid() != 0:
        return "creating Unix accounts needs root"
    missing = [tool for tool in ("useradd", "userdel", "runuser") if shutil.which(tool) is None]
    if missing:
        return f"no {', '.join(missing)} on this machine"
    if not SYSTEM_PYTHON.is_file():
        return f"no {SYSTEM_PYTHON} for the student accounts"
    dependencies = Path(sysconfig.get_paths()["purelib"])
    blocked = [
        p for p in (dependencies, *dependencies.parents) if p.stat().st_mode & 0o005 != 0o005
    ]
    if blocked:
        return f"{blocked[0]} is not readable by other users, so students cannot use {dependencies}"
    return None


@contextmanager
def shared_folder(prefix: str) -> Iterator[Path]:
    """A new folder every user can traverse and read (pytest's own tmp folders are private)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def students_environment(folder: Path, wheel: Path, interpreter: Path = SYSTEM_PYTHON) -> Path:
    """Build the students' environment in ``folder`` from ``interpreter`` with ``wheel``
    installed; return its python."""
    subprocess.run([str(interpreter), "-m", "venv", "--without-pip", str(folder)], check=True)
    site = next((folder / "lib").glob("python3*/site-packages"))
    (site / "course-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    python = folder / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + ["--no-index", str(wheel)],
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("PYTHON")},
    )
    return python


def jupyter_paths() -> dict[str, str]:
    """Environment variables under which the students' Jupyter finds the extensions of its
    dependencies (nbgrader's panels, the widgets), which live in the course's ``.venv``."""
    return {
        "JUPYTER_PATH": str(Path(sys.prefix) / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(Path(sys.prefix) / "etc" / "jupyter"),
    }


def build_wheel(out: Path) -> Path:
    """The students' wheel, built by ``tools/build_student_package.py`` into ``out``."""
    command = [sys.executable, str(ROOT / "tools" / "build_student_package.py"), "--out", str(out)]
    printed = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return Path(printed.splitlines()[-1])


@dataclass
class Student:
    """A Unix account with a private home, whose commands run as that user."""

    name: str
    home: Path
    python: Path

    @classmethod
    def create(cls, prefix: str, homes: Path, python: Path) -> Student:
        """A new account ``<prefix>-<random>`` with its home in ``homes``, using ``python``."""
        name = f"{prefix}-{secrets.token_hex(3)}"
        home = homes / name
        subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/sh", name],
            check=True,
        )
        home.chmod(0o700)
        return cls(name, home, python)

    def delete(self) -> None:
        """Remove the account, its home and any process it left."""
        if shutil.which("pkill"):
            subprocess.run(["pkill", "-KILL", "-u", self.name], check=False)
        subprocess.run(["userdel", "--remove", self.name], check=False, capture_output=True)

    def command(self, *command: str, env: dict[str, str] | None = None) -> list[str]:
        """The command line that runs ``command`` as this student, with only their own
        environment (and ``env``)."""
        environment = {
            "HOME": str(self.home),
            "USER": self.name,
            "LOGNAME": self.name,
            "PATH": f"{self.python.parent}:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            **(env or {}),
        }
        return (
            ["runuser", "-u", self.name, "--", "env", "-i"]
            + [f"{key}={value}" for key, value in environment.items()]
            + list(command)
        )

    def run(
        self, *command: str, input: bytes | None = None, check: bool = True
    ) -> subprocess.CompletedProcess:
        """Run ``command`` as this student in their home (:meth:`command`)."""
        result = subprocess.run(
            self.command(*command),
            cwd=self.home,
            input=input,
            capture_output=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"{' '.join(command)} as {self.name} exited with {result.returncode}:\n"
                f"{result.stderr.decode(errors='replace')[-4000:]}"
            )
        return result

    def nbgrader(self, *arguments: str) -> subprocess.CompletedProcess:
        """``nbgrader ARGUMENTS`` of the students' environment, as this student."""
        return self.run(str(self.python), "-m", "nbgrader", *arguments)

    def write(self, path: Path, content: bytes) -> None:
        """Write ``content`` to ``path`` as this student (an editor saving a file), making its
        folder if needed."""
        script = (
            "import os, sys\n"
            "os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)\n"
            "open(sys.argv[1], 'wb').write(sys.stdin.buffer.read())\n"
        )
        self.run(str(self.python), "-c", script, str(path), input=content)

    def readable_files(self, *folders: Path) -> dict[str, str]:
        """Every file under ``folders`` this student can read, by path, with its text."""
        script = (
            "import json, os, sys\n"
            "found = {}\n"
            "for folder in sys.argv[1:]:\n"
            "    for parent, _, names in os.walk(folder):\n"
            "        for name in names:\n"
            "            path = os.path.join(parent, name)\n"
            "            try:\n"
            "                with open(path, 'rb') as file:\n"
            "                    found[path] = file.read().decode(errors='replace')\n"
            "            except OSError:\n"
            "                pass\n"
            "print(json.dumps(found))\n"
        )
        printed = self.run(str(self.python), "-c", script, *map(str, folders)).stdout
        return json.loads(printed)

    def can_list(self, folder: Path) -> bool:
        """Whether this student can list ``folder``."""
        script = "import os, sys; os.listdir(sys.argv[1])"
        return self.run(str(self.python), "-c", script, str(folder), check=False).returncode == 0


@dataclass
class SharedHub:
    """What a shared JupyterHub gives a course: an exchange every user may write to, and student
    accounts with private homes, the students' environment and the hub's nbgrader configuration
    (``hub/nbgrader_config.py``, pointed at this exchange)."""

    exchange: Path
    students: list[Student]
    python: Path

    @property
    def exchange_option(self) -> str:
        """The command-line option that points nbgrader at this exchange."""
        return f"--Exchange.root={self.exchange}"


@contextmanager
def shared_hub(prefix: str, names: list[str], dist: Path) -> Iterator[SharedHub]:
    """A :class:`SharedHub` with a student account per prefix of ``names`` (the students'
    wheel built into ``dist``); the accounts are removed afterwards. Skips the test, saying why,
    where accounts cannot be made."""
    import pytest

    reason = unavailable()
    if reason:
        pytest.skip(reason)
    with shared_folder(prefix) as shared:
        exchange = shared / "exchange"
        exchange.mkdir()
        exchange.chmod(0o777)  # as the hub's admin makes /srv/nbgrader/exchange
        homes = shared / "home"
        homes.mkdir()
        homes.chmod(0o755)
        python = students_environment(shared / "students-venv", build_wheel(dist))
        students = [Student.create(name, homes, python) for name in names]
        try:
            config = (ROOT / "hub" / "nbgrader_config.py").read_text()
            config += f"c.Exchange.root = {str(exchange)!r}  # this hub's exchange\n"
            for student in students:  # the hub image's /etc/jupyter/nbgrader_config.py
                student.write(student.home / ".jupyter" / "nbgrader_config.py", config.encode())
            yield SharedHub(exchange, students, python)
        finally:
            for student in students:
                student.delete()
