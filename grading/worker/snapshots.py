"""Snapshots of code that a submission could change in place, each with a check for change fast
enough to run after every call into student code, and a restore.

:class:`Namespaces` keeps guarded modules' and classes' namespaces (their behaviour, by name);
:class:`Functions` keeps what lives inside each guarded Python function object (code, defaults,
keyword defaults, the code in its closure). :class:`grading.worker.integrity.Guard` holds one of
each; :func:`patchable_classes` and :func:`functions_in` find what they keep.
"""

from __future__ import annotations

import gc
import sys
from itertools import chain
from operator import attrgetter, call, is_not, le, methodcaller
from types import CellType, FunctionType, ModuleType

_IMMUTABLE_TYPE = 1 << 8  # Py_TPFLAGS_IMMUTABLETYPE: built-in types, which cannot be patched
_MISSING = object()
_CELL_CONTENTS, _KEYS = attrgetter("cell_contents"), methodcaller("keys")


def patchable_classes(modules: list[ModuleType]) -> list[type]:
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


def _guarded(namespace: dict) -> dict:
    return {name: value for name, value in namespace.items() if is_behaviour(value)}


def _is_submodule(module: ModuleType, name: str, value: object) -> bool:
    """Whether ``module.name`` was set by importing the submodule ``module.name`` (legitimate)."""
    return isinstance(value, ModuleType) and sys.modules.get(f"{module.__name__}.{name}") is value


def functions_in(values: list[object]) -> list[FunctionType]:
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


class Functions:
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


class Namespace:
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


class Namespaces:
    """The guarded namespaces, with a fast check for change over all of them at once (C-level
    iteration: it runs on every restore), and the name-by-name restore when it finds one."""

    def __init__(self, namespaces: list[Namespace]) -> None:
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
