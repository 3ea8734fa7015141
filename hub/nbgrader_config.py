"""nbgrader configuration of everyone on the course's JupyterHub: students and the instructor.

Install it as /etc/jupyter/nbgrader_config.py in the hub's single-user image, next to the student
package (README: "Running a course on a shared JupyterHub"). The instructor's course folder has its
own nbgrader_config.py, which sets the same exchange root (a test checks they agree).
"""

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

# A folder every user of the hub can reach (mode 0777, created by the instructor): nbgrader keeps
# released assignments, submissions and feedback there, each readable only by whom it is for.
c.Exchange.root = "/srv/nbgrader/exchange"
