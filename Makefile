# Two commands on a fresh machine (see README.md):
#   make book   builds the website into _build/html
#   make test   runs every test: ruff (lint and format), package, docstring
#               examples, notebooks, and a warnings-as-errors build of the book
# Both create the virtual environment .venv and install requirements.txt first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Quiet TensorFlow start-up; oneDNN off (measured: no slower here, and no notice in outputs).
export TF_CPP_MIN_LOG_LEVEL ?= 2
export TF_ENABLE_ONEDNN_OPTS ?= 0
export MPLBACKEND ?= Agg

.PHONY: book test bench clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation --editable .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@echo "Open _build/html/index.html"

test: $(STAMP)
	$(BIN)/ruff check . && $(BIN)/ruff format --check .
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going --path-output $(VENV)/book-check
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/attention_speed.py

clean:
	rm -rf _build $(VENV)
