# Zoom secteurs — every command a user or CI needs. `make run` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# HOST=0.0.0.0 lets the phones of a workshop room open the QR codes (this computer's network address).
HOST ?= 127.0.0.1

.PHONY: setup setup-dev run build import fetch status figures demo test lint bench

$(VENV)/.runtime: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

run: setup
	$(BIN)/python -m pipelines build --si-besoin
	$(BIN)/streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT)

build: setup
	$(BIN)/python -m pipelines build

import: setup
	@test -n "$(FILES)" || (echo 'usage: make import FILES="fichier1.xlsx fichier2.csv"' && exit 2)
	$(BIN)/python -m pipelines import $(FILES)

# SOURCES="urssaf dares_defm" (default: all) and TERRITORY=dep:35 (default: the command's, bassin:5314) are optional.
fetch: setup
	$(BIN)/python -m pipelines fetch $(SOURCES) $(if $(TERRITORY),--territoire $(TERRITORY))

status: setup
	$(BIN)/python -m pipelines status

figures: setup
	$(BIN)/python -m pipelines figures --territoire $(or $(TERRITORY),bassin:5314)

demo: setup-dev
	$(BIN)/python -m pipelines.ingest.demo

test: setup-dev
	$(BIN)/python -m pytest

lint: setup-dev
	$(BIN)/ruff check .

bench: setup-dev
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/fetch_offline.py
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/explorer.py
	$(BIN)/python benchmarks/note.py
