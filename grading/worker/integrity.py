"""Keep the worker's trusted code working on the real libraries, whatever the submission patches.

Student code runs in the same process as the trusted probes (:mod:`grading.worker.probes`) and the
wire (:mod:`grading.protocol.wire`), so it could replace ``numpy.allclose``, ``json.dumps``,
``torch.nn.Module.parameters`` or a builtin, and forge the facts the worker reports. The worker
takes a :class:`Guard` snapshot of the guarded modules and classes before it loads the
submission, and calls :meth:`Guard.restore` whenever control comes back from student code: trusted
code then always runs on the originals. What had to be restored is remembered, so that the
feedback can say so.

Only behaviour is guarded: functions, methods, descriptors, classes and modules, and inside each
guarded Python function its code, defaults and the functions in its closure (a submission could
swap ``f.__code__`` and leave ``f`` itself in place). Data attributes
(counters such as ``RemovableHandle.next_id``, caches, flags) change in normal use and are left
alone. One-time changes libraries make on first use (torch wraps each optimiser class's ``step``
when the first instance is made) are triggered before the snapshot by :func:`settle`.

Not covered: changes made through ``ctypes`` or ``gc`` to built-in (immutable) types, and state
inside objects (a student may change their own model's parameters; that is their model).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from operator import is_not
from types import BuiltinFunctionType, FunctionType, ModuleType

from grading.worker.snapshots import (
    Functions,
    Namespace,
    Namespaces,
    functions_in,
    patchable_classes,
)

#: Modules whose namespaces the shared trusted code relies on; each is imported before the
#: snapshot. An assignment's trusted modules add themselves and what they import (:func:`arm`).
GUARDED_MODULES = (
    "builtins",
    "json",
    "base64",
    "io",
    "struct",
    "numpy",
    "numpy.linalg",
    "numpy.random",
    "numpy.testing",
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.modules.module",
    "torch.optim",
    "torch.optim.optimizer",
    "torch.utils.data",
    "torch.utils.data.dataloader",
    "psutil",
    "grading.worker.guards",
    "grading.worker.integrity",
    "grading.worker.snapshots",
    "grading.worker.probes",
    "grading.worker.tripwires",
    "grading.protocol.wire",
    "__main__",  # the worker itself, run as ``python -m grading.worker.main``
)


def settle() -> None:
    """Make the one-time class changes libraries do on first use, so the snapshot includes them."""
    import torch

    param = torch.zeros(1, requires_grad=True)
    for value in vars(torch.optim).values():
        if isinstance(value, type) and issubclass(value, torch.optim.Optimizer):
            try:
                value([param])  # Optimizer.__init__ wraps the class's step() once
            except Exception:  # noqa: BLE001 - an optimiser that needs more arguments is not used
                continue


class Guard:
    """A snapshot of the guarded modules' and classes' namespaces and of ``sys.modules``."""

    def __init__(self, module_names: tuple[str, ...] = GUARDED_MODULES) -> None:
        self._module_names = module_names
        self._namespaces = Namespaces([])
        self._sys_modules: dict[str, ModuleType] = {}
        self._functions = Functions([])
        self._tampered: list[str] = []

    def snapshot(self) -> None:
        """Record the guarded namespaces as they are now (the state :meth:`restore` returns to)."""
        modules = [importlib.import_module(name) for name in self._module_names]
        settle()
        owners = [*modules, *patchable_classes(modules)]
        namespaces = [Namespace(owner) for owner in owners]
        self._namespaces = Namespaces(namespaces)
        self._sys_modules = dict(sys.modules)
        saved = [value for namespace in namespaces for value in namespace.saved.values()]
        self._functions = Functions(functions_in(saved))

    def restore(self) -> list[str]:
        """Put back every guarded name the submission replaced, added or deleted since the
        snapshot; return their dotted names (also kept for :meth:`take_tampered`). It runs after
        every call into student code, so each part is checked at C speed first and walked name by
        name only when it changed."""
        changed = self._namespaces.restore() if self._namespaces.changed() else []
        if self._functions.changed():
            changed += self._functions.restore()
        saved = self._sys_modules
        if any(map(is_not, map(sys.modules.get, saved), saved.values())):
            for name, module in saved.items():
                if sys.modules.get(name) is not module:
                    sys.modules[name] = module
                    changed.append(f"sys.modules[{name!r}]")
        self._tampered += [name for name in changed if name not in self._tampered]
        return changed

    def unlist(self, names: Iterable[str]) -> None:
        """Take the modules ``names`` out of ``sys.modules`` (``__main__`` is replaced by an empty
        module of that name, which libraries expect to find), and restore that ``sys.modules``
        from now on."""
        for name in names:
            if name == "__main__":
                sys.modules[name] = ModuleType(name)
            else:
                sys.modules.pop(name, None)
        self._sys_modules = dict(sys.modules)

    def take_tampered(self) -> list[str]:
        """The names restored since the last call, in the order they were first found."""
        tampered, self._tampered = self._tampered, []
        return tampered


#: The worker's guard, armed by :func:`arm` before the submission loads.
_guard: Guard | None = None


def relied_on(module: ModuleType) -> list[str]:
    """The names of ``module`` and of the modules it uses: those it binds, and those that define
    the functions and classes it imports."""
    names = [module.__name__]
    for value in vars(module).values():
        if isinstance(value, ModuleType):
            source = value.__name__
        elif isinstance(value, type | FunctionType | BuiltinFunctionType):
            source = value.__module__
        else:
            continue
        if isinstance(source, str) and source in sys.modules and source not in names:
            names.append(source)
    return names


def arm(trusted: list[ModuleType] = ()) -> None:
    """Snapshot the guarded libraries, with the ``trusted`` modules of the assignment and what
    they rely on (call once, before loading any student code)."""
    global _guard
    extra = [name for module in trusted for name in relied_on(module)]
    _guard = Guard(tuple(dict.fromkeys((*GUARDED_MODULES, *extra))))
    _guard.snapshot()  # after the assignment, so that restoring keeps this guard


def unlist(names: Iterable[str]) -> None:
    """Take the modules ``names`` out of ``sys.modules`` and out of the snapshot of it (after
    :func:`arm`, before student code loads: see :meth:`Guard.unlist`). Code that looks one of them
    up by name then finds nothing, and code that imports one gets a fresh copy, whose state nothing
    of the grader reads; the live modules stay guarded."""
    if _guard is not None:
        _guard.unlist(names)


def restore() -> None:
    """Undo the submission's changes to the guarded libraries (no-op before :func:`arm`)."""
    if _guard is not None:
        _guard.restore()


def take_tampered() -> list[str]:
    """Names of guarded attributes restored since the last call."""
    return _guard.take_tampered() if _guard is not None else []
