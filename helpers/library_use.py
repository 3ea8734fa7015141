"""Which library functions a student's solution cell calls, read from its source.

The hidden tests give no credit for a task done by a library function (tripwires in the grader's
worker record every call). The public checks cannot watch calls the same way, so they read the
solution cell's code, as the judge's source check does, and the names the student's function
and its helpers read from the notebook's namespace: a banned function written as an attribute
(``F.conv2d``, ``np.convolve``), imported by name, or named by a string (``getattr(np,
"convolve")``; a sentence such as an error message names nothing) is reported before the
student submits, and so is a banned function bound to another name in any cell (``c =
np.convolve``). A plain name (``conv2d(...)``, ``convolution = ...``) is the student's own
function or variable and is reported only where the hidden source check bans that word too.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from types import CodeType, FunctionType

from helpers.bans import INTERNALS

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: A string that is a (dotted) name as a whole: what ``getattr`` or ``import_module`` takes.
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")


def cell_source(function: Callable) -> str:
    """The source of the cell (or file) that defined ``function``; '' when it is not known.

    Jupyter registers each executed cell with :mod:`linecache` under the file name its code
    objects carry, so the whole solution cell is found, helper functions included.
    """
    code = getattr(function, "__code__", None)
    if code is not None:
        lines = linecache.getlines(code.co_filename)
        if lines:
            return "".join(lines)
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""


def names_used(source: str, *, bare_names: bool = True) -> set[str]:
    """The lower-cased names a piece of code uses: attributes and the names they are read from
    (``torch`` of ``torch.nn``), imported names, the words of strings that are (dotted) names as
    a whole (other than docstrings and other bare strings, which only describe), and, with
    ``bare_names``, every other name. Code that does not parse uses nothing."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    described = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    names: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in described:
            continue
        if isinstance(node, ast.Name) and bare_names:
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            if isinstance(node.value, ast.Name):
                names.add(node.value.id)
        elif isinstance(node, ast.alias):
            names.update(node.name.split("."))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if _DOTTED.fullmatch(node.value.strip()):
                names.update(_WORD.findall(node.value))
    return {name.lower() for name in names}


def _codes(code: CodeType) -> Iterator[CodeType]:
    """``code`` and the code of the functions nested in it."""
    yield code
    for constant in code.co_consts:
        if isinstance(constant, CodeType):
            yield from _codes(constant)


def _names(code: CodeType) -> Iterator[str]:
    """Every global name ``code`` and the functions nested in it read."""
    for each in _codes(code):
        yield from each.co_names


def _words(code: CodeType) -> Iterator[str]:
    """The names (globals, attributes, imports) ``code`` and its nested functions use, and the words
    of their strings that are (dotted) names as a whole (``getattr(f, "__closure__")``)."""
    for each in _codes(code):
        yield from each.co_names
        for constant in each.co_consts:
            if isinstance(constant, str) and _DOTTED.fullmatch(constant.strip()):
                yield from _WORD.findall(constant)


def functions_used(function: Callable) -> list[tuple[str, FunctionType]]:
    """The functions of the notebook's namespace that ``function`` calls, directly or through
    its own helpers, as ``(name, function)`` in the order first met."""
    found: dict[str, FunctionType] = {}
    pending = [function]
    seen = {id(function)}
    while pending:
        current = pending.pop()
        code, namespace = getattr(current, "__code__", None), getattr(current, "__globals__", {})
        if code is None:
            continue
        for name in _names(code):
            value = namespace.get(name)
            if isinstance(value, FunctionType) and id(value) not in seen:
                seen.add(id(value))
                found[name] = value
                pending.append(value)
    return list(found.items())


def _loaded(dotted: str) -> object | None:
    """The object called ``dotted`` if its module is imported already, else None."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        module = sys.modules.get(".".join(parts[:end]))
        if module is not None:
            value: object = module
            for attribute in parts[end:]:
                value = getattr(value, attribute, None)
            return value
    return None


def aliased_calls(function: Callable, banned: Iterable[str]) -> list[str]:
    """The functions of ``banned`` that ``function`` or a helper it calls reaches through a name
    bound anywhere in the notebook (``c = np.convolve`` in another cell), sorted."""
    targets = {id(value): name for name in banned if (value := _loaded(name)) is not None}
    found = set()
    for current in [function, *(f for _, f in functions_used(function))]:
        code, namespace = getattr(current, "__code__", None), getattr(current, "__globals__", {})
        for name in _names(code) if code is not None else ():
            if id(namespace.get(name)) in targets:
                found.add(f"{name} (= {targets[id(namespace.get(name))]})")
    return sorted(found)


def internals_used(code: Callable | type) -> list[str]:
    """The names of Python's internals (:data:`helpers.bans.INTERNALS`) that a function, or each
    function of a class, or a helper they call uses, sorted: read from their code, wherever in the
    notebook they are defined."""
    functions = [code]
    if isinstance(code, type):
        functions = [f for f in vars(code).values() if isinstance(f, FunctionType)]
    found = set()
    for function in functions:
        for current in [function, *(f for _, f in functions_used(function))]:
            body = getattr(current, "__code__", None)
            if body is not None:
                found.update(word.lower() for word in _words(body))
    return sorted(found & set(INTERNALS))


def banned_calls(
    function: Callable, banned: Iterable[str], *, names: Iterable[str] = ()
) -> list[str]:
    """What the cell defining ``function`` uses of ``banned`` (dotted names,
    ``"torch.nn.functional.conv2d"``, matched by their last name where the cell reaches them
    through a library: an attribute, an import, a dotted string) and of ``names`` (words banned
    also as plain names, as the hidden source checks read them), sorted."""
    source = cell_source(function)
    library = {name.rpartition(".")[2].lower() for name in banned} & names_used(
        source, bare_names=False
    )
    plain = {name.lower() for name in names} & names_used(source)
    return sorted(library | plain)


def expect_by_hand(
    function: Callable,
    banned: Iterable[str],
    *,
    task: str,
    advice: str,
    names: Iterable[str] = (),
) -> None:
    """Fail when the cell of ``function`` uses one of ``banned`` or ``names`` (see
    :func:`banned_calls`), or ``function`` reaches one of ``banned`` through a name bound
    elsewhere: that earns nothing in grading."""
    if internals := internals_used(function):
        raise AssertionError(
            f"{task} uses {', '.join(internals)}, Python's internals, where the grader cannot "
            "watch what your code calls: a task that must be written by hand earns no credit when "
            f"its code reaches into them; {advice}"
        )
    banned = tuple(banned)
    found = banned_calls(function, banned, names=names) + aliased_calls(function, banned)
    if found:
        raise AssertionError(
            f"{task} calls {', '.join(found)}: a library function that does this task for you "
            f"earns no credit for it when graded; {advice}"
        )
