"""Loading: a run imports what it uses. Building the shipped pipeline must not import
transformers (nor spacy-transformers, unless the `trf` extra installed it: spaCy then imports
every installed plugin) nor build quantulum3's unit table."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow  # builds the pipeline in a fresh interpreter

PROBE = """
import sys
from newsie.nlp import build_nlp
from newsie.paths import RULES_CONFIG
nlp = build_nlp({config})
doc = nlp("The agency said 40 workers were moved 3 miles away.")
assert doc._.quantities, "the quantities stage ran"
from importlib.util import find_spec
plugin = ("spacy_transformers", "transformers") if find_spec("spacy_transformers") else ()
loaded = sorted(m for m in ("spacy_transformers", "transformers", "sklearn", "quantulum3", "inflect",
                            "duckdb", "distributed", "newsie.report", "newsie.query")
                if m in sys.modules and m not in plugin)
print("LOADED", ",".join(loaded))
"""


@pytest.mark.parametrize("config", ["None", "RULES_CONFIG"])
def test_building_the_pipeline_imports_only_what_it_uses(config):
    result = subprocess.run([sys.executable, "-c", PROBE.format(config=config)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    loaded = result.stdout.split("LOADED", 1)[1].strip()
    assert loaded == "", f"imported without being used: {loaded}"


CLIENT_PROBE = """
import sys
from newsie.cli import app
sys.argv = ["newsie", "run", sys.argv[1], "--out", sys.argv[2], "--workers", "2"]
try:
    app()
except SystemExit as exit:
    assert not exit.code, exit.code
print("LOADED", ",".join(m for m in ("spacy", "thinc", "torch") if m in sys.modules))
"""


def test_the_client_of_worker_processes_imports_no_nlp_library(tmp_path):
    """With --workers 2 the pipeline runs in the workers; the client reads, writes and joins
    the tables, and importing spaCy and torch there (about 2 s of CPU) only slowed the workers' start."""
    article = tmp_path / "a.txt"
    article.write_text("The agency said 40 workers were moved 3 miles away on Monday.", encoding="utf-8")
    result = subprocess.run([sys.executable, "-c", CLIENT_PROBE, str(article), str(tmp_path / "out")], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "out" / "claims").is_dir()
    assert result.stdout.split("LOADED", 1)[1].strip() == ""
