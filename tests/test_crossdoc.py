"""Cross-document step: canonical sources, figures, near-duplicates, finalize on the seed run."""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import MISSING, fields, replace
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from confection import Config

from newsie.crossdoc import finalize
from newsie.crossdoc.duplicates import find_duplicates, lcs_length, aligned_in_order
from newsie.crossdoc.figures import build_figures
from newsie.crossdoc.places import same_place
from newsie.crossdoc.settings import (
    DEFAULT_CONFIG, CrossdocConfigError, DuplicateSettings, FigureSettings, Settings, load_settings, settings_from_config,
)
from newsie.crossdoc.sources import build_resolver
from newsie.normalize.aliases import AliasTable
from newsie.paths import CONFIGS
from newsie.schema import FIGURES

SETTINGS = load_settings()
NIS_VARIANTS = ["the National Intelligence Service (NIS)", "NIS", "South Korea's spy agency",
                "Seoul's National Intelligence Service", "Seoul's intelligence services"]


# --- sources ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def resolver():
    texts = ["The National Intelligence Service (NIS) said on Monday ...",
             "The World Food Programme (WFP) said 300 people died."]
    people = ["Volodymyr Zelenskyy", "Volodymyr Zelensky", "Zelensky", "Mark Rutte", "Rutte"]
    return build_resolver(texts, people, AliasTable.from_file(SETTINGS.alias_file), SETTINGS.government_words)


@pytest.mark.parametrize("name", NIS_VARIANTS)
def test_every_nis_variant_resolves_to_one_name(resolver, name):
    assert resolver.resolve(name) == "National Intelligence Service"


def test_acronym_defined_in_any_document_resolves_everywhere(resolver):
    assert resolver.resolve("WFP") == "World Food Programme"
    assert resolver.resolve("the WFP") == "World Food Programme"


@pytest.mark.parametrize("name", ["Zelensky", "Zelenskiy", "President Zelenskyy", "Volodymyr Zelensky",
                                  "Ukrainian President Volodymyr Zelenskyy"])
def test_person_variants_resolve_to_one_spelling(resolver, name):
    assert resolver.resolve(name, "PERSON") == "Volodymyr Zelenskyy"


@pytest.mark.parametrize("name, canonical", [("Acme Oil PLC", "Acme Oil"), ("Acme Oil, Inc.", "Acme Oil"),
                                             ("Delta Shipping Co.", "Delta Shipping"), ("Acme Oil", None)])
def test_a_company_is_named_without_its_legal_form(resolver, name, canonical):
    assert resolver.resolve(name) == canonical


def test_surname_of_a_person_in_another_document(resolver):
    assert resolver.resolve("Rutte", "PERSON") == "Mark Rutte"


def test_place_government_and_possessive_proper_names(resolver):
    assert resolver.resolve("U.S. estimates") == resolver.resolve("U.S. figures") == "U.S. government"
    assert resolver.resolve("South Korea's JoongAng Ilbo newspaper") == "JoongAng Ilbo newspaper"


def test_canonical_names_are_fixed_points_and_pronouns_untouched(resolver):
    for name in ["National Intelligence Service", "Volodymyr Zelenskyy", "U.S. government", "Mark Rutte"]:
        assert resolver.resolve(name) is None  # already canonical: nothing to change
    assert resolver.resolve("who") is None and resolver.resolve("he") is None


def test_ambiguous_surname_is_left_alone():
    resolver = build_resolver([], ["John Smith", "Jane Smith"], AliasTable())
    assert resolver.resolve("Smith", "PERSON") is None


def test_places_match_demonyms_and_abbreviations():
    assert same_place("North Korean", "North Korea") and same_place("N. Korea", "North Korea")
    assert same_place("Ukrainian", "Ukraine") and not same_place("Iran", "Iraq")
    assert not same_place("Russian", "North Korean")


# --- figures on hand-made claims ----------------------------------------------------------------

DAY = dt.date(2025, 3, 1)


def claim(claim_id, value, source, doc="d1", event="killed", counted="people", **extra):
    row = {"claim_id": claim_id, "doc_id": doc, "event_type": event, "value": value, "low": value,
           "high": value, "counted": counted, "source_canonical": source, "quantity_text": str(value),
           "qualifier": None, "actors": [], "locations": [], "negated": False, "time_start": None,
           "time_end": None, "sentence_start": int(claim_id[-1]) * 100, "quantity_start": 0}
    row.update(extra)
    return row


def docs(*ids, published=DAY):
    return [{"doc_id": i, "published": published, "text": "", "outlet": None} for i in ids]


def figures_of(claims, documents, settings=SETTINGS.figures, countries=None):
    assignment, table = build_figures(claims, documents, settings, countries=countries)
    return assignment, table.to_pylist()


def test_same_fact_from_two_documents_shares_a_figure():
    claims = [claim("a:c1", 300, "Health Ministry", doc="a", counted="people"),
              claim("b:c1", 300, "Health Ministry", doc="b", counted="persons", qualifier="about")]
    assignment, figures = figures_of(claims, docs("a", "b"))
    assert assignment["a:c1"] == assignment["b:c1"]
    assert figures[0]["n_claims"] == 2 and not figures[0]["disputed"]


def test_sources_far_apart_make_a_disputed_figure():
    claims = [claim("a:c1", 4000, "Ministry", doc="a", event="casualties", counted=None),
              claim("a:c2", 1200, "U.N. agency", doc="a", event="casualties", counted="casualties")]
    assignment, figures = figures_of(claims, docs("a"))
    assert assignment["a:c1"] == assignment["a:c2"]
    assert figures[0]["disputed"] and figures[0]["min_low"] == 1200 and figures[0]["max_high"] == 4000


def test_tolerance_is_configurable():
    claims = [claim("a:c1", 1000, "X", doc="a"), claim("b:c1", 1080, "Y", doc="b")]
    _, figures = figures_of(claims, docs("a", "b"))
    assert not figures[0]["disputed"]
    strict = replace(SETTINGS.figures, dispute_tolerance=0.05)
    _, figures = figures_of(claims, docs("a", "b"), strict)
    assert figures[0]["disputed"]


@pytest.mark.parametrize("change", [
    {"event_type": "wounded"},  # another event
    {"counted": "houses"},  # another counted thing
    {"value": 40000, "low": 40000, "high": 40000},  # an order of magnitude apart: another fact
    {"qualifier": "more"},  # an increment, not the total
    {"time_start": dt.date(2024, 1, 1), "time_end": dt.date(2024, 1, 31)},  # another period
])
def test_different_facts_get_different_figures(change):
    claims = [claim("a:c1", 300, "X", doc="a", time_start=DAY, time_end=DAY),
              {**claim("b:c1", 300, "Y", doc="b"), **change}]
    assignment, _ = figures_of(claims, docs("a", "b"))
    assert assignment["a:c1"] != assignment["b:c1"]


def test_nationality_on_the_counted_noun_separates_figures():
    text = "Around 400 of the North Korean troops were killed. Hundreds of Russian soldiers were killed."
    a = claim("a:c1", 400, "X", doc="a", counted="troops", quantity_start=0, quantity_end=10, sentence_start=0, sentence_end=50)
    b = claim("a:c2", 500, "Y", doc="a", counted="soldiers", quantity_start=51, quantity_end=62, sentence_start=51, sentence_end=len(text))
    documents = [{"doc_id": "a", "published": DAY, "text": text, "outlet": None}]
    assignment, _ = figures_of([a, b], documents)
    assert assignment["a:c1"] != assignment["a:c2"]


def test_undated_claims_group_only_near_their_publication_dates():
    claims = [claim("a:c1", 300, "X", doc="a"), claim("b:c1", 300, "X", doc="b")]
    documents = docs("a") + docs("b", published=DAY + dt.timedelta(days=200))
    assignment, _ = figures_of(claims, documents)
    assert assignment["a:c1"] != assignment["b:c1"]


def test_figures_table_matches_schema_and_lists_every_source():
    claims = [claim("a:c1", 300, "X", doc="a"), claim("b:c1", None, None, doc="b", low=250, high=350)]
    _, table = build_figures(claims, docs("a", "b"), SETTINGS.figures)
    assert table.schema == FIGURES
    sources = table.to_pylist()[0]["sources"]
    assert [s["source"] for s in sources] == ["X", "b"]  # no source: the article (outlet or doc_id)


def test_money_and_people_never_share_a_figure():
    grant = claim("a:c1", 3_500_000, "Ministry", doc="a", event="other", counted="funding", unit="USD")
    crowd = claim("b:c1", None, "Police", doc="b", event="other", counted="protesters", low=1_200_000, high=1_500_000)
    assignment, _ = figures_of([grant, crowd], docs("a", "b"))
    assert assignment["a:c1"] != assignment["b:c1"]


def test_a_claim_that_says_nothing_of_what_it_counts_joins_no_other():
    claims = [claim("a:c1", 99, "X", doc="a", event="other", counted=None),
              claim("b:c1", 99, "Y", doc="b", event="other", counted=None)]
    assignment, _ = figures_of(claims, docs("a", "b"))
    assert assignment["a:c1"] != assignment["b:c1"]


def test_people_nouns_and_people_events_agree_on_the_kind():
    claims = [claim("a:c1", 40, "X", doc="a", event="other", counted="children"),
              claim("b:c1", 40, "Y", doc="b", event="other", counted="children")]
    assignment, _ = figures_of(claims, docs("a", "b"))
    assert assignment["a:c1"] == assignment["b:c1"]


def test_claims_about_different_countries_do_not_join():
    claims = [claim("a:c1", 3, "Police", doc="a", locations=["Valencia", "Spain"]),
              claim("b:c1", 3, "Ministry", doc="b", locations=["Lusaka"])]
    assignment, _ = figures_of(claims, docs("a", "b"), countries={"a": ["ES"], "b": ["ZM"]})
    assert assignment["a:c1"] != assignment["b:c1"]
    # the same country written as a city, a nationality and a name: one figure
    claims = [claim("a:c1", 3, "Police", doc="a", locations=["Madrid"]),
              claim("b:c1", 3, "Ministry", doc="b", locations=["Spanish"])]
    assignment, _ = figures_of(claims, docs("a", "b"))
    assert assignment["a:c1"] == assignment["b:c1"]


def test_countries_named_on_one_side_only_do_not_veto():
    claims = [claim("a:c1", 12, "X", doc="a", locations=["Kenya"]), claim("b:c1", 12, "Y", doc="b")]
    assignment, _ = figures_of(claims, docs("a", "b"))
    assert assignment["a:c1"] == assignment["b:c1"]


def test_undated_articles_join_dated_ones_only_within_a_short_run():
    claims = [claim("a:c1", 300, "X", doc="a"), claim("u:c1", 300, "Y", doc="u")]
    one_week = docs("a") + docs("u", published=None)
    assignment, _ = figures_of(claims, one_week)
    assert assignment["a:c1"] == assignment["u:c1"]
    # a run spanning two years: the undated article's claim cannot be placed, and stays apart
    claims.append(claim("b:c1", 300, "Z", doc="b"))
    two_years = one_week + docs("b", published=DAY + dt.timedelta(days=400))
    assignment, _ = figures_of(claims, two_years)
    assert assignment["u:c1"] not in (assignment["a:c1"], assignment["b:c1"])
    assert assignment["a:c1"] != assignment["b:c1"]


def test_undated_articles_of_a_long_run_join_each_other():
    claims = [claim("u:c1", 300, "X", doc="u"), claim("v:c1", 310, "Y", doc="v"), claim("a:c1", 300, "Z", doc="a")]
    documents = docs("u", "v", published=None) + docs("a") + docs("b", published=DAY + dt.timedelta(days=400))
    assignment, _ = figures_of(claims, documents)
    assert assignment["u:c1"] == assignment["v:c1"] != assignment["a:c1"]


def test_an_unknown_bound_stays_null_in_the_figures_table():
    claims = [claim("a:c1", None, "X", doc="a", low=None, high=50, qualifier="fewer than"),
              claim("b:c1", None, "Y", doc="b", low=None, high=40, qualifier="under")]
    _, figures = figures_of(claims, docs("a", "b"))
    assert len(figures) == 1 and figures[0]["min_low"] is None and figures[0]["max_high"] == 50


def test_grouping_many_claims_is_blocked_not_quadratic(monkeypatch):
    """10,000 claims of 100 distinct facts: each claim is checked against a handful of
    figures, not all of them (the count is what is asserted, not a time)."""
    from newsie.crossdoc import figures as figures_module

    calls = []
    real = figures_module.same_fact
    monkeypatch.setattr(figures_module, "same_fact", lambda a, b, s: calls.append(1) or real(a, b, s))
    claims = [claim(f"d{i}:c{i % 10}", 10 * 1.5 ** (i % 100), f"S{i % 7}", doc=f"d{i}", event="killed")
              for i in range(10_000)]
    assignment, figures = figures_of(claims, docs(*{c["doc_id"] for c in claims}))
    assert len(set(assignment.values())) <= 100
    assert len(calls) < 10_000 * 20


# --- duplicates on hand-made documents ----------------------------------------------------------

ORIGINAL = ("Floods killed 120 people in the northern province on Monday, officials said. "
            "Rescue teams were searching for 45 missing villagers near the river. "
            "The government sent 3,000 tents and food for 10,000 families. "
            "Rain is expected to continue until Friday, forecasters warned.")
REWRITE = ("On Monday, flooding in the northern province left 120 people dead, according to officials. "
           "Rescuers continued looking for 45 villagers who went missing by the river. "
           "Authorities dispatched 3,000 tents along with food supplies for 10,000 families. "
           "Forecasters cautioned that the rain would keep falling through Friday.")
OTHER = ("A new vaccine trial enrolled 2,400 volunteers across six countries this spring. "
         "Researchers will report results in about 18 months, the company said. "
         "The study is funded by a consortium of public health agencies and charities.")


def documents_for_duplicates(published_rewrite=DAY):
    return [{"doc_id": "wire", "published": DAY, "outlet": "Reuters", "text": ORIGINAL, "status": "ok"},
            {"doc_id": "blog", "published": published_rewrite, "outlet": "Blog", "text": REWRITE, "status": "ok"},
            {"doc_id": "science", "published": DAY, "outlet": None, "text": OTHER, "status": "ok"}]


def test_reworded_copy_points_to_the_original():
    duplicate_of, scores = find_duplicates(documents_for_duplicates(), SETTINGS.duplicates)
    assert duplicate_of == {"blog": "wire"}
    best = max(scores, key=lambda p: p.score)
    assert (best.copy, best.original) == ("blog", "wire") and best.score >= SETTINGS.duplicates.threshold


def test_earlier_publication_is_the_original():
    documents = documents_for_duplicates()
    documents[0]["published"] = DAY + dt.timedelta(days=1)  # the wire story now comes later
    duplicate_of, _ = find_duplicates(documents, SETTINGS.duplicates)
    assert duplicate_of == {"wire": "blog"}


def test_documents_far_apart_in_time_are_not_compared():
    duplicate_of, _ = find_duplicates(documents_for_duplicates(DAY + dt.timedelta(days=90)), SETTINGS.duplicates)
    assert duplicate_of == {}


def test_candidate_pairs_come_from_shared_facts_not_from_all_pairs():
    import random

    from newsie.crossdoc.duplicates import DocumentIndex, candidate_pairs
    from newsie.crossdoc.signatures import fact_features, minhash

    rng = random.Random(7)
    towns = [f"Town{chr(65 + i)}{chr(97 + j)}" for i in range(20) for j in range(20)]
    texts = [" ".join(f"officials in {rng.choice(towns)} counted {rng.randint(10, 99_999):,} people."
                      for _ in range(12)) for _ in range(300)]
    texts += [ORIGINAL, REWRITE]
    index = DocumentIndex([f"d{i}" for i in range(len(texts))], [DAY] * len(texts),
                          __import__("numpy").array([minhash(fact_features(t)) for t in texts]))
    pairs = candidate_pairs(index, SETTINGS.duplicates)
    assert (300, 301) in pairs
    assert len(pairs) < 300  # of 45,451 pairs


def test_numbers_in_common_without_a_sentence_in_common_are_not_a_rewrite():
    from newsie.crossdoc.duplicates import document_features, pair_features

    short = document_features({"doc_id": "a", "text": "Turnout reached 61 percent and 4,200 ballots were cast in the county."})
    long_ = document_features({"doc_id": "b", "text": "The bridge reopened after repairs costing 61 percent more than planned. "
                                                       "Crews of 4,200 workers finished the job on Friday, engineers reported."})
    assert pair_features(short, long_, 0.5) == (0.0, 0.0)
    # with a sentence in common, two shared numbers count as two of at least five
    copy = document_features({"doc_id": "c", "text": "Turnout reached 61 percent and 4,200 ballots were cast in the county."})
    sentences, numbers = pair_features(short, copy, 0.5)
    assert sentences == 1.0 and numbers == 2 / 5


def test_candidates_far_below_the_threshold_by_static_vectors_are_not_embedded(monkeypatch):
    from newsie.crossdoc import duplicates

    a = {"doc_id": "a", "published": DAY, "outlet": None, "status": "ok",
         "text": "Election officials in Lima opened 1,200 polling stations before dawn. Turnout in Cusco reached "
                 "78 percent, and Arequipa reported 3,450 spoiled ballots. Puno counted 910 observers and 66 complaints."}
    b = {"doc_id": "b", "published": DAY, "outlet": None, "status": "ok",
         "text": "A touring exhibition of 1,200 textiles travels from Lima to Cusco this winter. Its curators spent "
                 "78 months restoring them, and Arequipa lent 3,450 photographs. Puno adds 910 masks and 66 drums."}
    monkeypatch.setattr(duplicates, "embed", lambda *_a, **_k: (_ for _ in ()).throw(AssertionError("embedded")))
    duplicate_of, scores = find_duplicates([a, b], SETTINGS.duplicates)
    assert duplicate_of == {} and len(scores) == 1  # a candidate pair, scored by the screen alone
    # the rewrite pair does reach MiniLM
    monkeypatch.undo()
    assert find_duplicates(documents_for_duplicates(), SETTINGS.duplicates)[0] == {"blog": "wire"}


@pytest.mark.transformers
def test_the_numpy_encoder_gives_transformers_minilm_vectors():
    import numpy as np
    import torch
    from transformers import AutoModel, AutoTokenizer

    from newsie.crossdoc.duplicates import MAX_WORDPIECES, embed
    from newsie.crossdoc.sentence_encoder import encode, load_encoder, model_folder

    sentences = ["Floods killed 120 people in the northern province on Monday, officials said.",
                 "Rescuers searched for 45 villagers.", " ".join(["A very long sentence"] * 40)]
    tokenizer, model = AutoTokenizer.from_pretrained(model_folder()), AutoModel.from_pretrained(model_folder()).eval()
    batch = tokenizer(sentences, padding=True, truncation=True, max_length=MAX_WORDPIECES, return_tensors="pt")
    with torch.inference_mode():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).float()
    expected = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=1).numpy()
    assert np.abs(embed(sentences) - expected).max() < 1e-4
    # float32 throughout, as in transformers: one float64 step made every later product float64
    assert encode(load_encoder(MAX_WORDPIECES), sentences).dtype == np.float32


def test_a_run_written_before_signatures_existed_finalizes_the_same(finalized, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(finalized, copy)
    shutil.rmtree(copy / "_signatures")
    (copy / "_signatures").mkdir()
    finalize(copy)
    for name in ("documents", "claims", "figures", "attributions"):
        pd.testing.assert_frame_equal(pd.read_parquet(copy / name).astype(str), pd.read_parquet(finalized / name).astype(str))


def test_alignment_helpers():
    assert lcs_length(list("120 45 3000".split()), list("120 3000 45".split())) == 2
    import numpy as np
    assert aligned_in_order(np.array([[1, 0], [0, 1]], dtype=bool)) == 2
    assert aligned_in_order(np.array([[0, 1], [1, 0]], dtype=bool)) == 1


# --- finalize on the real seed run --------------------------------------------------------------

@pytest.fixture(scope="module")
def finalized(seed_run):
    return seed_run  # `newsie run` already called finalize


def _tables(out):
    return {name: pd.read_parquet(out / name) for name in ("documents", "mentions", "attributions", "claims", "figures")}


def test_seed_nis_variants_share_one_canonical_name(finalized):
    tables = _tables(finalized)
    attributions, mentions = tables["attributions"], tables["mentions"]
    nis_sources = attributions[attributions.source_text.str.contains("NIS|National Intelligence|spy agency|intelligence services", na=False)
                               & ~attributions.source_text.str.contains("U.S.", na=False)]
    assert set(nis_sources.source_canonical) == {"National Intelligence Service"}
    nis_mentions = mentions[mentions.text.str.contains("NIS|National Intelligence Service", na=False)]
    assert set(nis_mentions.canonical) == {"National Intelligence Service"}
    zelenskyy = mentions[mentions.text.str.contains("Zelensk", na=False)]
    assert set(zelenskyy.canonical) == {"Volodymyr Zelenskyy"}


def test_seed_300_killed_share_a_figure(finalized):
    claims = _tables(finalized)["claims"]
    killed = claims[(claims.event_type == "killed") & (claims.value == 300)]
    assert set(killed.doc_id) == {"ap-nk-additional-troops", "uslive-nk-troops"}
    assert killed.figure_id.nunique() == 1 and killed.figure_id.notna().all()


def test_seed_uslive_is_the_only_duplicate(finalized):
    documents = _tables(finalized)["documents"]
    copies = documents[documents.duplicate_of.notna()]
    assert dict(zip(copies.doc_id, copies.duplicate_of)) == {"uslive-nk-troops": "ap-nk-additional-troops"}


def test_seed_zelenskyy_and_us_casualties_are_one_disputed_figure(finalized):
    tables = _tables(finalized)
    claims, figures = tables["claims"], tables["figures"]
    casualties = claims[(claims.event_type == "casualties") & claims.value.isin([4000, 1200])]
    assert casualties.figure_id.nunique() == 1
    figure = figures.set_index("figure_id").loc[casualties.figure_id.iloc[0]]
    assert figure.disputed and figure.min_low == 1200 and figure.max_high == 4000
    sources = {s["source"] for s in figure.sources}
    assert {"Volodymyr Zelenskyy", "U.S. government"} <= sources


def test_every_claim_has_a_figure_and_figures_are_sorted_disputed_first(finalized):
    tables = _tables(finalized)
    assert tables["claims"].figure_id.notna().all()
    assert set(tables["claims"].figure_id) == set(tables["figures"].figure_id)
    assert pq.read_schema(finalized / "figures" / "part-00000.parquet").equals(FIGURES, check_metadata=False)


def test_finalize_is_idempotent_and_leaves_no_temp_files(finalized, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(finalized, copy)
    before = _tables(copy)
    finalize(copy)
    after = _tables(copy)
    for name in before:
        pd.testing.assert_frame_equal(before[name], after[name], check_like=False)
    assert not list(copy.rglob(".*.tmp"))


def test_sentence_vectors_are_cached_for_reruns(tmp_path, monkeypatch):
    from newsie.crossdoc import duplicates

    first = find_duplicates(documents_for_duplicates(), SETTINGS.duplicates, cache_dir=tmp_path)
    # the wire story and its rewrite are the only candidate pair: the third text is not embedded
    assert len(list(tmp_path.glob("*.npy"))) == 2

    def no_embedding(_sentences, batch_size=32):
        raise AssertionError("a cached text was embedded again")

    monkeypatch.setattr(duplicates, "embed", no_embedding)
    assert find_duplicates(documents_for_duplicates(), SETTINGS.duplicates, cache_dir=tmp_path) == first
    (next(tmp_path.glob("*.npy"))).write_bytes(b"damaged")
    monkeypatch.undo()
    assert find_duplicates(documents_for_duplicates(), SETTINGS.duplicates, cache_dir=tmp_path) == first


# --- settings: configs/crossdoc.cfg through confection, and `newsie run --crossdoc-config` -------

SHIPPED = (CONFIGS / "crossdoc.cfg").read_text(encoding="utf-8")
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_shipped_settings_are_typed():
    figures, duplicates = SETTINGS.figures, SETTINGS.duplicates
    assert figures.dispute_tolerance == 0.10 and figures.max_ratio == 5.0
    assert type(figures.undated_window_days) is int and figures.undated_window_days == 14
    assert figures.places_must_match is False
    assert figures.increment_words == frozenset({"more", "additional", "extra", "further", "fresh", "new"})
    assert figures.increment_nouns == frozenset({"installment", "instalment", "tranche", "batch"})
    assert figures.counted_classes["soldier"] == "troops" and figures.counted_classes["building"] == "homes"
    assert len(figures.counted_classes) == 32 and figures.counted_classes["crude"] == "oil"
    assert (figures.same_moment_days, figures.growth_days, figures.event_gap_days) == (2, 2, 30)
    assert figures.event_words["quake"] == "earthquake" and figures.generic_classes == frozenset({"people", "deaths"})
    assert (duplicates.max_days_apart, duplicates.sentence_similarity, duplicates.threshold) == (7, 0.70, 0.45)
    assert {"associated press", "ap", "reuters", "agence france-presse", "pa media"} <= duplicates.wire_outlets
    assert len(duplicates.wire_outlets) == 14
    assert {"officials", "estimates", "assessments"} <= SETTINGS.government_words
    assert SETTINGS.alias_file == CONFIGS / "aliases.tsv"


def test_the_config_file_is_confection_and_holds_every_setting():
    config = Config().from_disk(DEFAULT_CONFIG)
    assert DEFAULT_CONFIG == CONFIGS / "crossdoc.cfg"
    assert set(config) == {"figures", "events", "units", "counted", "sources", "duplicates"}
    assert set(config["figures"]) == {f.name for f in fields(FigureSettings)} - {"counted_classes", "event_words", "units",
                                                                                 "event_gap_days"}
    assert "event_gap_days" in config["events"]
    assert set(config["duplicates"]) == {f.name for f in fields(DuplicateSettings)}
    assert set(config["sources"]) == {"government_words"}
    assert config["figures"]["places_must_match"] is False and isinstance(config["duplicates"]["wire_outlets"], list)


def test_the_dataclasses_hold_no_defaults():
    for cls in (FigureSettings, DuplicateSettings, Settings):
        for f in fields(cls):
            assert f.default is MISSING and f.default_factory is MISSING, f"{cls.__name__}.{f.name}"


def test_settings_from_a_config_string():
    text = SHIPPED.replace("dispute_tolerance = 0.10", "dispute_tolerance = 0.25").replace(
        "places_must_match = false", "places_must_match = true")
    settings = settings_from_config(Config().from_str(text))
    assert settings.figures.dispute_tolerance == 0.25 and settings.figures.places_must_match is True
    assert settings.duplicates == SETTINGS.duplicates


@pytest.mark.parametrize("old, new, fragment", [
    ("max_ratio = 5.0", 'max_ratio = "five"', "max_ratio must be a number"),
    ("undated_window_days = 14", "undated_window_days = 14.5", "undated_window_days must be a whole number"),
    ("places_must_match = false", "places_must_match = 1", "places_must_match must be true or false"),
    ('increment_words = ["more", "additional", "extra", "further", "fresh", "new"]',
     "increment_words = more additional extra", "increment_words must be a list of strings"),
    ("threshold = 0.45\n", "", "[duplicates] is missing threshold"),
    ("threshold = 0.45", "threshold = 0.45\nthreshhold = 0.5", "unknown setting 'threshhold'"),
    ("[sources]", "[source]", "unknown section [source]"),
    ('casualties = ["casualty", "victim"]', "casualties = casualty victim", "[counted] casualties must be a list"),
    ("[figures]", "[figures", "not a valid config file"),
])
def test_a_bad_config_names_what_is_wrong(tmp_path, old, new, fragment):
    assert old in SHIPPED
    path = tmp_path / "crossdoc.cfg"
    path.write_text(SHIPPED.replace(old, new), encoding="utf-8")
    with pytest.raises(CrossdocConfigError) as error:
        load_settings(path)
    assert fragment in str(error.value) and "\n" not in str(error.value)


class _NoWorkEngine:
    """Stands in for the NLP engine: processes nothing, so the run goes straight to finalize."""

    def pipeline_version(self):
        return "test"

    def map_chunks(self, chunks, version):
        return iter(())

    def close(self):
        pass


def _run_recording_settings(monkeypatch, tmp_path, *extra):
    from typer.testing import CliRunner

    from newsie.cli import app

    seen = []
    monkeypatch.setattr("newsie.engine.runner.make_engine", lambda *a, **k: _NoWorkEngine())
    monkeypatch.setattr("newsie.crossdoc.finalize", lambda out, settings=None, **k: seen.append(settings))
    corpus = CORPUS
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out"), *extra])
    return result, seen


def test_crossdoc_config_flag_reaches_the_cross_document_step(monkeypatch, tmp_path):
    path = tmp_path / "mine.cfg"
    path.write_text(SHIPPED.replace("max_days_apart = 7", "max_days_apart = 30"), encoding="utf-8")
    result, seen = _run_recording_settings(monkeypatch, tmp_path, "--crossdoc-config", str(path))
    assert result.exit_code == 0, result.output
    assert len(seen) == 1 and seen[0].duplicates.max_days_apart == 30
    assert seen[0].figures == SETTINGS.figures


def test_without_the_flag_the_shipped_config_is_used(monkeypatch, tmp_path):
    result, seen = _run_recording_settings(monkeypatch, tmp_path)
    assert result.exit_code == 0, result.output
    assert seen == [SETTINGS]


@pytest.mark.parametrize("content", [None, "[figures]\nmax_ratio = 5.0\n"])
def test_a_bad_crossdoc_config_stops_the_run_before_any_work(monkeypatch, tmp_path, content):
    from typer.testing import CliRunner

    from newsie.cli import app

    def refuse(*_a, **_k):
        raise AssertionError("the pipeline was loaded")

    monkeypatch.setattr("newsie.engine.runner.make_engine", refuse)
    path = tmp_path / "crossdoc.cfg"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    corpus = CORPUS
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out"), "--crossdoc-config", str(path)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --crossdoc-config") and str(path) in lines[0], result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_the_saved_gazetteer_is_what_geonames_gives(tmp_path):
    from newsie.crossdoc.places import PLACES_FILE, write_places_file

    fresh = tmp_path / "places.tsv"
    write_places_file(fresh)
    assert fresh.read_text(encoding="utf-8") == PLACES_FILE.read_text(encoding="utf-8")


# --- a fact over time: one figure per fact, updates told apart from disputes --------------------
# Sentences written for these tests: a flood in Peru reported over ten days.

FLOOD = "Floods hit Peru on Saturday. The flood killed many people in Peru, officials said."


def flood_docs(*days):
    return [{"doc_id": f"d{day}", "published": DAY + dt.timedelta(days=day), "outlet": f"Outlet {day}",
             "text": FLOOD} for day in days]


def flood_claim(day, value, source, n=1, **extra):
    return claim(f"d{day}:c{n}", value, source, doc=f"d{day}", **{"counted": "people", "locations": ["Peru"], **extra})


def test_a_toll_rising_over_days_is_one_updated_figure():
    claims = [flood_claim(0, 70, "Interior Ministry"), flood_claim(3, 400, "Red Cross"),
              flood_claim(9, 900, "Interior Ministry")]
    assignment, figures = figures_of(claims, flood_docs(0, 3, 9))
    assert len(set(assignment.values())) == 1
    figure = figures[0]
    assert figure["updated"] and not figure["disputed"]
    assert [s["superseded"] for s in figure["sources"]] == [True, False, False]
    assert (figure["latest_low"], figure["latest_high"]) == (400, 900)
    assert figure["place"] == "Peru"


def test_two_sources_apart_on_the_same_day_dispute_a_fact():
    claims = [flood_claim(0, 300, "Interior Ministry"), flood_claim(1, 520, "Red Cross")]
    _, figures = figures_of(claims, flood_docs(0, 1))
    assert len(figures) == 1 and figures[0]["disputed"] and not figures[0]["updated"]


def test_a_source_revising_its_own_figure_is_an_update_not_a_dispute():
    claims = [flood_claim(0, 300, "Interior Ministry"), flood_claim(3, 500, "Interior Ministry"),
              flood_claim(4, 520, "Red Cross")]
    _, figures = figures_of(claims, flood_docs(0, 3, 4))
    assert len(figures) == 1 and figures[0]["updated"] and not figures[0]["disputed"]
    # the Red Cross a day after the ministry's first count: they disagreed at that moment
    claims[2] = flood_claim(1, 520, "Red Cross")
    _, figures = figures_of(claims, flood_docs(0, 1, 3))
    assert figures[0]["updated"] and figures[0]["disputed"]


def test_an_official_revision_supersedes_every_earlier_value():
    documents = flood_docs(0, 1, 3)
    documents[2]["text"] = "The ministry raised the toll to 800 on Tuesday after the flood in Peru."
    revised = flood_claim(3, 800, "Interior Ministry", quantity_start=documents[2]["text"].index("800"),
                          quantity_end=documents[2]["text"].index("800") + 3, sentence_start=0)
    claims = [flood_claim(0, 300, "Red Cross"), flood_claim(1, 520, "Mayor"), revised]
    _, figures = figures_of(claims, documents)
    assert [s["superseded"] for s in figures[0]["sources"]] == [True, True, False]
    assert (figures[0]["latest_low"], figures[0]["latest_high"]) == (800, 800)
    assert figures[0]["disputed"]  # the Red Cross and the mayor disagreed on days 0 and 1: the revision came later


def test_a_denied_figure_stays_in_the_timeline_without_a_value():
    claims = [flood_claim(0, 300, "Interior Ministry"), flood_claim(1, 2000, "Aid group", negated=True)]
    assignment, figures = figures_of(claims, flood_docs(0, 1))
    assert len(set(assignment.values())) == 1
    figure = figures[0]
    assert (figure["min_low"], figure["max_high"]) == (300, 300) and not figure["disputed"]
    assert [s["negated"] for s in figure["sources"]] == [False, True]


def test_a_place_written_on_the_figure_is_another_fact():
    documents = flood_docs(0, 1)
    documents[1]["text"] = "The flood killed 60 people in Cusco, officials said."
    city = flood_claim(1, 60, "Police", locations=["Cusco", "Peru"], quantity_start=documents[1]["text"].index("60"),
                       quantity_end=documents[1]["text"].index("60") + 2, sentence_start=0,
                       sentence_end=len(documents[1]["text"]))
    assignment, figures = figures_of([flood_claim(0, 70, "Interior Ministry"), city], documents)
    assert assignment["d0:c1"] != assignment["d1:c1"]
    assert {f["place"] for f in figures} == {"Peru", "Cusco, Peru"}  # a place inside a country, with it


def test_a_second_event_of_the_same_kind_is_another_fact():
    """Articles on a flood that began 16 days after the first: their onset days differ."""
    documents = flood_docs(0, 16)
    first, second = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=15)
    claims = [flood_claim(0, 70, "Interior Ministry"), flood_claim(16, 60, "Interior Ministry")]
    days = {"d0": [(21, 29, first)], "d16": [(21, 29, second)]}  # "on Saturday" before "The flood"
    from newsie.crossdoc.figures import claim_facts, figures_from_facts

    facts = claim_facts(claims, {d["doc_id"]: d["text"] for d in documents},
                        {d["doc_id"]: d["published"] for d in documents}, {}, SETTINGS.figures, days=days)
    assert [f.onset for f in facts] == [None, None]  # "on Saturday" ends a sentence: no onset written
    text = "The flood that hit Peru on Saturday killed many."
    at = text.index("Saturday")
    days = {"d0": [(at, at + 8, first)], "d16": [(at, at + 8, second)]}
    facts = claim_facts(claims, {"d0": text, "d16": text}, {d["doc_id"]: d["published"] for d in documents}, {},
                        SETTINGS.figures, days=days)
    assert [f.onset for f in facts] == [first, second]
    assignment, _ = figures_from_facts(facts, SETTINGS.figures)
    assert assignment["d0:c1"] != assignment["d16:c1"]


def test_one_event_joins_across_weeks_but_a_counting_period_sets_facts_apart():
    claims = [flood_claim(0, 70, "Interior Ministry"), flood_claim(20, 90, "Interior Ministry")]
    assignment, _ = figures_of(claims, flood_docs(0, 20))
    assert assignment["d0:c1"] == assignment["d20:c1"]  # 20 days apart, one flood (the window is 14)
    claims = [flood_claim(0, 70, "X", time_start=dt.date(2024, 1, 1), time_end=dt.date(2024, 12, 31)),
              flood_claim(20, 90, "X", time_start=dt.date(2025, 1, 1), time_end=dt.date(2025, 12, 31))]
    assignment, _ = figures_of(claims, flood_docs(0, 20))
    assert assignment["d0:c1"] != assignment["d20:c1"]  # "deaths in 2024" vs "in 2025"


def test_more_than_is_a_bound_not_an_increment():
    claims = [flood_claim(0, None, "X", low=700, high=None, qualifier="more than", quantity_text="more than 700"),
              flood_claim(1, 800, "Y")]
    assignment, _ = figures_of(claims, flood_docs(0, 1))
    assert assignment["d0:c1"] == assignment["d1:c1"]


@pytest.mark.parametrize("text, figure, increment", [
    ("The cost of the clean-up has increased by more than $2bn since June.", "more than $2bn", True),
    ("The toll rose by 40 overnight.", "40", True),
    ("The toll rose to 40 overnight.", "40", False),
    ("Officials said 40 people died.", "40", False),
])
def test_a_change_by_an_amount_is_an_increment(text, figure, increment):
    from newsie.crossdoc.figures import is_increment

    start = text.index(figure)
    row = {"quantity_text": figure, "quantity_start": start, "sentence_start": 0}
    assert is_increment(row, SETTINGS.figures.increment_words, text) is increment


def test_a_vague_amount_joins_its_fact_without_setting_its_range():
    claims = [flood_claim(0, None, "Police", low=100, high=1000, quantity_text="hundreds of"),
              flood_claim(1, 4000, "Red Cross")]
    assignment, figures = figures_of(claims, flood_docs(0, 1))
    assert assignment["d0:c1"] == assignment["d1:c1"]
    assert (figures[0]["min_low"], figures[0]["max_high"]) == (4000, 4000) and not figures[0]["disputed"]


def test_measures_of_one_dimension_meet_in_their_base_unit():
    """93,000 barrels a day and 3.9 million gallons a day are one flow (1 barrel = 42 gallons)."""
    barrels = flood_claim(0, 93_000, "Panel", event="other", counted=None, unit="barrel per day")
    gallons = flood_claim(1, 3_900_000, "Engineer", event="other", counted=None, unit="gallon per day")
    tons = flood_claim(1, 93_000, "Engineer", n=2, event="other", counted=None, unit="tonne per day")
    assignment, figures = figures_of([barrels, gallons, tons], flood_docs(0, 1))
    assert assignment["d0:c1"] == assignment["d1:c1"] != assignment["d1:c2"]
    flow = next(f for f in figures if f["n_claims"] == 2)
    assert flow["unit"] in ("barrel per day", "gallon per day") and not flow["disputed"]
    assert round(flow["max_high"] / flow["min_low"], 2) == round(3_900_000 / 42 / 93_000, 2)


def test_a_unit_in_the_config_must_be_a_base_and_a_factor():
    from newsie.crossdoc.settings import CrossdocConfigError

    with pytest.raises(CrossdocConfigError, match=r"\[units\] gallon must be"):
        settings_from_config(Config().from_str(SHIPPED.replace('gallon = ["litre", 3.785411784]', 'gallon = ["litre"]')))


def test_seed_troops_of_autumn_2024_are_one_disputed_figure(finalized):
    """10,000 and 12,000 North Korean troops sent to Russia, given by different sources at
    the same time: one fact, disputed, whatever place the sentences name."""
    tables = _tables(finalized)
    claims, figures = tables["claims"], tables["figures"].set_index("figure_id")
    troops = claims[(claims.event_type == "deployed") & (claims.low.isin([10_000, 12_000]) | claims.value.isin([10_000, 12_000]))]
    figure = figures.loc[troops.figure_id.mode().iloc[0]]
    assert figure.disputed and figure.min_low == 10_000 and figure.max_high == 12_000
    assert troops.figure_id.value_counts().iloc[0] >= 6


# --- where a fact is counted, what a dispute reads (sentences written for these tests) -----------

def _row_at(text, figure, **extra):
    start = text.index(figure)
    return {"quantity_start": start, "quantity_end": start + len(figure), "sentence_start": 0,
            "sentence_end": len(text), "locations": [], **extra}


@pytest.mark.parametrize("text, figure, place", [
    ("At least 90 people were reported killed in Cusco alone, radio stations said.", "At least 90", "Cusco"),
    ("The storm left 12 dead in the Chilean region of Arica on Monday.", "12", "Chilean"),
    ("The storm left 12 dead in the Andean nation, officials said.", "12", None),
    ("Floods killed 40 people, who were buried in Lima cemeteries.", "40", None),
    ("Worst hit was Cusco, where 61 people died.", "61", "Cusco"),                     # a place before it
    ("The Arequipa province recorded 44 deaths, officials said.", "44", "Arequipa"),
    ("Reuters reported 44 deaths on Monday.", "44", None),                            # a name, no place noun
    ("Peru recorded 44 deaths on Monday.", "44", None),                               # a country: a source
])
def test_the_place_written_on_a_figure(text, figure, place):
    from newsie.crossdoc.figures import own_place

    located = ["Cusco"] if "Cusco," in text else []  # the tagger's location of the sentence
    assert own_place(_row_at(text, figure, locations=located), text) == place


def test_a_country_that_gives_its_own_count_is_where_it_is_counted():
    from newsie.crossdoc.figures import source_country

    assert source_country({"source_text": "Chile"}) == "Chile"
    assert source_country({"source_text": "Chilean officials"}) is None
    assert source_country({"source_text": "the Red Cross"}) is None
    documents = flood_docs(0, 1)
    documents[1]["text"] = "Chile reported 30 deaths, while Peru's toll rose."
    own = flood_claim(1, 30, "Chile", source_text="Chile", locations=["Chile", "Peru"])
    written = flood_claim(0, 30, "Outlet 0", n=2, locations=["Chile"])
    documents[0]["text"] = "The flood killed 30 in Chile, officials said. " + FLOOD
    written.update(quantity_start=documents[0]["text"].index("30"), quantity_end=documents[0]["text"].index("30") + 2,
                   sentence_start=0, sentence_end=44)
    peru = flood_claim(0, 32, "Interior Ministry")
    assignment, _ = figures_of([peru, written, own], documents)
    assert assignment["d1:c1"] == assignment["d0:c2"] != assignment["d0:c1"]


def test_the_countries_a_sentence_names_come_from_its_place_mentions():
    from newsie.crossdoc.figures import sentence_countries

    spans = [(5, "Peru"), (60, "Chile"), (200, "Bolivia")]
    assert sentence_countries({"sentence_start": 0, "sentence_end": 100}, spans) == {"PE", "CL"}
    assert sentence_countries({"sentence_start": None, "sentence_end": None}, spans) == frozenset()


def test_the_country_of_the_event_is_the_one_named_by_its_event_words():
    from newsie.crossdoc.figures import event_country, main_country

    text = ("A flood hit Peru on Sunday. Chile sent aid. Chile's president spoke. Chilean rescuers left. "
            "Chile is ready, Chilean officials said.")
    places = ["Peru", "Chile", "Chilean"]
    assert main_country(places, text) == "CL"
    assert event_country(places, text, SETTINGS.figures.event_words) == "PE"
    assert event_country(places, "Chile sent aid to Peru.", SETTINGS.figures.event_words) is None


@pytest.mark.parametrize("text, figure, counted, cls", [
    ("Officials said 13 aftershocks shook the region.", "13", "aftershocks", "aftershock"),
    ("The toll in the second earthquake rose to 45, police said.", "45", "earthquake", None),
])
def test_an_event_word_taken_for_the_counted_noun_counts_nothing(text, figure, counted, cls):
    from newsie.crossdoc.figures import claim_facts

    row = {"claim_id": "d0:c1", "doc_id": "d0", "event_type": "killed", "value": 45, "low": 45, "high": 45,
           "counted": counted, **_row_at(text, figure)}
    facts = claim_facts([row], {"d0": text}, {"d0": DAY}, {}, SETTINGS.figures)
    assert facts[0].counted_class == cls


def test_an_open_bound_is_its_value_in_a_dispute():
    """'At least 61' and 72 on the same day from two sources: they disagree by 18%."""
    claims = [flood_claim(0, None, "Police", low=61, high=None, quantity_text="at least 61", qualifier="at least"),
              flood_claim(1, 72, "Red Cross")]
    _, figures = figures_of(claims, flood_docs(0, 1))
    assert len(figures) == 1 and figures[0]["disputed"]
    claims[1] = flood_claim(1, 64, "Red Cross")
    _, figures = figures_of(claims, flood_docs(0, 1))
    assert not figures[0]["disputed"]


def test_a_projection_takes_no_part_in_a_dispute():
    documents = flood_docs(0, 1)
    documents[1]["text"] = "The minister said the toll could reach 2,000 in Peru."
    at = documents[1]["text"].index("2,000")
    projection = flood_claim(1, 2000, "Minister", hedged=True, quantity_start=at, quantity_end=at + 5,
                             sentence_start=0, sentence_end=len(documents[1]["text"]))
    _, figures = figures_of([flood_claim(0, 800, "Police"), projection], documents)
    assert len(figures) == 1 and not figures[0]["disputed"]
    documents[1]["text"] = "The minister said the toll was 2,000 in Peru."  # a hedged estimate, not a projection
    at = documents[1]["text"].index("2,000")
    projection.update(quantity_start=at, quantity_end=at + 5, sentence_end=len(documents[1]["text"]))
    _, figures = figures_of([flood_claim(0, 800, "Police"), projection], documents)
    assert len(figures) == 1 and figures[0]["disputed"]


@pytest.mark.parametrize("text, revision", [
    ("Police said the toll rose to 50 on Monday.", True),
    ("Police said the toll reached 50 on Monday.", False),
])
def test_a_revision_says_that_a_value_changed(text, revision):
    from newsie.crossdoc.figures import is_revision

    assert is_revision(_row_at(text, "50"), text, SETTINGS.figures.revision_words) is revision


def test_estimates_of_one_flow_join_however_far_apart_they_are():
    """A spill's flow, written for this test: the operator's 2,000 barrels a day, an
    engineer's hedged 80,000 the same week, the operator's own range and its bound."""
    documents = flood_docs(0, 2, 3)
    for d in documents:
        d["text"] = "The oil spill off Peru goes on."
    first = flood_claim(0, 2_000, "Operator", event="other", counted=None, unit="barrel per day")
    engineer = flood_claim(2, 80_000, "Engineer", event="other", counted=None, unit="barrel per day", hedged=True)
    ranged = flood_claim(3, None, "Panel", event="other", counted=None, unit="barrel per day", hedged=True,
                         low=25_000, high=30_000)
    bound = flood_claim(3, 20_000, "Panel", n=2, event="other", counted=None, unit="barrel per day", hedged=True)
    assignment, figures = figures_of([first, engineer, ranged, bound], documents)
    assert len(set(assignment.values())) == 1 and figures[0]["disputed"]
    engineer["hedged"] = False  # two stated values 40 times apart are two facts
    assignment, _ = figures_of([first, engineer], documents)
    assert assignment["d0:c1"] != assignment["d2:c1"]
    far = flood_claim(2, 500_000, "Engineer", event="other", counted=None, unit="barrel per day", hedged=True)
    assignment, _ = figures_of([first, far], documents)  # beyond estimate_ratio
    assert assignment["d0:c1"] != assignment["d2:c1"]


def test_the_finer_event_of_other_sets_facts_apart():
    """"other" is many events: the oil a spill releases is not the oil crews recover, and a
    claim whose finer event nothing names may join either."""
    documents = flood_docs(0, 1, 2)
    for d in documents:
        d["text"] = "The oil spill off Peru goes on."
    leaked = flood_claim(0, 8_000, "Operator", event="other", counted=None, unit="barrel per day", event_detail="spilled")
    recovered = flood_claim(1, 3_000, "Operator", event="other", counted=None, unit="barrel per day",
                            event_detail="recovered")
    unnamed = flood_claim(2, 9_000, "Panel", event="other", counted=None, unit="barrel per day")
    assignment, _ = figures_of([leaked, recovered, unnamed], documents)
    assert assignment["d0:c1"] == assignment["d2:c1"] != assignment["d1:c1"]
    # a finer event of people makes a claim a count of people: "11 missing" meets "11 missing workers"
    missing = flood_claim(0, 11, "Coast Guard", event="other", counted=None, event_detail="missing")
    workers = flood_claim(1, 11, "Police", event="other", counted="workers", event_detail="missing")
    assignment, _ = figures_of([missing, workers], documents)
    assert assignment["d0:c1"] == assignment["d1:c1"]


def test_estimates_of_a_flow_are_found_across_value_buckets():
    """Blocking lists a hedged measure far enough that a value 60 times off meets it, from
    either side, with the figure's members in publication order."""
    documents = flood_docs(*range(6))
    for d in documents:
        d["text"] = "The oil spill off Peru goes on."
    claims = [flood_claim(0, 1_000, "A", event="other", counted=None, unit="barrel per day", hedged=True),
              flood_claim(1, 60_000, "B", event="other", counted=None, unit="barrel per day"),
              flood_claim(2, 70_000, "C", event="other", counted=None, unit="barrel per day", hedged=True),
              flood_claim(3, 1_200, "D", event="other", counted=None, unit="barrel per day")]
    assignment, _ = figures_of(claims, documents)
    assert assignment["d0:c1"] == assignment["d1:c1"] == assignment["d2:c1"]
    assert assignment["d3:c1"] != assignment["d1:c1"]  # stated, 50 times below a stated value


def test_what_a_measure_measures():
    from newsie.crossdoc.figures import measured_class

    assert measured_class("oil daily", "barrel per day", SETTINGS.figures) == "oil"
    assert measured_class("barrels", "barrel per day", SETTINGS.figures) is None
    assert measured_class("dispersant", "gallon", SETTINGS.figures) == "dispersant"
    assert measured_class("estimate", "barrel per day", SETTINGS.figures) is None  # how the value is given
    from newsie.crossdoc.figures import counted_class

    assert counted_class("figure", SETTINGS.figures.counted_classes) is None
    assert counted_class("soldiers", SETTINGS.figures.counted_classes) == "troops"


def test_a_toll_of_two_events_together_is_neither_events_toll():
    """Written for this test: a flood in Peru on day 0, a second one on day 10, and an
    article on day 20 that counts both together (its headline repeats the figure)."""
    first, second = DAY, DAY + dt.timedelta(days=10)
    body = ("Floods: toll reaches 950\n"
            "The toll of the March 1 flood and the March 11 flood in Peru has reached 950, officials said.")
    documents = flood_docs(0, 20)
    documents[0]["text"] = "The March 1 flood in Peru killed 700 people, officials said."
    documents[1]["text"] = body
    one = flood_claim(0, 700, "Interior Ministry", sentence_start=0, sentence_end=len(documents[0]["text"]))
    both = flood_claim(20, 950, "Interior Ministry", sentence_start=25, sentence_end=len(body))
    headline = flood_claim(20, 950, "Outlet 20", n=2, sentence_start=0, sentence_end=24)
    at = [body.index("March 1 "), body.index("March 11")]
    days = {"d0": [(4, 11, first)], "d20": [(at[0], at[0] + 7, first), (at[1], at[1] + 8, second)]}
    from newsie.crossdoc.figures import claim_facts, figures_from_facts

    facts = claim_facts([one, both, headline], {d["doc_id"]: d["text"] for d in documents},
                        {d["doc_id"]: d["published"] for d in documents}, {}, SETTINGS.figures, days=days)
    assert [sorted(f.combined) for f in facts] == [[], [first, second], [first, second]]
    assignment, _ = figures_from_facts(facts, SETTINGS.figures)
    assert assignment["d20:c1"] == assignment["d20:c2"] != assignment["d0:c1"]


def test_in_one_article_a_part_of_a_group_is_not_its_number():
    """Written for this test: '40 passengers were injured ... six of the injured passengers
    are in critical condition'; another outlet's six injured is the injured count again."""
    documents = flood_docs(0, 1)
    documents[0]["text"] = "Floods in Peru: 40 passengers were injured. Twelve of the injured passengers are critical."
    text = documents[0]["text"]
    whole = flood_claim(0, 40, "Police", event="wounded", counted="passengers",
                        quantity_start=text.index("40"), quantity_end=text.index("40") + 2)
    part = flood_claim(0, 12, "Hospital", n=2, event="wounded", counted="passengers",
                       quantity_start=text.index("Twelve"), quantity_end=text.index("Twelve") + 6)
    other = flood_claim(1, 12, "Radio", event="wounded", counted="passengers")
    assignment, _ = figures_of([whole, part, other], documents)
    assert assignment["d0:c1"] != assignment["d0:c2"] == assignment["d1:c1"]
    from newsie.crossdoc.figures import is_part

    assert is_part(part, text) and not is_part(whole, text)
    assert is_part({"quantity_end": 5}, "1,525 of whom were deployed")


def test_a_projection_replaces_no_count_and_is_no_latest_value():
    documents = flood_docs(0, 1, 2)
    documents[2]["text"] = "The minister said the toll could reach 2,000 in Peru."
    at = documents[2]["text"].index("2,000")
    projection = flood_claim(2, 2000, "Minister", hedged=True, quantity_start=at, quantity_end=at + 5,
                             sentence_start=0, sentence_end=len(documents[2]["text"]))
    claims = [flood_claim(0, 700, "Minister"), flood_claim(1, 760, "Police"), projection]
    _, figures = figures_of(claims, documents)
    figure = figures[0]
    assert len(figures) == 1 and [s["superseded"] for s in figure["sources"]] == [False, False, False]
    assert (figure["latest_low"], figure["latest_high"]) == (700, 760) and figure["max_high"] == 2000
    assert not figure["updated"]


def test_the_place_of_a_figure_reads_with_its_country():
    from newsie.crossdoc.figures import place_title

    assert place_title("Cusco", "PE") == "Cusco, Peru"
    assert place_title("Seoul", "PE") == "Seoul, South Korea"  # the gazetteer knows the city's country
    assert place_title("Chile", "PE") == "Chile"
    assert place_title(None, "PE") == "Peru" and place_title(None, None) is None
    assert place_title("Cusco", None) == "Cusco"


def test_sums_in_two_currencies_dispute_nothing():
    claims = [flood_claim(0, 3e9, "Outlet", event="funding", counted=None, unit="GBP"),
              flood_claim(1, 4.7e9, "Company", event="funding", counted=None, unit="USD")]
    _, figures = figures_of(claims, flood_docs(0, 1))
    assert len(figures) == 1 and not figures[0]["disputed"]
    claims[0]["unit"] = "USD"  # the same currency: 3 against 4.7 billion is a dispute
    _, figures = figures_of(claims, flood_docs(0, 1))
    assert len(figures) == 1 and figures[0]["disputed"]


def test_sums_join_whatever_noun_says_what_they_paid_for():
    """"$150 million in payments" and "$320m on claims" a month later are one running sum; counts
    keep to their nouns (payments made are not claims filed)."""
    documents = flood_docs(0, 30)
    paid = flood_claim(0, 150e6, "Acme Oil", event="other", counted="payments", unit="USD")
    later = flood_claim(30, 320e6, "Acme Oil", event="other", counted="claims", unit="USD")
    assignment, figures = figures_of([paid, later], documents)
    assert assignment["d0:c1"] == assignment["d30:c1"] and figures[0]["updated"]
    made = flood_claim(0, 47_000, "Acme Oil", event="other", counted="payments")
    filed = flood_claim(30, 95_000, "Acme Oil", event="other", counted="claims")
    assignment, _ = figures_of([made, filed], documents)
    assert assignment["d0:c1"] != assignment["d30:c1"]


def test_a_part_of_a_series_is_no_running_total():
    """"Acme paid the first $3bn installment" beside Acme's "$6bn" spent so far, the same day:
    an installment is no value of the running sum, so no dispute."""
    documents = flood_docs(0)
    spent = flood_claim(0, 6e9, "Acme Oil", event="other", counted=None, unit="USD")
    paid = flood_claim(0, 3e9, "The Daily", n=2, event="other", counted="installment", unit="USD")
    assignment, figures = figures_of([spent, paid], documents)
    assert assignment["d0:c1"] != assignment["d0:c2"] and not any(f["disputed"] for f in figures)


def test_a_spokesperson_speaks_for_the_body():
    from newsie.crossdoc.figures import affiliation, source_key

    text = "Jo Hale, a spokeswoman for refiner Acme Oil PLC, said 400 barrels leaked. Hale said more."
    row = {"source_text": "Jo Hale, a spokeswoman for refiner Acme Oil PLC,", "sentence_start": 0, "sentence_end": 75}
    assert affiliation(row, text) == "Acme Oil"
    text = "Acme Oil spokesman Li Wei said 400 barrels leaked."
    assert affiliation({"source_text": "Li Wei", "sentence_start": 0}, text) == "Acme Oil"
    text = "Ann Roe, an engineer at Delta University, said 9,000 barrels leaked."  # experts speak for themselves
    assert affiliation({"source_text": "Ann Roe", "sentence_start": 0}, text) is None
    assert source_key("Acme Oil PLC") == source_key("Acme Oil") and source_key("Scientists") == source_key("scientists")


def test_a_spokesperson_and_the_body_later_are_one_source():
    """The operator's spokesman gives 500 barrels a day; two days later the operator itself
    says 220: an update by one source, not a dispute."""
    documents = flood_docs(0, 2)
    documents[0]["text"] = "Jo Hale, a spokeswoman for Acme Oil Inc., said crews collect 500 barrels a day from the spill."
    documents[1]["text"] = "Acme Oil said crews collect 220 barrels a day from the spill."
    first = flood_claim(0, 500, "Jo Hale", event="other", counted=None, unit="barrel per day",
                        source_text="Jo Hale, a spokeswoman for Acme Oil Inc.,", sentence_start=0, sentence_end=95)
    second = flood_claim(2, 220, "Acme Oil", event="other", counted=None, unit="barrel per day", sentence_start=0)
    _, figures = figures_of([first, second], documents)
    assert len(figures) == 1 and figures[0]["updated"] and not figures[0]["disputed"]
    assert [s["source"] for s in figures[0]["sources"]] == ["Jo Hale", "Acme Oil"]  # as the articles name them


@pytest.mark.parametrize("text, figure, former", [
    ("The crews collected 900 barrels, down from the 1,500 barrels they reported earlier.", "1,500", True),
    ("Deaths rose to 80, up from 65 on Monday.", "65", True),
    ("The panel doubled the previous estimate of 1,000 barrels a day.", "1,000", True),
    ("The crews collected 900 barrels.", "900", False),
])
def test_a_value_written_as_replaced_is_former(text, figure, former):
    from newsie.crossdoc.figures import is_former

    assert is_former({"quantity_start": text.index(figure), "sentence_start": 0}, text) is former


def test_a_former_value_in_the_same_article_is_the_same_fact_replaced():
    documents = flood_docs(0)
    documents[0]["text"] = "Acme Oil said crews collected 900 barrels a day, down from the 1,500 barrels it said earlier."
    text = documents[0]["text"]
    now = flood_claim(0, 900, "Acme Oil", event="other", counted=None, unit="barrel per day",
                      quantity_start=text.index("900"), sentence_start=0)
    before = flood_claim(0, 1500, "Acme Oil", n=2, event="other", counted=None, unit="barrel per day",
                         quantity_start=text.index("1,500"), sentence_start=0)
    _, figures = figures_of([now, before], documents)
    assert len(figures) == 1 and [s["superseded"] for s in figures[0]["sources"]] == [False, True]
    assert (figures[0]["latest_low"], figures[0]["latest_high"]) == (900, 900) and not figures[0]["disputed"]
