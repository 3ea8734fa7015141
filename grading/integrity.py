"""Keep the worker's trusted code working on the real libraries, whatever the submission patches.

Student code runs in the same process as the trusted probes (:mod:`grading.probes`) and the
wire (:mod:`grading.wire`), so it could replace ``numpy.allclose``, ``json.dumps``,
``torch.nn.Module.parameters`` or a builtin, and forge the facts the worker reports. The worker
takes a :class:`Guard` snapshot of the guarded modules and classes before it loads the
submission, and calls :meth:`Guard.restore` whenever control comes back from student code: trusted
code then always runs on the originals. What had to be restored is remembered, so that the
feedback can say so.

Only behaviour is guarded: functions, methods, descriptors, classes and modules. Data attributes
(counters such as ``RemovableHandle.next_id``, caches, flags) change in normal use and are left
alone. One-time changes libraries make on first use (torch wraps each optimiser class's ``step``
when the first instance is made) are triggered before the snapshot by :func:`settle`.

Not covered: changes made through ``ctypes`` or ``gc`` to built-in (immutable) types, and state
inside objects (a student may change their own model's parameters; that is their model).
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType

#: Modules whose namespaces trusted code relies on; each is imported before the snapshot.
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
    "scipy.signal",
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.modules.module",
    "torch.optim",
    "torch.optim.optimizer",
    "torch.utils.data",
    "torch.utils.data.dataloader",
    "helpers.mnist",
    "grading.integrity",
    "grading.probes",
    "grading.tripwires",
    "grading.wire",
    "__main__",  # the worker itself, run as ``python -m grading.worker``
)

_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: built-in types, which cannot be patched
_MISSING = object()


def _patchable_classes(modules: list[ModuleType]) -> list[type]:
    """The classes the modules define or re-export, with their bases, that Python code can patch."""
    found: dict[int, type] = {}
    for module in modules:
        for value in list(vars(module).values()):
            if isinstance(value, type):
                for cls in value.__mro__:
                    if not cls.__flags__ & _IMMUTABLE_TYPE:
                        found.setdefault(id(cls), cls)
    return list(found.values())


def is_behaviour(value: object) -> bool:
    """Whether a namespace entry is code (function, method, descriptor, class, module), not data."""
    return callable(value) or isinstance(value, ModuleType) or hasattr(type(value), "__get__")


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


def _guarded(namespace: dict) -> dict:
    return {name: value for name, value in namespace.items() if is_behaviour(value)}


def _is_submodule(module: ModuleType, name: str, value: object) -> bool:
    """Whether ``module.name`` was set by importing the submodule ``module.name`` (legitimate)."""
    return isinstance(value, ModuleType) and sys.modules.get(f"{module.__name__}.{name}") is value


class Guard:
    """A snapshot of the guarded modules' and classes' namespaces and of ``sys.modules``."""

    def __init__(self, module_names: tuple[str, ...] = GUARDED_MODULES) -> None:
        self._module_names = module_names
        self._modules: list[tuple[ModuleType, dict, set]] = []
        self._classes: list[tuple[type, dict, set]] = []
        self._sys_modules: dict[str, ModuleType] = {}
        self._tampered: list[str] = []

    def snapshot(self) -> None:
        """Record the guarded namespaces as they are now (the state :meth:`restore` returns to)."""
        modules = [importlib.import_module(name) for name in self._module_names]
        settle()
        self._modules = [(m, _guarded(vars(m)), set(vars(m))) for m in modules]
        self._classes = [(c, _guarded(vars(c)), set(vars(c))) for c in _patchable_classes(modules)]
        self._sys_modules = dict(sys.modules)

    def restore(self) -> list[str]:
        """Put back every guarded name the submission replaced, added or deleted since the
        snapshot; return their dotted names (also kept for :meth:`take_tampered`)."""
        changed = []
        for module, saved, known in self._modules:
            namespace = vars(module)
            for name, value in list(namespace.items()):
                if name not in known and is_behaviour(value):
                    if not _is_submodule(module, name, value):
                        del namespace[name]
                        changed.append(f"{module.__name__}.{name}")
            for name, value in saved.items():
                if namespace.get(name, _MISSING) is not value:
                    namespace[name] = value
                    changed.append(f"{module.__name__}.{name}")
        for cls, saved, known in self._classes:
            namespace = vars(cls)
            for name in [n for n, v in namespace.items() if n not in known and is_behaviour(v)]:
                delattr(cls, name)
                changed.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
            for name, value in saved.items():
                if namespace.get(name, _MISSING) is not value:
                    setattr(cls, name, value)
                    changed.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
        for name, module in self._sys_modules.items():
            if sys.modules.get(name) is not module:
                sys.modules[name] = module
                changed.append(f"sys.modules[{name!r}]")
        self._tampered += [name for name in changed if name not in self._tampered]
        return changed

    def take_tampered(self) -> list[str]:
        """The names restored since the last call, in the order they were first found."""
        tampered, self._tampered = self._tampered, []
        return tampered


#: The worker's guard, armed by :func:`arm` before the submission loads.
_guard: Guard | None = None


def arm(extra_modules: tuple[str, ...] = ()) -> None:
    """Snapshot the guarded libraries, and ``extra_modules`` (call once, before loading any
    student code)."""
    global _guard
    _guard = Guard(GUARDED_MODULES + tuple(extra_modules))
    _guard.snapshot()  # after the assignment, so that restoring keeps this guard


def restore() -> None:
    """Undo the submission's changes to the guarded libraries (no-op before :func:`arm`)."""
    if _guard is not None:
        _guard.restore()


def take_tampered() -> list[str]:
    """Names of guarded attributes restored since the last call."""
    return _guard.take_tampered() if _guard is not None else []
