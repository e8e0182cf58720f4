# Two commands set up a fresh machine: `make install`, then `make test`. `make demo` shows a robot.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED_MENAGERIE := $(abspath ../shared/menagerie)
# Offline checkouts: use the shared Menagerie copy when it exists and nothing else is set.
ifeq ($(origin MENAGERIE_ROOT), undefined)
ifneq ($(wildcard $(SHARED_MENAGERIE)),)
export MENAGERIE_ROOT := $(SHARED_MENAGERIE)
endif
endif
# Offscreen rendering on machines without a display.
ifeq ($(DISPLAY),)
export MUJOCO_GL ?= egl
endif
export HF_HUB_OFFLINE ?= 1

.PHONY: install test demo lint bench clean

install:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip >/dev/null
	# A CPU build of torch first when none is present: an unpinned torch pulls gigabytes of CUDA.
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install torch==2.13.0
	$(BIN)/python -m pip install -e ".[dev,warp]"

test:
	$(BIN)/python -m pytest -n 2 -q tests

demo:
	$(BIN)/embodied demo --out out

lint:
	$(BIN)/ruff check embodied tests

clean:
	rm -rf out .pytest_cache
