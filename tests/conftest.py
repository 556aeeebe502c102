"""Shared fixtures. Loading the full pipeline takes seconds: do it once per session.

Data the project owns (the seed articles in corpus/, their gold in tests/data/) is always
here. Evaluation data lives in ../shared beside the checkout (CI has it; a clone from a
public host does not): tests reach it only through the `shared` fixture, which skips them
with the reason when it is missing (and fails them under CI, where it must be there).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"
SEED_GOLD = DATA / "seeds_claims.jsonl"
SHARED = ROOT.parent / "shared"


class SharedData:
    """Paths into ../shared; a missing one skips the test that asked for it."""

    def __init__(self, root: Path):
        self.root = root

    def __call__(self, *parts: str) -> Path:
        path = self.root.joinpath(*parts)
        if not path.exists():
            reason = f"needs ../shared/{'/'.join(parts)} (evaluation data beside the checkout; not found)"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        return path


@pytest.fixture(scope="session")
def shared() -> SharedData:
    return SharedData(SHARED)


# Tests that ask for these (directly or through another fixture) load the full pipeline.
PIPELINE_FIXTURES = {"nlp", "rules_nlp", "seed_run"}


def pytest_collection_modifyitems(items):
    """`slow` on every test that loads the full pipeline (`make test-fast` leaves them out);
    tests marked `transformers` skip where the newsie[transformers] extra is not installed
    (`make install-transformers`)."""
    from importlib.util import find_spec

    without_transformers = find_spec("transformers") is None
    for item in items:
        if PIPELINE_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        if without_transformers and item.get_closest_marker("transformers"):
            item.add_marker(pytest.mark.skip(reason="needs newsie[transformers] (make install-transformers)"))


def read_tables(out: Path) -> dict:
    """Every table of a run, rows in a canonical order (part files are read in any order)."""
    import pandas as pd

    from newsie.schema import TABLES

    result = {}
    for name in TABLES:
        frame = pd.read_parquet(out / name)
        keys = [c for c in ("doc_id", "source_path", "start", "end", "claim_id", "attribution_id") if c in frame]
        result[name] = frame.sort_values(keys).reset_index(drop=True).astype(str)
    return result


@pytest.fixture(scope="session")
def nlp():
    from newsie.nlp import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def sentencized():
    """A blank English pipeline with a sentencizer: Docs with sentences, no model."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


@pytest.fixture(scope="session")
def rules_nlp():
    """The pipeline with rule-based attribution alone (configs/pipeline_rules.cfg)."""
    from newsie.nlp import build_nlp
    from newsie.paths import RULES_CONFIG

    return build_nlp(RULES_CONFIG)


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory) -> Path:
    """`newsie run corpus/ --out OUT` through the real CLI, once per session."""
    from typer.testing import CliRunner

    from newsie.cli import app

    out = tmp_path_factory.mktemp("seed_run") / "out"
    result = CliRunner().invoke(app, ["run", str(CORPUS), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out
