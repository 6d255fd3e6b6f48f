# mirai-gmm: every command a reader needs. `make help` lists them.
# The first use of any target creates .venv and installs the project into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# DATA: an IoTID20 file; empty means the embedded synthetic sample.
DATA ?=
# OUT: where a run writes everything (relative to this folder).
OUT ?= reports/default
# PARAMS: a papermill YAML file of notebook parameters (optional).
PARAMS ?=

NOTEBOOKS := $(sort $(wildcard notebooks/0*.ipynb))
# KERNEL: the Jupyter kernel the notebooks run in. ipykernel in .venv installs
# "python3", which jupyter_client starts with .venv/bin/python itself.
KERNEL ?= python3
# Papermill from the venv, each notebook run with notebooks/ as its folder.
PAPERMILL = $(BIN)/python -m papermill --kernel $(KERNEL) --cwd notebooks
# Papermill stores run times in every notebook; dropping them keeps a re-run of
# unchanged code from changing the committed files (timing outputs aside).
STRIP_RUN_METADATA = import sys; from mirai_gmm.report import strip_run_metadata; \
	[strip_run_metadata(path) for path in sys.argv[1:]]

.DEFAULT_GOAL := help
.PHONY: help venv reproduce notebooks test test-fast lint check-data bench

help: ## List the targets and what they do
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  %-12s %s\n", $$1, $$2}'

venv: $(VENV)/.installed ## Create .venv and install the project with pinned versions

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[notebooks,test]"
	@touch $@

reproduce: venv ## Run notebooks 01-05 on DATA (default: synthetic) into OUT
	$(BIN)/python -m mirai_gmm reproduce --out "$(OUT)" \
		$(if $(DATA),--data "$(DATA)") $(if $(PARAMS),--params "$(PARAMS)")

notebooks: venv ## Re-execute the committed notebooks in place (default data only)
	@for nb in $(NOTEBOOKS); do \
		tmp="$$(dirname $$nb)/.tmp-$$(basename $$nb)"; \
		$(PAPERMILL) "$$nb" "$$tmp" && mv "$$tmp" "$$nb" || { rm -f "$$tmp"; exit 1; }; \
	done
	$(BIN)/python -c "$(STRIP_RUN_METADATA)" $(NOTEBOOKS)
	cp reports/default/figures/*.png figures/

# nbval re-runs the committed notebooks; MIRAI_GMM_RUNS_ROOT sends what they
# write to reports/nbval/, so reports/default stays as `make reproduce` left it.
test: venv ## Run the unit tests, the papermill runs and the nbval checks
	$(BIN)/python -m pytest --doctest-modules src tests
	MIRAI_GMM_RUNS_ROOT=reports/nbval $(BIN)/python -m pytest --nbval-lax \
		--nbval-sanitize-with notebooks/nbval-sanitize.cfg -p no:randomly notebooks

test-fast: venv ## Run the unit tests only (no notebook execution)
	$(BIN)/python -m pytest --doctest-modules src tests -m "not slow"

lint: venv ## Check style with ruff (code and notebooks)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/ruff format --check src tests benchmarks notebooks

# check-data needs a file (no synthetic default): DATA is checked before the venv
# is built, so a bare 'make check-data' says so at once.
check-data: ## Describe DATA: variant, classes, match with the official release
	$(if $(DATA),,$(error check-data needs DATA=path, e.g. make check-data DATA=data/raw/flows.csv))
	@$(MAKE) --no-print-directory venv
	$(BIN)/python -m mirai_gmm check-data "$(DATA)"

bench: venv ## Print the speed and memory benchmarks (not part of the tests)
	$(BIN)/python benchmarks/bench_detector.py
	$(BIN)/python benchmarks/bench_data.py
