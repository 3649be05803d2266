# One entry point for everyday tasks; each target calls dev.py, which needs only Python 3.11+.
.PHONY: run test lint bench fuzz

PYTHON ?= python3

run:
	$(PYTHON) dev.py run

test:
	$(PYTHON) dev.py test

lint:
	$(PYTHON) dev.py lint

bench:
	$(PYTHON) dev.py bench

fuzz:
	$(PYTHON) dev.py fuzz
