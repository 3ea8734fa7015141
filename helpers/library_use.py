"""Which library functions a student's solution cell calls, read from its source.

The hidden tests give no credit for a task done by a library function (tripwires in the grader's
worker record every call). The public checks cannot watch calls the same way, so they read the
solution cell's code, as the judge's source check does: a banned function written as an attribute
(``F.conv2d``, ``np.convolve``), imported by name, or named by a string (``getattr(np,
"convolve")``; a sentence such as an error message names nothing) is reported before the
student submits. Where a student function shares a banned name (ex10's ``conv2d``), a bare name
(``conv2d(...)``) is the student's own function and is not reported.
"""

from __future__ import annotations

import ast
import inspect
import linecache
import re
from collections.abc import Callable, Iterable

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


def banned_calls(function: Callable, banned: Iterable[str], *, bare_names: bool) -> list[str]:
    """The functions of ``banned`` (dotted names, ``"torch.nn.functional.conv2d"``) that the cell
    defining ``function`` uses, by their last name, sorted (``bare_names``: see
    :func:`names_used`)."""
    used = names_used(cell_source(function), bare_names=bare_names)
    return sorted({name.rpartition(".")[2].lower() for name in banned} & used)


def expect_by_hand(
    function: Callable, banned: Iterable[str], *, task: str, advice: str, bare_names: bool = False
) -> None:
    """Fail when the cell of ``function`` uses one of ``banned``: that earns nothing in grading.
    ``bare_names`` counts plain names too (where no student function shares a banned name)."""
    found = banned_calls(function, banned, bare_names=bare_names)
    if found:
        raise AssertionError(
            f"{task} calls {', '.join(found)}: a library function that does this task for you "
            f"earns no credit for it when graded; {advice}"
        )
