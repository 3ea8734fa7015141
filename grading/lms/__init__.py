"""Grades into the LMS: the gradebook's totals as the CSV files Canvas and Moodle import."""
