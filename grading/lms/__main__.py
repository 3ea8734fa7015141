from grading.lms.command import cli

cli()
