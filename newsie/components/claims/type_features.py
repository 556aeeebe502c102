"""Features of a figure's context for the event-type classifier (`event_type_model`).

Each feature family is a function of the parse and the taxonomy, never of a word list fit
to an article:
- `rule`: the type the taxonomy rules give (`counted.event_type`), fine and coarse;
- `noun`: the counted noun, its fallback type, entity label and modifiers ("wounded soldiers");
- `gov`: the words governing the figure in the parse, nearest first, and their taxonomy types;
- `coord`: event words coordinated with the governing verb ("killed or wounded");
- `sent` / `prev`: the taxonomy types of the event words in the figure's sentence and in the
  sentence before it ("The toll rose to 64. Of these, 18 were children");
- `near`: the lemmas next to the number (a window of three on each side);
- `list`: the figure's place in a list ("14 in the capital, nine in the port");
- `unit`: money and measures;
- `doc`: the rule types of the document's other figures, and of the figure before this one
  (added by `document_features` once the whole document is read).
"""
from __future__ import annotations

from collections import Counter

from spacy.tokens import Span, Token

from .linear import Features
from .taxonomy import Taxonomy

# The guide's coarse kinds; every finer type of the taxonomy reports as "other".
COARSE_TYPES = ("killed", "wounded", "casualties", "deployed", "supplied", "infected", "cases", "other")
WINDOW = 3


# Finer types that report as a coarse kind other than "other" (the guide: hospitalized or
# treated after violence, an accident or a poisoning is wounded).
COARSE_OF = {"hospitalized": "wounded"}


def coarse(event: str | None) -> str:
    return event if event in COARSE_TYPES else COARSE_OF.get(event or "", "other")


def word_types(token: Token, tax: Taxonomy) -> set[str]:
    """The taxonomy types a word names, as a verb or as a noun ("died", "deaths", "wounded")."""
    lemma = token.lemma_.lower()
    found: set[str] = set()
    if token.pos_ in ("VERB", "AUX") or token.tag_ == "VBN":
        found |= tax.types_of(lemma, as_verb=True)
    if token.pos_ in ("NOUN", "ADJ", "PROPN", "VERB"):
        found |= tax.types_of(lemma, as_verb=False) | tax.types_of(token.lower_, as_verb=False)
    return found


def _sentence_types(sent: Span, tax: Taxonomy) -> Counter:
    return Counter(t for token in sent for t in word_types(token, tax))


def figure_features(number: Token, noun: Token | None, span: Span, rule_type: str | None, unit: str | None,
                    tax: Taxonomy) -> Features:
    f: Features = {"bias": 1.0, f"rule={rule_type or 'none'}": 1.0, f"rule_coarse={coarse(rule_type)}": 1.0}
    # noun
    if noun is None:
        f["noun=none"] = 1.0
    else:
        lemma = noun.lemma_.lower()
        f[f"noun={lemma}"] = 1.0
        f[f"noun_fallback={tax.fallback_type(lemma) or 'none'}"] = 1.0
        f[f"noun_ent={noun.ent_type_ or 'none'}"] = 1.0
        if lemma in tax.materiel:
            f["noun_materiel"] = 1.0
        for t in tax.types_of(lemma, as_verb=False):
            f[f"noun_type={t}"] = 1.0
        for child in noun.children:
            if child.dep_ in ("amod", "compound", "acl", "nmod") and child.i not in range(span.start, span.end):
                f[f"noun_mod={child.lemma_.lower()}"] = 1.0
                for t in word_types(child, tax) | tax.types_of(child.lemma_.lower(), as_verb=True):
                    f[f"noun_mod_type={t}"] = 1.0
    # governing words, nearest first
    start = noun if noun is not None else number
    depth = 0
    for ancestor in start.ancestors:
        if ancestor.i in range(span.start, span.end):
            continue
        depth += 1
        lemma = ancestor.lemma_.lower()
        f[f"gov{min(depth, 3)}={lemma}"] = 1.0
        for t in word_types(ancestor, tax):
            f[f"gov_type={t}"] = f.get(f"gov_type={t}", 0.0) + 1.0 / depth
        for conj in ancestor.conjuncts:
            for t in word_types(conj, tax):
                f[f"coord_type={t}"] = 1.0
        if depth >= 3:
            break
    f[f"dep={number.dep_}"] = 1.0
    if number.head.i != number.i:
        f[f"head_dep={number.head.dep_}"] = 1.0
    # the sentence and the one before
    sent = span.sent
    for t, n in _sentence_types(sent, tax).items():
        f[f"sent_type={t}"] = min(n, 3) / 3
    if sent.start > 0:
        previous = span.doc[sent.start - 1].sent
        for t, n in _sentence_types(previous, tax).items():
            f[f"prev_type={t}"] = min(n, 3) / 3
    if tax.names_a_disease(sent):
        f["sent_disease"] = 1.0
    # words next to the number
    for token in span.doc[max(sent.start, number.i - WINDOW): number.i]:
        if not token.is_punct and not token.like_num:
            f[f"left={token.lemma_.lower()}"] = 1.0
    for token in span.doc[number.i + 1: min(sent.end, number.i + 1 + WINDOW)]:
        if not token.is_punct and not token.like_num:
            f[f"right={token.lemma_.lower()}"] = 1.0
    # a list of figures: "14 in the capital, nine in the port and one in the north"
    if number.dep_ in ("conj", "appos") or any(c.dep_ == "conj" and c.like_num for c in number.children):
        f["list"] = 1.0
    if any(t.text in "()" for t in span.doc[max(sent.start, number.i - 2): number.i + 3]):
        f["bracketed"] = 1.0
    f[f"unit={unit or 'none'}"] = 1.0
    return f


def document_features(rule_types: list[str | None], sentence_starts: list[int]) -> list[Features]:
    """Per figure: the share of each rule type among the document's figures, and the rule type
    of the figure before it (and whether that one is in the same sentence)."""
    counts = Counter(coarse(t) for t in rule_types if t)
    total = sum(counts.values()) or 1
    shared = {f"doc_type={t}": n / total for t, n in counts.items()}
    out = []
    for i, _ in enumerate(rule_types):
        f = dict(shared)
        if i > 0:
            same = sentence_starts[i - 1] == sentence_starts[i]
            f[f"before{'_same' if same else ''}={coarse(rule_types[i - 1])}"] = 1.0
        out.append(f)
    return out
