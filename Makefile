# Parcours — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run serve worker test install lint system-packages clean bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# libmagic (upload checks) and Pango (WeasyPrint PDFs) come from Debian; installed when missing.
system-packages:
	@missing=""; \
	ldconfig -p | grep -q 'libmagic.so.1' || missing="$$missing libmagic1"; \
	ldconfig -p | grep -q 'libpangoft2-1.0' || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then echo "Installation de :$$missing"; apt-get update -qq && apt-get install -y -qq $$missing; fi

install: system-packages $(STAMP)

# A fresh clone to a working site: SQLite under data/, the 2023-2024 year, demo people, one login per role.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --address http://$(HOST):$(PORT)/
	@# DEBUG off so a wrong address shows the French 404 page, not Django's debug page; --insecure serves the static files.
	@# A background worker runs beside the server (the task queue), stopped with it.
	$(BIN)/python manage.py worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
	PARCOURS_DEBUG=0 $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

# Background jobs only (one per process; start as many as needed, on as many machines, against one PostgreSQL).
worker: install
	$(BIN)/python manage.py worker

# Production serving: gunicorn on settings_prod, 2 × cores + 1 sync workers, static files by whitenoise.
# Needs DJANGO_SECRET_KEY, DATABASE_URL and PARCOURS_ALLOWED_HOSTS; PARCOURS_SSL_REDIRECT=0 behind a local TLS proxy.
WORKERS ?= $(shell echo $$((2 * $$(nproc) + 1)))
serve: install
	DJANGO_SETTINGS_MODULE=parcours.config.settings_prod $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=parcours.config.settings_prod $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=parcours.config.settings_prod $(BIN)/gunicorn parcours.config.wsgi:application \
		--bind $(HOST):$(PORT) --workers $(WORKERS) --access-logfile - --timeout 60

# The scale benchmarks (issue 13) on PostgreSQL, in sequence, ending with their figure lines: DATABASE_URL names the
# 20 000-student database (made when missing, with _2k and _40k beside it). See scripts/bench_all.sh.
# The load script drives wrk (apt-get install wrk; without it, a slower Python client stands in).
bench: install
	scripts/bench_all.sh

lint: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/lint-imports

# Every test on SQLite; again on PostgreSQL when DATABASE_URL is set.
test: lint
	env -u DATABASE_URL $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ]; then echo "== Même suite sur PostgreSQL ($$DATABASE_URL) =="; \
		$(BIN)/pytest -p no:cacheprovider; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
