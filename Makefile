# `make demo` serves the portal with the demo district; `make test` runs the whole suite.
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/lock.txt
INSTALLED := $(VENV)/.installed
# Both cores, each pytest-xdist worker on a test database of its own; worksteal keeps the first
# half of the tests, where the long whole-portal ones are, on one worker (tests/whole/conftest.py).
PYTEST := $(PY) -m pytest -n 2 --dist worksteal

.PHONY: install serve demo test test-fast checks lock lint format messages clean-demo backup restore screenshots

$(PY):
	"$$(scripts/find-python)" -m venv $(VENV)

# Exactly the locked versions, each checked against its hash; then the portal itself.
$(INSTALLED): pyproject.toml $(LOCK) | $(PY)
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps -e .
	@$(PY) -m pip check || { echo "$(LOCK) lacks a dependency of pyproject.toml: make lock"; exit 1; }
	touch $@

# After changing the dependencies in pyproject.toml: `make lock` (keeps every other pin);
# `make lock UPGRADE=1` moves every pin to the newest release allowed.
lock: $(INSTALLED)
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --universal --python-version 3.12 \
		--generate-hashes --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) \
		--quiet -o $(LOCK)

install: $(INSTALLED)

demo: $(INSTALLED)
	$(PY) manage.py demo

# The portal with the database's own units and records, no demo district (README: another district).
serve: $(INSTALLED)
	$(PY) manage.py demo --without-demo

# The stylesheet linter (stylelint, pinned in package-lock.json): `npm ci` again only when the lock changes.
NODE_INSTALLED := node_modules/.installed
$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

checks: $(INSTALLED) $(NODE_INSTALLED)
	node_modules/.bin/stylelint "static/css/**/*.css"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py ensure_database
	$(PY) manage.py makemigrations --check --dry-run

test: checks
	$(PYTEST)

# Every page each demo account reaches, on a phone and a desktop, in standard and large type:
# var/screenshots/index.html. `make screenshots URL=http://host:port` shoots a running portal.
screenshots: $(INSTALLED)
	$(PY) scripts/screenshots.py $(if $(URL),--url "$(URL)")

# The inner loop: everything but the browser tests.
test-fast: checks
	$(PYTEST) -m "not browser" --ignore=tests/browser

lint: $(INSTALLED) $(NODE_INSTALLED)
	node_modules/.bin/stylelint "static/css/**/*.css"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(INSTALLED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(INSTALLED)
	$(PY) manage.py makemessages -l zh_Hans -l en --no-obsolete --no-location
	$(PY) manage.py compilemessages

# `make backup` writes var/backups/portal-<time>.dump (or TO=file);
# `make restore DUMP=file` replaces the portal's database with the dump's contents.
backup: $(INSTALLED)
	$(PY) manage.py backup $(if $(TO),--to "$(TO)")

restore: $(INSTALLED)
	@test -n "$(DUMP)" || (echo "usage: make restore DUMP=var/backups/portal-....dump" && exit 2)
	$(PY) manage.py restore "$(DUMP)" --replace

clean-demo:
	rm -rf var/pgdata
