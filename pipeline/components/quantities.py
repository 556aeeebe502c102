"""Stage 3: number expressions -> normalized figures (value, low, high, qualifier, unit).

The grammar lives in `normalize.numbers` (pure functions). This component runs it over
each sentence, keeps spaCy's CARDINAL/MONEY/QUANTITY/PERCENT entities the grammar missed,
and drops anything inside a date or time expression (years, days of the month).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import extensions  # noqa: F401
from ..normalize.numbers import find_quantities, parse_quantity, warm_up

# Bare CARDINAL entities are left to the grammar, which sees their context ("aged 34",
# "one of the"); entities with a currency, percent or unit are safe to normalize alone.
FALLBACK_LABELS = {"MONEY", "QUANTITY", "PERCENT"}


@Language.factory(
    "newsie_quantities",
    requires=["doc.ents", "doc.sents", "doc._.timexes"],
    assigns=["doc._.quantities", "span._.quantity"],
)
def make_quantity_normalizer(nlp: Language, name: str):
    return QuantityNormalizer(name)


class QuantityNormalizer:
    def __init__(self, name: str = "newsie_quantities"):
        self.name = name
        warm_up()  # load quantulum3's unit table now, not inside the first document

    def __call__(self, doc: Doc) -> Doc:
        time_spans = [(s.start_char, s.end_char) for s in (doc._.timexes or [])]
        found: list[Span] = []
        for sent in doc.sents:
            if not any(ch.isdigit() or ch.isalpha() for ch in sent.text):
                continue
            for q in find_quantities(sent.text):
                span = _char_span(doc, sent.start_char + q.start, sent.start_char + q.end)
                if span is not None and not _overlaps(span, time_spans):
                    span._.quantity = _shift(q, sent.start_char)
                    found.append(span)
        found.extend(self._missed_entities(doc, found, time_spans))
        doc._.quantities = sorted(found, key=lambda s: s.start_char)
        return doc

    def _missed_entities(self, doc: Doc, found: list[Span], time_spans) -> list[Span]:
        extra = []
        for ent in doc.ents:
            if ent.label_ not in FALLBACK_LABELS or _overlaps(ent, time_spans):
                continue
            if any(s.start_char < ent.end_char and ent.start_char < s.end_char for s in found):
                continue
            q = parse_quantity(ent.text)
            if q is not None:
                span = _char_span(doc, ent.start_char + q.start, ent.start_char + q.end)
                if span is not None:
                    span._.quantity = _shift(q, ent.start_char)
                    extra.append(span)
        return extra


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _overlaps(span: Span, ranges) -> bool:
    return any(s < span.end_char and span.start_char < e for s, e in ranges)


def _shift(q, offset: int):
    """Quantity offsets are relative to the sentence; make them document offsets."""
    from dataclasses import replace
    return replace(q, start=q.start + offset, end=q.end + offset)
