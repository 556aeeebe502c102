"""What surrounds a figure: hedges and negation, the places of its sentence and the named
participants of its phrase and clause."""
from __future__ import annotations

import re

from spacy.tokens import Span, Token

from ...syntax import entity_at, is_cue_verb

# Hedges: the figure is not stated as a fact. Besides reported speech and modals, fears
# ("thousands feared dead"), estimates and projections ("could reach", "projected to").
HEDGES = {"reportedly", "allegedly", "purportedly", "apparently", "possibly", "likely", "probably",
          "appear", "seem", "may", "might", "could", "suggest", "believe", "estimate", "unconfirmed",
          "fear", "feared", "projection", "project", "projected", "forecast"}

# Denied or retracted figures: a cue before the figure in its sentence, with no clause
# break (";", "but") between. "X denied that the toll had reached 500", "denied reports of
# 200 deaths", "it is not true that 40 died", "withdrew its estimate of 3,000", and the old
# figure of a correction: "12 died instead of 20 as earlier reported" (20).
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|refuted|refutes|rejected|rejects|dismissed)\s+"
    r"(?:that|(?:the\s+)?(?:reports?|claims?|suggestions?|allegations?|accounts?|rumou?rs?))\b"
    r"|\b(?:not\s+(?:true|correct|accurate)|untrue|false)\s*,?\s+that\b"
    r"|\b(?:withdrew|withdrawn|withdraws|withdraw|retracted|retracts|retract|disavowed)\s+"
    r"(?:(?:its|his|her|their|the|an?|that|this)\s+)?(?:(?:earlier|initial|previous|first|own)\s+)?"
    r"(?:estimates?|figures?|claims?|reports?|statements?|numbers?|counts?|tolls?|tally|tallies)\b",
    re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r";|\bbut\b|\bhowever\b", re.IGNORECASE)
_INSTEAD_OF = re.compile(r"\binstead\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# The figure itself is the object of a denial: "dismissed an original 5,000 estimate",
# "rejected the 300 figure", "denied the 40".
_DENIED_OBJECT = re.compile(
    r"\b(?:denied|denies|deny|denying|refuted|refutes|refute|rejected|rejects|reject|dismissed|dismisses|dismiss)"
    r"\s+(?:(?:the|an?|its|his|her|their|that|this|any)\s+)?(?:(?:original|earlier|initial|previous|first|official)\s+)?$",
    re.IGNORECASE)
# A source's own correction: a figure it gave, then lowered or revised ("reported 42 deaths
# but later lowered the toll to 37": 42), or the old figure of a correction written with
# "from" ("revised its estimate down from 5,000 to 2,200": 5,000). A count that rose ("raised
# the toll from 40 to 50") was an update, not a mistake: only corrections retract.
_CORRECTION = (r"(?:lowered|lowers|cut|cuts|reduced|reduces|revised|revises|downgraded|downgrades|corrected|"
               r"corrects|slashed|slashes|trimmed|trims)")
_CORRECTED_AFTER = re.compile(r"^[^;.]*?\bbut\s+(?:\w+\s+){0,2}?" + _CORRECTION + r"\b[^;.]*?\b(?:to|at)\s+\S*\d",
                              re.IGNORECASE)
_CORRECTED_FROM = re.compile(r"\b" + _CORRECTION + r"\b(?:\s+[\w']+){0,4}?\s+from\s+(?:the\s+|an?\s+|its\s+)?$",
                             re.IGNORECASE)
LOCATION_LABELS = {"GPE", "LOC", "FAC"}
ACTOR_LABELS = {"NORP", "ORG", "GPE", "PERSON"}


def is_hedged(span: Span, number: Token) -> bool:
    lemmas = {t.lemma_.lower() for t in span.sent} | {t.lower_ for t in span.sent}
    return bool(lemmas & HEDGES)


def is_negated(number: Token, noun: Token | None) -> bool:
    """Negated ("no soldiers", "did not send 300"), denied or retracted (is_denied)."""
    if is_denied(number):
        return True
    for node in [number, *number.ancestors]:
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if node.pos_ == "VERB":
            break
    return noun is not None and any(c.lower_ == "no" for c in noun.children)


def is_denied(number: Token) -> bool:
    """A denial or retraction cue before the figure in its sentence (_DENIAL), "instead
    of" or a denial verb right before it (_DENIED_OBJECT), or its source's own correction
    (_CORRECTED_FROM, _CORRECTED_AFTER): the figure is reported as not so."""
    sent = number.sent
    text = sent.text_with_ws  # not doc.text: it joins the whole Doc
    before = text[:_figure_start(number) - sent.start_char]
    if _INSTEAD_OF.search(before) or _DENIED_OBJECT.search(before) or _CORRECTED_FROM.search(before):
        return True
    if _CORRECTED_AFTER.search(text[number.idx + len(number.text) - sent.start_char:]):
        return True
    cues = list(_DENIAL.finditer(before))
    return bool(cues) and not _CLAUSE_BREAK.search(before[cues[-1].end():])


def _figure_start(number: Token) -> int:
    """Where the figure's phrase starts: its qualifiers ("at least", "about") come before it."""
    left = [t for t in number.lefts if t.dep_ in ("advmod", "quantmod", "nmod", "compound", "det")]
    return min([number.idx, *(t.idx for t in left)])


def actors_of(number: Token, noun: Token | None, exclude: Span | None) -> list[str]:
    """Named participants: entities in the counted phrase ("North Korean soldiers") and
    the subject of the verb that governs the figure ("North Korea has sent ...")."""
    tokens: list[Token] = list(noun.subtree) if noun is not None else []
    verb = next((a for a in number.ancestors if a.pos_ == "VERB"), None)
    if verb is not None and not is_cue_verb(verb):
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.i != number.i:
            tokens.extend(subject.subtree)
    names = []
    for token in tokens:
        if token.ent_type_ in ACTOR_LABELS and token.ent_iob_ == "B" and not _inside(token, exclude):
            ent = entity_at(token)
            names.append(ent._.canonical or ent.text)
    return list(dict.fromkeys(names))


def entity_names(sent: Span, labels: set[str], exclude: Span | None) -> list[str]:
    names = [e._.canonical or e.text for e in sent.ents if e.label_ in labels and not _inside(e[0], exclude)]
    return list(dict.fromkeys(names))


def _inside(token: Token, span: Span | None) -> bool:
    return span is not None and span.start <= token.i < span.end
