"""`newsie run corpus/` end to end: the tables, their contract, offsets, and the seed scores."""
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from newsie.evaluate.claims import load_gold, score_claims
from newsie.schema import TABLES

from .conftest import CORPUS, SEED_GOLD

pytestmark = pytest.mark.slow  # the seed corpus through the CLI


def test_every_table_is_written_with_its_schema(seed_run):
    for name, schema in TABLES.items():
        table = pq.read_table(seed_run / name)
        for field in schema:
            assert table.schema.field(field.name).type == field.type, (name, field.name)


def test_documents_table(seed_run):
    docs = pd.read_parquet(seed_run / "documents")
    assert sorted(docs.doc_id) == sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert set(docs.status) == {"ok"}
    assert docs.published.notna().all()
    ap = docs.set_index("doc_id").loc["ap-nk-additional-troops"]
    assert ap.outlet == "Associated Press" and str(ap.published) == "2025-02-27"
    for row in docs.itertuples():
        assert row.text == (CORPUS / f"{row.doc_id}.txt").read_text(encoding="utf-8")
        assert row.n_chars == len(row.text)


def _texts(seed_run):
    docs = pd.read_parquet(seed_run / "documents")
    return dict(zip(docs.doc_id, docs.text))


def test_mention_offsets_give_back_their_text(seed_run):
    texts = _texts(seed_run)
    mentions = pd.read_parquet(seed_run / "mentions")
    assert len(mentions) > 100
    for m in mentions.itertuples():
        assert texts[m.doc_id][m.start:m.end] == m.text
    assert {"PERSON", "ORG", "GPE", "DATE", "CARDINAL"} <= set(mentions.label)


def test_claim_offsets_give_back_their_text(seed_run):
    texts = _texts(seed_run)
    claims = pd.read_parquet(seed_run / "claims")
    for c in claims.itertuples():
        assert texts[c.doc_id][c.quantity_start:c.quantity_end] == c.quantity_text
        assert c.sentence_start <= c.quantity_start < c.quantity_end <= c.sentence_end


def test_attribution_offsets_give_back_their_text(seed_run):
    texts = _texts(seed_run)
    for a in pd.read_parquet(seed_run / "attributions").itertuples():
        if pd.notna(a.source_text):
            assert texts[a.doc_id][int(a.source_start):int(a.source_end)] == a.source_text
        assert texts[a.doc_id][int(a.cue_start):int(a.cue_end)] == a.cue_text


def test_claims_link_to_their_attributions(seed_run):
    claims = pd.read_parquet(seed_run / "claims")
    attributions = pd.read_parquet(seed_run / "attributions").set_index("attribution_id")
    linked = claims[claims.attribution_id.notna()]
    assert len(linked) > 10
    for c in linked.itertuples():
        assert attributions.loc[c.attribution_id, "source_text"] == c.source_text


def test_seed_scores_meet_the_bar(seed_run):
    """The seed bar: value >= 0.95, value and source >= 0.85, precision >= 0.90, no boilerplate claim."""
    scores = score_claims(load_gold(SEED_GOLD), pd.read_parquet(seed_run / "claims")).rates()
    assert scores["value"] >= 0.95, scores
    assert scores["value_and_source"] >= 0.85, scores
    assert scores["precision"] >= 0.90, scores
    assert scores["boilerplate_claims"] == 0, scores


def test_ranges_and_bounds_in_claims(seed_run):
    claims = pd.read_parquet(seed_run / "claims").set_index("quantity_text")
    ranged = claims.loc["about 10,000-12,000"]
    assert pd.isna(ranged.value) and (ranged.low, ranged.high) == (10000, 12000) and ranged.approximate
    bound = claims.loc["at least 3,000 more"]
    assert bound.low == 3000 and pd.isna(bound.high) and "at least" in bound.qualifier


def test_eval_command_prints_scores(seed_run):
    from typer.testing import CliRunner

    from newsie.cli import app

    result = CliRunner().invoke(app, ["eval", "claims", str(seed_run), "--gold", str(SEED_GOLD)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output.strip().splitlines()[-1])
    assert scores["gold"] == sum(1 for g in load_gold(SEED_GOLD) if g["flags"] == "")


def test_eval_verbose_groups_misses_by_family(seed_run, tmp_path):
    """A gold figure the run cannot have found and a wrong source show up under their families."""
    from typer.testing import CliRunner

    from newsie.cli import app

    gold = load_gold(SEED_GOLD)
    first = next(g for g in gold if g["flags"] == "" and g["sources"])
    wrong_source = dict(first, sources=["nobody by this name"])
    missing = dict(first, quote="x", start=0, end=1, value=1)
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(g) for g in [wrong_source, missing]), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "claims", str(seed_run), "--gold", str(tmp_path / "gold.jsonl"), "-v"])
    assert result.exit_code == 0, result.output
    families = {line.split(" (")[0]: int(line.split("(")[1].split(")")[0])
                for line in result.output.splitlines() if line and not line.startswith((" ", "{"))}
    assert families["missed"] == 1 and families["source"] == 1 and families["value"] == 0
    assert set(families) == {"missed", "value", "source", "type", "extra"}


def test_tables_read_with_duckdb(seed_run):
    import duckdb

    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{seed_run}/claims/*.parquet')").fetchall()[0][0]
    assert n == len(pd.read_parquet(seed_run / "claims"))


def _gold_interval(time: str | None):
    """Gold `time` ("2025-01", "2024-09/2024-11", "2024-10-08/2024-10-13") as inclusive dates."""
    import calendar
    import datetime as dt

    if not time:
        return None, None
    first, _, last = time.partition("/")
    last = last or first

    def start(part):
        return dt.date.fromisoformat(part if len(part) == 10 else part + "-01")

    def end(part):
        if len(part) == 10:
            return dt.date.fromisoformat(part)
        year, month = map(int, part.split("-"))
        return dt.date(year, month, calendar.monthrange(year, month)[1])

    return start(first), end(last)


def test_seed_claim_times_match_the_gold_intervals(seed_run):
    claims = pd.read_parquet(seed_run / "claims")
    wrong = []
    for g in load_gold(SEED_GOLD):
        if g["flags"]:
            continue
        hits = claims[(claims.doc_id == g["doc"]) & (claims.quantity_start < g["end"]) & (claims.quantity_end > g["start"])]
        got = hits.iloc[0]
        got_interval = tuple(None if pd.isna(d) else d for d in (got.time_start, got.time_end))
        if got_interval != _gold_interval(g["time"]):
            wrong.append((g["quote"], g["time"], got_interval))
    assert not wrong, wrong


def test_a_missing_attribution_model_is_a_clear_error(tmp_path):
    from typer.testing import CliRunner

    from newsie.cli import app

    result = CliRunner().invoke(app, ["run", str(CORPUS), "--out", str(tmp_path / "out"),
                                      "--attribution-model", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "no attribution model" in result.output
