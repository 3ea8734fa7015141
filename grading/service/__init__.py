"""What the instructor runs on the hub for feedback on submit: a service that watches nbgrader's
exchange, collects each new submission, grades it with the batch's job engine and releases that
student's feedback (``python -m grading.service``, ``make serve-feedback``)."""
