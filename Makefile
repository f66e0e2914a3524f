# Maillon — every target bootstraps what it needs (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
DEV_ENV := DJANGO_DEBUG=1
# Production-like settings for `check --deploy` (a throwaway key, never used to serve).
DEPLOY_ENV := DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=maillon.example.org \
	DJANGO_SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -dc 'a-zA-Z0-9')

.PHONY: install demo serve test test-browser quality fix bench clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null \
		|| { echo "Python 3.11 est nécessaire (essayé : '$(PYTHON)'). Indiquez-le avec make PYTHON=/chemin/python3.11"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@mkdir -p var
	$(DEV_ENV) $(MANAGE) collectstatic --noinput --verbosity 0
	@touch $(STAMP)

demo: install
	@mkdir -p var
	$(DEV_ENV) $(MANAGE) migrate --noinput
	$(DEV_ENV) $(MANAGE) load_territory
	$(DEV_ENV) $(MANAGE) seed_demo
	$(DEV_ENV) $(MANAGE) import_shipped_lieux
	$(DEV_ENV) $(MANAGE) seed_demo_lieux
	$(DEV_ENV) $(MANAGE) seed_demo_activites
	$(DEV_ENV) $(MANAGE) seed_demo_coordination
	@echo "Maillon tourne sur http://127.0.0.1:8000 (Ctrl+C pour arrêter)."
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

serve: install
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: install
	$(BIN)/pytest

test-browser: install
	$(BIN)/pytest -m browser

quality: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(DEV_ENV) $(MANAGE) makemigrations --check --dry-run
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

fix: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	@for script in bench/*.py; do \
	  case $$script in bench/support.py|bench/linkage_build_set.py) continue;; esac; \
	  echo "== $$script"; $(DEV_ENV) $(BIN)/python $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) var/static
