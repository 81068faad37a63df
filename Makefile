# finsam developer workflow. `make demo` and `make test` set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-update lint bench sample-data readme clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(BIN)/finsam validera sample_data/deltagare.csv sample_data/budget.csv sample_data/utfall.csv
	$(BIN)/finsam maluppfyllelse 2017 --insats ung-i-tyreso -o out/maluppfyllelse_2017_ung-i-tyreso.md
	$(BIN)/finsam maluppfyllelse 2017 -o out/maluppfyllelse_2017.md
	$(BIN)/finsam maluppfyllelse 2017 -o out/maluppfyllelse_2017.xlsx
	$(BIN)/finsam budget-avvikelse 2017 -o out/budget-avvikelse_2017.md
	$(BIN)/finsam budget-avvikelse 2017 -o out/budget-avvikelse_2017.xlsx
	$(BIN)/finsam budget-avvikelse 2018 --halvar -o out/budget-avvikelse_2018_halvar.md
	$(BIN)/finsam budget-jamforelse 2018 -o out/budget-jamforelse_2018.md
	$(BIN)/finsam medlemsavgifter 2019 --total 16416000 -o out/medlemsavgifter_2019.md
	$(BIN)/finsam enkat 2017 -o out/enkat_2017.md
	$(BIN)/finsam export 2017 --till out/export
	@echo "Reports written to $(CURDIR)/out/"

test: $(STAMP)
	$(BIN)/python -m pytest

test-update: $(STAMP)
	FINSAM_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests -k golden
	git diff --stat -- tests/golden

lint: $(STAMP)
	$(BIN)/ruff check finsam_cli tests benchmarks sample_data
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

readme: $(STAMP)
	$(BIN)/python -m finsam_cli.reports.command_table README.md

sample-data: $(STAMP)
	$(BIN)/python sample_data/generate.py

clean:
	rm -rf $(VENV) out build dist .pytest_cache .mypy_cache .ruff_cache
