"""Static checks of submitted source, run in the judge (student code cannot interfere with them)."""

from __future__ import annotations

import ast
import re

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def names_used(source: str) -> set[str]:
    """Every identifier a piece of code mentions, lower-cased: names, attributes, imports, and
    words inside string constants (which catches ``getattr(np, "convolve")``).

    Code that does not parse mentions nothing (it fails its tests anyway).
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            names.add(node.id)
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.update(node.name.split("."))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.update(_WORD.findall(node.value))
    return {name.lower() for name in names}


def cell_source(bundle: dict, grade_id: str) -> str:
    """The submitted source of the solution cell ``grade_id`` ('' if it is missing)."""
    return next((cell["source"] for cell in bundle["cells"] if cell["grade_id"] == grade_id), "")
