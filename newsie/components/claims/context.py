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
    """A denial or retraction cue before the figure in its sentence (_DENIAL), or "instead
    of" right before it: the figure is reported as not so."""
    sent = number.sent
    before = sent.text_with_ws[:_figure_start(number) - sent.start_char]  # not doc.text: it joins the whole Doc
    if _INSTEAD_OF.search(before):
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
