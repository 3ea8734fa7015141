# The course package's commands. `make demo` and `make test` set everything up on a fresh machine.
# Every assignment of source/ (a folder with a notebook of its name); ASSIGNMENT=ex09 narrows.
ASSIGNMENT ?=
ASSIGNMENTS = $(or $(ASSIGNMENT),$(patsubst source/%/,%,$(sort $(dir $(wildcard source/*/*.ipynb)))))
# Runs its argument once per assignment, with $$a the assignment; fails if one run failed.
each = status=0; for a in $(ASSIGNMENTS); do $(1) || status=1; done; exit $$status
ONLY = $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NBGRADER := $(BIN)/nbgrader
# nbgrader runs `alembic` and `jupyter` from PATH: use the ones of .venv.
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup setup-browser setup-hub release publish roster exchange-access due-dates collect autograde report similarity feedback return-feedback serve-feedback export export-canvas export-moodle demo lab test test-fast lint format benchmark \
	samples student-package clean

setup: $(STAMP)  ## create .venv from the pinned dependencies (does nothing when up to date)

$(STAMP): requirements.txt pyproject.toml
	@# The sandbox that confines student code while grading (grading/sandbox/bubblewrap.py) needs bubblewrap.
	command -v bwrap >/dev/null || (apt-get update -qq && apt-get install -y -qq bubblewrap) \
		|| echo "make setup: could not install bubblewrap; grading will refuse to run unconfined"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@# Each sandbox's process cap is a pids cgroup (grading/sandbox/cgroups.py): say whether this machine has one.
	@$(BIN)/python -c "from grading.sandbox import cgroups; r = cgroups.unavailable(); \
		print('make setup: ' + (f'no process cap for student code ({r}): grading refuses to run ' \
		'unless nbgrader_config.py sets c.Sandbox.process_limit = 0' if r else 'pids cgroups cap student processes'))"
	touch $(STAMP)

HUB_STAMP := $(VENV)/.hub-installed
setup-hub: $(HUB_STAMP)  ## JupyterHub and its proxy for the hub test (without npm it is skipped, saying why)

$(HUB_STAMP): $(STAMP) hub/requirements.txt hub/package.json hub/package-lock.json
	$(BIN)/python -m pip install --quiet -r hub/requirements.txt
	@# configurable-http-proxy, the proxy in front of JupyterHub, is a Node.js program: hub/node_modules.
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm) \
		|| echo "make setup-hub: could not install npm; the JupyterHub test will be skipped"
	! command -v npm >/dev/null || npm ci --prefix hub --no-audit --no-fund --loglevel=error
	touch $(HUB_STAMP)

setup-browser: setup  ## Debian's chromium for the browser tests (without it they are skipped, saying why)
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "make setup-browser: could not install chromium; the browser tests will be skipped"

release: setup  ## source/ -> release/ (nbgrader generate_assignment)
	$(call each,$(NBGRADER) generate_assignment $$a --force)

publish: setup  ## release/ -> the exchange, where students fetch it (nbgrader release_assignment)
	$(call each,$(NBGRADER) release_assignment $$a --force)

ROSTER ?= students.csv
roster: setup  ## import the roster: id,first_name,last_name,email (nbgrader db student import)
	$(NBGRADER) db student import $(ROSTER)

DUE_DATES ?= assignments.csv
due-dates: setup  ## import due dates: name,duedate (nbgrader db assignment import)
	$(NBGRADER) db assignment import $(DUE_DATES)

exchange-access: setup  ## as root, after each `make roster`: only the roster's students reach the course in the exchange (a Unix group)
	$(BIN)/python -m grading.service.access

collect: setup  ## the exchange -> submitted/ (each student's newest submission, as nbgrader collect --update; never follows links)
	$(BIN)/python -m grading.service.collect $(ASSIGNMENTS)

JOBS ?= $(shell nproc)
autograde: setup  ## submitted/ -> autograde/ in parallel (JOBS=N; SCHEDULER=tcp://HOST:8786 for Dask)
	$(call each,$(BIN)/python -m grading.batch $$a --jobs $(JOBS) $(if $(SCHEDULER),--scheduler $(SCHEDULER)))

serve-feedback: setup  ## grade each submission as it arrives and release its feedback (ASSIGNMENT=ex09 for one; JOBS, SCHEDULER)
	$(BIN)/python -m grading.service $(ASSIGNMENT) --jobs $(JOBS) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

report: setup  ## gradebook + autograde/ -> report-<assignment>.csv and .png (the class report)
	$(call each,$(BIN)/python -m grading.batch.report $$a)

similarity: setup  ## submitted/ -> similarity-<assignment>.html and .csv: which submissions share code (THRESHOLD=0.6)
	$(call each,$(BIN)/python -m grading.similarity $$a $(if $(THRESHOLD),--threshold $(THRESHOLD)))

feedback: setup  ## autograde/ -> feedback/ (nbgrader generate_feedback)
	$(call each,$(NBGRADER) generate_feedback $$a --force)

return-feedback: feedback  ## feedback/ -> the exchange, where students fetch it (nbgrader release_feedback)
	$(call each,$(NBGRADER) release_feedback $$a)

export: setup  ## gradebook -> grades.csv (nbgrader export)
	$(NBGRADER) export

export-canvas: setup  ## gradebook + roster -> canvas-grades.csv, for Canvas's gradebook import (ROSTER: the LMS ids)
	$(BIN)/python -m grading.lms canvas --roster $(ROSTER)

export-moodle: setup  ## gradebook + roster -> moodle-grades.csv, for Moodle's grade import (ROSTER: the LMS ids)
	$(BIN)/python -m grading.lms moodle --roster $(ROSTER)

student-package: setup  ## dist/cnn_exercises_helpers-*.whl: what a student machine or JupyterHub image installs
	$(BIN)/python tools/build_student_package.py --out dist

samples: setup  ## rebuild the bundled sample submissions from source/ and release/
	$(BIN)/python -m grading.samples $(ONLY)

demo: setup  ## release, autograde the sample submissions, write feedback and grades.csv
	$(BIN)/python -m grading.demo $(ONLY)

LAB_PORT ?= 8888
lab: setup  ## JupyterLab 4 on localhost (widgets and nbgrader's extensions enabled); prints the URL
	$(BIN)/jupyter lab --no-browser --allow-root --ServerApp.ip=127.0.0.1 --ServerApp.port=$(LAB_PORT) \
		--ServerApp.root_dir=$(CURDIR)

test: setup setup-browser setup-hub  ## every test: unit tests, the nbgrader runs, the browser tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

test-fast: setup  ## the tests that start neither nbgrader nor a browser (the inner loop; < 2 min)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest tests/unit -m "not slow"

lint: setup
	$(BIN)/ruff check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

benchmark: setup  ## where grading time goes, batch vs serial (docs/PERFORMANCE.md); CUDA tests on a GPU
	$(BIN)/python tools/benchmark.py $(ONLY)
	$(call each,test ! -f grader_tests/$$a/benchmark_cuda.py || $(BIN)/python grader_tests/$$a/benchmark_cuda.py)

clean:  ## remove generated grading state (keeps .venv and release/)
	rm -rf submitted autograde/*/ feedback gradebook.db grades.csv autograde-*.log report-*.csv report-*.png \
		similarity-*.html similarity-*.csv regrade-*.csv canvas-grades.csv moodle-grades.csv
