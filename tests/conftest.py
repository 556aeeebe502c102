"""Shared fixtures. Loading the full pipeline takes seconds: do it once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEED_GOLD = SHARED / "gold" / "seeds_claims.jsonl"


@pytest.fixture(scope="session")
def nlp():
    from pipeline.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def rules_nlp():
    """The pipeline with rule-based attribution (issue 2's version)."""
    from pipeline.nlp import build_nlp

    return build_nlp(use_rules=True)


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory) -> Path:
    """`newsie run corpus/ --out OUT` through the real CLI, once per session."""
    from typer.testing import CliRunner

    from pipeline.cli import app

    out = tmp_path_factory.mktemp("seed_run") / "out"
    result = CliRunner().invoke(app, ["run", str(CORPUS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
