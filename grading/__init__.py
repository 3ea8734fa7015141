"""Grading of the course's exercises: hidden tests judged outside the student's kernel.

Stages, one module each:

- :mod:`grading.batch`: grades a whole class in parallel, each submission a :mod:`grading.job` on a
  local or remote Dask cluster, and records the results through nbgrader (:mod:`grading.replay`)
  from one process; then writes the class report (:mod:`grading.report`).
- :mod:`grading.preprocessors`: the nbgrader preprocessors that start the hidden tests of every
  graded test cell beside the sandboxed kernel (:mod:`grading.kernel`) and write their verdict (a
  report and the partial points) into the cell.
- :mod:`grading.judge`: runs the hidden pytest suites of ``grader_tests/`` in a forked process,
  which never executes student code (:mod:`grading.pytest_plugin` gives tests ``student``).
- :mod:`grading.student`: the judge's handle on a separate worker process that runs the student's
  code (:mod:`grading.worker`, with trusted probes from :mod:`grading.probes`), started afresh or
  forked by a sandboxed :mod:`grading.zygote`, with limits on its CPU time
  (:mod:`grading.processes`).
- :mod:`grading.wire`: the data-only messages between the two (JSON and ``.npy``; never pickle).
- :mod:`grading.course`, :mod:`grading.submissions`, :mod:`grading.samples`, :mod:`grading.demo`:
  the course as nbgrader sees it, submission builders, the demo's samples and the demo itself.
"""

from pathlib import Path

#: The course checkout this package belongs to (where ``nbgrader_config.py`` is).
COURSE_ROOT = Path(__file__).resolve().parents[1]
