"""What nbgrader calls: the hidden-test and clean-up preprocessors, the sandboxed kernel, the replay
of batch results, and the late-penalty plugin."""
