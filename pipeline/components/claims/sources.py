"""Who said a figure: the innermost attribution whose content holds it, and each source's
one canonical name (pronouns take their antecedent, "a report from the NIS" names the NIS,
the alias file and the document's own names apply)."""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ...extensions import Attribution
from ...normalize.aliases import AliasTable
from ...syntax import is_pronoun, issuer_phrase, span_canonical


def attribution_for(span: Span, attributions: list[Attribution]) -> tuple[int | None, Attribution | None]:
    """The innermost attribution whose content holds the figure and that names a source."""
    best, best_size = (None, None), None
    for index, a in enumerate(attributions):
        if a.source is None or (a.source.start_char < span.end_char and span.start_char < a.source.end_char):
            continue
        holding = [c for c in a.content if c.start_char <= span.start_char and span.end_char <= c.end_char]
        if not holding:
            continue
        size = min(c.end_char - c.start_char for c in holding)
        if best_size is None or size < best_size:
            best, best_size = (index, a), size
    return best


def attribution_for_claim(doc: Doc, span: Span, attributions: list[Attribution]) -> tuple[int | None, Attribution | None]:
    """The innermost attribution holding the figure, among the Doc's attributions and the
    rule attributions a trained component left (Doc._.rule_attributions); one of those that
    wins joins the Doc's attributions so the claim can link to it."""
    fallbacks = doc._.rule_attributions or []
    index, found = attribution_for(span, attributions + fallbacks)
    if found is None or index < len(attributions):
        return index, found
    fallbacks.remove(found)
    attributions.append(found)
    return len(attributions) - 1, found


def resolve_sources(doc: Doc, attributions: list[Attribution], aliases: AliasTable) -> None:
    """Set each attribution's canonical source name; pronouns take their antecedent."""
    entities = None  # doc.ents builds new Spans on every access: once per document
    for index, a in enumerate(attributions):
        if a.source is None:
            continue
        if is_pronoun(a.source):
            entities = list(doc.ents) if entities is None else entities
            a.canonical = _antecedent(entities, a.source, attributions[:index])
        else:
            speaker = issuer_phrase(a.source)
            a.canonical = span_canonical(speaker, aliases) or _plain_name(speaker)


def _antecedent(entities: list[Span], pronoun: Span, earlier: list[Attribution]) -> str | None:
    """who/which/that -> the noun the relative clause hangs on; he/she -> the last person
    named before; it/they/we -> the last named source or organization."""
    relative = _relative_antecedent(pronoun[0])
    if relative is not None:
        return _plain_name(relative)
    personal = pronoun[0].lower_ in ("he", "she")
    labels = {"PERSON"} if personal else {"ORG", "GPE", "NORP", "PERSON"}
    for ent in reversed([e for e in entities if e.end <= pronoun.start and e.label_ in labels]):
        return ent._.canonical or ent.text
    named = [a for a in earlier if a.canonical]
    return named[-1].canonical if named else None


def _relative_antecedent(token: Token) -> Span | None:
    """"The ministry, which does not ..., said": the noun phrase the relative clause modifies."""
    if token.lower_ not in ("who", "which", "that"):
        return None
    clause = token.head
    if clause.dep_ != "relcl":
        return None
    noun = clause.head
    keep = [t for t in noun.subtree if not (t.i >= clause.left_edge.i and t.i <= clause.right_edge.i)]
    words = [t for t in keep if not t.is_punct]
    return noun.doc[words[0].i: words[-1].i + 1] if words else None


def _plain_name(span: Span) -> str:
    text = " ".join(span.text.split())
    return text[4:] if text.lower().startswith("the ") else text
