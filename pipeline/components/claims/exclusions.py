"""Figures that are not claims: references back ("the two women"), rates ("$12 an hour"),
nouns that are never counted ("shot 41 times"), measures no event governs, and figures
inside a source ("two officials said")."""
from __future__ import annotations

from spacy.tokens import Span, Token

from ...extensions import Attribution
from .taxonomy import Taxonomy

# Quantity kinds (normalize.numbers) that can be claims; a measure only when an event governs it.
CLAIM_KINDS = {"count", "vague", "money"}


def is_claim(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """Whether a figure is a claim: money, anything an event governs, or a count of a
    countable noun; never a reference back, a rate, or a noun that is not counted."""
    if noun is not None and noun.lemma_.lower() in taxonomy.not_counted:
        return False  # "shot 41 times", "for 15 years"
    if is_reference(q, number) or is_rate(number):
        return False
    if q.kind == "money":
        return True
    if event is not None:
        return True  # a measure too, when an event governs it: "the fire burned 5,000 acres"
    if q.kind == "measure" or q.unit == "fraction":
        return False
    return noun is not None and noun.lemma_.lower() in taxonomy.countable


REFERENCE_DETERMINERS = {"the", "these", "those", "both", "all", "its", "their", "his", "her"}
RATE_WORDS = {"an", "a", "per", "each", "every"}
RATE_UNITS = {"hour", "day", "week", "month", "year", "annum", "head", "person", "capita", "share", "barrel", "gallon", "litre", "liter"}


def is_reference(q, number: Token) -> bool:
    """"the two women", "both men", and "one" standing alone refer back to people already
    counted; they are not new figures. Only small spelled-out numbers: "the 3,000 additional
    troops" is still a figure."""
    if not number.is_alpha:
        return False
    if number.lower_ == "one" and number.dep_ not in ("nummod",):
        return True
    if q.value is None or q.value > 10:
        return False
    before = number.doc[number.i - 1] if number.i > 0 else None
    return before is not None and before.lower_ in REFERENCE_DETERMINERS


def is_rate(number: Token) -> bool:
    """"$12 an hour", "$30,000 a year", "$5 per share": a rate, not an amount."""
    doc = number.doc
    following = [t.lower_ for t in doc[number.i + 1: number.i + 4]]
    for i, word in enumerate(following[:-1]):
        if word in RATE_WORDS and following[i + 1].rstrip("s") in RATE_UNITS:
            return True
    return False


def in_a_source(span: Span, attributions: list[Attribution]) -> bool:
    """"two officials said ..." counts the speakers, not the event."""
    return any(a.source is not None and a.source.start_char <= span.start_char and span.end_char <= a.source.end_char
               for a in attributions)
