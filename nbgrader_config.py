"""nbgrader configuration of the CNN exercises course; paths are relative to this file."""

from pathlib import Path

from grading.pipeline.preprocessors import autograde_preprocessors, sanitize_preprocessors

COURSE_ROOT = Path(__file__).resolve().parent

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.course_id = "cnn-exercises"
c.CourseDirectory.autograded_directory = "autograde"

# The exchange through which assignments are released, submitted and returned on a shared JupyterHub
# (README: "Running a course on a shared JupyterHub"). Students read the same setting from
# hub/nbgrader_config.py, installed as /etc/jupyter/nbgrader_config.py in their image.
c.Exchange.root = "/srv/nbgrader/exchange"

# Late submissions lose 10 % of a notebook's score per started day past the due date, which comes
# from the gradebook (`make due-dates`: nbgrader db assignment import assignments.csv).
c.AssignLatePenalties.plugin_class = "grading.pipeline.late.PenaltyPerDay"
c.PenaltyPerDay.share_per_day = 0.1
c.PenaltyPerDay.grace_seconds = 5 * 60

# The kernel's limits while autograding (training cells train one epoch on a small budget then; the
# slowest honest cell takes about 3 s, the whole notebook about 4 s). A cell is interrupted after
# 10 CPU seconds (an endless loop; CPU time, which a busy machine does not inflate); one cell, and
# the whole notebook, may take 30 s of wall-clock time (a backstop for code that sleeps or waits).
# They bound what a fault costs; the marks come from the hidden tests, whose limits count CPU time.
c.SandboxedExecute.cell_cpu_limit = 10.0
c.Execute.timeout = 30
c.SandboxedExecute.total_timeout = 30.0

# Graded cells come from the gradebook: unknown ones are ignored, deleted ones restored.
c.Autograde.sanitize_preprocessors = sanitize_preprocessors()
c.OverwriteCells.add_missing_cells = True

# Hidden tests run outside the student's kernel (grading/pipeline/preprocessors/hidden_tests.py).
c.Autograde.autograde_preprocessors = autograde_preprocessors()
c.RunHiddenTests.tests_directory = str(COURSE_ROOT / "grader_tests")
c.RunHiddenTests.preamble_cells = ["imports"]
# CPU seconds one call into student code may use (training CNN, the slowest honest call, takes ~4).
c.RunHiddenTests.task_timeout = 20.0
c.RunHiddenTests.judge_timeout = 1800.0

# Student code (the kernel and the hidden tests' worker) runs confined
# (grading/sandbox/bubblewrap.py): it sees only the system (Sandbox.system), the Python environment,
# helpers/, grading/ and data/ (Sandbox.readable), writes only to its own folder, and gets this much
# data memory. Requires bubblewrap; Sandbox.enabled = False grades unconfined.
c.Sandbox.memory_limit = 4 * 1024**3
