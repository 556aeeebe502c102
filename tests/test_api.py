"""The Python API (newsie/__init__.py): load, run and read do what the command line does."""
from __future__ import annotations

import pandas as pd
import pytest

import newsie
from newsie.engine.runner import RunError

pytestmark = pytest.mark.slow  # builds the pipeline


def test_load_gives_the_pipeline_with_claims():
    doc = newsie.load()("The ministry said 40 people died.")
    claim, = doc._.claims
    assert (claim.quantity_text, claim.value, claim.source_text) == ("40", 40.0, "The ministry")
    assert doc._.names is not None


def test_run_returns_the_summary_and_read_the_tables(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Officials said on Monday that 40 people died in the floods.", encoding="utf-8")
    (inbox / "b.pdf").write_bytes(b"%PDF-1.4")
    summary = newsie.run(inbox, tmp_path / "out", published="2025-03-03", rules=True)
    assert (summary.documents, summary.failed, summary.claims) == (2, 1, 1)
    assert summary.failures_by_reason == {"read: unsupported file type .pdf": 1}
    again = newsie.run([inbox], tmp_path / "out", published="2025-03-03", rules=True)
    assert (again.documents, again.skipped, again.total_documents, again.total_claims) == (0, 2, 2, 1)
    claims, documents = newsie.read(tmp_path / "out", "claims"), newsie.read(tmp_path / "out", "documents")
    assert pd.api.types.is_datetime64_any_dtype(claims["time_start"])
    assert claims["quantity_text"].tolist() == ["40"]
    assert documents.set_index("doc_id")["published"].dt.strftime("%Y-%m-%d")["a"] == "2025-03-03"
    errors = newsie.read(tmp_path / "out", "errors")
    assert errors[["stage", "message"]].values.tolist()[0][0] == "read"
    with pytest.raises(RunError, match="input not found"):
        newsie.run(tmp_path / "nowhere", tmp_path / "out")
