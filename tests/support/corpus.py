"""Each assignment's corpus of submissions for the course tests, grouped into students.

An assignment's variants module (``variants`` for ex09, ``variants_ex10``) holds ``WRONG``
(``name -> (solution cell, code, graded cells that must lose points)``), ``ALTERNATIVES``
(``name -> [(solution cell, code), ...]``, full marks), optionally ``ALTERNATIVE_STUDENTS`` (which
alternatives share a notebook; by default one each) and ``LIBRARY``
(``name -> (solution cell, code, graded cell)``: a library call that does the task, which earns
nothing there and costs nothing elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import nbformat
from nbformat import NotebookNode

from grading.submissions import fill
from support import variants, variants_ex10

#: Students whose notebooks nbgrader cannot read.
MALFORMED = {"truncated": lambda text: text[: len(text) // 2].encode(), "empty": lambda text: b""}
#: The student whose notebook holds every library-call variant (they touch different cells).
LIBRARY_STUDENT = "library_calls"


def wrong_bundles(wrong: dict[str, tuple]) -> list[list[str]]:
    """Group the wrong variants: no two in one notebook touch the same solution or graded cell."""
    bundles: list[list[str]] = []
    for name, (cell, _code, graded) in wrong.items():
        for bundle in bundles:
            if all(
                wrong[other][0] != cell and not set(wrong[other][2]) & set(graded)
                for other in bundle
            ):
                bundle.append(name)
                break
        else:
            bundles.append([name])
    return bundles


@dataclass(frozen=True)
class Corpus:
    """An assignment's wrong, alternative and library-call variants, and who submits which."""

    wrong: dict[str, tuple[str, str, tuple[str, ...]]]
    alternatives: dict[str, list[tuple[str, str]]]
    alternative_students: dict[str, list[str]]
    library: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    @property
    def wrong_students(self) -> dict[str, list[str]]:
        """``wrong_<n>``: the wrong variants in each student's notebook."""
        return {f"wrong_{i}": names for i, names in enumerate(wrong_bundles(self.wrong), start=1)}

    @property
    def readable_students(self) -> list[str]:
        """Every student whose notebook nbgrader can read (all but the malformed ones)."""
        library = [LIBRARY_STUDENT] if self.library else []
        return ["solution", *self.wrong_students, *self.alternative_students, *library]

    def submissions(
        self, release: NotebookNode, solutions: dict[str, str]
    ) -> dict[str, NotebookNode | bytes]:
        """Every kind of submission, by student: the solution, the unchanged release, the wrong,
        alternative and library-call variants (several per notebook) and malformed files."""
        batch: dict[str, NotebookNode | bytes] = {
            "solution": fill(release, solutions),
            "unchanged_release": release,
        }
        for student, names in self.wrong_students.items():
            cells = {self.wrong[name][0]: self.wrong[name][1] for name in names}
            batch[student] = fill(release, {**solutions, **cells})
        for student, names in self.alternative_students.items():
            cells = {cell: code for name in names for cell, code in self.alternatives[name]}
            batch[student] = fill(release, {**solutions, **cells})
        if self.library:
            cells = {cell: code for cell, code, _ in self.library.values()}
            batch[LIBRARY_STUDENT] = fill(release, {**solutions, **cells})
        text = nbformat.writes(fill(release, solutions))
        for student, corrupt in MALFORMED.items():
            batch[student] = corrupt(text)
        return batch


def student_of(variant: str, students: dict[str, list[str]]) -> str:
    """The student whose notebook holds ``variant``."""
    return next(student for student, names in students.items() if variant in names)


def _corpus(module) -> Corpus:
    students = getattr(
        module, "ALTERNATIVE_STUDENTS", {name: [name] for name in module.ALTERNATIVES}
    )
    return Corpus(module.WRONG, module.ALTERNATIVES, students, getattr(module, "LIBRARY", {}))


#: The corpus of each assignment.
CORPORA = {"ex09": _corpus(variants), "ex10": _corpus(variants_ex10)}
