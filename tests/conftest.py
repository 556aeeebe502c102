"""Shared fixtures. Loading the full pipeline takes seconds: do it once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
SEED_GOLD = SHARED / "gold" / "seeds_claims.jsonl"


def read_tables(out: Path) -> dict:
    """Every table of a run, rows in a canonical order (part files are read in any order)."""
    import pandas as pd

    from pipeline.schema import TABLES

    result = {}
    for name in TABLES:
        frame = pd.read_parquet(out / name)
        keys = [c for c in ("doc_id", "source_path", "start", "end", "claim_id", "attribution_id") if c in frame]
        result[name] = frame.sort_values(keys).reset_index(drop=True).astype(str)
    return result


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
