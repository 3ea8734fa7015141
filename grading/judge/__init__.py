"""What the judge runs: its forked pytest run, its plugin and ini, its client of the student
process, and the static source checks. It never runs student code."""
