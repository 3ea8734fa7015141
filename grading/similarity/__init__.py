"""Code similarity between the submissions of an assignment (``python -m grading.similarity``)."""
