"""What ``make autograde`` calls: the batch command, one job per submission (locally or on Dask),
the intake of renamed notebooks, and the class report."""
