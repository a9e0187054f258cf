# The two commands a newcomer needs: `make book` and `make test`. Both do all set-up themselves.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
# This machine's pip config lists local index folders that may not exist; hide those warnings only.
QUIET_PIP := 2>&1 | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
ASSETS := site_assets/dist/vendor/manifest.json

.PHONY: book serve test exercises grade export system-deps venv assets clean benchmarks

venv: $(STAMP)
$(STAMP): requirements.txt pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt $(QUIET_PIP)
	$(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . $(QUIET_PIP)
	@touch $@

# Third-party JS the site serves itself (require.js, html-manager, anywidget, MathJax): no CDN.
assets: $(ASSETS)
$(ASSETS): site_assets/package.json site_assets/package-lock.json site_assets/build.py site_assets/src/require-paths.js | $(STAMP)
	@bash scripts/ensure-system-deps.sh build
	cd site_assets && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	$(PY) site_assets/build.py

# The site, with its in-browser notebooks (JupyterLite + Pyodide, fetched once into a cache
# outside git and verified: site_assets/lite/build.py).
book: $(STAMP) $(ASSETS)
	bash scripts/build-book.sh
	@echo "Site built in _build/html. Read it with: make serve   (or open file://$(CURDIR)/_build/html/index.html; the in-browser notebooks need http)"

# Serves the built site on this computer only: the in-browser notebooks cannot start from file://.
PORT ?= 8000
serve:
	@test -f _build/html/index.html || { echo "No site built yet: run make book first."; exit 1; }
	@echo "Open http://localhost:$(PORT)/ (Ctrl-C stops the server)"
	$(PY) -m http.server --directory _build/html --bind 127.0.0.1 $(PORT)

# System programs the tests need (Chromium for the site tests). Installs with apt-get as root,
# otherwise stops and prints the exact command; never skips silently.
system-deps:
	@bash scripts/ensure-system-deps.sh test

# Test-only JavaScript (axe-core, the accessibility audit the browser tests inject), pinned.
TEST_JS := tests/site/node_modules/.package-lock.json
$(TEST_JS): tests/site/package.json tests/site/package-lock.json
	npm ci --prefix tests/site --ignore-scripts --no-audit --no-fund --loglevel=error

test: system-deps book $(TEST_JS)
	$(PY) -m pytest -q

# Regenerate the student release exercises/ from solutions/ (commit the result).
exercises: $(STAMP)
	$(PY) -m autograder release

# make grade ASSIGNMENT=ps1 SUBMISSIONS=path/or/lms-export.zip [WORKERS=N] [ROSTER=file]
grade: $(STAMP)
	$(PY) -m autograder grade $(ASSIGNMENT) --submissions $(SUBMISSIONS) \
	  $(if $(WORKERS),--workers $(WORKERS)) $(if $(ROSTER),--roster $(ROSTER))

export: $(STAMP)
	$(PY) -m autograder export $(ASSIGNMENT)

benchmarks: system-deps book
	$(PY) -m benchmarks

clean:
	rm -rf _build site_assets/dist site_assets/node_modules
