# The two commands: `make serve` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PAPERS ?= papers
SITE   ?= site
FORMAT ?= text
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet

.DEFAULT_GOAL := help
.PHONY: help install serve site test check new lint clean bench clients

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# (Re)install only when the pins change: the stamp is older than the lock file.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

# citation.js for tests/test_citation_clients.py, pinned by tests/clients/package-lock.json.
CLIENTS := tests/clients/node_modules/.package-lock.json
$(CLIENTS): tests/clients/package-lock.json tests/clients/package.json
	cd tests/clients && npm ci --ignore-scripts --no-audit --no-fund
	@touch $(CLIENTS)

clients: $(CLIENTS) ## install citation.js (npm ci in tests/clients) for the citation-client tests

serve: $(STAMP) ## live-reloading site on http://127.0.0.1:8000
	NO_MKDOCS_2_WARNING=1 PAPERS=$(PAPERS) $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

site: $(STAMP) ## build the static site into site/ (PAPERS=dir for another records folder)
	$(BIN)/python -m generator build --papers $(PAPERS) --out $(SITE)

check: $(STAMP) ## check every record (FILES="papers/x.md" for some, FORMAT=github for annotations)
	$(BIN)/python -m generator check --papers $(PAPERS) --format $(FORMAT) $(FILES)

new: $(STAMP) ## scaffold a record: make new ARGS='--arxiv 2504.11536 --fetch' (or --from-bibtex FILE, --title ...)
	$(BIN)/python -m generator new --papers $(PAPERS) $(ARGS)

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/actionlint .github/workflows/*.yml
	$(BIN)/zizmor --offline --persona pedantic --no-progress .github
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-forms .github/ISSUE_TEMPLATE/suggest-paper.yml .github/ISSUE_TEMPLATE/fix-record.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-config .github/ISSUE_TEMPLATE/config.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

test: $(STAMP) lint clients ## lint, then the whole test suite (browser and citation-client tests included)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/python benchmarks/bench.py --sizes 200 --skip-ref-mkdocs --check --out .cache/bench-smoke  # so it cannot rot

clean: ## remove the build output and caches (keeps .venv)
	rm -rf $(SITE) .cache .pytest_cache .mypy_cache .ruff_cache

SIZES ?= 1000
bench: $(STAMP) ## build benchmarks vs MkDocs, Hugo, a lower bound (SIZES="1000 20000", TIMEOUT, REF_MKDOCS_MAX, COMPARE=dir)
	$(BIN)/python benchmarks/bench.py --sizes "$(SIZES)"$(if $(COMPARE), --compare "$(COMPARE)")
