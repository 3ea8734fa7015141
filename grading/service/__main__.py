"""``python -m grading.service``: the feedback service (:func:`grading.service.command.cli`)."""

from grading.service.command import cli

cli()
