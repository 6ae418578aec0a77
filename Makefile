# The two set-up commands of the README. Each creates .venv if it is missing and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := src/propwatch/examples/deir-ez-zor.txt

.PHONY: demo test install install-test benchmarks clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Inference only: onnxruntime + tokenizers + light libraries, no torch.
install: $(BIN)/python
	$(BIN)/python -m pip install -q -e .

# Test extras include the [train] extra (torch==2.13.0, CPU build) because training is tested on a tiny model.
install-test: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'

demo: install
	$(BIN)/propwatch analyze $(EXAMPLE)

test: install-test
	$(BIN)/python -m pytest -q

benchmarks: install-test
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
