"""Recording a job's verdict in the course's gradebook, as nbgrader's own autograde would."""

from __future__ import annotations

from pathlib import Path

from nbgrader.api import Gradebook

from grading import course
from grading.batch.job import JobResult, reason
from grading.batch.summary import Outcome
from grading.pipeline.replay import replay_preprocessors


class Recorder:
    """The only writer of the gradebook during a batch: it replays each job's autograded notebooks
    through nbgrader's autograde pipeline with :class:`grading.pipeline.replay.ReplayResults` in
    place of the kernel and the hidden tests, which writes the gradebook and the autograded folder
    (or fails as the job's nbgrader failed: an unreadable notebook, say).

    Args:
        root: the course root.
        scratch: a folder of this batch, where the jobs' notebooks are laid out for the replay.
    """

    def __init__(self, root: Path, scratch: Path) -> None:
        self.results = scratch / "results"
        config = course.load_config(root)
        config.Autograde.autograde_preprocessors = replay_preprocessors()
        config.ReplayResults.results_directory = str(self.results)
        self.api = course.api(root, config)

    def record(self, assignment: str, result: JobResult) -> Outcome:
        """Write ``result`` into the gradebook; the student's line of the summary."""
        if result.lost:
            return Outcome(result.student, error=result.error)
        folder = self.results / result.student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, content in result.notebooks.items():
            (folder / f"{name}.ipynb").write_bytes(content)
        replayed = self.api.autograde(assignment, result.student, force=True)
        if not replayed["success"]:
            return Outcome(result.student, error=result.error or reason(replayed))
        coursedir = self.api.coursedir
        with Gradebook(coursedir.db_url, coursedir.course_id) as gradebook:
            submission = gradebook.find_submission(assignment, result.student)
            return Outcome(
                result.student,
                submission.score,
                submission.max_score,
                late_penalty=submission.late_submission_penalty,
                by_hand=sum(
                    grade.max_score
                    for notebook in submission.notebooks
                    for grade in notebook.grades
                    if grade.auto_score is None and grade.manual_score is None
                ),
            )
