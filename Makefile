# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev lint format messages clean bench-reminders bench-reports

run: install
	HOST=$(HOST) PORT=$(PORT) scripts/run

test: install-dev
	scripts/system-packages test
	scripts/with-services scripts/test $(PYTEST_ARGS)

# A benchmark, not a test: seeds 20,000 and 100,000 cases on a throwaway PostgreSQL and times the reminder sweep.
bench-reminders: install-dev
	scripts/system-packages test
	scripts/with-services .venv/bin/python scripts/bench-reminders $(BENCH_ARGS)

# A benchmark, not a test: seeds 20,000 and 100,000 cases on a throwaway PostgreSQL and times the progress report.
bench-reports: install-dev
	scripts/system-packages test
	scripts/with-services .venv/bin/python scripts/bench-reports $(BENCH_ARGS)

install:
	scripts/system-packages run
	scripts/bootstrap

install-dev:
	scripts/system-packages run
	scripts/bootstrap dev

lint: install-dev
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: install-dev
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

messages: install-dev
	.venv/bin/python manage.py makemessages -l en --ignore=.venv --ignore=var --ignore=tests
	.venv/bin/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/db.sqlite3* var/broker var/celerybeat-schedule* var/static
