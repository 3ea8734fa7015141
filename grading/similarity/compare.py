"""Every pair of submissions compared by winnowed fingerprints of their normalised code (MOSS's
algorithm, as copydetect implements it: names, strings, comments and spacing normalised), with
the released starter code as boilerplate that never counts.

A submission is all its solution cells, one after another, fingerprinted once: a match counts
wherever it is, so code moved from one cell to another is still found, and each task's score is
the share of that cell's code found anywhere in the other submission. Only pairs that share a
fingerprint are compared in detail (a sparse product of submissions by fingerprints finds them);
the others share nothing, and score 0.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b

import numpy as np
from copydetect.utils import filter_code, winnow
from scipy import sparse

from grading.similarity.settings import Similarity

#: The name of the comparison of all solution cells together.
WHOLE = "whole"


@lru_cache(maxsize=8192)
def normalise(code: str) -> tuple[str, np.ndarray]:
    """copydetect's normalised ``code`` and the offsets that map it back (cached: a cell left as
    released, or answered alike, is read once)."""
    text, offsets = filter_code(code, "cell.py", "python")
    offsets = offsets.reshape(-1, 2) if offsets.size else np.zeros((0, 2), dtype=int)
    offsets[:, 1] += len(code) - len(code.lstrip("\n"))  # pygments drops leading newlines
    return text, offsets


def kgram_hashes(text: str, k: int) -> np.ndarray:
    """A 64-bit hash of each k-gram of ``text``, the same in every process (copydetect's uses
    Python's ``hash``, which changes with each interpreter, and the scores with it)."""
    grams = (text[i : i + k].encode() for i in range(len(text) - k + 1))
    return np.array(
        [
            int.from_bytes(blake2b(gram, digest_size=8).digest(), "little", signed=True)
            for gram in grams
        ],
        dtype=np.int64,
    )


def covered(positions: np.ndarray, k: int, length: int) -> np.ndarray:
    """Which characters of a normalised text of ``length`` the k-grams at ``positions`` cover."""
    mask = np.zeros(length, dtype=bool)
    if positions.size:
        mask[(positions[:, None] + np.arange(k)).ravel()] = True
    return mask


@dataclass
class Fingerprint:
    """One submission's normalised code and its winnowed fingerprints.

    Attributes:
        code: the student's code of each task (as submitted).
        starts: where each task's normalised code starts in the whole, and where the last ends
            (``len(tasks) + 1`` values).
        hashes: the fingerprints that are not the starter code's.
        positions: where each fingerprint's k-gram starts in the normalised whole (k-grams across
            two tasks' code are left out).
        coverage: characters of each task's normalised code that some fingerprint covers (what a
            share is a share of).
    """

    code: dict[str, str]
    starts: np.ndarray
    hashes: set[int]
    positions: dict[int, np.ndarray]
    coverage: np.ndarray

    @property
    def length(self) -> int:
        return int(self.starts[-1])


def per_task(mask: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """How many characters of ``mask`` (over a submission's normalised code) fall in each task,
    whose code starts at ``starts``."""
    running = np.concatenate([[0], np.cumsum(mask)])
    return running[starts[1:]] - running[starts[:-1]]


@dataclass(frozen=True)
class Overlap:
    """What two submissions share in one task (or :data:`WHOLE`).

    Attributes:
        shares: the share of the first one's code found in the second, and of the second's in
            the first.
        length: how much code they share (normalised characters, the smaller of the two
            sides' counts).
    """

    shares: tuple[float, float] = (0.0, 0.0)
    length: int = 0

    @property
    def score(self) -> float:
        """The larger share: how much of one of them is found in the other."""
        return max(self.shares)


@dataclass
class Pair:
    """Two students' submissions compared: an :class:`Overlap` per task and for :data:`WHOLE`
    (a task they share nothing of is left out)."""

    a: str
    b: str
    overlaps: dict[str, Overlap] = field(default_factory=dict)
    flagged: bool = False

    def score(self, task: str = WHOLE) -> float:
        return self.overlaps.get(task, Overlap()).score


class Comparison:
    """Compares the submissions of an assignment whose released starter code is ``starters``
    (by task, in notebook order)."""

    def __init__(self, starters: dict[str, str], settings: Similarity) -> None:
        self.settings = settings
        self.tasks = list(starters)
        # every k-gram of the starter code, not only those winnowing picks there: which ones it
        # picks depends on the code around them
        self.boilerplate = {
            int(h)
            for code in starters.values()
            for h in kgram_hashes(normalise(code)[0], settings.noise)
        }

    def fingerprint(self, code: dict[str, str]) -> Fingerprint:
        """The fingerprint of one submission's ``code`` (by task; a missing task is empty)."""
        code = {task: code.get(task, "") for task in self.tasks}
        parts = [normalise(code[task])[0] for task in self.tasks]
        text = "".join(parts)
        starts = np.cumsum([0, *map(len, parts)])
        picked, where = winnow(
            kgram_hashes(text, self.settings.noise), self.settings.window, remove_duplicates=False
        )
        order = np.argsort(picked, kind="stable")
        cuts = np.flatnonzero(np.diff(picked[order])) + 1
        positions = {}
        for group in np.split(order, cuts) if order.size else []:
            fingerprint = int(picked[group[0]])
            inside = within_one_task(where[group], starts, self.settings.noise)
            if inside.size and fingerprint not in self.boilerplate:
                positions[fingerprint] = inside
        every = np.concatenate([*positions.values(), np.zeros(0, dtype=int)])
        coverage = per_task(covered(every, self.settings.noise, len(text)), starts)
        return Fingerprint(code, starts, set(positions), positions, coverage)

    def matches(self, a: Fingerprint, b: Fingerprint) -> tuple[np.ndarray, np.ndarray]:
        """The characters of ``a``'s and of ``b``'s normalised code that the other one has."""
        common = a.hashes & b.hashes
        k = self.settings.noise
        found = [
            covered(
                np.concatenate([f.positions[h] for h in common] or [np.zeros(0, int)]), k, f.length
            )
            for f in (a, b)
        ]
        return found[0], found[1]

    def overlaps(self, a: Fingerprint, b: Fingerprint) -> dict[str, Overlap]:
        """What ``a`` and ``b`` share, by task and :data:`WHOLE`."""
        in_a, in_b = self.matches(a, b)
        found = [
            np.append(counts, counts.sum())
            for counts in (per_task(in_a, a.starts), per_task(in_b, b.starts))
        ]
        of = [np.append(f.coverage, f.coverage.sum()) for f in (a, b)]
        result = {}
        for i, task in enumerate([*self.tasks, WHOLE]):
            if found[0][i] or found[1][i]:  # code moved between cells counts on one side
                shares = (share(found[0][i], of[0][i]), share(found[1][i], of[1][i]))
                result[task] = Overlap(shares, int(min(found[0][i], found[1][i])))
        return result

    def compare(self, prints: dict[str, Fingerprint]) -> list[Pair]:
        """Every pair of the students in ``prints``, flagged or not, in order of names."""
        students = sorted(prints)
        pairs = {(a, b): Pair(a, b) for a, b in itertools.combinations(students, 2)}
        for a, b in sharing(students, prints):
            pair = pairs[a, b]
            pair.overlaps = self.overlaps(prints[a], prints[b])
            whole = pair.overlaps.get(WHOLE, Overlap())
            pair.flagged = (
                whole.score >= self.settings.threshold and whole.length >= self.settings.min_overlap
            )
        return list(pairs.values())


def within_one_task(positions: np.ndarray, starts: np.ndarray, k: int) -> np.ndarray:
    """The ``positions`` whose k-gram lies within one task's code (one that spans two cells
    would depend on which cells surround it)."""
    task = np.searchsorted(starts, positions, side="right")
    return positions[task == np.searchsorted(starts, positions + k - 1, side="right")]


def share(part: float, whole: float) -> float:
    """``part / whole``, 0 for an empty whole."""
    return float(part / whole) if whole else 0.0


def sharing(students: list[str], prints: dict[str, Fingerprint]) -> list[tuple[str, str]]:
    """The pairs of ``students`` (in order) whose fingerprints share at least one hash."""
    columns: dict[int, int] = {}
    rows, cols = [], []
    for row, student in enumerate(students):
        for fingerprint in prints[student].hashes:
            rows.append(row)
            cols.append(columns.setdefault(fingerprint, len(columns)))
    having = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(students), len(columns))
    )
    shared = sparse.triu(having @ having.T, k=1).tocoo()
    return sorted((students[i], students[j]) for i, j in zip(shared.row, shared.col, strict=True))
