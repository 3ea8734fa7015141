"""Accuracy thresholds of the hidden model tests; THRESHOLDS.md says how each was chosen.

Recalibrate with ``python tools/calibrate_thresholds.py`` after changing data, steps or seeds.
"""

#: Adam steps (batches of 64) the trusted loop trains for: on the embedded subset on the CPU, and
#: on full MNIST on a CUDA GPU.
CPU_STEPS = 75
CUDA_STEPS = 2814  # three epochs of full MNIST (938 batches each)
#: Seed of the graded training run.
SEED = 0
#: Minimum test accuracy after CPU_STEPS on the embedded subset (8,000 / 2,000 digits).
CPU = {"FC": 0.79, "CNN_LeNet": 0.69, "CNN": 0.75}
#: Minimum test accuracy after CUDA_STEPS on full MNIST (60,000 / 10,000 digits).
CUDA = {"FC": 0.95, "CNN_LeNet": 0.96, "CNN": 0.97}
