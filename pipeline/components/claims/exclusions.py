"""Which figures are claims. The default is turned around: a figure that counts people, things
or money is a claim unless one of the named exclusions below says it is not. Dates, times,
durations and ages never reach this stage (the dates stage and the number grammar take them).

Each exclusion is a rule (q, number, noun, event, taxonomy) -> bool, named in EXCLUSIONS so a
user can see why a figure stayed a mention (`exclusion` returns the name).
"""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Span, Token

from ...extensions import Attribution
from .taxonomy import Taxonomy

# Quantity kinds (normalize.numbers) that can be claims; a measure only when an event governs it.
CLAIM_KINDS = {"count", "vague", "money", "measure"}

REFERENCE_DETERMINERS = {"the", "these", "those", "both", "all", "its", "their", "his", "her"}
RATE_WORDS = {"an", "a", "per", "each", "every"}
RATE_UNITS = {"hour", "day", "week", "month", "year", "annum", "head", "person", "capita", "share", "barrel", "gallon", "litre", "liter"}
# Units of length and distance: how far or how big, never how many.
LENGTH_UNITS = {"kilometre", "metre", "centimetre", "millimetre", "mile", "nautical mile", "foot", "inch", "yard"}
# Entities a number can be part of without counting anything: "Boeing 737-800", "the G20".
NAME_LABELS = {"PRODUCT", "ORG", "FAC", "WORK_OF_ART", "LAW", "EVENT"}
BE = {"be"}


def not_counted(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """The counted noun is one that makes a frequency, span or reading ("shot 41 times", "15
    years"), or a bare figure is the value of such a subject ("the retirement age will rise
    from 62 to 64", "the temperature reached 45")."""
    if noun is not None:
        return noun.lemma_.lower() in taxonomy.not_counted
    verb = next((a for a in number.ancestors if a.pos_ in ("VERB", "AUX")), None)
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb is not None else None
    return subject is not None and subject.lemma_.lower() in taxonomy.not_counted


def reference_back(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
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


def rate(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """"$12 an hour", "$30,000 a year", "$5 per share": a rate, not an amount."""
    doc = number.doc
    following = [t.lower_ for t in doc[number.i + 1: number.i + 4]]
    for i, word in enumerate(following[:-1]):
        if word in RATE_WORDS and following[i + 1].rstrip("s") in RATE_UNITS:
            return True
    return False


def fraction(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """"two-thirds of the town": a share, not a count."""
    return q.unit == "fraction"


def measure(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A measure is a claim only when an event governs it ("the fire burned 5,000 acres",
    "sent 500 tons of flour"); a length or distance never is ("some 250 kilometers away")."""
    return q.kind == "measure" and (event is None or q.unit in LENGTH_UNITS)


def size_on_a_noun(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A number hyphenated to a word that describes a noun: "2,000-lb bombs", "a 12-storey
    building", "a three-member panel" (how big each is, not how many)."""
    doc = number.doc
    if number.i + 2 >= len(doc) or number.whitespace_:
        return False
    hyphen, word = doc[number.i + 1], doc[number.i + 2]
    if hyphen.text not in ("-", "‑", "–") or hyphen.whitespace_ or not word.is_alpha:
        return False
    described = word.head
    return described.i > word.i and described.pos_ in ("NOUN", "PROPN")


def inside_a_name(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A number that is part of a product, organization, facility or title: "Boeing 737-800",
    "the G20", "Apollo 11"."""
    return number.ent_type_ in NAME_LABELS


def label_number(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A number that names or grades the noun before it: "Flight 9268", "magnitude 6.1",
    "Category 4", "Route 66", "Article 5" (an identifier or a scale, not a count)."""
    if number.i == 0:
        return False
    before = number.doc[number.i - 1]
    if before.pos_ not in ("NOUN", "PROPN") or before.ent_type_ in ("NORP", "GPE") or before.like_num:
        return False
    if number.head.i == before.i and number.dep_ in ("nummod", "appos", "npadvmod", "compound", "dobj", "pobj", "attr"):
        return before.tag_ in ("NN", "NNP")  # singular: "soldiers 300" is not English, "Flight 300" is
    return False


def age(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A bare number a person is: "He was 34", "Smith, 52, said"."""
    if noun is not None or not number.like_num:
        return False
    head = number.head
    if number.dep_ in ("attr", "acomp") and head.lemma_ in BE:
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subject is not None and (subject.ent_type_ == "PERSON" or subject.lower_ in ("he", "she", "i"))
    if number.dep_ in ("appos", "amod") and head.ent_type_ == "PERSON":
        return True
    return False


# The exclusions, in the order they are tried: name -> rule.
EXCLUSIONS: dict[str, Callable[..., bool]] = {
    "not counted": not_counted,
    "reference back": reference_back,
    "rate": rate,
    "fraction": fraction,
    "measure": measure,
    "size on a noun": size_on_a_noun,
    "inside a name": inside_a_name,
    "label number": label_number,
    "age": age,
}


# Money is always an amount: only these apply to it.
MONEY_EXCLUSIONS = ("not counted", "reference back", "rate")


def exclusion(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> str | None:
    """The name of the first exclusion that applies to a figure, or None for a claim."""
    if q.kind not in CLAIM_KINDS:
        return "kind"
    names = MONEY_EXCLUSIONS if q.kind == "money" else EXCLUSIONS
    return next((name for name in names if EXCLUSIONS[name](q, number, noun, event, taxonomy)), None)


def is_claim(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    return exclusion(q, number, noun, event, taxonomy) is None


def in_a_source(span: Span, attributions: list[Attribution]) -> bool:
    """"two officials said ..." counts the speakers, not the event."""
    return any(a.source is not None and a.source.start_char <= span.start_char and span.end_char <= a.source.end_char
               for a in attributions)
