"""Where student code runs: bubblewrap's sandbox, its cgroups, the process helpers, and the fork
servers (zygotes) that start workers and kernels inside it."""
