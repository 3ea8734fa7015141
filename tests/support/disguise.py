"""How students disguise a copied solution, for the similarity report's test: a helper inlined,
variables renamed, functions reordered, comments, docstrings and spacing changed.

Each step keeps what the code computes; :func:`disguise` applies them all to a submission's
solution cells (by task), with one renaming across its cells, as a student editing the copy does.
"""

from __future__ import annotations

import ast
import copy
import random
import re

#: New names, handed out in turn (with a number, so that none repeats).
WORDS = ("arr", "res", "tmp", "val", "buf", "acc", "data", "item", "mat", "vec", "part", "out")


def bound_names(tree: ast.AST) -> set[str]:
    """The names ``tree`` binds: arguments, assigned names, loop and comprehension targets,
    functions."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


class _Rename(ast.NodeTransformer):
    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping

    def visit_Name(self, node: ast.Name) -> ast.Name:
        node.id = self.mapping.get(node.id, node.id)
        return node

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.arg = self.mapping.get(node.arg, node.arg)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.name = self.mapping.get(node.name, node.name)
        self.generic_visit(node)
        return node


class _Inline(ast.NodeTransformer):
    """Replaces each call of a one-expression helper by its expression."""

    def __init__(self, helpers: dict[str, ast.FunctionDef]) -> None:
        self.helpers = helpers

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        helper = self.helpers.get(node.func.id) if isinstance(node.func, ast.Name) else None
        if helper is None:
            return node
        values = {arg.arg: value for arg, value in zip(helper.args.args, node.args, strict=False)}
        body = copy.deepcopy(helper.body[-1].value)
        return _Substitute(values).visit(body)


class _Substitute(ast.NodeTransformer):
    def __init__(self, values: dict[str, ast.expr]) -> None:
        self.values = values

    def visit_Name(self, node: ast.Name) -> ast.AST:
        return copy.deepcopy(self.values[node.id]) if node.id in self.values else node


def inline_helpers(cells: dict[str, str], keep: set[str]) -> dict[str, str]:
    """Inline every helper (a function not in ``keep``) whose body is one ``return`` into its
    callers, and drop its definition."""
    trees = {task: ast.parse(code) for task, code in cells.items()}
    helpers = {
        node.name: node
        for tree in trees.values()
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and node.name not in keep
        and len(node.body) == 1
        and isinstance(node.body[0], ast.Return)
    }
    inlined = {}
    for task, tree in trees.items():
        tree.body = [node for node in tree.body if getattr(node, "name", None) not in helpers]
        inlined[task] = ast.unparse(_Inline(helpers).visit(tree))
    return inlined


def rename_variables(cells: dict[str, str], keep: set[str], seed: int = 0) -> dict[str, str]:
    """Give every name the cells bind, except ``keep``, a new name (the same in every cell;
    another ``seed``, other names)."""
    trees = {task: ast.parse(code) for task, code in cells.items()}
    bound = sorted(set().union(*map(bound_names, trees.values())) - keep)
    words = random.Random(seed).sample(WORDS, len(WORDS))
    mapping = {name: f"{words[i % len(words)]}{i}" for i, name in enumerate(bound)}
    return {task: ast.unparse(_Rename(mapping).visit(tree)) for task, tree in trees.items()}


def reorder_functions(code: str) -> str:
    """The cell with its functions in reverse order (imports stay first)."""
    tree = ast.parse(code)
    imports = [node for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)]
    others = [node for node in tree.body if node not in imports]
    tree.body = imports + others[::-1]
    return ast.unparse(tree)


def restyle(code: str) -> str:
    """New comments and docstrings, two-space indentation, blank lines between statements."""
    lines = []
    for line in code.splitlines():
        body = line.lstrip(" ")
        indent = " " * ((len(line) - len(body)) // 2)
        if re.match(r"^(\"\"\"|')", body):
            body = "'''my solution'''"
        elif body.startswith("return "):
            lines.append(f"{indent}# the answer")
        elif body.startswith("def "):
            lines.append("")
        lines.append(f"{indent}{body}")
    return "\n".join(lines) + "\n"


def disguise(cells: dict[str, str], keep: set[str], seed: int = 0) -> dict[str, str]:
    """A copy of a submission's solution cells as a student disguises it; ``keep``: the names
    the assignment fixes (its functions, the notebook's globals); ``seed`` picks the new names."""
    cells = inline_helpers(cells, keep)
    cells = rename_variables(cells, keep, seed)
    return {task: restyle(reorder_functions(code)) for task, code in cells.items()}
