"""``python -m grading.batch``: the batch command (:func:`grading.batch.command.cli`)."""

from grading.batch.command import cli

cli()
