# Standards Desk. `make run` sets everything up and serves the app; `make test` runs the suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails and letters point at the address being served (loopback when listening on all).
SITE_URL ?= http://$(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
export DEBUG ?= 1

.PHONY: run setup system-packages test lint assets migrate demo benchmark clean

run: setup migrate demo
	@echo ""
	@$(PY) manage.py seed_demo --logins-only
	@echo ""
	@echo "Standards Desk is running at $(SITE_URL)/"
	@echo "  complaint form (start page): $(SITE_URL)/"
	@echo "  code and guidance:           $(SITE_URL)/guidance/"
	@echo "  officer sign-in:             $(SITE_URL)/officer/login/ (a demo login above, then its code)"
	@echo "  admin (same sign-in):        $(SITE_URL)/admin/"
	@echo "  a login's code, in another terminal: $(PY) manage.py demo_code USERNAME (e.g. demo_code mo)"
	@echo ""
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

setup: system-packages $(VENV)/.installed build/static/css/app.css

# Pango, HarfBuzz and fonts for WeasyPrint's PDFs (installed with apt-get when missing).
system-packages:
	@bash scripts/system-packages.sh

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/css/app.css: node_modules/.installed scripts/build-assets.mjs $(wildcard static/scss/*.scss)
	npm run --silent build

assets: build/static/css/app.css

migrate: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_guidance

demo: migrate
	$(PY) manage.py seed_demo

test: setup
	DEBUG=0 $(PY) -m pytest $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	DEBUG=0 DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py makemigrations --check --dry-run

benchmark: setup
	DEBUG=0 DJANGO_SETTINGS_MODULE=config.settings_test $(PY) manage.py benchmark_complaints

clean:
	rm -rf $(VENV) node_modules build var
