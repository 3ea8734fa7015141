"""The instructor's choices for the similarity report (``c.Similarity.*`` in
``nbgrader_config.py``)."""

from __future__ import annotations

from traitlets import Float, Int
from traitlets.config import Configurable


class Similarity(Configurable):
    """When a pair of submissions is flagged, and what counts as a match.

    Code is compared after copydetect's normalisation (names, comments and spacing removed), so
    lengths are in characters of that normalised code.
    """

    threshold = Float(
        0.6,
        help="Flag a pair when this share of either submission's code (of all its solution cells "
        "together, the released starter code left out) is found in the other.",
    ).tag(config=True)
    min_overlap = Int(
        150,
        help="...and when the code they share is at least this long (normalised characters), so "
        "that a nearly empty submission is not flagged for the few lines every solution has.",
    ).tag(config=True)
    shown = Int(
        100,
        help="Flagged pairs shown side by side in the HTML report, the highest first (the CSV has "
        "every pair).",
    ).tag(config=True)
    noise = Int(
        25,
        help="Matches shorter than this are ignored (copydetect's noise threshold, its k).",
    ).tag(config=True)
    guarantee = Int(
        30,
        help="Matches at least this long are always found (copydetect's guarantee threshold).",
    ).tag(config=True)

    @property
    def window(self) -> int:
        """The winnowing window that keeps the guarantee."""
        return self.guarantee - self.noise + 1
