# `make demo` serves the portal with the demo district; `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint format messages bench clean-demo backup restore bench-deps

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

demo: $(INSTALLED)
	$(PY) manage.py demo

test: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py ensure_database
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(INSTALLED)
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --no-location
	$(PY) manage.py compilemessages

bench-deps: $(INSTALLED)
	$(PY) -m pip install -q -e '.[test,bench]'

# `make backup` writes var/backups/portal-<time>.dump (or TO=file);
# `make restore DUMP=file` replaces the portal's database with the dump's contents.
backup: $(INSTALLED)
	$(PY) manage.py backup $(if $(TO),--to "$(TO)")

restore: $(INSTALLED)
	@test -n "$(DUMP)" || (echo "usage: make restore DUMP=var/backups/portal-....dump" && exit 2)
	$(PY) manage.py restore "$(DUMP)" --replace

clean-demo:
	rm -rf var/pgdata
