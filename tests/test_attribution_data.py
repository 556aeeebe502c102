"""Conversion of PolNeAR-style JSONL and BRAT standoff into spaCy Docs keeps the gold offsets."""
import json

import spacy

from newsie.attribution.data import (
    ConversionReport, SPAN_KEYS, gold_links, jsonl_to_docbin, parse_brat, read_jsonl, record_to_doc,
)

TEXT = '"Taxes will rise by 3%," the minister said on Monday, adding that "nobody likes it."\n\nThe Post reports that sales fell.'


def _span(text, fragment, start_at=0):
    start = text.index(fragment, start_at)
    return [start, start + len(fragment)]


RECORD = {
    "id": "toy",
    "text": TEXT,
    "attributions": [
        {"source": [_span(TEXT, "the minister")], "cue": [_span(TEXT, "said")],
         "content": [_span(TEXT, "Taxes will rise by 3%")]},
        {"source": [_span(TEXT, "the minister")], "cue": [_span(TEXT, "adding")],
         "content": [_span(TEXT, '"nobody likes it."')]},
        {"source": [_span(TEXT, "The Post")], "cue": [_span(TEXT, "reports")],
         "content": [_span(TEXT, "that sales fell")]},
    ],
}


def test_offsets_survive_tokenization():
    nlp = spacy.blank("en")
    report = ConversionReport()
    doc = record_to_doc(nlp, RECORD, report)
    assert report.lost == 0 and report.expanded == 0
    for attribution, link in zip(RECORD["attributions"], gold_links(doc)):
        for role in ("source", "cue", "content"):
            assert [[s.start_char, s.end_char] for s in link[role]] == attribution[role]
    # the shared source is one gold span
    assert [s.text for s in doc.spans[SPAN_KEYS["source"]]] == ["the minister", "The Post"]


def test_mid_token_offsets_expand_and_are_counted():
    nlp = spacy.blank("en")
    record = {"text": "Officials said costs rose.", "attributions": [
        {"source": [[1, 9]], "cue": [[10, 14]], "content": [[15, 25]]}]}
    report = ConversionReport()
    doc = record_to_doc(nlp, record, report)
    assert doc.spans[SPAN_KEYS["source"]][0].text == "Officials"
    assert report.expanded == 1 and report.exact == 2 and report.lost == 0


def test_docbin_round_trip_keeps_links(tmp_path):
    nlp = spacy.blank("en")
    path = tmp_path / "toy.jsonl"
    path.write_text(json.dumps(RECORD) + "\n")
    report = jsonl_to_docbin(nlp, path, tmp_path / "toy.spacy")
    assert report.docs == 1
    from spacy.tokens import DocBin

    (doc,) = DocBin().from_disk(tmp_path / "toy.spacy").get_docs(nlp.vocab)
    assert [link["cue"][0].text for link in gold_links(doc)] == ["said", "adding", "reports"]
    assert list(read_jsonl(path))[0]["id"] == "toy"


def test_brat_events_and_relations():
    text = "The mayor said taxes rise and added that jobs grow."
    ann = "\n".join([
        "T1\tSource 0 9\tThe mayor",
        "T2\tCue 10 14\tsaid",
        "T3\tContent 15 26\ttaxes rise",
        "T4\tCue 31 36\tadded",
        "T5\tContent 37 50\tthat jobs grow",
        "E1\tAttribution:T2 Source:T1 Content:T3",
        "R1\tSource Arg1:T4 Arg2:T1",
        "R2\tContent Arg1:T4 Arg2:T5",
    ])
    record = parse_brat(text, ann, doc_id="toy")
    assert record["attributions"] == [
        {"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 26]]},
        {"source": [[0, 9]], "cue": [[31, 36]], "content": [[37, 50]]},
    ]


def test_brat_discontinuous_fragments():
    text = '"Up," he said, "and away."'
    ann = "T1\tContent 1 3;16 24\tUp and away\nT2\tSource 6 8\the\nT3\tCue 9 13\tsaid\nE1\tCue:T3 Source:T2 Content:T1\n"
    (attribution,) = parse_brat(text, ann)["attributions"]
    assert attribution["content"] == [[1, 3], [16, 24]]
