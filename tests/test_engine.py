"""Chunking and worker equivalence, Dask equivalence, incremental runs."""
from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from newsie.engine.runner import make_engine, run_pipeline
from newsie.engine.worker import NlpSettings
from newsie.io.readers import read_documents
from newsie.schema import TABLES

from .conftest import read_tables as tables

pytestmark = pytest.mark.slow  # every engine loads the full pipeline

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SETTINGS = NlpSettings()


def run(inputs: Path, out: Path, engine: str = "local", workers: int = 1, chunk_size: int = 2, force: bool = False):
    runner = make_engine(engine, SETTINGS, workers=workers)
    try:
        return run_pipeline(read_documents([inputs]), out, runner, chunk_size=chunk_size, force=force)
    finally:
        runner.close()



def parts(out: Path) -> dict[str, pd.DataFrame]:
    return {f"{p.parent.name}/{p.name}": pd.read_parquet(p).astype(str) for p in sorted(out.glob("*/part-*.parquet"))}


def assert_same_tables(a: Path, b: Path) -> None:
    ta, tb = tables(a), tables(b)
    for name in TABLES:
        pd.testing.assert_frame_equal(ta[name], tb[name], obj=name)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(CORPUS, folder)
    return folder


@pytest.fixture(scope="module")
def reference(corpus, tmp_path_factory) -> Path:
    """One worker, in this process, chunks of 2."""
    out = tmp_path_factory.mktemp("ref") / "out"
    summary = run(corpus, out)
    assert summary.documents == 5 and summary.failed == 0
    return out


def test_chunks_are_numbered_in_input_order(reference):
    assert sorted(p.name for p in (reference / "_chunks").glob("*.json")) == [
        "00000000.json", "00000001.json", "00000002.json"]
    assert len(pd.read_parquet(reference / "documents" / "part-00000002.parquet")) == 1


def test_chunk_size_does_not_change_the_rows(corpus, reference, tmp_path):
    run(corpus, tmp_path / "out", chunk_size=32)
    assert_same_tables(reference, tmp_path / "out")


def test_two_workers_write_the_same_parts_as_one(corpus, reference, tmp_path):
    run(corpus, tmp_path / "out", workers=2)
    mine, theirs = parts(tmp_path / "out"), parts(reference)
    assert mine.keys() == theirs.keys()
    for name in mine:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)


def test_dask_engine_writes_the_same_parts(corpus, reference, tmp_path):
    run(corpus, tmp_path / "out", engine="dask", workers=1)
    mine, theirs = parts(tmp_path / "out"), parts(reference)
    assert mine.keys() == theirs.keys()
    for name in mine:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)


def test_rerun_skips_what_is_done_and_redoes_what_changed(corpus, reference, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    again = run(corpus, out)
    assert (again.skipped, again.documents) == (5, 0)
    assert_same_tables(reference, out)

    changed = tmp_path / "corpus"
    shutil.copytree(corpus, changed)
    article = changed / "nk-3000-more-soldiers.txt"
    article.write_text(article.read_text(encoding="utf-8").replace("3,000", "4,000"), encoding="utf-8")
    # Same doc_ids but new paths: rename the reference's paths so only the edit differs.
    _rewrite_paths(out, str(corpus), str(changed))
    partly = run(changed, out)
    assert (partly.skipped, partly.documents) == (4, 1)
    documents = pd.read_parquet(out / "documents")
    assert sorted(documents.doc_id) == sorted(pd.read_parquet(reference / "documents").doc_id)  # nothing doubled
    claims = pd.read_parquet(out / "claims")
    mine = claims[claims.doc_id == "nk-3000-more-soldiers"]
    texts = set(mine.quantity_text)
    assert any("4,000" in t for t in texts) and not any("3,000" in t for t in texts)


def test_force_reprocesses_everything_without_doubling(corpus, reference, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    forced = run(corpus, out, force=True)
    assert (forced.skipped, forced.documents) == (0, 5)
    assert_same_tables(reference, out)
    assert sorted(p.name for p in (out / "_chunks").glob("*.json")) == [
        "00000003.json", "00000004.json", "00000005.json"]


def _rewrite_paths(out: Path, old: str, new: str) -> None:
    """Move an output directory's record of where documents came from (as if the folder moved)."""
    import json

    import pyarrow.parquet as pq

    for marker in (out / "_chunks").glob("*.json"):
        data = json.loads(marker.read_text())
        for entry in data["documents"]:
            entry[1] = entry[1].replace(old, new)
        marker.write_text(json.dumps(data))
    for part in (out / "documents").glob("part-*.parquet"):
        frame = pd.read_parquet(part)
        frame["source_path"] = frame.source_path.str.replace(old, new, regex=False)
        pq.write_table(__import__("pyarrow").Table.from_pandas(frame, schema=TABLES["documents"], preserve_index=False), part)


def test_pipeline_version_names_the_attribution_model(tmp_path):
    import shutil

    from newsie.nlp import MODELS, model_digest

    copy = tmp_path / "attribution"
    shutil.copytree(MODELS / "attribution", copy)
    before = model_digest(copy)
    assert before == model_digest(MODELS / "attribution")
    (copy / "meta.json").write_text((copy / "meta.json").read_text().replace("newsie", "newsie retrained"))
    assert model_digest(copy) != before


def test_batches_hold_a_bounded_number_of_characters():
    from newsie.engine.local import batches_by_size
    from newsie.io.readers import Document

    docs = [Document(doc_id=f"d{i}", source_path=None, text="x" * size) for i, size in enumerate([10, 30, 25, 70, 5, 5])]
    batches = [[d.doc_id for d in b] for b in batches_by_size(docs, max_documents=3, max_chars=60)]
    # a document longer than the limit still gets a batch of its own; order is kept
    assert batches == [["d0", "d1"], ["d2"], ["d3"], ["d4", "d5"]]


def test_the_last_chunks_of_a_run_are_smaller_so_workers_finish_together():
    from newsie.engine.chunks import MIN_TAPERED, tapered

    chunks = list(tapered(range(400), 32))
    sizes = [len(c) for c in chunks]
    assert [x for c in chunks for x in c] == list(range(400))  # every item once, in order
    assert sizes[:9] == [32] * 9 and max(sizes) == 32
    assert sizes[9:-1] == sorted(sizes[9:-1], reverse=True) and sizes[-2] == MIN_TAPERED
    assert MIN_TAPERED <= sizes[-1] < 2 * MIN_TAPERED
    # small chunk sizes (and short inputs) are cut as before
    assert [len(c) for c in tapered(range(5), 2)] == [2, 2, 1]
    assert [len(c) for c in tapered(range(3), 32)] == [3]


def test_every_worker_process_starts_loading_before_the_first_chunk():
    engine = make_engine("local", SETTINGS, workers=2)
    try:  # a spawn pool starts processes on demand; all of them are asked for at once
        assert len(engine._pool._processes) == 2
    finally:
        engine.close()
