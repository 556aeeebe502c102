"""Each source's one canonical name (pronouns take their antecedent, "a report from the NIS" names the NIS,
the alias file and the document's own names apply)."""
from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from ...extensions import Attribution
from ...normalize.aliases import AliasTable, clean_name
from ...syntax import REPORT_NOUNS, SentenceIndex, is_cue_verb, is_pronoun, issuer_phrase, span_canonical


# Heads of a definite noun phrase that stands for a body named earlier ("the organization
# said", "the agency added"); report nouns ("the report", "the statement") stand for their issuer.
BODY_NOUNS = {
    "organization", "organisation", "agency", "ministry", "department", "office", "group", "body",
    "government", "authority", "administration", "commission", "committee", "council", "institute",
    "center", "centre", "service", "company", "firm", "network", "broadcaster", "newspaper", "observatory",
    "charity", "alliance", "coalition", "military", "army", "force", "police", "court", "mission", "bureau",
}
BODY_LABELS = {"ORG", "NORP"}
# Bodies a function word names ("the home ministry", "the fire department"): with one, the
# phrase is the body's name unless a body named before holds the head noun.
NAMED_BY_FUNCTION = {"ministry", "department"}


def resolve_sources(doc: Doc, attributions: list[Attribution], aliases: AliasTable) -> None:
    """Set each attribution's canonical source name (and `antecedent`, the span it was taken
    from, when that is not the source itself): pronouns and generic nouns ("It said", "the
    organization said", "the report added") take the last compatible body or person named
    before them."""
    entities = None  # doc.ents builds new Spans on every access: once per document
    quoted = []
    for index, a in enumerate(attributions):
        if a.source is None:
            continue
        if _first_person(a.source):
            quoted.append(a)
            continue
        generic = is_pronoun(a.source) or _is_generic(a.source)
        if generic:
            entities = list(doc.ents) if entities is None else entities
            antecedent = _antecedent(entities, a.source, attributions[:index], a.content)
            if antecedent is not None:
                a.canonical, a.antecedent = antecedent
                continue
            if is_pronoun(a.source):
                a.canonical = None
                continue
        speaker = issuer_phrase(a.source)
        a.canonical = span_canonical(speaker, aliases) or _plain_name(speaker)
    for a in quoted:  # "“We recorded 512 killings,” Maria Lopez said": we are the quote's speaker
        outer = _enclosing(a, attributions)
        a.canonical, a.antecedent = (outer.canonical, outer.antecedent or outer.source) if outer else (None, None)


FIRST_PERSON = {"i", "we", "me", "us"}


def _first_person(source: Span) -> bool:
    return len(source) == 1 and source[0].lower_ in FIRST_PERSON


def _enclosing(a: Attribution, attributions: list[Attribution]) -> Attribution | None:
    """The attribution whose content holds this one's cue and that names a speaker."""
    holding = [o for o in attributions if o is not a and o.canonical and a.cue is not None
               and any(c.start_char <= a.cue.start_char and a.cue.end_char <= c.end_char for c in o.content)]
    return min(holding, key=lambda o: min(c.end_char - c.start_char for c in o.content), default=None)


def _is_generic(source: Span) -> bool:
    """"The organization", "the agency", "this report": a determiner and a common noun that
    names no one by itself."""
    words = [t for t in source if not t.is_punct]
    if not 2 <= len(words) <= 3 or words[0].lower_ not in ("the", "this", "that"):
        return False
    head = source.root
    if any(t.pos_ == "PROPN" or t.ent_type_ for t in words[1:]):
        return False
    return head.pos_ == "NOUN" and (head.lemma_.lower() in BODY_NOUNS or head.lemma_.lower() in REPORT_NOUNS)


def _antecedent(entities: list[Span], source: Span, earlier: list[Attribution],
                content: list[Span] = ()) -> tuple[str, Span] | None:
    """(name, span it comes from) for a pronoun or generic source, never one named inside its
    own `content`: who/which/that -> the noun the relative clause hangs on; he/she -> the latest person quoted in the few sentences
    before, else the last person named; it/they/we and
    generic nouns -> the latest body named before: an earlier attribution's source that is not
    a person, or an organization ("the organization" prefers one whose name holds its noun)."""
    first = source[0]
    relative = _relative_antecedent(first)
    if relative is not None:
        return _plain_name(relative), relative
    # nothing named inside what the pronoun's speaker says ("The rebels killed three, it said"),
    # unless as a speaker there ("the toll as confirmed by the police topped 1,217, they said")
    said = [(c.start, c.end) for c in content]

    def outside(span: Span) -> bool:
        return not any(s <= span.start and span.end <= t for s, t in said) or _a_speaker(span)

    before = [e for e in entities if e.end <= source.start and outside(e)]
    earlier = [a for a in earlier if a.source is None or outside(a.source)]
    if first.lower_ in ("he", "she", "his", "her"):
        # the latest person quoted before, within a few sentences, is who "he said" continues;
        # else the last person named (a place the parser took for a person is no speaker)
        speakers = [a for a in earlier if a.source is not None and a.canonical and _is_person(a)
                    and not is_pronoun(a.source) and a.source.end <= source.start
                    and _sentences_between(a.source, source) <= SPEAKER_SENTENCES]
        if speakers:
            latest = max(speakers, key=lambda a: a.source.start)
            return latest.canonical, latest.antecedent or latest.source
        people = [e for e in before if e.label_ == "PERSON"]
        return (_entity_name(people[-1]), people[-1]) if people else None
    head = source.root.lower_ if not is_pronoun(source) else None
    if head is not None and head not in REPORT_NOUNS:
        naming = [e for e in before if e.label_ in BODY_LABELS and head in e.text.lower()]
        if naming:
            return _entity_name(naming[-1]), naming[-1]
        if source.root.lemma_.lower() in NAMED_BY_FUNCTION and any(c.dep_ in ("compound", "amod") for c in source.root.children):
            return None  # "the home ministry", "the health department": a name, not a reference back
    candidates = [(e.start, _entity_name(e), e) for e in before if e.label_ in BODY_LABELS]
    singular = first.lower_ in ("it", "its")  # "it adds" is not "recent studies"
    candidates += [(a.source.start, a.canonical, a.antecedent or a.source) for a in earlier
                   if a.source is not None and a.canonical and a.source.end <= source.start and not _is_person(a)
                   and not (singular and a.source.root.tag_ == "NNS")]
    if not candidates and first.lower_ in ("it", "they", "we", "its", "their"):
        candidates = [(e.start, _entity_name(e), e) for e in before if e.label_ == "GPE"]
    if not candidates:
        return None
    _, name, span = max(candidates, key=lambda c: c[0])
    return name, span


SPEAKER_SENTENCES = 4


def _a_speaker(span: Span) -> bool:
    """The subject or the agent of a verb of saying ("the police said", "confirmed by the police")."""
    root = span.root
    verb = root.head.head if root.dep_ == "pobj" and root.head.dep_ == "agent" else root.head
    return root.dep_ in ("nsubj", "pobj") and is_cue_verb(verb)


def _sentences_between(a: Span, b: Span) -> int:
    index = a.doc.user_span_hooks.get("sent")
    if isinstance(index, SentenceIndex):
        return index.index(b.start) - index.index(a.end - 1)
    return sum(1 for t in a.doc[a.end: b.start] if t.is_sent_start)


def _entity_name(entity: Span) -> str:
    return entity._.canonical or _plain_name(entity)


def _is_person(a: Attribution) -> bool:
    root = a.source.root
    return root.ent_type_ == "PERSON" or root.lower_ in ("he", "she", "i", "his", "her")


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
    text = clean_name(span.text)
    for article in ("the ", "an ", "a "):
        if text.lower().startswith(article):
            return text[len(article):]
    return text
