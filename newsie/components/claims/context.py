"""What surrounds a figure: hedges and negation, the places of its sentence and the named
participants of its phrase and clause."""
from __future__ import annotations

from spacy.tokens import Span, Token

from ...syntax import entity_at, is_cue_verb

HEDGES = {"reportedly", "allegedly", "purportedly", "apparently", "possibly", "likely", "probably",
          "appear", "seem", "may", "might", "could", "suggest", "believe", "estimate", "unconfirmed"}
LOCATION_LABELS = {"GPE", "LOC", "FAC"}
ACTOR_LABELS = {"NORP", "ORG", "GPE", "PERSON"}


def is_hedged(span: Span, number: Token) -> bool:
    lemmas = {t.lemma_.lower() for t in span.sent}
    return bool(lemmas & HEDGES)


def is_negated(number: Token, noun: Token | None) -> bool:
    for node in [number, *number.ancestors]:
        if any(c.dep_ == "neg" for c in node.children):
            return True
        if node.pos_ == "VERB":
            break
    return noun is not None and any(c.lower_ == "no" for c in noun.children)


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
