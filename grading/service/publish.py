"""A submission's feedback, written into the course's ``feedback/`` folder and released to the
exchange with nbgrader's own ``release_feedback``, under the names of the notebooks the student
submitted (which ``nbgrader fetch_feedback`` looks for). Everything is read from the collected copy
in ``submitted/``, never from the student's folder in the exchange."""

from __future__ import annotations

import shutil
from pathlib import Path

from grading import course
from grading.pipeline.preprocessors.steps import scores_only_feedback_preprocessors
from grading.service.inbox import Arrival

#: The files of a submission that name its feedback in the exchange (with each notebook's name).
KEYS = ("timestamp.txt", "submission_secret.txt")


class Publisher:
    """Writes and releases the feedback of the course at ``root``."""

    def __init__(self, root: Path) -> None:
        self.api = course.api(root)
        scores = course.load_config(root)
        scores.GenerateFeedback.preprocessors = scores_only_feedback_preprocessors()
        self.scores_api = course.api(root, scores)
        self.coursedir = self.api.coursedir

    def folder(self, arrival: Arrival, step: str = "feedback") -> Path:
        """The student's folder of the assignment in ``step`` (``feedback``, ``submitted``)."""
        return course.step_folder(self.coursedir, step, arrival.assignment, arrival.student)

    def graded(self, arrival: Arrival, shown: str) -> None:
        """Generate the feedback of the graded submission (``shown``: ``full`` or ``scores``)
        and release it."""
        folder = self.folder(arrival)
        shutil.rmtree(folder, ignore_errors=True)
        api = self.api if shown == "full" else self.scores_api
        result = api.generate_feedback(arrival.assignment, arrival.student, force=True)
        if not result["success"]:
            raise RuntimeError(f"nbgrader generate_feedback failed: {result.get('error')}")
        self._name_after_submitted(arrival, folder)
        self._release(arrival)

    def page(self, arrival: Arrival, html: str) -> None:
        """Release ``html`` as the feedback of each notebook of the collected submission."""
        folder, submitted = self.folder(arrival), self.folder(arrival, "submitted")
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for key in KEYS:
            shutil.copy(submitted / key, folder / key)
        for notebook in submitted.glob("*.ipynb"):
            (folder / f"{notebook.stem}.html").write_text(html, encoding="utf-8")
        self._release(arrival)

    def _name_after_submitted(self, arrival: Arrival, folder: Path) -> None:
        """Give each notebook the student submitted under another name (the intake graded a copy
        of it under the assignment's name) the page of the notebook it was graded as."""
        submitted = self.folder(arrival, "submitted")
        graded = {page.stem: (submitted / f"{page.stem}.ipynb") for page in folder.glob("*.html")}
        for notebook in submitted.glob("*.ipynb"):
            if notebook.stem in graded:
                continue
            content = notebook.read_bytes()
            for name, copy in graded.items():
                if copy.is_file() and copy.read_bytes() == content:
                    shutil.copy(folder / f"{name}.html", folder / f"{notebook.stem}.html")
                    break

    def _release(self, arrival: Arrival) -> None:
        result = self.api.release_feedback(arrival.assignment, arrival.student)
        if not result["success"]:
            raise RuntimeError(f"nbgrader release_feedback failed: {result.get('error')}")
