# make run   — create .venv, install, serve the app on http://127.0.0.1:5000
# make test  — create .venv, install everything the suite needs (Chromium too), run it all
# make serve — run under gunicorn (WORKERS, BIND from the environment)
# make bench — run the benchmarks under bench/
# make docs  — write docs/criteria.md from the rule declarations
# make wheel — build the wheel in dist/ (templates, static files, compiled catalogues inside)
# make messages — extract every marked string to translations/messages.pot and update
#                 each language's catalogue; make translations — compile the catalogues
# make check-nginx — deploy/nginx.conf in front of gunicorn: slow clients, hosts

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= 4
BIND ?= 127.0.0.1:8000

.PHONY: run test serve lint bench check-nginx chromium clean docs messages translations wheel

$(PY):
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update && \
	  $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,serve]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright cannot download browsers here),
# and Liberation Sans, metric-compatible with the print stylesheet's Arial: with only
# DejaVu Sans (wider) the printed summary no longer fits two A4 pages.
chromium:
	@{ test -x $(CHROMIUM) && fc-list 2>/dev/null | grep -q "Liberation Sans"; } || { \
	  $(SUDO) apt-get update && \
	  $(SUDO) apt-get install -y --no-install-recommends chromium fonts-liberation; }

# Translations: pybabel extract/update/compile. The compiled .mo files are not kept in
# git; `make run`, `make serve` and `make test` compile them first (a wheel compiles its
# own: setup.py). A new language:
#   .venv/bin/pybabel init -i translations/messages.pot -d translations -l fr
# then translate translations/fr/LC_MESSAGES/messages.po and add "fr" to app/i18n.py.
PYBABEL := $(VENV)/bin/pybabel
POT := translations/messages.pot

messages: $(STAMP)
	$(PYBABEL) extract -F babel.cfg -k Text --no-location --sort-output \
	  --project hsct-ms-screening --copyright-holder "The project's contributors" \
	  -o $(POT) .
	$(PYBABEL) update -i $(POT) -d translations --no-fuzzy-matching --ignore-obsolete -w 100

translations: $(STAMP)
	$(PYBABEL) compile -d translations --statistics

run: $(STAMP) translations
	$(VENV)/bin/flask --app wsgi run --host $(HOST) --port $(PORT)

serve: $(STAMP) translations
	$(VENV)/bin/gunicorn --workers $(WORKERS) --bind $(BIND) wsgi:app

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test: $(STAMP) chromium lint translations
	$(PY) -m pytest

# Write docs/criteria.md from the rule declarations (a test checks it is up to date).
docs: $(STAMP)
	$(PY) -m rules docs -o docs/criteria.md

# The wheel: what `pip install` of the app needs, installable anywhere (see README, Packaging).
wheel: $(STAMP)
	$(PY) -m pip wheel --no-deps -w dist .

bench: $(STAMP)
	@command -v wrk >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y wrk; }
	$(PY) bench/bench_rules.py
	$(PY) bench/bench_web.py

check-nginx: $(STAMP)
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { $(SUDO) apt-get update && \
	  $(SUDO) apt-get install -y nginx; }
	$(PY) bench/check_nginx.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis test-results build dist
