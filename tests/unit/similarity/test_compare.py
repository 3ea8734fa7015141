"""Which pairs of submissions the similarity report flags: disguised copies, and never independent
solutions, with the released starter code counting for nothing."""

from __future__ import annotations

import pytest

from grading.similarity.cells import starter_code
from grading.similarity.compare import Comparison, Pair
from grading.similarity.settings import Similarity
from grading.submissions import read
from support.paths import ROOT
from support.similarity_corpus import COPY, TASKS, corpus

STARTERS = starter_code(read(str(ROOT / "release" / "ex09" / "ex09.ipynb")))


def compare(codes: dict[str, dict[str, str]], **settings: object) -> dict[tuple[str, str], Pair]:
    comparison = Comparison(STARTERS, Similarity(**settings))
    prints = {student: comparison.fingerprint(code) for student, code in codes.items()}
    return {(pair.a, pair.b): pair for pair in comparison.compare(prints)}


@pytest.fixture(scope="module")
def pairs() -> dict[tuple[str, str], Pair]:
    return compare(corpus())


def is_copy(pair: tuple[str, str]) -> bool:
    a, b = sorted(pair, key=len)
    return b == a + COPY


def test_every_disguised_copy_is_flagged_against_its_source(pairs, capsys):
    copies = {key: pair for key, pair in pairs.items() if is_copy(key)}
    others = {key: pair for key, pair in pairs.items() if not is_copy(key)}
    with capsys.disabled():
        print("\nsimilarity corpus: whole score of each copy with its source, per task")
        for (a, _), pair in sorted(copies.items()):
            tasks = " ".join(f"{pair.score(task):.2f}" for task in TASKS)
            print(f"  {a:>16} {pair.score():.2f}  flagged={pair.flagged}  ({tasks})")
        top = max(others.values(), key=Pair.score)
        print(f"  highest of the other {len(others)} pairs: {top.a} and {top.b}, {top.score():.2f}")
    missed = sorted(key for key, pair in copies.items() if not pair.flagged)
    assert not missed, f"expected every disguised copy flagged against its source, missed {missed}"


def test_no_two_independent_solutions_are_flagged(pairs):
    flagged = sorted(key for key, pair in pairs.items() if pair.flagged and not is_copy(key))
    assert not flagged, f"expected only copies flagged, also got {flagged}"


def test_the_released_starter_code_never_counts():
    untouched = {task: STARTERS[task] for task in TASKS}
    pair = compare({"ada": untouched, "bob": dict(untouched)})["ada", "bob"]
    assert pair.score() == 0 and not pair.overlaps, (
        f"expected two unanswered notebooks to share nothing, got {pair.overlaps}"
    )


def test_code_moved_to_another_cell_is_still_found():
    author = corpus()["loops"]
    moved = {task: "" for task in TASKS}
    moved["sobel_solution"] = "\n".join(author[task] for task in TASKS)  # all in the last cell
    pair = compare({"ada": author, "bob": moved})["ada", "bob"]
    assert pair.flagged and pair.score("conv2d_solution") > 0.9, (
        f"expected code moved between cells flagged, got {pair.score():.2f} whole, "
        f"{pair.score('conv2d_solution'):.2f} for conv2d"
    )


def test_a_nearly_empty_submission_is_not_flagged_for_what_every_solution_has():
    author = corpus()["sliding_windows"]
    sparse = {task: STARTERS[task] for task in TASKS} | {
        "padding_1d_solution": author["padding_1d_solution"]
    }
    pair = compare({"ada": author, "bob": sparse})["ada", "bob"]
    assert pair.score() >= Similarity().threshold and not pair.flagged, (
        f"expected a one-line submission mostly found in another (score {pair.score():.2f}) "
        "not flagged, since they share less than c.Similarity.min_overlap"
    )


def test_the_threshold_is_the_instructors(pairs):
    strict = compare(corpus(), threshold=0.95)
    flagged = sorted(key for key, pair in strict.items() if pair.flagged)
    closest = sorted(key for key, pair in pairs.items() if is_copy(key) and pair.score() >= 0.95)
    assert flagged == closest and len(closest) < len(corpus()) // 2, (
        f"expected a threshold of 95 % to flag only the copies that close, {closest}; got {flagged}"
    )
