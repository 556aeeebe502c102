"""Stage 3: number expressions -> normalized figures (value, low, high, qualifier, unit).

The grammar lives in `normalize.numbers` (pure functions). This component runs it over
each sentence, keeps spaCy's CARDINAL/MONEY/QUANTITY/PERCENT entities the grammar missed,
and drops anything inside a date or time expression (years, days of the month).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import extensions  # noqa: F401
from ..normalize.lexicon import MONTHS
from ..normalize.numbers import elided_rates, find_quantities, groups_thousands, parse_quantity, warm_up

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
                if span is not None and q.kind == "measure" and _year_on_a_measure(doc, span):
                    time_spans = [(s.start_char, s.end_char) for s in doc._.timexes]
                if span is not None and (q.kind == "age" or not _overlaps(span, _outside_rate(q, span, time_spans))):
                    # an age is never part of a date: "her now-18 month-old daughter" keeps 18 months
                    span._.quantity = _shift(q, sent.start_char)
                    found.append(span)
        found.extend(self._missed_entities(doc, found, time_spans))
        spans = sorted((s for s in found if not is_model_number(s)), key=lambda s: s.start_char)
        for span, q in zip(spans, elided_rates(doc.text, [s._.quantity for s in spans])):
            span._.quantity = q  # "the 5,000 barrels" of an article that said "5,000 barrels a day"
        doc._.quantities = spans
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


NOT_NAMES = {"DATE", "TIME", "NORP", "GPE", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "PERSON"}
# spaCy tags "the Big 12" or "Pac 12" as a DATE now and then; only a calendar word makes one.
CALENDAR_WORDS = set(MONTHS) | {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                                "christmas", "easter"}


def is_model_number(span: Span) -> bool:
    """A number that is part of a name, not an amount: right after a proper noun ("iPhone 11",
    "S&P 500", "Boeing 737-800", "Game 7", "COVID-19"), or right before the proper noun it
    numbers ("787 Dreamliner", "737 Max jets"). Not in a title-case headline, where every word
    looks like a name ("Floods Kill 40 In Delta")."""
    q = span._.quantity
    if q is None or q.kind != "count" or groups_thousands(span.text):
        return False  # "Chad 120,000": names do not group digits in thousands
    named = _named_before(span)
    if named:
        # headline capitals make any word look like a name, but not an acronym or a camel-case
        # brand: "S&P 500", "FTSE 100", "iPhone 12" stay names in a title-case line
        before = span.doc[span.start - 1].text
        return not _title_case(span.sent) or not (before.isalpha() and before[0].isupper() and before[1:].islower())
    return named is None and _names_after(span) and not _title_case(span.sent)


def _named_before(span: Span) -> bool | None:
    """"iPhone 11", "COVID-19": after a proper noun, whether the number is glued to it or hangs
    on it; None when no proper noun comes right before."""
    doc, first, last = span.doc, span[0], span[-1]
    before = doc[first.i - 1] if first.i > 0 else None
    if before is None or before.tag_ not in ("NNP", "NNPS") or _not_a_name(before):
        return None
    glued = not before.whitespace_ or first.text.startswith("-")
    return (glued or (not first.is_punct and last.head.pos_ != "NOUN") or last.head.i < last.i
            or _name_continues(span))


def _not_a_name(token) -> bool:
    if token.ent_type_ == "DATE":
        return token.lower_.rstrip(".") in CALENDAR_WORDS
    return token.ent_type_ in NOT_NAMES


def _name_continues(span: Span) -> bool:
    """"iPhone 12 Mini deal", "Galaxy 21 Ultra": a name word on both sides of the number, the
    one after capitalized and not a new name of its own."""
    doc, last = span.doc, span[-1]
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    return bool(after is not None and after.is_title and last.whitespace_ and not after.ent_type_
                and after.pos_ in ("PROPN", "ADJ", "NOUN") and not after.is_sent_start)


def _names_after(span: Span) -> bool:
    """"787 Dreamliner": a capitalized name right after that the number belongs to."""
    doc, last = span.doc, span[-1]
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    if after is None or not after.is_title or after.is_sent_start or after.ent_type_ in ("NORP", "GPE", "DATE"):
        return False
    if any(ch in last.text for ch in ",.") or any(t.like_num for t in after.head.subtree if t.i > last.i):
        return False  # a count of a named thing: "63,150 Model 3s"
    return last.head.i == after.i or (after.dep_ == "compound" and after.head.i == last.head.i)


def _title_case(sent: Span) -> bool:
    """Most of the sentence's words outside names are capitalized."""
    words = [t for t in sent if t.is_alpha and len(t) > 2 and not t.ent_type_]
    return len(words) >= 2 and sum(t.is_title or t.is_upper for t in words) / len(words) > 0.6


def _outside_rate(q, span: Span, time_spans):
    """The time spans that are not the time unit of a rate: "per hour" in "15 to 22 miles per
    hour" and "a day" in "12 miles a day" belong to the figure's unit (the dates stage keeps them)."""
    if " per " not in (q.unit or ""):
        return time_spans
    return [(s, e) for s, e in time_spans if not (span.start_char < s and e <= span.end_char)]


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _year_on_a_measure(doc: Doc, span: Span) -> bool:
    """"a low rate of 2000 barrels a day": a bare four-digit number the dates stage took for
    a year, written with a unit of measure, is the measure's number. The year is dropped from
    the document's time expressions (it would date the sentence's figures to 2000)."""
    kept, dropped = [], False
    for timex in doc._.timexes or []:
        if (span.start_char <= timex.start_char and timex.end_char < span.end_char
                and timex.text.isdigit() and len(timex.text) == 4):
            dropped = True
        else:
            kept.append(timex)
    if dropped:
        doc._.timexes = kept
    return dropped


def _overlaps(span: Span, ranges) -> bool:
    return any(s < span.end_char and span.start_char < e for s, e in ranges)


def _shift(q, offset: int):
    """Quantity offsets are relative to the sentence; make them document offsets."""
    from dataclasses import replace
    return replace(q, start=q.start + offset, end=q.end + offset)
