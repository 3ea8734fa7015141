"""The instructor's choices for the LMS exports (``c.LmsExport.*`` in ``nbgrader_config.py``)."""

from __future__ import annotations

from traitlets import Dict, Enum, Unicode
from traitlets.config import Configurable


class LmsExport(Configurable):
    """Where the LMS identifiers come from, and how the LMS knows each assignment."""

    roster = Unicode(
        "students.csv",
        help="The roster file (make roster's ROSTER), read for the LMS columns nbgrader does not "
        "keep: sis_user_id, sis_login_id, section, id_number.",
    ).tag(config=True)
    canvas_assignment_ids = Dict(
        {},
        help="Canvas's id of each assignment, by name: its column then updates that "
        "Canvas assignment instead of creating one.",
    ).tag(config=True)
    moodle_identifier = Enum(
        ["email", "id_number"],
        "email",
        help="The column Moodle matches students by: their email address, or the roster's "
        "id_number (Moodle's ID number).",
    ).tag(config=True)
