"""Rule attribution: who says what, from the dependency parse (the "newsie_attribution_rules"
component).

Patterns (source / cue / content):
- verbs of saying and their kin ("said", "told", "estimated", "confirmed", "reported") with
  the subject as source and the complement as content; a conjoined or adverbial verb
  without a subject ("..., estimating about 4,000") takes its head's subject; a passive
  or participle ("soldiers reported by Seoul's intelligence services") takes the agent;
- "according to X" and "citing X" ... "X" as source of the clause it modifies;
- "put / place / peg the number (toll, figure) at N", "raised / lowered / revised the toll to N";
- a cue after its content, its speaker after it: "..., reported the state news agency";
- report nouns as subjects ("U.S. estimates were lower at around 1,200", "Intelligence
  reports indicate ..."), with "a report from the NIS" resolved to the NIS;
- headline attributions "...: Seoul" and "..., S. Korea says".

mode "replace": the rules are the attribution stage (configs/pipeline_rules.cfg). mode
"fallback": the trained component (`newsie.attribution.component`) ran first; its
attributions and these are combined by `newsie.attribution.merge`, and the rules' own
attributions stay on Doc._.rule_attributions for figures no trained attribution holds.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .. import extensions  # noqa: F401
from ..extensions import Attribution
from ..syntax import (
    CUE_VERBS, PRONOUNS, QUOTE_PAIRS, REPORT_NOUNS, inside_quotes, is_cue_verb, is_dateline, issuer_of, source_phrase,
)
from .merge import merge_into

FIGURE_SETTERS = {"put", "place", "peg", "set", "fix", "raise", "lower", "revise", "update", "increase", "reduce", "bring"}
FIGURE_NOUNS = {"number", "figure", "toll", "tally", "count", "total", "estimate", "death", "casualty"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
INHERITING_DEPS = {"conj", "advcl", "xcomp", "pcomp"}
CONTENT_DEPS = {"ccomp", "xcomp", "dobj", "obj", "attr", "oprd", "parataxis", "advcl", "conj", "dep"}
SOURCE_NOUNS = {
    "official", "source", "authority", "expert", "analyst", "witness", "observer", "media", "police",
    "ministry", "government", "agency", "spokesman", "spokeswoman", "spokesperson", "military", "army",
    "investigator", "researcher", "scientist", "doctor", "resident", "activist", "monitor", "group",
    "organization", "organisation", "office", "department", "service", "intelligence", "lawmaker",
    "diplomat", "officer", "commander", "leader", "president", "minister", "report", "data", "estimate",
    "figure", "survey", "study", "statement", "newspaper", "outlet", "people", "person",
    "governor", "mayor", "chief", "director", "head", "secretary", "prosecutor", "coroner", "sheriff",
    "ambassador", "envoy", "general", "colonel", "captain", "inspector", "organizer", "organiser",
    "hospital", "council", "committee", "commission", "union", "tally", "count", "list", "record",
}
EVIDENCE_NOUNS = {"intelligence", "evidence", "information", "imagery", "footage", "sign", "indication"}


@Language.factory(
    "newsie_attribution_rules",
    # token.pos comes from the base model's attribute_ruler, which maps token.tag and declares
    # no assigns: the tagger is what this needs.
    requires=["doc.sents", "token.dep", "token.lemma", "token.tag"],
    assigns=["doc._.attributions", "doc._.rule_attributions"],
    default_config={"mode": "replace"},
)
def make_rule_attribution(nlp: Language, name: str, mode: str):
    return RuleAttribution(name, mode=mode)


class RuleAttribution:
    """mode "replace": the rules are the attribution stage. mode "fallback": a trained
    component ran first; the rules correct its speakers (`merge.merge_into`) and keep their
    own attributions on Doc._.rule_attributions."""

    def __init__(self, name: str = "newsie_attribution_rules", *, mode: str = "replace"):
        if mode not in ("replace", "fallback"):
            raise ValueError(f"mode must be 'replace' or 'fallback', not {mode!r}")
        self.name = name
        self.mode = mode

    def __call__(self, doc: Doc) -> Doc:
        found: list[Attribution] = []
        for sent in doc.sents:
            found.extend(attributions_in_sentence(sent))
        found.extend(headline_attributions(doc, found))
        extend_to_quotations(doc, found)
        found = _dedupe(found)
        if self.mode == "fallback":
            found, fallbacks = merge_into(doc._.attributions or [], found)
            doc._.rule_attributions = fallbacks
        doc._.attributions = found
        return doc


def attributions_in_sentence(sent: Span) -> list[Attribution]:
    lead = _leading_source(sent)
    found = [lead] if lead is not None else []
    for token in sent:
        attribution = (_postposed_cue(token) or _verb_cue(token) or _according_to(token) or _figure_setter(token)
                       or _report_noun_subject(token))
        if attribution is not None:
            found.append(attribution)
    trailing = _trailing_source(sent)
    if trailing is not None and not any(a.cue is not None and a.cue.start >= trailing.cue.start and a.source is not None
                                        for a in found):
        found.append(trailing)
    return found


# --- patterns --------------------------------------------------------------------------

def _verb_cue(token: Token) -> Attribution | None:
    if not is_cue_verb(token):
        return None  # also "citing unidentified sources", "found 15 bodies": no clause said
    source = find_source(token)
    if source is not None and inside_quotes(source) and not inside_quotes(token):
        source = None  # a parse that makes words of the quotation its speaker
    content = [_subtree_span(c) for c in token.children if c.dep_ in CONTENT_DEPS and (source is None or c.i != source.i)]
    content = [s for s in content if s is not None]
    if token.dep_ == "acl" and token.head.i < token.i:  # "the 11,000 soldiers reported by ..."
        content.append(token.doc[token.head.left_edge.i: token.i])
    if source is None and not content:
        return None
    return Attribution(cue=_cue_span(token), source=source_phrase(source), content=content, score=0.8)


def _postposed_cue(token: Token) -> Attribution | None:
    """"..., reported the state news agency", "..., said the minister": a verb of saying after
    a comma, with nothing said after it and its speaker following it; the content is what
    comes before the comma."""
    if not is_cue_verb(token) or token.i == 0 or token.doc[token.i - 1].text != ",":
        return None
    if any(c.dep_ in SUBJECT_DEPS and c.i < token.i for c in token.children):
        return None
    after = [c for c in token.children if c.i > token.i and not c.is_punct]
    if len(after) != 1 or after[0].dep_ not in ("nsubj", "dobj", "obj", "attr") or not _can_be_source(after[0]):
        return None
    speaker = after[0]
    sent = token.sent
    content = token.doc[sent.start: token.i - 1]
    if not _has_words(content):
        return None
    return Attribution(cue=_cue_span(token), source=source_phrase(speaker), content=[content], score=0.8)


def _according_to(token: Token) -> Attribution | None:
    """"according to X" (and "as reported by X") attributes the clause it modifies."""
    if token.lower_ != "according":
        return None
    to = next((c for c in token.children if c.lower_ == "to"), None)
    pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if pobj is None or not _can_be_source(pobj):
        return None  # "according to the situation", "according to plan"
    cue = token.doc[token.i: to.i + 1]
    sent = token.sent
    phrase = (token.left_edge.i, pobj.right_edge.i + 1)
    content = [s for s in (sent.doc[sent.start: phrase[0]], sent.doc[phrase[1]: sent.end]) if _has_words(s)]
    return Attribution(cue=cue, source=source_phrase(pobj), content=content, score=0.9)


LEAD_PHRASES = (("according", "to"), ("as", "per"), ("citing",))
LEAD_MAX_TOKENS = 12


def _leading_source(sent: Span) -> Attribution | None:
    """"According to X, ...", "As per X, ...", "Citing X, ..." opening a sentence, read from the
    words alone: the parser often takes a long X ("district health officer Dr Ravi Kumar") for
    the clause's subject. X runs to the first comma and must name a person, body or document."""
    words = [t for t in sent if not t.is_space]
    for phrase in LEAD_PHRASES:
        if len(words) <= len(phrase) or [t.lower_ for t in words[:len(phrase)]] != list(phrase):
            continue
        rest = words[len(phrase):]
        comma = next((i for i, t in enumerate(rest[:LEAD_MAX_TOKENS + 1]) if t.text == ","), None)
        if not comma:
            return None
        source = sent.doc[rest[0].i: rest[comma - 1].i + 1]
        if not _names_a_source(source) or not _has_words(sent.doc[rest[comma].i + 1: sent.end]):
            return None
        cue = sent.doc[words[0].i: words[len(phrase) - 1].i + 1]
        return Attribution(cue=cue, source=source_phrase(source.root) or source,
                           content=[sent.doc[rest[comma].i + 1: sent.end]], score=0.9)
    return None


TRAIL_MAX_TOKENS = 8


def _names_a_source(span: Span) -> bool:
    return any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.lemma_.lower() in SOURCE_NOUNS
               or (t.pos_ == "PROPN" and t.text[:1].isupper()) for t in span)


def _trailing_source(sent: Span) -> Attribution | None:
    """"..., a source in the regional police told TASS on Monday." closing a sentence, read from
    the words: after its last comma a speaker, a verb of saying and at most a few words (whom
    it was told, when); the content is what comes before the comma. The parser often hangs such
    a speaker on the figure before the comma."""
    words = [t for t in sent if not t.is_space and not (t.is_punct and t.i == sent.end - 1)]
    comma = next((i for i in range(len(words) - 1, 0, -1) if words[i].text == ","), None)
    if comma is None:
        return None
    tail = words[comma + 1:]
    verb = next((i for i, t in enumerate(tail) if t.lemma_.lower() in CUE_VERBS and t.tag_ in ("VBD", "VBZ", "VBP")), None)
    if not verb or len(tail) - verb - 1 > TRAIL_MAX_TOKENS or verb > TRAIL_MAX_TOKENS:
        return None
    doc = sent.doc
    source = doc[tail[0].i: tail[verb - 1].i + 1]
    content = doc[words[0].i: words[comma].i]
    if tail[0].pos_ in ("CCONJ", "SCONJ") or any(t.pos_ in ("VERB", "AUX") for t in tail[verb + 1:]):
        return None  # "..., and firefighters said it was contained": a clause of its own
    if not _names_a_source(source) or not _has_words(content) or any(t.lemma_.lower() in CUE_VERBS for t in source):
        return None
    return Attribution(cue=doc[tail[verb].i: tail[verb].i + 1], source=source, content=[content], score=0.7)


def _figure_setter(token: Token) -> Attribution | None:
    """"Zelenskyy put the number of killed or wounded at 4,000"."""
    if token.lemma_.lower() not in FIGURE_SETTERS or token.pos_ != "VERB":
        return None
    obj = next((c for c in token.children if c.dep_ in ("dobj", "obj") and c.lemma_.lower() in FIGURE_NOUNS), None)
    subject = next((c for c in token.children if c.dep_ in SUBJECT_DEPS), None)
    if obj is None or subject is None:
        return None
    content = [_subtree_span(c) for c in token.children if c.dep_ in ("dobj", "prep", "obj")]
    return Attribution(cue=_cue_span(token), source=source_phrase(subject), content=[s for s in content if s], score=0.8)


def _report_noun_subject(token: Token) -> Attribution | None:
    """A report noun as subject makes its clause a claim of whoever issued the report:
    "U.S. estimates were lower at around 1,200"."""
    if token.dep_ not in SUBJECT_DEPS or token.lemma_.lower() not in REPORT_NOUNS or token.pos_ != "NOUN":
        return None
    verb = token.head
    if is_cue_verb(verb):
        return None  # the verb pattern handles "Intelligence reports indicate ..."
    source = issuer_of(token) or token
    content = [_subtree_span(c) for c in verb.children if c.i != token.i and c.dep_ not in ("punct", "cc")]
    return Attribution(cue=token.doc[token.i: token.i + 1], source=source_phrase(source),
                       content=[s for s in content if s], score=0.6)


HEADLINE_MAX_CHARS = 200
NAME_MAX_WORDS = 4


def headline_attributions(doc: Doc, found: list[Attribution]) -> list[Attribution]:
    """A headline credited with a colon to a name, at its end ("... in Ukraine: Seoul") or
    its start ("Zelensky: 4,000 North Koreans killed or wounded"), credits the whole line."""
    extra = []
    start = 0
    for line in doc.text.split("\n"):
        stripped = line.strip()
        offset = start + line.index(stripped) if stripped else start
        if 0 < len(stripped) < HEADLINE_MAX_CHARS and not stripped.endswith("."):
            for name, said, colon in _colon_split(stripped):
                attribution = _headline_attribution(doc, offset, name, said, colon)
                if attribution is not None:
                    extra.append(attribution)
                    break
        start += len(line) + 1
    return extra


def _colon_split(line: str):
    """(name, said, colon) character ranges within the line, tail form first."""
    head, sep, tail = line.rpartition(": ")
    if sep:
        yield (len(head) + 2, len(line)), (0, len(head)), len(head)
    head, sep, tail = line.partition(": ")
    if sep:
        yield (0, len(head)), (len(head) + 2, len(line)), len(head)


def _headline_attribution(doc: Doc, offset: int, name, said, colon: int) -> Attribution | None:
    source = doc.char_span(offset + name[0], offset + name[1], alignment_mode="expand")
    content = doc.char_span(offset + said[0], offset + said[1], alignment_mode="expand")
    cue = doc.char_span(offset + colon, offset + colon + 1, alignment_mode="expand")
    if source is None or content is None or cue is None or not 0 < len(source.text.split()) <= NAME_MAX_WORDS:
        return None
    if is_dateline(source):
        return None  # "YANGON: the army said ..." places the story
    if any(t.pos_ in ("VERB", "AUX") or t.like_num for t in source):
        return None  # a clause, not a name
    if not any(t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or t.lemma_.lower() in SOURCE_NOUNS
               or (t.is_alpha and t.is_upper and len(t) >= 2) for t in source):  # "WHO: ..."
        return None  # "Politics: ...", "BREAKING: ..." are labels, not speakers
    return Attribution(cue=cue, source=source, content=[content], score=0.7)


def extend_to_quotations(doc: Doc, found: list[Attribution]) -> None:
    """A quotation runs over several sentences but its cue sits in one of them
    ("“We buried 30 people today. Many more are missing,” he said."): content that touches
    a quotation takes all of it, its quotation marks included, as annotators mark quoted content
    (PolNeAR train, 400 articles: 1,599 content fragments begin with an opening mark, 14 just
    after one)."""
    quotes = quotation_spans(doc.text)
    if not quotes or not found:
        return
    bounds = [(a, (a.cue.start_char, a.cue.end_char) if a.cue is not None else None,
               [(c.start_char, c.end_char) for c in a.content]) for a in found]
    for start, end in quotes:
        quote = None
        for a, cue, contents in bounds:
            near = cue is not None and (0 <= cue[0] - end <= 3 or 0 <= start - cue[1] <= 3)
            touches = near or any(s < end and start < e for s, e in contents)
            if touches and not any(s <= start and end <= e for s, e in contents):
                quote = quote or doc.char_span(start - 1, end + 1, alignment_mode="expand")
                if quote is not None:
                    a.content.append(quote)
                    contents.append((quote.start_char, quote.end_char))


_QUOTE_OPENER = re.compile(f"[{''.join(QUOTE_PAIRS)}]")


def quotation_spans(text: str, max_chars: int = 2000) -> list[tuple[int, int]]:
    """(start, end) of the text inside each pair of quotation marks, within one paragraph
    or, for a quote continued across paragraphs, until its closing mark."""
    spans, position = [], 0
    while (opener := _QUOTE_OPENER.search(text, position)) is not None:
        i = opener.start()
        close = text.find(QUOTE_PAIRS[text[i]], i + 1, i + 1 + max_chars)
        if close > i + 1:
            spans.append((i + 1, close))
            position = close + 1
        else:
            position = i + 1
    return spans


# --- sources ---------------------------------------------------------------------------

def find_source(verb: Token) -> Token | None:
    """The subject of a cue verb, or the agent of a passive/participle, or the subject of
    the verb it hangs from ("... and added", ", estimating ...")."""
    node = verb
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "csubj")), None)
        if subject is not None:
            return issuer_of(subject) or subject
        agent = _agent(node)
        if agent is not None:
            return agent
        if any(c.dep_ == "nsubjpass" for c in node.children):
            return None  # "... and 31 were confirmed dead": a passive with a subject of its own
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN"):
            noun = node.head
            issuer = issuer_of(noun)
            if issuer is not None:
                return issuer
            if noun.lemma_.lower() in EVIDENCE_NOUNS:
                return None  # "intelligence suggesting ..." is evidence, not a speaker
            return noun
        if node.dep_ in INHERITING_DEPS and node.head.i != node.i:
            node = node.head
            continue
        return None
    return None


def _can_be_source(noun: Token) -> bool:
    """A person, body or document: a named entity, a proper noun or a source noun."""
    if noun.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or noun.pos_ == "PROPN":
        return True
    return noun.lemma_.lower() in SOURCE_NOUNS or noun.lower_ in PRONOUNS


def _agent(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _cue_span(verb: Token) -> Span:
    """The verb with its auxiliaries and particles: "has confirmed", "put ... at" stays the verb."""
    doc = verb.doc
    parts = [verb] + [c for c in verb.children if c.dep_ in ("aux", "auxpass", "prt", "neg") and c.i < verb.i + 3]
    start, end = min(t.i for t in parts), max(t.i for t in parts) + 1
    return doc[start:end]


def _subtree_span(token: Token) -> Span | None:
    doc = token.doc
    start, end = token.left_edge.i, token.right_edge.i + 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end] if end > start else None


def _has_words(span: Span) -> bool:
    return any(t.is_alpha or t.like_num for t in span)


def _dedupe(found: list[Attribution]) -> list[Attribution]:
    seen, unique = set(), []
    for a in sorted(found, key=lambda a: (a.cue.start_char if a.cue is not None else -1)):
        key = (a.cue.start_char, a.cue.end_char) if a.cue is not None else id(a)
        if key not in seen:
            seen.add(key)
            unique.append(a)
    return unique
