# Zerde: `make run` and `make test` are the two commands; everything else supports them.
SHELL := /bin/bash
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
# The vision worker gets its own environment (numpy<2 stack: mediapipe 0.10.21, deepface, YOLO);
# the app talks to it over a local socket and never imports that stack itself.
VENV_VISION := .venv-vision
VPIP := $(VENV_VISION)/bin/python -m pip --disable-pip-version-check -q
PORT ?= 8501
# One BLAS/OpenMP thread per computation: many learners share the cores, and numeric libraries'
# thread pools spin against each other on a busy 2-core laptop (k-means 0.2 s -> 11 s measured).
# Parallelism comes from learners, capped by ZERDE_MAX_JOBS (core/jobs.py).
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1
ADDRESS ?= 127.0.0.1

.PHONY: run test lint typecheck unit migrate bench clean browser check-no-nvidia vision proxy \
	classroom nss-tools

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

# pip check is skipped on purpose: mediapipe, tf-keras and ultralytics declare GUI OpenCV, full
# TensorFlow and NVML, which the worker does not use; `--check` imports what it does use instead.
$(VENV_VISION)/.ready: requirements-vision.txt
	$(PY) -m venv $(VENV_VISION)
	$(VPIP) install --upgrade pip==25.3
	$(VPIP) install --no-deps -r requirements-vision.txt
	@if $(VENV_VISION)/bin/python -m pip list --format=freeze | grep -i '^nvidia'; then \
		echo "nvidia-* packages in $(VENV_VISION)" >&2; exit 1; fi
	$(VENV_VISION)/bin/python -m core.vision.worker --check
	touch $@

vision: $(VENV_VISION)/.ready

check-no-nvidia:
	@if $(BIN)/python -m pip list --format=freeze | grep -i '^nvidia'; then \
		echo "nvidia-* packages installed: a dependency pulled CUDA torch" >&2; exit 1; fi

migrate: $(VENV)/.runtime
	$(BIN)/python -m core.db

# Several Streamlit processes behind HAProxy, the job workers and the vision worker, kept
# running by supervisord (serve/__main__.py). Ctrl-C stops them all.
run: migrate vision proxy
	$(BIN)/python -m serve --address $(ADDRESS) --port $(PORT)

# Classroom network mode: the class joins from its own devices over the school network, offline.
# HTTPS (browsers give the camera only to secure pages) on the laptop's LAN address (found, or
# ADDRESS=…) and PORT (8443), and a plain-HTTP join page with the address, its QR code and the
# class certificate on JOIN_PORT (8080). The certificates live in data/tls (docs/classroom.md).
classroom: migrate vision proxy
	$(BIN)/python -m serve --classroom \
		$(if $(filter-out file,$(origin ADDRESS)),--address $(ADDRESS)) \
		$(if $(filter-out file,$(origin PORT)),--port $(PORT)) \
		$(if $(JOIN_PORT),--join-port $(JOIN_PORT))

# HAProxy from Debian's packages puts the laptop's cores to work for pages (sticky sessions,
# WebSockets). Where it cannot be installed, `python -m serve` runs one Streamlit process.
proxy:
	@command -v haproxy >/dev/null || command -v /usr/sbin/haproxy >/dev/null || \
		{ apt-get install -y -qq haproxy >/dev/null 2>&1 || \
		  { apt-get update -qq && apt-get install -y -qq haproxy >/dev/null; } || \
		  echo "HAProxy could not be installed: one Streamlit process will serve the class" >&2; }

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.dev
	$(BIN)/mypy core

test: lint typecheck vision proxy nss-tools
	$(BIN)/python -m pytest

unit: $(VENV)/.dev
	$(BIN)/python -m pytest tests/unit -q

# certutil, with which the classroom-mode test makes its student browser trust the class CA.
nss-tools:
	@command -v certutil >/dev/null || { apt-get install -y -qq libnss3-tools >/dev/null 2>&1 || \
		{ apt-get update -qq && apt-get install -y -qq libnss3-tools >/dev/null; }; }

# Debian's Chromium for the Playwright tests (never `playwright install`: no browser downloads).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

bench: $(VENV)/.dev vision proxy
	$(BIN)/python -m benchmarks.telemetry_ingest
	$(BIN)/python -m benchmarks.analytics_quality
	$(BIN)/python -m benchmarks.analytics_real
	$(BIN)/python -m benchmarks.chain_game
	$(BIN)/python -m benchmarks.ml_lessons
	$(BIN)/python -m benchmarks.rl_training
	$(BIN)/python -m benchmarks.genomics
	$(BIN)/python -m benchmarks.pose
	$(BIN)/python -m benchmarks.traffic
	$(BIN)/python -m benchmarks.traffic_networks
	$(BIN)/python -m benchmarks.desalination_page
	$(BIN)/python -m benchmarks.desalination_reference
	$(BIN)/python -m benchmarks.classroom --scenarios A,B,C --variants stack
	$(BIN)/python -m benchmarks.classroom --scenarios A --variants one-process

clean:
	rm -rf $(VENV) $(VENV_VISION) .pytest_cache .mypy_cache .ruff_cache
