"""Limits of the ex10 hidden tests; how they were chosen is in THRESHOLDS.md."""

#: CPU seconds one call of a NumPy task may use.
NUMPY_TASK_CPU_SECONDS = 2.0
#: CPU seconds one call of ``fit_filter`` may use.
FIT_FILTER_CPU_SECONDS = 30.0
#: How close the learned kernel must come to the hidden one: without and with noise on the target.
KERNEL_TOLERANCE = 1e-3
NOISY_KERNEL_TOLERANCE = 0.05
#: The factor by which the loss must fall from the first step to the last.
LOSS_DROP = 1000.0
