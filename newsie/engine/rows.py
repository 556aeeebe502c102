"""One processed Doc -> rows for every table (the only place that knows both spaCy and the schema)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..io.readers import Document
from ..normalize.numbers import duration_numbers
from ..normalize.timex import duration_amount

if TYPE_CHECKING:  # only for annotations: a client process need not import spaCy
    from spacy.tokens import Doc

QUANTITY_LABELS = {"money": "MONEY", "percent": "PERCENT", "measure": "QUANTITY", "age": "QUANTITY"}


def document_row(d: Document, status: str) -> dict:
    return {"doc_id": d.doc_id, "source_path": d.source_path, "published": d.published,
            "published_from": d.published_from if d.published else "unknown", "title": d.title,
            "outlet": d.outlet, "url": d.url, "n_chars": len(d.text), "status": status,
            "encoding": d.encoding, "content_sha1": d.content_sha1 if d.text else None, "text": d.text}


def error_row(d: Document, stage: str, message: str) -> dict:
    return {"doc_id": d.doc_id or None, "source_path": d.source_path, "stage": stage, "message": message}


def doc_rows(d: Document, doc: Doc) -> dict[str, list[dict]]:
    """Rows of mentions, attributions and claims. Texts are sliced from the original text,
    so a row's offsets always give back its text."""
    text = d.text
    attribution_ids = {}
    attributions = []
    for index, a in enumerate(doc._.attributions or []):
        attribution_ids[index] = f"{d.doc_id}:a{index}"
        attributions.append(_attribution_row(d.doc_id, attribution_ids[index], a, text))
    claims = []
    for index, c in enumerate(doc._.claims or []):
        row = c.row()
        row.update(doc_id=d.doc_id, claim_id=f"{d.doc_id}:c{index}",
                   attribution_id=attribution_ids.get(c.attribution_index),
                   quantity_text=text[c.quantity_start:c.quantity_end])
        claims.append(row)
    return {"mentions": mention_rows(d.doc_id, doc, text), "attributions": attributions, "claims": claims}


def mention_rows(doc_id: str, doc: Doc, text: str) -> list[dict]:
    rows = []
    for ent in doc.ents:
        if ent.label_ in ("DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY", "PERCENT", "ORDINAL"):
            continue  # numbers and times come from the normalizers below, with values
        rows.append(_mention(doc_id, ent.start_char, ent.end_char, text, ent.label_, canonical=ent._.canonical))
    for span in doc._.quantities or []:
        q = span._.quantity
        label = QUANTITY_LABELS.get(q.kind, "CARDINAL")
        rows.append(_mention(doc_id, q.start, q.end, text, label, **q.stated_numbers()))
    for span in doc._.timexes or []:
        t = span._.timex
        # "three years" is 3 year; "a month" states no number and carries none
        amount = duration_amount(t.value) if t.type == "DURATION" and any(w.like_num for w in span) else None
        numbers = duration_numbers(text, span.start_char, *amount) if amount else {}   # "seven to 10 years": 7-10
        rows.append(_mention(doc_id, numbers.pop("start", span.start_char), span.end_char, text, "TIME" if t.type == "TIME" else "DATE",
                             timex_type=t.type, timex_value=t.value, time_start=t.start, time_end=t.end, **numbers))
    return sorted(rows, key=lambda r: (r["start"], r["end"]))


def _mention(doc_id: str, start: int, end: int, text: str, label: str, **fields) -> dict:
    return {"doc_id": doc_id, "start": start, "end": end, "text": text[start:end], "label": label, **fields}


def _attribution_row(doc_id: str, attribution_id: str, a, text: str) -> dict:
    source, cue, antecedent = a.source, a.cue, a.antecedent
    return {
        "doc_id": doc_id, "attribution_id": attribution_id,
        "source_start": source.start_char if source is not None else None,
        "source_end": source.end_char if source is not None else None,
        "source_text": text[source.start_char:source.end_char] if source is not None else None,
        "source_canonical": a.canonical,
        "cue_start": cue.start_char if cue is not None else None,
        "cue_end": cue.end_char if cue is not None else None,
        "cue_text": text[cue.start_char:cue.end_char] if cue is not None else None,
        "content_start": a.content_start, "content_end": a.content_end, "score": a.score,
        "antecedent_start": antecedent.start_char if antecedent is not None else None,
        "antecedent_end": antecedent.end_char if antecedent is not None else None,
        "antecedent_text": text[antecedent.start_char:antecedent.end_char] if antecedent is not None else None,
        "content_spans": [{"start": s.start_char, "end": s.end_char} for s in a.content_spans],
        "cue_spans": [{"start": s.start_char, "end": s.end_char} for s in a.cue_spans],
    }
