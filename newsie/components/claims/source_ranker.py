"""Who said a figure, chosen among every candidate the article offers.

Candidates (`source_candidates`):
- `holding`: the innermost attribution whose content holds the figure (HOLDING);
- `sentence`: for a figure with no holding attribution, the source of an earlier figure of
  the same sentence ("the NIS said about 300 had died, and 2,700 were injured");
- `in_sentence`: for a figure with no holding attribution, the nearest speakers of its own
  sentence whose content, as parsed, misses it ("193 people ... are being treated, Dr X said");
- `carried`: for a figure with no holding attribution, the latest attribution of the one or
  two sentences before, in the same paragraph (a statement continued: "The ministry said 40
  died. Another 12 are missing.");
- `on_figure`: a source named on the figure itself ("the organizers' count of 40,000", "a
  police estimate of 12,000", "the 900 figure given by the army", "her latest tally of 75",
  "by the UN's count"; `named_on_figure`);
- `none`: the article itself.

A linear scorer (`source_model`, trained by `newsie train claims`) scores each candidate from
its features: its kind and rank, what the source phrase is (entity label, part of speech, head
lemma, a pronoun, a number, a date, a report noun), its cue verb, and for `carried` and `none`
whether the figure's own sentence has a speaker or a verb of saying. The best candidate wins
(pointwise ranking, as in learning-to-rank's simplest form). A source named on the figure
wins where no attribution holds it, model or not. Without a model the first `holding`
candidate wins, then `sentence`, then `on_figure`, then none.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ...extensions import Attribution
from ...syntax import POSSESSIVE_PRONOUNS, REPORT_NOUNS, is_cue_verb, is_pronoun, issuer_of, source_phrase
from .linear import Features, LinearModel
from .sources import BODY_NOUNS

CARRY_SENTENCES = 2
# Holding attributions offered to the ranker: the innermost only. Offering the outer ones too
# lost seed figures to an outer speaker ("X reported ..., and Y claimed N") and gained nothing
# in cross-validation.
HOLDING = 1
IN_SENTENCE = 2


@dataclass
class Candidate:
    kind: str  # holding | sentence | carried | none
    attribution: Attribution | None
    features: Features


# What a subject names when it says nothing (the "subjects that are not speakers"): an
# event (EVENT_NOUNS), one figure or count ("The figure rose to 40", "the count from the shooting", "the 609 figure"), a
# death or a victim ("Victims included 12 children"), a date, a number or a measure, a bare
# demonstrative ("Those killed include ...", "That is up from 40"). Reports in the plural stay
# speakers ("official figures show", "estimates put"): the guide reads them as sources. A
# figure that names its issuer ("the figure from the ministry", "the police count") speaks for it.
FIGURE_NOUNS = {"figure", "number", "count", "toll", "tally", "total", "estimate", "statistic", "finding", "word", "projection"}
SUBJECT_NOUNS = {"death", "victim", "casualty", "fatality"}
# events and disasters say nothing either ("The blaze claimed 19 lives", "Floods kill 40", a
# headline "Tigray crisis: ..."), nor does a dateline's "date"
EVENT_NOUNS = {
    "accident", "crash", "crisis", "attack", "blast", "explosion", "fire", "blaze", "wildfire", "storm", "flood",
    "flooding", "quake", "earthquake", "tremor", "tsunami", "landslide", "avalanche", "war", "conflict", "fighting",
    "violence", "outbreak", "epidemic", "pandemic", "disaster", "collapse", "strike", "airstrike", "raid", "shooting",
    "bombing", "riot", "famine", "drought", "heatwave", "cyclone", "hurricane", "typhoon", "tornado", "eruption",
    "clash", "battle", "massacre", "incident", "tragedy", "disease", "virus", "date"}
NOT_SPEAKER_LABELS = {"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"}
DEMONSTRATIVES = {"that", "those", "this", "these"}


def speaks(a: Attribution, noun: Token | None = None) -> bool:
    """Whether an attribution's source can have said a figure (see FIGURE_NOUNS); `noun`, the
    figure's counted noun: the people counted do not report their own count."""
    source = a.source
    root = source.root
    if root.like_num or root.ent_type_ in NOT_SPEAKER_LABELS:
        return False
    if len(source) == 1 and root.lower_ in DEMONSTRATIVES and a.canonical in (None, source.text):
        return False
    if root.pos_ not in ("NOUN", "PROPN") or (root.ent_type_ and root.pos_ == "PROPN"):
        return True  # a common noun keeps its reading when the NER takes it for a name ("Victims": NORP)
    lemma = root.lemma_.lower()
    if root.pos_ == "PROPN":  # a capitalized common noun ("Victims" opening a headline)
        lemma = lemma[:-1] if lemma.endswith("s") else lemma
    if lemma in SUBJECT_NOUNS or lemma in EVENT_NOUNS or (noun is not None and lemma == noun.lemma_.lower()):
        return False
    if lemma in FIGURE_NOUNS and (root.tag_ == "NN" or any(t.like_num for t in source)):
        return issuer_of(root) is not None or any(_names_a_body(c) for c in root.children if c.dep_ in ("compound", "amod", "nmod", "poss"))
    return True


def _names_a_body(token: Token) -> bool:
    return token.ent_type_ in ("ORG", "GPE", "NORP", "PERSON") or token.pos_ == "PROPN" or token.lemma_.lower() in BODY_NOUNS


def holding(span: Span, attributions: list[Attribution]) -> list[Attribution]:
    """The attributions naming a source whose content holds the figure, innermost first. A
    content that runs over a paragraph break holds only the cue's paragraph (the guide: a new
    paragraph never carries a speaker), or a quotation the cue's paragraph opened."""
    found = []
    for a in attributions:
        if a.source is None or (a.source.start_char < span.end_char and span.start_char < a.source.end_char):
            continue
        sizes = [c.end_char - c.start_char for c in a.content if c.start_char <= span.start_char and span.end_char <= c.end_char]
        if sizes and _same_paragraph(span, a):
            found.append((min(sizes), a))
    return [a for _, a in sorted(found, key=lambda sa: sa[0])]


OPENING_QUOTES, CLOSING_QUOTES = {"“", "‘"}, {"”", "’"}
QUOTES = ('"', "'", *OPENING_QUOTES, *CLOSING_QUOTES)


def _same_paragraph(span: Span, a: Attribution) -> bool:
    """Whether no paragraph break lies between the figure and the attribution's cue, or the
    figure's paragraph is a quotation continued from there. Token spans only: `doc.text`
    joins the whole Doc on every call."""
    anchor = a.cue if a.cue is not None else a.source
    doc = span.doc
    lo, hi = (anchor.end, span.start) if anchor.start <= span.start else (span.end, anchor.start)
    between = doc[max(lo - 1, 0): hi].text_with_ws if hi > lo else ""
    if "\n" not in between:
        return True
    # a quotation over several paragraphs: "He said: “...\n“... 40 died.”" or "“... 40 died.”\nHe said"
    i = span.start - 1
    floor = lo - 1 if anchor.start <= span.start else 0  # with the cue before, the break lies after it
    while i >= floor and "\n" not in doc[i].text_with_ws:
        i -= 1
    first = next((t for t in doc[i + 1: span.start + 1] if not t.is_space), None)
    return first is not None and first.text.startswith(QUOTES) and any(q in between for q in QUOTES)


def starts_paragraph(doc: Doc, sent: Span) -> bool:
    """A line break between the sentence before and this one starts a paragraph."""
    i = sent.start - 1
    while i >= 0 and doc[i].is_space:  # "\n\n" is a token of its own
        i -= 1
    if i < 0:
        return True
    first = next((t for t in sent if not t.is_space), sent[0])
    gap = doc[i].whitespace_ + "".join(t.text_with_ws for t in doc[i + 1: first.i])  # not doc.text: it joins the whole Doc
    return "\n" in gap


def carried(doc: Doc, span: Span, attributions: list[Attribution]) -> list[tuple[int, Attribution]]:
    """(distance in sentences, attribution) for the latest attribution with a source in each of
    the sentences before the figure's, within its paragraph; across one paragraph break only
    for a figure inside a quotation, from a sentence that quotes (the guide: a quoted paragraph
    continues the same speaker's quotation)."""
    out = []
    sent = span.sent
    crossed = False
    for distance in range(1, CARRY_SENTENCES + 1):
        if starts_paragraph(doc, sent):
            if crossed or not in_quotation(span):
                break
            crossed = True
        sent = doc[sent.start - 1].sent
        inside = [a for a in attributions if a.source is not None and sent.start_char <= a.source.start_char < sent.end_char]
        if crossed and not any(t.text in QUOTES for t in sent):
            inside = []
        if inside:
            out.append((distance, max(inside, key=lambda a: a.source.start_char)))
    return out


def in_quotation(span: Span) -> bool:
    """Whether a quotation opened before the figure in its paragraph and is not closed yet."""
    doc = span.doc
    straight = 0
    i = span.start - 1
    while i >= 0 and "\n" not in doc[i].text_with_ws:
        text = doc[i].text
        if text in OPENING_QUOTES:
            return True
        if text in CLOSING_QUOTES:
            return False
        straight += text.count('"')
        i -= 1
    return straight % 2 == 1


def report_noun_of(number: Token, noun: Token | None) -> Token | None:
    """The report noun a figure is the value of: "the 900 figure", "a count of 40,000", or a
    "by the UN's count" / "according to police estimates" phrase on the figure's clause."""
    phrase_head = number.head if number.dep_ in ("nummod", "quantmod", "compound") else None
    for token in (number, noun, phrase_head):  # "tally of 75 dead": the figure's phrase is "75 dead"
        if token is None:
            continue
        head = token.head
        if token.dep_ in ("nummod", "compound", "amod", "quantmod") and head.lemma_.lower() in REPORT_NOUNS:
            return head  # "the 900 figure"
        if token.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in REPORT_NOUNS:
            return head.head  # "a count of 40,000"
    for ancestor in [number, *number.ancestors]:
        for prep in ancestor.children:
            words = prep.lower_
            if words == "according":
                prep = next((c for c in prep.children if c.lower_ == "to"), prep)
            elif words != "by":
                continue
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.lemma_.lower() in REPORT_NOUNS:
                return pobj  # "by the UN's count, 3,400 people have fled"
        if ancestor.pos_ in ("VERB", "AUX") and ancestor.i != number.i:
            break
    return None


def named_on_figure(number: Token, noun: Token | None) -> Span | None:
    """Who a report noun on the figure credits: its owner ("the organizers' count", "her
    latest tally", "the UN's count"), the noun before it ("a police estimate"), the agent of a
    participle on it ("the figure given by the army"), or its issuer ("data from the agency")."""
    report = report_noun_of(number, noun)
    if report is None:
        return None
    doc = report.doc
    owner = next((c for c in report.children if c.dep_ == "poss"), None)
    if owner is not None:
        return source_phrase(owner) if owner.lower_ not in POSSESSIVE_PRONOUNS else doc[owner.i: owner.i + 1]
    compound = [c for c in report.children if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN") and not c.like_num]
    if compound:
        return doc[compound[0].left_edge.i: compound[-1].i + 1]
    for child in report.children:
        if child.dep_ == "acl":
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if pobj is not None:
                return source_phrase(pobj)
    issuer = issuer_of(report)
    return source_phrase(issuer) if issuer is not None else None


def _source_features(prefix: str, a: Attribution) -> Features:
    source = a.source
    root = source.root
    f: Features = {
        f"{prefix}ent={root.ent_type_ or 'none'}": 1.0,
        f"{prefix}pos={root.pos_}": 1.0,
        f"{prefix}lemma={root.lemma_.lower()}": 1.0,
        f"{prefix}len={min(len(source), 5)}": 1.0,
    }
    if is_pronoun(source):
        f[f"{prefix}pronoun"] = 1.0
        f[f"{prefix}pronoun_resolved={bool(a.canonical)}"] = 1.0
    if any(t.like_num for t in source):
        f[f"{prefix}number"] = 1.0
    if any(t.ent_type_ in ("DATE", "TIME") for t in source):
        f[f"{prefix}date"] = 1.0
    if root.lemma_.lower() in REPORT_NOUNS:
        f[f"{prefix}report_noun"] = 1.0
    if any(t.ent_type_ in ("PERSON", "ORG", "NORP") for t in source):
        f[f"{prefix}names_body"] = 1.0
    if a.cue is not None:
        f[f"{prefix}cue={a.cue.root.lemma_.lower()}"] = 1.0
    return f


def _sentence_features(sent: Span, span: Span) -> Features:
    """What the figure's sentence is: its first word ("Another", "Of", "He"), quoted or not, the
    tense of its main verb, and whether its subject names someone (a new actor: the reporter's
    own account more often than a continued statement)."""
    words = [t for t in sent if not t.is_space and not t.is_punct]
    f: Features = {}
    if words:
        f[f"first={words[0].lower_ if not words[0].like_num else 'NUM'}"] = 1.0
    if any(t.is_quote for t in sent):
        f["quoted"] = 1.0
    root = sent.root
    f[f"root_tag={root.tag_}"] = 1.0
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None and not (subject.i <= span.start < subject.right_edge.i + 1):
        f[f"subject_ent={subject.ent_type_ or ('pronoun' if subject.pos_ == 'PRON' else 'none')}"] = 1.0
    return f


def source_candidates(doc: Doc, span: Span, attributions: list[Attribution],
                      sentence_attribution: Attribution | None, on_figure: Attribution | None = None,
                      noun: Token | None = None) -> list[Candidate]:
    attributions = [a for a in attributions if a.source is not None and speaks(a, noun)]
    if sentence_attribution is not None and not speaks(sentence_attribution, noun):
        sentence_attribution = None
    own = holding(span, attributions)
    sent = span.sent
    sent_has_cue = any(is_cue_verb(t) for t in sent)
    context: Features = {f"sent_cue={sent_has_cue}": 1.0, f"holding={min(len(own), 2)}": 1.0,
                         f"paragraph_start={starts_paragraph(doc, sent)}": 1.0, **_sentence_features(sent, span)}
    out: list[Candidate] = []
    seen: set[int] = set()
    for rank, a in enumerate(own[:HOLDING]):
        f = {"kind=holding": 1.0, f"holding_rank={min(rank, 2)}": 1.0, **_source_features("src_", a), **context}
        out.append(Candidate("holding", a, f))
        seen.add(id(a))
    if not own and sentence_attribution is not None:
        f = {"kind=sentence": 1.0, **_source_features("src_", sentence_attribution), **context}
        out.append(Candidate("sentence", sentence_attribution, f))
        seen.add(id(sentence_attribution))
    if not own:
        # a speaker of the figure's own sentence whose content (as parsed) misses the figure
        inside = [a for a in attributions if a.source is not None and id(a) not in seen
                  and sent.start_char <= a.source.start_char < sent.end_char]
        for a in sorted(inside, key=lambda a: abs(a.source.start_char - span.start_char))[:IN_SENTENCE]:
            f = {"kind=in_sentence": 1.0, f"in_sentence_after={a.source.start_char > span.start_char}": 1.0,
                 **_source_features("src_", a), **{f"in_sentence|{k}": v for k, v in context.items()}}
            out.append(Candidate("in_sentence", a, f))
            seen.add(id(a))
        for distance, a in carried(doc, span, attributions):
            if id(a) in seen:
                continue
            f = {"kind=carried": 1.0, f"carried_distance={distance}": 1.0, **_source_features("src_", a),
                 **{f"carried|{k}": v for k, v in context.items()}}
            if sent[0].is_quote or sent.text.lstrip().startswith(("“", '"')):
                f["carried_quote"] = 1.0
            out.append(Candidate("carried", a, f))
            seen.add(id(a))
    if on_figure is not None and not any(c.attribution.source.start_char == on_figure.source.start_char for c in out):
        f = {"kind=on_figure": 1.0, **_source_features("src_", on_figure), **{f"on_figure|{k}": v for k, v in context.items()}}
        out.append(Candidate("on_figure", on_figure, f))
    out.append(Candidate("none", None, {"kind=none": 1.0, **{f"none|{k}": v for k, v in context.items()}}))
    return out


def choose(candidates: list[Candidate], model: LinearModel | None) -> Candidate:
    """The best-scoring candidate; without a model, the rules' order (holding, sentence,
    on_figure, none)."""
    if model is None:
        return next((c for c in candidates if c.kind in ("holding", "sentence", "on_figure")), candidates[-1])
    kinds = {c.kind: c for c in candidates}
    if "on_figure" in kinds and "holding" not in kinds:
        return kinds["on_figure"]  # the guide's reading; too rare in training data to learn (2 of 649 figures)
    return max(candidates, key=lambda c: model.scores(c.features)[0])
