"""grading/'s subpackages import only what the table in grading/README.md says each may import."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from support.paths import ROOT

GRADING = ROOT / "grading"


def allowed_imports() -> dict[str, set[str]]:
    """Each subpackage of the README's table, with the names in its last ("may import") cell."""
    table = {}
    for line in (GRADING / "README.md").read_text(encoding="utf-8").splitlines():
        if row := re.match(r"\| `(\w+)/` \|", line):
            may_import = line.rstrip(" |").rsplit("|", 1)[1]
            table[row.group(1)] = set(re.findall(r"`(\w+)`", may_import))
    return table


def imported(path: Path) -> set[str]:
    """What the file imports, anywhere in it (lazy imports too), of ``helpers`` and of
    ``grading``: the subpackage or top-level module (``sandbox``, ``preloads``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            dotted = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            dotted = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in dotted:
            package, _, rest = name.partition(".")
            if package == "helpers":
                found.add("helpers")
            elif package == "grading" and rest:
                found.add(rest.partition(".")[0])
    return found


def test_every_subpackage_is_in_the_readme_table():
    on_disk = {path.parent.name for path in GRADING.glob("*/__init__.py")}
    assert on_disk == set(allowed_imports()), (
        f"expected grading/README.md's table to list every subpackage {sorted(on_disk)}, "
        f"found {sorted(allowed_imports())}"
    )


@pytest.mark.parametrize("subpackage", sorted(allowed_imports()))
def test_a_subpackage_imports_only_what_the_readme_allows(subpackage):
    allowed = allowed_imports()[subpackage] | {subpackage}
    breaches = {
        str(path.relative_to(GRADING)): sorted(imported(path) - allowed)
        for path in sorted((GRADING / subpackage).rglob("*.py"))
        if imported(path) - allowed
    }
    assert not breaches, (
        f"expected grading/{subpackage}/ to import only {sorted(allowed)} of grading and helpers "
        f"(grading/README.md), found {breaches}"
    )
