"""The course's JupyterHub: students log in with their Unix account, and each student's JupyterLab
runs as that account, with the students' environment and the hub's nbgrader configuration.

Install it as /etc/jupyterhub/jupyterhub_config.py and run ``jupyterhub -f`` on it as root, which
the local spawner needs to start each server as its user (README: "Running a course on a shared
JupyterHub"). ``tests/browser/test_jupyterhub.py`` runs this file, with the addresses and folders
of its test hub.
"""

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

# Students log in with their Unix account and password (PAM), and may do so when the hub's
# administrator has put their account in this group; the roster of each course decides, through
# the course's group in the exchange (make exchange-access), which courses they reach.
c.JupyterHub.authenticator_class = "pam"
c.PAMAuthenticator.allowed_groups = {"hub-users"}

# Each student's server runs as their own Unix account, in their private home.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
# The students' environment (README: "The students' image"), with jupyterhub at the pin of
# hub/requirements.txt: its jupyterhub-singleuser is the students' JupyterLab.
c.Spawner.cmd = ["/opt/cnn-students/bin/jupyterhub-singleuser"]
# JupyterLab imports torch through the students' package: give a busy hub time to start it.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# The hub's own state, readable by root only.
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"
# configurable-http-proxy, at the pin of hub/package.json (npm ci --prefix hub, or make setup-hub)
c.ConfigurableHTTPProxy.command = ["/srv/jupyterhub/node_modules/.bin/configurable-http-proxy"]
