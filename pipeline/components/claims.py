"""Stage 5: event records, one per reported figure, from the annotated Doc.

For each normalized quantity: what is counted (the noun the number modifies, or "X" in
"hundreds of X"), the event type (configs/event_types.cfg, looking up the parse from the
number), who said it (the innermost attribution whose content holds the figure; pronoun
and short-name sources resolved to a full name), when (the time expression of the same
clause, else of the sentence), where and who took part (entities), and whether it is
hedged or negated. Figures that count nothing an analyst tracks ("the two nations") stay
mentions only.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import srsly
from confection import Config
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import ensure_path

from .. import extensions  # noqa: F401
from ..extensions import Attribution
from ..paths import CONFIGS
from .attribution import CUE_VERBS, FALLBACKS_KEY, is_pronoun, issuer_of, source_phrase
from .entities import entity_at, span_canonical

CLAIM_KINDS = {"count", "vague", "money"}
STEP_WORDS = {"more", "additional", "other", "extra", "fewer", "another", "further", "new"}
HEDGES = {"reportedly", "allegedly", "purportedly", "apparently", "possibly", "likely", "probably",
          "appear", "seem", "may", "might", "could", "suggest", "believe", "estimate", "unconfirmed"}
LOCATION_LABELS = {"GPE", "LOC", "FAC"}
ACTOR_LABELS = {"NORP", "ORG", "GPE", "PERSON"}


@dataclass
class Taxonomy:
    order: list[str]
    verbs: dict[str, set[str]]
    nouns: dict[str, set[str]]
    fallback: dict[str, set[str]]
    materiel: set[str]
    countable: set[str]
    not_counted: set[str]

    @classmethod
    def from_config(cls, cfg: dict) -> "Taxonomy":
        types = cfg["types"]
        order = list(types["order"])
        return cls(order,
                   {t: set(types[t]["verbs"]) for t in order},
                   {t: set(types[t]["nouns"]) for t in order},
                   {t: set(types[t]["fallback_nouns"]) for t in order},
                   set(cfg["materiel"]["nouns"]), set(cfg["countable"]["nouns"]), set(cfg["not_counted"]["nouns"]))

    @classmethod
    def from_disk(cls, path: str | Path) -> "Taxonomy":
        return cls.from_config(Config().from_disk(path))

    def types_of(self, lemma: str, as_verb: bool) -> set[str]:
        table = self.verbs if as_verb else self.nouns
        return {t for t in self.order if lemma in table[t]}

    def fallback_type(self, lemma: str) -> str | None:
        return next((t for t in self.order if lemma in self.fallback[t]), None)

    def to_dict(self) -> dict:
        return {"order": self.order, "verbs": {k: sorted(v) for k, v in self.verbs.items()},
                "nouns": {k: sorted(v) for k, v in self.nouns.items()},
                "fallback": {k: sorted(v) for k, v in self.fallback.items()},
                "materiel": sorted(self.materiel), "countable": sorted(self.countable),
                "not_counted": sorted(self.not_counted)}

    @classmethod
    def from_dict(cls, d: dict) -> "Taxonomy":
        as_sets = lambda m: {k: set(v) for k, v in m.items()}  # noqa: E731
        return cls(d["order"], as_sets(d["verbs"]), as_sets(d["nouns"]), as_sets(d["fallback"]),
                   set(d["materiel"]), set(d["countable"]), set(d["not_counted"]))


@Language.factory(
    "newsie_claims",
    requires=["doc._.quantities", "doc._.timexes", "doc._.attributions", "doc.ents", "token.dep"],
    assigns=["doc._.claims"],
    default_config={"taxonomy_path": None},
)
def make_claim_builder(nlp: Language, name: str, taxonomy_path: str | None):
    return ClaimBuilder(nlp, name, taxonomy_path=taxonomy_path)


class ClaimBuilder:
    def __init__(self, nlp: Language, name: str = "newsie_claims", *, taxonomy_path: str | None = None):
        self.nlp = nlp
        self.name = name
        self.taxonomy = Taxonomy.from_disk(taxonomy_path or CONFIGS / "event_types.cfg")

    def __call__(self, doc: Doc) -> Doc:
        attributions = doc._.attributions or []
        for group in (attributions, doc.user_data.get(FALLBACKS_KEY, [])):
            resolve_sources(doc, group, self._canonicalizer())
        claims: list[dict] = []
        for span in doc._.quantities or []:
            claim = self.build_claim(doc, span, attributions, claims)
            if claim is not None:
                claims.append(claim)
        date_restated_figures(claims)
        doc._.claims = claims
        doc.user_data.pop(FALLBACKS_KEY, None)  # Spans in user_data would break Doc serialization
        return doc

    def _canonicalizer(self):
        return self.nlp.get_pipe("newsie_entities") if "newsie_entities" in self.nlp.pipe_names else None

    def build_claim(self, doc: Doc, span: Span, attributions: list[Attribution], earlier: list[dict]) -> dict | None:
        q = span._.quantity
        if q is None or q.kind not in CLAIM_KINDS | {"measure"} or _in_a_source(span, attributions):
            return None  # "two officials said ..." counts the speakers, not the event
        number = _number_token(span)
        noun = counted_noun(number, span)
        event = self.event_type(number, noun, span)
        same_sentence = [c for c in earlier if c["sentence_start"] == span.sent.start_char]
        inherits = noun is None and same_sentence and _is_clause_argument(number, span)
        if event is None and inherits:
            event = same_sentence[-1]["event_type"]  # "... 300 soldiers had died and another 2,700 had been injured"
        if not self.is_claim(q, number, noun, event):
            return None
        attribution_index, attribution = attribution_for_claim(doc, span, attributions)
        if attribution is None and same_sentence and same_sentence[-1]["attribution_index"] is not None:
            # "the NIS said about 300 had died, and 2,700 were injured": one source per sentence
            attribution_index = same_sentence[-1]["attribution_index"]
            attribution = attributions[attribution_index]
        timex = time_for(span, number, noun, doc._.timexes or [], attribution)
        source = attribution.source if attribution is not None else None
        return {
            "event_type": event or "other",
            "quantity_start": q.start, "quantity_end": q.end, "quantity_text": q.text,
            "value": q.value, "low": q.low, "high": q.high, "unit": q.unit,
            "approximate": q.approximate, "qualifier": q.qualifier,
            "counted": counted_text(noun) if noun is not None else (same_sentence[-1]["counted"] if inherits else None),
            "source_text": source.text if source is not None else None,
            "source_canonical": attribution.canonical if attribution is not None and source is not None else None,
            "attribution_index": attribution_index,
            "time_text": timex.text if timex is not None else None,
            "time_start": timex._.timex.start if timex is not None else None,
            "time_end": timex._.timex.end if timex is not None else None,
            "locations": _entity_names(span.sent, LOCATION_LABELS, exclude=source),
            "actors": actors_of(number, noun, exclude=source),
            "hedged": is_hedged(span, number), "negated": is_negated(number, noun),
            "sentence_start": span.sent.start_char, "sentence_end": span.sent.end_char,
        }

    def is_claim(self, q, number: Token, noun: Token | None, event: str | None) -> bool:
        if noun is not None and noun.lemma_.lower() in self.taxonomy.not_counted:
            return False  # "shot 41 times", "for 15 years"
        if is_reference(q, number) or is_rate(number):
            return False
        if q.kind == "money":
            return True
        if event is not None:
            return True  # a measure too, when an event governs it: "the fire burned 5,000 acres"
        if q.kind == "measure" or q.unit == "fraction":
            return False
        return noun is not None and noun.lemma_.lower() in self.taxonomy.countable

    def event_type(self, number: Token, noun: Token | None, span: Span) -> str | None:
        tax = self.taxonomy
        if noun is not None:
            direct = tax.types_of(noun.lemma_.lower(), as_verb=False) | _modifier_types(noun, tax)
            if direct:
                return _combine(direct, tax)
        for level in _context_levels(number, noun, span):
            found: set[str] = set()
            for token in level:
                lemma = token.lemma_.lower()
                if token.pos_ in ("VERB", "AUX") or token.tag_ == "VBN":
                    found |= tax.types_of(lemma, as_verb=True)
                if token.pos_ in ("NOUN", "ADJ", "PROPN", "VERB"):
                    found |= tax.types_of(lemma, as_verb=False) | tax.types_of(token.lower_, as_verb=False)
            if found:
                event = _combine(found, tax)
                if event == "deployed" and noun is not None and noun.lemma_.lower() in tax.materiel:
                    return "supplied"
                return event
        if noun is not None:
            return tax.fallback_type(noun.lemma_.lower())
        return None

    # serialization: the taxonomy travels with the pipeline
    def to_disk(self, path, *, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "taxonomy.json", self.taxonomy.to_dict())

    def from_disk(self, path, *, exclude=tuple()):
        self.taxonomy = Taxonomy.from_dict(srsly.read_json(ensure_path(path) / "taxonomy.json"))
        return self


# --- the parse around a figure ------------------------------------------------------------

def _number_token(span: Span) -> Token:
    nums = [t for t in span if t.like_num or any(ch.isdigit() for ch in t.text)]
    return nums[-1] if nums else span.root


def counted_noun(number: Token, span: Span) -> Token | None:
    """The noun a figure counts: "300 North Korean soldiers", "hundreds of artillery pieces",
    "400 of the troops", "3,000 more soldiers"."""
    of_object = _of_object(number)
    if of_object is not None:
        return of_object
    token = number
    for _ in range(4):  # climb through the number's own words: "10,000-12,000", "3,000 more"
        head = token.head
        if head.i == token.i:
            return None
        if head.i in range(span.start, span.end) or head.like_num or head.lower_ in STEP_WORDS:
            of_object = _of_object(head)
            if of_object is not None:
                return of_object
            token = head
            continue
        break
    if token.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "det", "npadvmod") and token.head.pos_ in ("NOUN", "PROPN"):
        head = token.head
        return head if not head.like_num else None
    return None


def _of_object(token: Token) -> Token | None:
    prep = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None)


def counted_text(noun: Token) -> str:
    """The counted noun with its noun compounds: "shipping containers", "special forces"."""
    left = [c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "NOUN" and not c.ent_type_]
    start = min([c.i for c in left] + [noun.i])
    return noun.doc[start: noun.i + 1].text


def _modifier_types(noun: Token, tax: Taxonomy) -> set[str]:
    """"soldiers wounded in Ukraine", "dead civilians": a participle on the counted noun."""
    found: set[str] = set()
    for child in noun.children:
        if child.dep_ in ("acl", "amod") and child.tag_ in ("VBN", "JJ", "VBD"):
            found |= tax.types_of(child.lemma_.lower(), as_verb=True) | tax.types_of(child.lower_, as_verb=False)
    return found


def _context_levels(number: Token, noun: Token | None, span: Span):
    """Groups of tokens to look for event words in, nearest first: the number's own
    modifiers, then each ancestor with its subject/object phrases, up to the first verb of
    saying (what lies above "said" is about the saying, not the event)."""
    yield [c for c in number.children if c.dep_ in ("amod", "acl", "conj", "appos") and c.i not in range(span.start, span.end)]
    start = noun if noun is not None else number
    for ancestor in start.ancestors:
        if ancestor.i in range(span.start, span.end):
            continue
        if ancestor.lemma_.lower() in CUE_VERBS and ancestor.pos_ in ("VERB", "AUX"):
            return
        # "killed or wounded ... at 4,000": a conjoined verb with no figure of its own shares ours
        level = [ancestor] + [c for c in ancestor.conjuncts if not _has_own_arguments(c) and not _has_own_arguments(ancestor)]
        for child in ancestor.children:
            if child.dep_ in ("dobj", "obj", "nsubj", "nsubjpass", "attr", "acomp", "oprd") and child.i != start.i:
                level.extend(t for t in child.subtree if t.i - child.i < 8)
        yield level


def date_restated_figures(claims: list[dict]) -> None:
    """A figure in a headline or lede is usually restated further down with its date ("3,000
    more soldiers" ... "the 3,000 additional troops were deployed in January and February"):
    an undated claim takes the time of a dated claim of the same document with the same
    figure and event type."""
    def figure(c: dict) -> tuple:  # the stated figure: "at least 3,000" restates "3,000"
        return (c["event_type"], c["value"]) if c["value"] is not None else (c["event_type"], c["low"], c["high"])

    dated = {}
    for c in claims:
        if c["time_start"] is not None:
            dated.setdefault(figure(c), c)
    for c in claims:
        twin = dated.get(figure(c))
        if c["time_start"] is None and twin is not None and (c["value"] is not None or c["low"] is not None):
            c.update(time_text=twin["time_text"], time_start=twin["time_start"], time_end=twin["time_end"])


def _has_own_arguments(verb: Token) -> bool:
    """A clause of its own (a subject, or a figure among its arguments), not a bare
    coordinated participle like "killed" in "killed or wounded"."""
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return True
    return any(t.like_num for c in verb.children if c.dep_ in ("dobj", "obj") for t in c.subtree)


def _combine(types: set[str], tax: Taxonomy) -> str:
    if {"killed", "wounded"} <= types or "casualties" in types:
        return "casualties"
    return next(t for t in tax.order if t in types)


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
    if verb is not None and verb.lemma_.lower() not in CUE_VERBS:
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.i != number.i:
            tokens.extend(subject.subtree)
    names = []
    for token in tokens:
        if token.ent_type_ in ACTOR_LABELS and token.ent_iob_ == "B" and not _inside(token, exclude):
            ent = entity_at(token)
            names.append(ent._.canonical or ent.text)
    return list(dict.fromkeys(names))


def _entity_names(sent: Span, labels: set[str], exclude: Span | None) -> list[str]:
    names = [e._.canonical or e.text for e in sent.ents if e.label_ in labels and not _inside(e[0], exclude)]
    return list(dict.fromkeys(names))


def _inside(token: Token, span: Span | None) -> bool:
    return span is not None and span.start <= token.i < span.end


# --- sources --------------------------------------------------------------------------------

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


def _dates_the_statement(timex: Span, attribution: Attribution | None) -> bool:
    """"said during a visit to Kyiv on Tuesday": under the cue verb, outside what was said."""
    if attribution is None or attribution.cue is None:
        return False
    cue = attribution.cue.root
    governing_verb = next((a for a in timex.root.ancestors if a.pos_ in ("VERB", "AUX")), None)
    return governing_verb is not None and governing_verb.i == cue.i and not attribution.covers(timex.start_char, timex.end_char)


def _is_clause_argument(number: Token, span: Span) -> bool:
    """A figure standing alone as a verb's argument ("another 2,700 had been injured",
    "at around 1,200") may share the counted noun of the sentence's earlier figure; one
    inside a noun phrase ("the ages of 5 and 17") may not."""
    token = number
    while token.head.i != token.i and (token.head.i in range(span.start, span.end) or token.dep_ in ("quantmod", "compound")):
        token = token.head
    if token.dep_ in ("nsubj", "nsubjpass", "dobj", "obj", "attr", "acomp", "oprd", "dative", "conj", "appos", "npadvmod", "ROOT"):
        return True
    return token.dep_ == "pobj" and token.head.head.pos_ in ("VERB", "AUX", "ADJ", "ADV")


def attribution_for_claim(doc: Doc, span: Span, attributions: list[Attribution]) -> tuple[int | None, Attribution | None]:
    """The innermost attribution holding the figure, among the Doc's attributions and the
    rule fallbacks a trained component left (doc.user_data); a fallback that wins joins the
    Doc's attributions so the claim can link to it."""
    fallbacks = doc.user_data.get(FALLBACKS_KEY, [])
    index, found = attribution_for(span, attributions + fallbacks)
    if found is None or index < len(attributions):
        return index, found
    fallbacks.remove(found)
    attributions.append(found)
    return len(attributions) - 1, found


def _in_a_source(span: Span, attributions: list[Attribution]) -> bool:
    return any(a.source is not None and a.source.start_char <= span.start_char and span.end_char <= a.source.end_char
               for a in attributions)


def resolve_sources(doc: Doc, attributions: list[Attribution], canonicalizer) -> None:
    """Set each attribution's canonical source name; pronouns take their antecedent."""
    entities = None  # doc.ents builds new Spans on every access: once per document
    for index, a in enumerate(attributions):
        if a.source is None:
            continue
        if is_pronoun(a.source):
            entities = list(doc.ents) if entities is None else entities
            a.canonical = _antecedent(entities, a.source, attributions[:index])
        else:
            speaker = _issuer_span(a.source)
            a.canonical = span_canonical(speaker, canonicalizer) or _plain_name(speaker)


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


def _issuer_span(source: Span) -> Span:
    """"a January report from the NIS" names the NIS; other sources name themselves."""
    issuer = issuer_of(source.root)
    return source if issuer is None else source_phrase(issuer)


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


def time_for(span: Span, number: Token, noun: Token | None, timexes: list[Span],
             attribution: Attribution | None = None) -> Span | None:
    """The time expression governing the figure, nearest first: one describing the counted
    thing ("11,000 soldiers, who were sent in autumn"), one in the figure's own clause that
    does not date the statement ("said on Thursday"), else the nearest in the sentence."""
    sent = span.sent
    in_sentence = [t for t in timexes if sent.start_char <= t.start_char < sent.end_char and t._.timex.start is not None]
    if not in_sentence:
        return None
    verb = next((a for a in number.ancestors if a.pos_ in ("VERB", "AUX")), None)
    scopes = [noun, verb] if noun is not None and noun.i != number.i else [verb]
    for scope in scopes:
        if scope is None:
            continue
        inside = {t.i for t in scope.subtree}
        candidates = [t for t in in_sentence if t.root.i in inside and not _dates_the_statement(t, attribution)]
        if candidates:
            return min(candidates, key=lambda t: abs(t.start_char - span.start_char))
    # a day that dates the statement ("said on Tuesday") says when it was said, not when the
    # counted thing happened; a month or season there ("In January, the NIS said") still does
    rest = [t for t in in_sentence if not (_dates_the_statement(t, attribution) and t._.timex.start == t._.timex.end)]
    return min(rest, key=lambda t: abs(t.start_char - span.start_char)) if rest else None
