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
from ...normalize.numbers import groups_thousands
from ...syntax import entity_at, measure_noun
from .taxonomy import Taxonomy

# Quantity kinds (normalize.numbers) that can be claims; a measure only when an event governs it.
CLAIM_KINDS = {"count", "vague", "money", "measure"}

# "his two bodyguards", "their three children" are new figures more often than references back
REFERENCE_DETERMINERS = {"the", "these", "those", "both", "all"}
RATE_WORDS = {"an", "a", "per", "each", "every"}
RATE_UNITS = {"hour", "day", "week", "month", "year", "annum", "head", "person", "capita", "share", "barrel", "gallon", "litre", "liter"}
# Units of length and distance: how far or how big, never how many.
LENGTH_UNITS = {"kilometre", "metre", "centimetre", "millimetre", "mile", "nautical mile", "foot", "inch", "yard"}
# Entities a number can be part of without counting anything: "Boeing 737-800", "the G20".
NAME_LABELS = {"PRODUCT", "ORG", "FAC", "WORK_OF_ART", "LAW", "EVENT"}
BE = {"be"}


def not_counted(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """The counted noun is one that makes a frequency, span or reading ("shot 41 times", "15
    years"), or a bare figure is what such a noun amounts to ("a population of 2 million"), or the value of such a subject ("the retirement age will rise
    from 62 to 64", "the temperature reached 45")."""
    if noun is not None and noun.lemma_.lower() in taxonomy.not_counted and not _names_the_unit(q, noun):
        return True
    phrase = noun if noun is not None else number
    of = phrase.head if phrase.dep_ == "pobj" and phrase.head.lower_ == "of" else None
    if of is not None and of.head.lemma_.lower() in taxonomy.not_counted and not _names_the_unit(q, of.head):
        return True  # "a population of 2 million", "a capacity of 60,000 seats"
    if noun is not None:
        return False
    verb = next((a for a in number.ancestors if a.pos_ in ("VERB", "AUX")), None)
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) if verb is not None else None
    return subject is not None and subject.lemma_.lower() in taxonomy.not_counted and not _names_the_unit(q, subject)


def _names_the_unit(q, noun: Token) -> bool:
    """"500 miles of coast": the noun is the measure's own unit, which the measure rule judges."""
    return q.kind == "measure" and (q.unit or "").split(" per ")[0].split(" ")[-1] == noun.lemma_.lower()


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


# Units of what an event moves or spills: "5,000 barrels a day" is a flow the guide counts.
FLOW_UNITS = {"barrel", "gallon", "litre", "liter", "ton", "tonne", "cubic"}


def _is_flow(q, number: Token) -> bool:
    """"5,000 barrels a day", "40,000 gallons per hour", "5,000 barrels daily": a volume or mass
    over time (the number grammar names the unit "barrel per day")."""
    unit, _, per = (q.unit or "").partition(" per ")
    if per and unit in FLOW_UNITS:
        return True
    following = [t.lower_ for t in number.doc[number.i + 1: number.i + 4]]
    return (len(following) == 3 and following[0].rstrip("s") in FLOW_UNITS and following[1] in RATE_WORDS
            and following[2].rstrip("s") in RATE_UNITS)


def rate(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """"$12 an hour", "$30,000 a year", "$5 per share": a rate, not an amount. A flow of
    what an event spills or moves ("leaking 5,000 barrels a day") is a figure."""
    doc = number.doc
    following = [t.lower_ for t in doc[number.i + 1: number.i + 4]]
    if q.kind != "money" and _is_flow(q, number):
        return False
    for i, word in enumerate(following[:-1]):
        if word in RATE_WORDS and following[i + 1].rstrip("s") in RATE_UNITS:
            return True
    return False


def fraction(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """"two-thirds of the town": a share, not a count."""
    return q.unit == "fraction"


def measure(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A measure is a claim only when an event governs it ("the fire burned 5,000 acres",
    "sent 500 tons of flour"), it is a flow ("estimated the flow at 5,000 barrels per day"), or
    it is a volume or mass in a sentence about what an event spills ("almost five million
    barrels of oil leaked into the sea", "put the total amount of oil spilt at 6 million
    gallons"; the parse may not tie the verb to the figure). A length or distance is one only as
    what an event acts on ("500 miles of coast were contaminated", "laid 3 million feet of
    boom"), never as where ("some 250 kilometers away", "deployed 30 km from the border")."""
    if q.kind != "measure":
        return False
    if q.unit in LENGTH_UNITS:
        return event is None or not _acted_on(number)
    return event is None and not _is_flow(q, number) and not spilled_volume(q, number, taxonomy)


def _acted_on(number: Token) -> bool:
    """The measure is a length of something ("miles of coast", "feet of boom") that is a verb's
    subject or object, not how far something went ("plunged 45 meters into a river bed")."""
    unit = measure_noun(number)
    of_something = any(c.dep_ == "prep" and c.lower_ == "of" and any(g.dep_ == "pobj" for g in c.children)
                       for c in unit.children)
    return of_something and unit.dep_ in ("nsubj", "nsubjpass", "dobj")


SPILL_TYPE = "spilled"  # the event type of what an event releases (configs/event_types.cfg)


def spilled_volume(q, number: Token, taxonomy: Taxonomy) -> bool:
    """A volume or mass ([FLOW_UNITS]) in a sentence that names a spill ("leaked", "spilt",
    "the spill")."""
    if (q.unit or "").split(" ")[0] not in FLOW_UNITS:
        return False
    return any(SPILL_TYPE in taxonomy.types_of(t.lemma_.lower(), as_verb=t.pos_ in ("VERB", "AUX"))
               or SPILL_TYPE in taxonomy.types_of(t.lower_, as_verb=True)
               for t in number.sent if t.is_alpha)


SIZE_VERBS = {"weigh", "measure"}
# Nouns that report a value: a rate written on one of them is the value, not a size (not
# syntax.REPORT_NOUNS, the documents a source issues).
VALUE_NOUNS = {"figure", "estimate", "number", "total", "tally", "count", "rate", "assessment", "projection", "forecast"}
STRENGTH_WORDS = {"strong", "member", "man", "person"}


def size_on_a_noun(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A number hyphenated to a word that describes a noun: "2,000-lb bombs", "a 12-storey
    building", "a three-member panel"; or what each one weighs or measures ("weighing 900 kg
    apiece"): how big each is, not how many."""
    doc = number.doc
    word = _hyphenated_word(number)
    if word is not None and word.lower_ in STRENGTH_WORDS:
        return False  # "a 20,000-strong force" counts the force
    heads = [number.head, number.head.head] + ([word.head] if word is not None else [])
    if q.kind == "measure" and " per " in (q.unit or "") and any(h.lemma_.lower() in VALUE_NOUNS for h in heads):
        return False  # "the 5,000-barrels-a-day figure", "a 20,000 barrel-per-day estimate": the value itself
    if word is not None:
        following = doc[word.i + 1] if word.i + 1 < len(doc) else None
        return (word.head.i > word.i and word.head.pos_ in ("NOUN", "PROPN")) or (
            following is not None and following.tag_ in ("NN", "NNS", "NNP", "NNPS"))
    if "-" in number.text and number.text.split("-")[-1].isalpha():  # one token: "2,000-lb"
        return number.head.i > number.i and number.head.pos_ in ("NOUN", "PROPN")
    return q.kind == "measure" and any(a.lemma_.lower() in SIZE_VERBS for a in list(number.ancestors)[:3])


def _hyphenated_word(number: Token) -> Token | None:
    """"12" in "12-storey" -> "storey" (number, hyphen and word written together)."""
    doc = number.doc
    if number.i + 2 >= len(doc) or number.whitespace_:
        return None
    hyphen, word = doc[number.i + 1], doc[number.i + 2]
    if hyphen.text not in ("-", "‑", "–") or hyphen.whitespace_ or not word.is_alpha:
        return None
    return word


def inside_a_name(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A number that is part of a product, organization, facility or title: "Boeing 737-800",
    "the G20", "Apollo 11"."""
    if number.ent_type_ not in NAME_LABELS:
        return False
    name = entity_at(number)
    return any(t.pos_ == "PROPN" for t in name) or (len(name) == 1 and any(ch.isalpha() for ch in number.text))


def label_number(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A number that names or grades: right after a singular noun ("Flight 9268", "a
    magnitude 6.1 quake", "Category 4", "Route 66", "type 2": "soldiers 300" is not English,
    "Flight 300" is), or a bare reading after "a" ("the second equal to a 2.9")."""
    if noun is not None and noun.i < number.i:
        # the "counted" noun comes first: "Boeing 737-800", "Flight 9268"; not a place in a
        # list of counts ("Ecuador has 220,000, Argentina 130,000")
        return noun.ent_type_ not in ("GPE", "LOC", "NORP") and not groups_thousands(q.text)
    number = _first_number(q, number)
    if number.i == 0 or not number.like_num:
        return False
    before = number.doc[number.i - 1]
    if before.lower_ in ("a", "an") and noun is None:
        return True
    if before.tag_ not in ("NN", "NNP") or before.ent_type_ in ("NORP", "GPE", "DATE", "TIME", "PERSON"):
        return False
    return number.head.i == before.i or (before.dep_ in ("compound", "nmod", "amod") and before.head.i == number.head.i)


AGE_WORDS = {"aged", "age", "ages", "old", "older", "younger", "elderly"}
AGE_UNITS = {"year", "month", "week", "day"}


def _first_number(q, number: Token) -> Token:
    """The first number word of the figure's text ("737" in "737-800")."""
    doc, first = number.doc, number
    while first.i > 0 and doc[first.i - 1].idx >= q.start:
        first = doc[first.i - 1]
    return next((t for t in doc[first.i: number.i + 1] if t.like_num), number)


def age(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A bare number that is someone's age: "He was 34", "Smith, 52, said", "children aged
    under five", "older than 60"."""
    if not number.like_num:
        return False
    doc, head = number.doc, number.head
    near = [t.lower_ for t in doc[max(0, number.i - 3): number.i]]
    if any(word in AGE_WORDS for word in near) or head.lower_ in AGE_WORDS:
        return True
    after = [t.lower_ for t in doc[number.i + 1: number.i + 5]]
    if "old" in after and any(w.rstrip("s") in AGE_UNITS for w in after[:after.index("old")]):
        return True  # "infants from nine to 11 months old", "5 years old"
    if noun is not None:
        return False
    if number.dep_ in ("attr", "acomp") and head.lemma_ in BE:
        subject = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        return subject is not None and (subject.ent_type_ == "PERSON" or subject.lower_ in ("he", "she", "i", "who"))
    commas = number.i > 0 and doc[number.i - 1].text == "," and number.i + 1 < len(doc) and doc[number.i + 1].text == ","
    return commas and head.ent_type_ == "PERSON"


def part_of_a_date(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A day of the month joined to a date ("on 7 and 8 October", "between 3 and 5 May") or an
    hour of the clock ("by 6 o'clock")."""
    doc = number.doc
    if number.i + 1 < len(doc) and doc[number.i + 1].lower_.replace("’", "'").startswith("o'clock"):
        return True
    if noun is not None or q.value is None or not 1 <= q.value <= 31 or number.i + 2 >= len(doc):
        return False
    joiner, day = doc[number.i + 1], doc[number.i + 2]
    if joiner.lower_ not in ("and", "or", "to", "-", "–", "through") or not day.like_num:
        return False
    return any(t.start <= day.i < t.end for t in doc._.timexes or [])


IDENTIFIER_DIGITS = 10


def identifier(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> bool:
    """A long run of digits with no separators: a post, phone or record number, not a count."""
    digits = "".join(ch for ch in number.text if ch.isdigit())
    return len(digits) >= IDENTIFIER_DIGITS and "," not in number.text and "." not in number.text


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
    "part of a date": part_of_a_date,
    "identifier": identifier,
}


# Money is always an amount: only these apply to it.
MONEY_EXCLUSIONS = ("not counted", "reference back", "rate")


def exclusion(q, number: Token, noun: Token | None, event: str | None, taxonomy: Taxonomy) -> str | None:
    """The name of the first exclusion that applies to a figure, or None for a claim."""
    if q.kind not in CLAIM_KINDS:
        return "kind"
    names = MONEY_EXCLUSIONS if q.kind == "money" else EXCLUSIONS
    return next((name for name in names if EXCLUSIONS[name](q, number, noun, event, taxonomy)), None)


CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp"}


def in_a_source(span: Span, attributions: list[Attribution]) -> bool:
    """"two officials said ..." counts the speakers, not the event; a figure in a clause on the
    source is the event ("a leader, who gave an initial toll of 19, said ...")."""
    for a in attributions:
        source = a.source
        if source is None or not (source.start_char <= span.start_char and span.end_char <= source.end_char):
            continue
        clause = any(t.dep_ in CLAUSE_DEPS and source.start <= t.i < source.end for t in [span.root, *span.root.ancestors])
        if not clause:
            return True
    return False
