"""Stage 2: date and time expressions -> TIMEX3 values and intervals.

Runs before quantities so that a year or a day of the month is never read as a figure.
The grammar lives in `normalize.timex` (pure functions); this component gives it each
sentence, the publication date as anchor, and the tense of the clause from the parse.
spaCy DATE/TIME entities the grammar did not cover are normalized on their own.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import extensions  # noqa: F401
from ..normalize.timex import find_timexes, normalize_timex


@Language.factory(
    "newsie_dates",
    requires=["doc.ents", "doc.sents", "token.dep", "token.morph"],
    assigns=["doc._.timexes", "span._.timex"],
)
def make_date_normalizer(nlp: Language, name: str):
    return DateNormalizer(name)


class DateNormalizer:
    def __init__(self, name: str = "newsie_dates"):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        anchor = doc._.published
        spans: list[Span] = []
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            tense_at = _tense_lookup(doc, sent.start_char)
            for match in find_timexes(sent.text, anchor, tense_at):
                span = doc.char_span(sent.start_char + match.start, sent.start_char + match.end, alignment_mode="expand")
                if span is not None:
                    span._.timex = match.timex
                    spans.append(span)
        spans = [s for s in spans if not _inside_name(s)]
        spans.extend(self._uncovered_entities(doc, spans, anchor))
        doc._.timexes = sorted(spans, key=lambda s: s.start_char)
        return doc

    def _uncovered_entities(self, doc: Doc, found: list[Span], anchor) -> list[Span]:
        extra = []
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME") or any(s.start < ent.end and ent.start < s.end for s in found):
                continue
            timex = normalize_timex(ent.text, anchor, clause_tense(ent.root))
            if timex is not None:
                span = Span(doc, ent.start, ent.end, label=ent.label_)
                span._.timex = timex
                extra.append(span)
        return extra


def _inside_name(span: Span) -> bool:
    """"Jan" in "Zenda Jan district", "May" in "Theresa May": a month inside a named entity."""
    return any(t.ent_type_ in ("PERSON", "ORG", "GPE", "LOC", "FAC", "WORK_OF_ART") for t in span)


def clause_tense(token: Token) -> str | None:
    """past/present/future of the verb governing `token` (walking up the parse)."""
    for node in [token, *token.ancestors]:
        if node.pos_ in ("VERB", "AUX"):
            children = list(node.children)
            if any(c.lower_ in ("will", "'ll", "shall") or c.lower_ == "going" for c in children):
                return "future"
            aux_past = any(c.dep_ in ("aux", "auxpass") and "Past" in c.morph.get("Tense") for c in children)
            if aux_past or "Past" in node.morph.get("Tense") and node.tag_ in ("VBD", "VBN"):
                return "past"
            if any(c.dep_ == "aux" and c.tag_ == "VBZ" and c.lower_ in ("has", "have") for c in children):
                return "past"
            return "present"
    return None


def _tense_lookup(doc: Doc, offset: int):
    def tense_at(char_offset: int) -> str | None:
        span = doc.char_span(offset + char_offset, offset + char_offset + 1, alignment_mode="expand")
        return clause_tense(span.root) if span is not None and len(span) else None
    return tense_at
