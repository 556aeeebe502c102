"""Training data for the attribution tagger: PolNeAR-style JSONL or BRAT standoff in, spaCy Docs out.

A record is one article: {"id", "text", "attributions": [{"source", "cue", "content"}]}, each role a
list of [start, end] code-point spans (end-exclusive); content may have several fragments.

On a Doc the gold annotation is kept twice:
  doc.spans["attr_source" | "attr_cue" | "attr_content"]  the role spans, deduplicated (what the tagger learns)
  doc.user_data["attributions"]                           the links, as token offsets per attribution
Character offsets are snapped outward to token boundaries (alignment_mode="expand"); `ConversionReport`
counts how many spans moved or were lost, so a tokenizer change that breaks the data shows up.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin, Span
from spacy.training import Example

from .distillation import check_weight, teacher_targets
from .model import LINKS_KEY, ROLES, SPAN_KEYS



@dataclass
class ConversionReport:
    """How well character spans survived tokenization."""

    spans: int = 0
    exact: int = 0
    expanded: int = 0
    lost: int = 0
    docs: int = 0
    examples_of_expansion: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: "ConversionReport") -> None:
        self.spans += other.spans
        self.exact += other.exact
        self.expanded += other.expanded
        self.lost += other.lost
        self.docs += other.docs

    def __str__(self) -> str:
        return (f"{self.docs} docs, {self.spans} spans: {self.exact} on token boundaries, "
                f"{self.expanded} expanded to token boundaries, {self.lost} lost")


def read_jsonl(path: str | Path, max_docs: int | None = None) -> Iterator[dict]:
    """One record per non-empty line; a line that is not a JSON object with a "text" string is
    a ValueError naming the file and line."""
    with open(path, encoding="utf8") as lines:
        for n, line in enumerate(lines):
            if max_docs is not None and n >= max_docs:
                return
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}, line {n + 1}: not JSON ({exc.msg})") from None
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise ValueError(f"{path}, line {n + 1}: not an article (a JSON object with a \"text\" string)")
            yield record


def read_records(path: str | Path, max_docs: int | None = None) -> Iterator[dict]:
    """Records from a JSONL file or a folder of BRAT .txt/.ann pairs (read_brat_dir)."""
    path = Path(path)
    records = read_brat_dir(path) if path.is_dir() else read_jsonl(path)
    for n, record in enumerate(records):
        if max_docs is not None and n >= max_docs:
            return
        yield record


def _snap(doc: Doc, start: int, end: int, report: ConversionReport) -> Span | None:
    """Token span covering [start, end); leading/trailing whitespace is trimmed first, as tokens never hold it."""
    text = doc.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    report.spans += 1
    span = doc.char_span(start, end, alignment_mode="expand") if start < end else None
    if span is None or len(span) == 0:
        report.lost += 1
        return None
    if span.start_char == start and span.end_char == end:
        report.exact += 1
    else:
        report.expanded += 1
        if len(report.examples_of_expansion) < 20:
            report.examples_of_expansion.append((text[start:end], span.text))
    return span


def record_to_doc(nlp: Language, record: dict, report: ConversionReport | None = None) -> Doc:
    """Tokenize the article text and attach the gold attributions as span groups and token-offset links."""
    report = report if report is not None else ConversionReport()
    doc = nlp.make_doc(record["text"])
    report.docs += 1
    role_spans: dict[str, dict[tuple[int, int], Span]] = {role: {} for role in ROLES}
    links = []
    for attribution in record.get("attributions", []):
        link = {}
        for role in ROLES:
            spans = [_snap(doc, s, e, report) for s, e in attribution.get(role, [])]
            spans = [span for span in spans if span is not None]
            for span in spans:
                role_spans[role][(span.start, span.end)] = Span(doc, span.start, span.end, label=role)
            link[role] = [(span.start, span.end) for span in spans]
        links.append(link)
    for role in ROLES:
        doc.spans[SPAN_KEYS[role]] = sorted(role_spans[role].values())
    doc.user_data[LINKS_KEY] = links
    doc.user_data["id"] = record.get("id")
    return doc


def records_to_docs(nlp: Language, records: Iterable[dict], report: ConversionReport | None = None) -> Iterator[Doc]:
    for record in records:
        yield record_to_doc(nlp, record, report)


def jsonl_to_docbin(nlp: Language, path: str | Path, output: str | Path,
                    max_docs: int | None = None) -> ConversionReport:
    """Convert a JSONL file to a .spacy DocBin (links kept in user_data) and report span losses."""
    report = ConversionReport()
    docbin = DocBin(store_user_data=True)
    for doc in records_to_docs(nlp, read_jsonl(path, max_docs), report):
        docbin.add(doc)
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(output)
    return report


def gold_links(doc: Doc) -> list[dict[str, list[Span]]]:
    """The gold attributions of a converted Doc as Spans, one dict per attribution."""
    return [{role: [doc[s:e] for s, e in link[role]] for role in ROLES}
            for link in doc.user_data.get(LINKS_KEY, [])]


# --- BRAT standoff -------------------------------------------------------------------------------
#
# Expected .ann content (label names are matched case-insensitively, see BRAT_ROLE_LABELS):
#   T1  Source 89 106           text-bound spans labelled Source, Cue or Content; discontinuous
#   T2  Cue 107 114             fragments use "start end;start end"
#   T3  Content 115 290
#   E1  Attribution:T2 Source:T1 Content:T3 Content2:T4     an event per attribution, triggered by
#                                                           its cue, or anchored on any argument
#   R1  Source Arg1:T2 Arg2:T1  or relations linking a cue to its source/content spans (the role is
#                               taken from the labels of the linked T-lines)
# Each cue makes one attribution; a source linked to two cues is shared by both.

BRAT_ROLE_LABELS = {
    "source": "source", "speaker": "source",
    "cue": "cue",
    "content": "content", "quote": "content",
}
_T_LINE = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?")


def _role_of(label: str) -> str | None:
    return BRAT_ROLE_LABELS.get(re.sub(r"\d+$", "", label).lower())


def _parse_text_bound(line: str) -> tuple[str, str, list[list[int]]] | None:
    match = _T_LINE.match(line)
    if not match:
        return None
    fragments = [[int(x) for x in part.split()] for part in match.group(3).split(";") if part.strip()]
    return match.group(1), match.group(2), fragments


def _arguments(line: str) -> list[tuple[str, str]]:
    """(role label, T id) pairs of an E- or R-line, the event trigger included."""
    body = line.split("\t")[1]
    return [tuple(arg.split(":", 1)) for arg in body.split() if ":" in arg]


def parse_brat(text: str, ann: str, doc_id: str | None = None) -> dict:
    """One BRAT (.txt, .ann) pair as a record in the JSONL format."""
    spans: dict[str, tuple[str, list[list[int]]]] = {}
    groups: list[list[str]] = []
    for line in ann.splitlines():
        if line.startswith("T"):
            parsed = _parse_text_bound(line)
            if parsed and _role_of(parsed[1]):
                spans[parsed[0]] = (_role_of(parsed[1]), parsed[2])
        elif line.startswith(("E", "R")) and "\t" in line:
            groups.append([tid for _, tid in _arguments(line)])
    by_cue: dict[str, dict[str, list[list[int]]]] = {}
    for tids in groups:
        known = [t for t in tids if t in spans]
        cues = [t for t in known if spans[t][0] == "cue"] or [None]
        for cue in cues:
            key = cue or f"cueless:{known[0] if known else len(by_cue)}"
            attribution = by_cue.setdefault(key, {role: [] for role in ROLES})
            for tid in known:
                role, fragments = spans[tid]
                attribution[role].extend(f for f in fragments if f not in attribution[role])
    return {"id": doc_id, "text": text, "attributions": list(by_cue.values())}


def read_brat_dir(directory: str | Path) -> Iterator[dict]:
    """Records from every .ann file with a matching .txt in a folder (recursively)."""
    for ann_path in sorted(Path(directory).rglob("*.ann")):
        txt_path = ann_path.with_suffix(".txt")
        if txt_path.exists():
            yield parse_brat(txt_path.read_text(encoding="utf8"), ann_path.read_text(encoding="utf8"),
                             doc_id=ann_path.stem)


# --- training corpus reader ----------------------------------------------------------------------
# The tagger reads POS/DEP features that, in the newsie pipeline, the base en_core_web_sm components
# set before it runs. For training, the same base pipeline annotates the article texts once (cached
# for all epochs and evaluations) and the gold Doc from the DocBin becomes the reference.


def _annotated_copy(vocab, parsed: Doc) -> Doc:
    """The base pipeline's tokens, syntax and token vectors (doc.tensor) in the training vocab
    (strings travel, not hash tables)."""
    doc = Doc(
        vocab,
        words=[t.text for t in parsed],
        spaces=[bool(t.whitespace_) for t in parsed],
        tags=[t.tag_ for t in parsed],
        pos=[t.pos_ for t in parsed],
        morphs=[str(t.morph) for t in parsed],
        lemmas=[t.lemma_ for t in parsed],
        heads=[t.head.i for t in parsed],
        deps=[t.dep_ for t in parsed],
        sent_starts=[bool(t.is_sent_start) for t in parsed],
    )
    doc.tensor = parsed.tensor.copy()
    return doc


_BASE_PIPELINES: dict[str, Language] = {}


def _base_pipeline(name: str) -> Language:
    """Loaded once per process: the train and dev readers share it."""
    if name not in _BASE_PIPELINES:
        _BASE_PIPELINES[name] = spacy.load(name, exclude=["ner"])
    return _BASE_PIPELINES[name]


class AttributionCorpus:
    def __init__(self, path: str | Path, annotate_with: str | None, limit: int = 0,
                 teacher: str | Path | None = None, teacher_weight: float = 0.5):
        check_weight(teacher_weight)
        self.path = Path(path)
        self.annotate_with = annotate_with
        self.limit = limit
        self.teacher = teacher
        self.teacher_weight = teacher_weight
        self._predicted: list[Doc] | None = None
        self._targets: list | None = None

    def _references(self, nlp: Language) -> list[Doc]:
        docs = list(DocBin().from_disk(self.path).get_docs(nlp.vocab))
        return docs[: self.limit] if self.limit else docs

    def _annotate(self, nlp: Language, references: list[Doc]) -> list[Doc]:
        if not self.annotate_with:
            return [nlp.make_doc(doc.text) for doc in references]
        base = _base_pipeline(self.annotate_with)
        return [_annotated_copy(nlp.vocab, parsed) for parsed in base.pipe((d.text for d in references), batch_size=16)]

    def __call__(self, nlp: Language) -> Iterator[Example]:
        references = self._references(nlp)
        if self._predicted is None:
            self._predicted = self._annotate(nlp, references)
        if self.teacher and self._targets is None:
            self._targets = teacher_targets(self.teacher, self._predicted, references, self.teacher_weight)
        for index, (predicted, reference) in enumerate(zip(self._predicted, references)):
            if len(reference):
                if self._targets is not None:
                    reference._.attribution_targets = self._targets[index]
                yield Example(predicted, reference)


@spacy.registry.readers("newsie.AttributionCorpus.v1")
def create_attribution_corpus(path: Path | None, annotate_with: str | None = None, limit: int = 0,
                              teacher: str | None = None, teacher_weight: float = 0.5) -> AttributionCorpus:
    """DocBin of gold docs; `annotate_with` names the base spaCy pipeline that supplies POS/DEP features.
    `teacher`, a trained attribution model folder, makes the targets soft: `teacher_weight` of the
    teacher's tag probabilities, the rest the gold tags (knowledge distillation, `distillation`)."""
    if path is None:
        raise ValueError("newsie.AttributionCorpus.v1 needs a path (paths.train / paths.dev)")
    return AttributionCorpus(path, annotate_with, limit, teacher, teacher_weight)
