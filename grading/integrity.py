"""Keep the worker's trusted code working on the real libraries, whatever the submission patches.

Student code runs in the same process as the trusted probes (:mod:`grading.probes`) and the
wire (:mod:`grading.wire`), so it could replace ``numpy.allclose``, ``json.dumps``,
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
from itertools import chain
from operator import attrgetter, is_not
from types import BuiltinFunctionType, CellType, FunctionType, ModuleType

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
    "grading.guards",
    "grading.integrity",
    "grading.probes",
    "grading.tripwires",
    "grading.wire",
    "__main__",  # the worker itself, run as ``python -m grading.worker``
)

_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: built-in types, which cannot be patched
_MISSING = object()
_CODE, _DEFAULTS = attrgetter("__code__"), attrgetter("__defaults__")
_KWDEFAULTS, _CELL_CONTENTS = attrgetter("__kwdefaults__"), attrgetter("cell_contents")


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


def _functions_in(values: list[object]) -> list[FunctionType]:
    """The Python functions among ``values`` (unwrapping static and class methods, properties and
    ``functools.wraps``), with those their closures and wrappers reach."""
    found: dict[int, FunctionType] = {}
    pending = list(values)
    while pending:
        value = pending.pop()
        if isinstance(value, (staticmethod, classmethod)):
            pending.append(value.__func__)
        elif isinstance(value, property):
            pending += [value.fget, value.fset, value.fdel]
        elif isinstance(value, FunctionType) and id(value) not in found:
            found[id(value)] = value
            pending += [cell.cell_contents for cell in _cells(value)]
            pending.append(vars(value).get("__wrapped__"))
    return list(found.values())


def _filled(cell: CellType) -> bool:
    """Whether the closure cell holds a value (``del`` empties one)."""
    try:
        cell.cell_contents  # noqa: B018 - reading it is the test
    except ValueError:
        return False
    return True


def _cells(function: FunctionType) -> list[CellType]:
    """The function's closure cells that hold code (not data, which may change in normal use)."""
    closure = function.__closure__ or ()
    return [cell for cell in closure if _filled(cell) and is_behaviour(cell.cell_contents)]


class _FunctionState:
    """What a submission could change inside a function object without replacing it: its code,
    defaults, keyword defaults (the dict and its items) and the code in its closure cells."""

    __slots__ = ("function", "code", "defaults", "kwdefaults", "kwdefault_items", "cells")

    def __init__(self, function: FunctionType) -> None:
        self.function, self.code = function, function.__code__
        self.defaults, self.kwdefaults = function.__defaults__, function.__kwdefaults__
        self.kwdefault_items = dict(self.kwdefaults or {})
        self.cells = [(cell, cell.cell_contents) for cell in _cells(function)]

    def restore(self) -> list[str]:
        """Put everything back; the dotted names of the attributes that had changed."""
        f, changed = self.function, []
        if f.__code__ is not self.code:
            f.__code__ = self.code
            changed.append("__code__")
        if f.__defaults__ is not self.defaults:
            f.__defaults__ = self.defaults
            changed.append("__defaults__")
        saved = self.kwdefault_items
        if self.kwdefaults is not None:
            now = self.kwdefaults
            if now.keys() != saved.keys() or any(now[k] is not v for k, v in saved.items()):
                changed.append("__kwdefaults__")
            now.clear()
            now.update(saved)
        if f.__kwdefaults__ is not self.kwdefaults:
            f.__kwdefaults__ = self.kwdefaults
            changed.append("__kwdefaults__")
        for cell, contents in self.cells:
            if cell.cell_contents is not contents if _filled(cell) else True:
                cell.cell_contents = contents
                changed.append("__closure__")
        return [f"{f.__module__}.{f.__qualname__}.{name}" for name in dict.fromkeys(changed)]


class _Functions:
    """The guarded functions' state, with a fast check for change: it runs on every restore, so it
    compares identities with C-level iteration rather than a Python loop per function."""

    def __init__(self, functions: list[FunctionType]) -> None:
        self.states = [_FunctionState(f) for f in functions]
        self._functions = functions
        self._codes = [s.code for s in self.states]
        self._defaults = [s.defaults for s in self.states]
        self._kwdefaults = [s.kwdefaults for s in self.states]
        self._dicts = [s.kwdefaults for s in self.states if s.kwdefaults is not None]
        self._sizes = [len(d) for d in self._dicts]
        self._keys = list(chain.from_iterable(map(dict.keys, self._dicts)))
        self._values = list(chain.from_iterable(map(dict.values, self._dicts)))
        self._cells = [cell for s in self.states for cell, _ in s.cells]
        self._contents = [contents for s in self.states for _, contents in s.cells]

    def changed(self) -> bool:
        """Whether any function's code, defaults, keyword defaults or closure code was swapped."""
        functions = self._functions
        try:
            contents = list(map(_CELL_CONTENTS, self._cells))
        except ValueError:  # a cell emptied with ``del``
            return True
        return (
            any(map(is_not, map(_CODE, functions), self._codes))
            or any(map(is_not, map(_DEFAULTS, functions), self._defaults))
            or any(map(is_not, map(_KWDEFAULTS, functions), self._kwdefaults))
            or list(map(len, self._dicts)) != self._sizes
            or any(map(is_not, chain.from_iterable(map(dict.keys, self._dicts)), self._keys))
            or any(map(is_not, chain.from_iterable(map(dict.values, self._dicts)), self._values))
            or any(map(is_not, contents, self._contents))
        )


class Guard:
    """A snapshot of the guarded modules' and classes' namespaces and of ``sys.modules``."""

    def __init__(self, module_names: tuple[str, ...] = GUARDED_MODULES) -> None:
        self._module_names = module_names
        self._modules: list[tuple[ModuleType, dict, set]] = []
        self._classes: list[tuple[type, dict, set]] = []
        self._sys_modules: dict[str, ModuleType] = {}
        self._functions = _Functions([])
        self._tampered: list[str] = []

    def snapshot(self) -> None:
        """Record the guarded namespaces as they are now (the state :meth:`restore` returns to)."""
        modules = [importlib.import_module(name) for name in self._module_names]
        settle()
        self._modules = [(m, _guarded(vars(m)), set(vars(m))) for m in modules]
        self._classes = [(c, _guarded(vars(c)), set(vars(c))) for c in _patchable_classes(modules)]
        self._sys_modules = dict(sys.modules)
        saved = [v for _, guarded, _ in self._modules + self._classes for v in guarded.values()]
        self._functions = _Functions(_functions_in(saved))

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
        if self._functions.changed():
            for state in self._functions.states:
                changed += state.restore()
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


def restore() -> None:
    """Undo the submission's changes to the guarded libraries (no-op before :func:`arm`)."""
    if _guard is not None:
        _guard.restore()


def take_tampered() -> list[str]:
    """Names of guarded attributes restored since the last call."""
    return _guard.take_tampered() if _guard is not None else []
