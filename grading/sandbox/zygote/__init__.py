"""Sandboxed fork servers for student code: libraries imported once, a process forked each time.

A fresh worker (:mod:`grading.worker.main`) spends seconds importing torch, numpy, scipy and
matplotlib before it loads a submission, and a fresh notebook kernel as long again. In a batch
(:mod:`grading.batch.command`), each grading process therefore keeps two *zygotes*: processes in the
sandbox (:mod:`grading.sandbox.bubblewrap`, memory capped) that have imported those libraries, one
forking a worker for each request of the hidden tests, the other forking the notebook's kernel.
The forked process then starts exactly as a fresh one would (a worker installs its tripwires, takes
its integrity snapshot and loads the submission; a kernel reads its connection file and serves); no
student code ever runs in the zygote itself.

Three programs share the zygote's protocol (JSON lines over a Unix socket, :mod:`.channel`):

- :mod:`.owner`, in the grading process: starts a zygote in the sandbox, checks it before each
  job, replaces one that stopped answering, stops it (:class:`~.owner.Zygote`);
- :mod:`.client`, in whoever needs a process: the judge asks for a worker (:func:`~.client.spawn`),
  the kernel manager's launcher for a kernel (:func:`~.client.run_kernel`);
- :mod:`.server`, the zygote itself, inside the sandbox: imports, then forks one process per
  request.

What each kind of zygote preloads and how its sandbox differs is in :mod:`.roles`.

Isolation between the students who share a zygote, one after another:

- the zygote is not dumpable, so a forked process (which has no capabilities) can neither trace it
  nor read its memory, and it closes the zygote's sockets before any student code runs;
- one forked process runs at a time; every process one left behind is killed
  (:func:`~.client.sweep`) and whatever it wrote to the sandbox's private ``/tmp`` and ``/dev/shm``
  is removed before the next one is forked; the owner empties the work folder between jobs;
- a process that kills or stops the zygote costs only its own tests: the owner checks the zygote
  before each job and starts a new one when it does not answer.

Requests come over a Unix socket in a host folder that the sandbox hides (``/tmp`` is private
there), with the forked process's pipes or standard streams passed along (``SCM_RIGHTS``).
"""
