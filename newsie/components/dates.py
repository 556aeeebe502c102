"""Stage 2: date and time expressions -> TIMEX3 values and intervals.

Runs before quantities so that a year or a day of the month is never read as a figure.
The grammar lives in `normalize.timex` (pure functions); this component gives it each
sentence, the publication date as anchor, the tense of the clause from the parse, the
quarter the story reports once it has named one ("a year earlier" is that quarter a year back)
and the time it named last ("later that year").
spaCy DATE/TIME entities the grammar did not cover are normalized on their own.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import extensions  # noqa: F401
from ..normalize.timex import find_timexes, normalize_timex, reference_time, reported_period
from ..syntax import clause_tense


@Language.factory(
    "newsie_dates",
    # Tense is read from the morphology that the base model's attribute_ruler derives from
    # token.tag (the attribute_ruler declares no assigns): the tagger is what this needs.
    requires=["doc.ents", "doc.sents", "token.dep", "token.tag"],
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
        period = None  # the quarter an earnings story reports: the first one it names
        reference = None  # the time the story named last ("that year", "the following month")
        for sent in doc.sents:
            if not sent.text.strip():
                continue
            tense_at = _tense_lookup(doc, sent.start_char)
            matches = find_timexes(sent.text, anchor, tense_at, period, reference)
            period = period or reported_period(matches, anchor)
            reference = reference_time(matches, reference)
            for match in matches:
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


def _tense_lookup(doc: Doc, offset: int):
    def tense_at(char_offset: int) -> str | None:
        span = doc.char_span(offset + char_offset, offset + char_offset + 1, alignment_mode="expand")
        return clause_tense(span.root) if span is not None and len(span) else None
    return tense_at
