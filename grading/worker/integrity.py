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

import gc
import importlib
import sys
from collections.abc import Iterable
from itertools import chain
from operator import attrgetter, call, is_not, le, methodcaller
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
    "grading.worker.guards",
    "grading.worker.integrity",
    "grading.worker.probes",
    "grading.worker.tripwires",
    "grading.protocol.wire",
    "__main__",  # the worker itself, run as ``python -m grading.worker.main``
)

_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: built-in types, which cannot be patched
_MISSING = object()
_CELL_CONTENTS, _KEYS = attrgetter("cell_contents"), methodcaller("keys")


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
    compares identities with C-level iteration rather than a Python loop per function.

    The functions' slots (code, globals, defaults, keyword defaults, closure, name, ...) are read
    in one ``gc.get_referents`` call, in the order the garbage collector visits them. Reading
    ``__code__``, ``__defaults__`` or ``__kwdefaults__`` one function at a time would raise an audit
    event each (CPython audits those getters), some 8,000 calls of the worker's audit hook
    (:mod:`grading.worker.guards`) per restore. The order anchors each function at its code object
    and each slot holds one type, so no swap can shift other objects into place: a swapped code,
    defaults or keyword-defaults object changes the sequence. Slots no guard covers (a docstring,
    annotations made on first use) may change too; they cost one full check, after which the
    sequence is taken again.
    """

    def __init__(self, functions: list[FunctionType]) -> None:
        self.states = [_FunctionState(f) for f in functions]
        self._functions = functions
        self._dicts = [s.kwdefaults for s in self.states if s.kwdefaults is not None]
        self._sizes = [len(d) for d in self._dicts]
        self._keys = list(chain.from_iterable(map(dict.keys, self._dicts)))
        self._values = list(chain.from_iterable(map(dict.values, self._dicts)))
        self._cells = [cell for s in self.states for cell, _ in s.cells]
        self._contents = [contents for s in self.states for _, contents in s.cells]
        self._slots = self._read_slots()

    def _read_slots(self) -> list[object]:
        return gc.get_referents(*self._functions)

    def changed(self) -> bool:
        """Whether any function's code, defaults, keyword defaults or closure code may have been
        swapped (see the class's docstring)."""
        try:
            contents = list(map(_CELL_CONTENTS, self._cells))
        except ValueError:  # a cell emptied with ``del``
            return True
        slots = self._read_slots()
        return (
            len(slots) != len(self._slots)
            or any(map(is_not, slots, self._slots))
            or list(map(len, self._dicts)) != self._sizes
            or any(map(is_not, chain.from_iterable(map(dict.keys, self._dicts)), self._keys))
            or any(map(is_not, chain.from_iterable(map(dict.values, self._dicts)), self._values))
            or any(map(is_not, contents, self._contents))
        )

    def restore(self) -> list[str]:
        """Put every function's state back; the dotted names of what had changed."""
        changed = [name for state in self.states for name in state.restore()]
        self._slots = self._read_slots()
        return changed


class _Namespace:
    """A guarded module's or class's namespace as the snapshot found it: its behaviour, by name,
    and every name it had."""

    def __init__(self, owner: ModuleType | type) -> None:
        self.owner, namespace = owner, vars(owner)
        self.saved = _guarded(namespace)
        self.known = set(namespace)

    def restore(self) -> list[str]:
        """Delete the behaviour added since the snapshot (not submodules imported meanwhile) and
        put back what was replaced or deleted; the dotted names of what had changed. Written
        through ``type``'s own methods and the module's dict, so that no ``__setattr__`` a
        submission gave the owner runs."""
        owner, namespace = self.owner, vars(self.owner)
        is_module = isinstance(owner, ModuleType)
        changed = []
        for name in sorted(namespace.keys() - self.known):
            value = namespace[name]
            if is_behaviour(value) and not (is_module and _is_submodule(owner, name, value)):
                del_attribute(owner, name)
                changed.append(name)
        for name, value in self.saved.items():
            if namespace.get(name, _MISSING) is not value:
                set_attribute(owner, name, value)
                changed.append(name)
        prefix = owner.__name__ if is_module else f"{owner.__module__}.{owner.__qualname__}"
        return [f"{prefix}.{name}" for name in changed]


class _Namespaces:
    """The guarded namespaces, with a fast check for change over all of them at once (C-level
    iteration: it runs on every restore), and the name-by-name restore when it finds one."""

    def __init__(self, namespaces: list[_Namespace]) -> None:
        self.namespaces = namespaces
        # Live views: a module's dict, a class's mapping proxy.
        self._views = [vars(ns.owner) for ns in namespaces]
        self._known = [ns.known for ns in namespaces]
        entries = [
            (view.get, name, value)
            for view, ns in zip(self._views, namespaces, strict=True)
            for name, value in ns.saved.items()
        ]
        self._gets, self._names, self._values = (
            map(list, zip(*entries, strict=True)) if entries else ([], [], [])
        )

    def changed(self) -> bool:
        """Whether a name was added to a namespace, or a saved one replaced or deleted."""
        return not all(map(le, map(_KEYS, self._views), self._known)) or any(
            map(is_not, map(call, self._gets, self._names), self._values)
        )

    def restore(self) -> list[str]:
        """Restore each namespace; the dotted names of what had changed."""
        return [name for namespace in self.namespaces for name in namespace.restore()]


def set_attribute(owner: ModuleType | type, name: str, value: object) -> None:
    """``owner.name = value``, bypassing any ``__setattr__`` of the module's class or metaclass."""
    if isinstance(owner, ModuleType):
        vars(owner)[name] = value
    else:
        type.__setattr__(owner, name, value)


def del_attribute(owner: ModuleType | type, name: str) -> None:
    """``del owner.name``, bypassing any ``__delattr__`` of the module's class or metaclass."""
    if isinstance(owner, ModuleType):
        del vars(owner)[name]
    else:
        type.__delattr__(owner, name)


class Guard:
    """A snapshot of the guarded modules' and classes' namespaces and of ``sys.modules``."""

    def __init__(self, module_names: tuple[str, ...] = GUARDED_MODULES) -> None:
        self._module_names = module_names
        self._namespaces = _Namespaces([])
        self._sys_modules: dict[str, ModuleType] = {}
        self._functions = _Functions([])
        self._tampered: list[str] = []

    def snapshot(self) -> None:
        """Record the guarded namespaces as they are now (the state :meth:`restore` returns to)."""
        modules = [importlib.import_module(name) for name in self._module_names]
        settle()
        owners = [*modules, *_patchable_classes(modules)]
        namespaces = [_Namespace(owner) for owner in owners]
        self._namespaces = _Namespaces(namespaces)
        self._sys_modules = dict(sys.modules)
        saved = [value for namespace in namespaces for value in namespace.saved.values()]
        self._functions = _Functions(_functions_in(saved))

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
