"""What the tests share; no tests here.

- :mod:`.paths`: the course root and its assignments;
- :mod:`.courses`: copies of the course driven through nbgrader's command line, and each
  assignment's corpus submitted to one;
- :mod:`.corpus`, :mod:`.variants`, :mod:`.variants_ex10`: each assignment's corpus of right,
  wrong, alternative and broken submissions; :mod:`.hostile`, :mod:`.hostile_ex10`: the hostile
  and faulty ones; :mod:`.outside`: files planted outside the course; :mod:`.leaks`: the hidden
  tests' lines, to find them where students read;
- :mod:`.student_workers`: student worker processes on tiny submissions; :mod:`.kernels`: notebooks
  of a few cells in the sandboxed kernel; :mod:`.public_checks`: a notebook's public checks run as
  a student runs them;
- :mod:`.accounts`: real Unix student accounts and their environment;
- :mod:`.lab_server`, :mod:`.pages`: JupyterLab servers and what the browser tests do in them.
"""
