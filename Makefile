# Zerde: `make run` and `make test` are the two commands; everything else supports them.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
# The vision lab gets its own environment (numpy<2 stack); targets below keep room for it.
VENV_VISION := .venv-vision
PORT ?= 8501
# One BLAS/OpenMP thread per computation: many learners share the cores, and numeric libraries'
# thread pools spin against each other on a busy 2-core laptop (k-means 0.2 s -> 11 s measured).
# Parallelism comes from learners, capped by ZERDE_MAX_JOBS (core/jobs.py).
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
ADDRESS ?= 127.0.0.1

.PHONY: run test lint typecheck unit migrate bench clean browser check-no-nvidia

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(PIP) install --upgrade pip==25.3

# Lock files are installed with --no-deps: the lock is the whole truth, pip check proves it.
$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(PIP) install --no-deps -r requirements.txt
	$(BIN)/python -m pip check
	@$(MAKE) --no-print-directory check-no-nvidia
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PIP) install --no-deps -r requirements-dev.txt
	$(BIN)/python -m pip check
	touch $@

check-no-nvidia:
	@if $(BIN)/python -m pip list --format=freeze | grep -i '^nvidia'; then \
		echo "nvidia-* packages installed: a dependency pulled CUDA torch" >&2; exit 1; fi

migrate: $(VENV)/.runtime
	$(BIN)/python -m core.db

run: migrate
	$(BIN)/streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT)

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy core

test: lint typecheck
	$(BIN)/python -m pytest

unit: $(VENV)/.dev
	$(BIN)/python -m pytest tests/unit -q

# Debian's Chromium for the Playwright tests (never `playwright install`: no browser downloads).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

bench: $(VENV)/.dev
	$(BIN)/python -m benchmarks.telemetry_ingest
	$(BIN)/python -m benchmarks.analytics_quality
	$(BIN)/python -m benchmarks.chain_game
	$(BIN)/python -m benchmarks.ml_lessons
	$(BIN)/python -m benchmarks.rl_training
	$(BIN)/python -m benchmarks.genomics

clean:
	rm -rf $(VENV) $(VENV_VISION) .pytest_cache .mypy_cache .ruff_cache
