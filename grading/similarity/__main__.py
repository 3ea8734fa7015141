from grading.similarity.command import cli

cli()
