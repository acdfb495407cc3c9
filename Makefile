# Parcours — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install lint system-packages clean

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
	PARCOURS_DEBUG=0 $(BIN)/python manage.py runserver --insecure $(HOST):$(PORT)

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
