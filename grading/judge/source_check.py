"""Static checks of submitted source, run in the judge (student code cannot interfere with them).

The names a cell uses are read as the public checks read them
(:func:`helpers.library_use.names_used`), so a public check and its hidden test agree on
what counts as a library call.
"""

from __future__ import annotations

from helpers.library_use import names_used

__all__ = ["cell_source", "names_used"]


def cell_source(bundle: dict, grade_id: str) -> str:
    """The submitted source of the solution cell ``grade_id`` ('' if it is missing)."""
    return next((cell["source"] for cell in bundle["cells"] if cell["grade_id"] == grade_id), "")
