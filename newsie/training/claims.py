"""`newsie train claims`: fit the claims stage's event-type model on annotated articles.

Data: a folder holding `claims.jsonl` (the gold claims format of shared/gold/GUIDE.md) and
`docs/` (the articles, with a manifest.csv if there is one), or the gold JSONL itself with
`docs/` beside it. Each article runs through the pipeline once with the claims stage's rules
alone; every claim that overlaps a scored gold figure ("" flags) is an example: the features
of its context (type_features.py) and the gold kind.

The model is a multinomial logistic regression (scikit-learn) over those sparse features,
saved as JSON (components/claims/linear.py) in OUTPUT/event_type.json with its training
record in OUTPUT/meta.json. `cross_validate` scores it, fold by document, against the rules'
types on the same examples.
"""
from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import srsly

from ..components.claims.component import MODEL_DECIDES, SOURCE_MODEL, TYPE_MODEL
from ..components.claims.linear import Features, LinearModel
from ..components.claims.source_ranker import Candidate, choose
from ..components.claims.type_features import COARSE_TYPES, coarse
from ..evaluate.claims import load_gold, source_right

DEFAULT_C = 0.1
SEED = 0


@dataclass
class TypeExample:
    doc_id: str
    quote: str
    features: Features
    rule_fine: str | None  # the rules' own type (None: they found none)
    gold: str

    @property
    def rule_type(self) -> str:
        """The coarse type the rules alone give."""
        return coarse(self.rule_fine)

    def decided(self, model: LinearModel) -> str:
        """The type the claims stage gives with `model` (ClaimBuilder.decide_types)."""
        return model.predict(self.features) if self.rule_fine in MODEL_DECIDES else self.rule_type


@dataclass
class SourceExample:
    doc_id: str
    quote: str
    candidates: list[Candidate]  # the figure's source candidates (kind and features; no spans kept)
    right: list[bool]  # whether each names a gold source

    def right_with(self, model: LinearModel | None) -> bool:
        """Whether the claims stage's choice (source_ranker.choose: the rules' order without a
        model) names a gold source."""
        chosen = choose(self.candidates, model)
        return next(r for c, r in zip(self.candidates, self.right) if c is chosen)


def gold_set(path: str | Path) -> tuple[Path, list[dict]]:
    """(the articles' folder, the gold lines) for a folder with claims.jsonl and docs/, or a
    gold JSONL file with docs/ beside it."""
    path = Path(path)
    gold_file = path / "claims.jsonl" if path.is_dir() else path
    docs = gold_file.parent / "docs"
    if not gold_file.is_file():
        raise ValueError(f"no gold claims at {gold_file}")
    if not docs.is_dir():
        raise ValueError(f"no docs/ folder beside {gold_file}: the articles the gold offsets point into")
    return docs, load_gold(gold_file)


def collect_examples(nlp, docs: Path, gold: list[dict]) -> tuple[list[TypeExample], list[SourceExample]]:
    """One example per claim of the rules that overlaps a scored gold figure (the first such
    claim for each gold figure, as the scorer reads it): for the type model, and for the source
    model where the gold names its sources (not null)."""
    from ..engine.local import _make_doc
    from ..io.readers import read_documents

    builder = nlp.get_pipe("newsie_claims")
    saved_type, saved_source = builder.type_model, builder.source_model
    builder.type_model, builder.source_model, builder.keep_features = None, None, True
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for g in gold:
        if not g.get("flags") and g.get("kind"):
            by_doc[g["doc"]].append(g)
    documents = [d for d in read_documents([docs]) if d.error is None and d.doc_id in by_doc]
    examples: list[TypeExample] = []
    sources: list[SourceExample] = []
    try:
        for d, doc in zip(documents, nlp.pipe(_make_doc(nlp, d) for d in documents)):
            claims = doc._.claims or []
            for g in by_doc[d.doc_id]:
                claim = next((c for c in claims if c.quantity_start < g["end"] and g["start"] < c.quantity_end), None)
                if claim is not None:
                    rule = next(k[5:] for k in claim.features if k.startswith("rule="))
                    examples.append(TypeExample(d.doc_id, g["quote"], claim.features, None if rule == "none" else rule, g["kind"]))
                    if g.get("sources") is not None:
                        right = [source_right(g, {"source_text": c.attribution.source.text if c.attribution else None,
                                                  "source_canonical": c.attribution.canonical if c.attribution else None})
                                 for c in claim.source_options]
                        bare = [Candidate(c.kind, None, c.features) for c in claim.source_options]
                        sources.append(SourceExample(d.doc_id, g["quote"], bare, right))
    finally:
        builder.type_model, builder.source_model, builder.keep_features = saved_type, saved_source, False
    return examples, sources


def fit_type_model(examples: list[TypeExample], c: float = DEFAULT_C) -> LinearModel:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([e.features for e in examples])
    y = [e.gold for e in examples]
    classifier = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    classifier.fit(x, y)
    classes = [str(k) for k in classifier.classes_]
    names = vectorizer.get_feature_names_out()
    coef = classifier.coef_
    if len(classes) == 2:  # scikit-learn keeps one row for two classes: make it symmetric
        coef = [-coef[0] / 2, coef[0] / 2]
        bias = [-classifier.intercept_[0] / 2, classifier.intercept_[0] / 2]
    else:
        bias = list(classifier.intercept_)
    weights = {}
    for j, name in enumerate(names):
        row = [float(coef[k][j]) for k in range(len(classes))]
        if any(abs(w) > 1e-6 for w in row):
            weights[str(name)] = row
    return LinearModel(classes, weights, [float(b) for b in bias], {"C": c, "examples": len(examples)})


def fit_source_model(examples: list[SourceExample], c: float = DEFAULT_C) -> LinearModel:
    """A binary logistic regression over every candidate: does it name a gold source?"""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows = [(c.features, right) for e in examples for c, right in zip(e.candidates, e.right)]
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([f for f, _ in rows])
    classifier = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    classifier.fit(x, [int(right) for _, right in rows])
    weights = {str(name): [float(w)] for name, w in zip(vectorizer.get_feature_names_out(), classifier.coef_[0]) if abs(w) > 1e-6}
    return LinearModel(["right"], weights, [float(classifier.intercept_[0])], {"C": c, "examples": len(examples)})


def _folds(doc_ids: set[str], folds: int) -> dict[str, int]:
    docs = sorted(doc_ids)
    random.Random(SEED).shuffle(docs)
    return {d: i % folds for i, d in enumerate(docs)}


def cross_validate_sources(examples: list[SourceExample], folds: int = 5, c: float = DEFAULT_C) -> dict:
    """Share of figures whose chosen source names a gold one: the ranker, the rules, and the
    best any candidate allows (the ceiling), folds split by document."""
    fold_of = _folds({e.doc_id for e in examples}, folds)
    right_model = right_rules = 0
    tested = 0
    for k in range(folds):
        train = [e for e in examples if fold_of[e.doc_id] != k]
        test = [e for e in examples if fold_of[e.doc_id] == k]
        if not test or not any(any(e.right) for e in train):
            continue
        model = fit_source_model(train, c)
        tested += len(test)
        right_model += sum(e.right_with(model) for e in test)
        right_rules += sum(e.right_with(None) for e in test)
    n = tested or 1
    return {"examples": tested, "folds": folds, "model": round(right_model / n, 3), "rules": round(right_rules / n, 3),
            "ceiling": round(sum(any(e.right) for e in examples) / max(len(examples), 1), 3)}


def cross_validate(examples: list[TypeExample], folds: int = 5, c: float = DEFAULT_C) -> dict:
    """Accuracy of the claims stage with the model (where MODEL_DECIDES) and of the rules alone,
    folds split by document, overall and per gold type."""
    fold_of = _folds({e.doc_id for e in examples}, folds)
    right_model: Counter = Counter()
    right_rules: Counter = Counter()
    total: Counter = Counter()
    for k in range(folds):
        train = [e for e in examples if fold_of[e.doc_id] != k]
        test = [e for e in examples if fold_of[e.doc_id] == k]
        if not test or len({e.gold for e in train}) < 2:
            continue
        model = fit_type_model(train, c)
        for e in test:
            total[e.gold] += 1
            right_model[e.gold] += e.decided(model) == e.gold
            right_rules[e.gold] += e.rule_type == e.gold
    n = sum(total.values()) or 1
    return {
        "examples": sum(total.values()), "folds": folds,
        "model": round(sum(right_model.values()) / n, 3), "rules": round(sum(right_rules.values()) / n, 3),
        "per_type": {t: {"n": total[t], "model": round(right_model[t] / total[t], 3), "rules": round(right_rules[t] / total[t], 3)}
                     for t in COARSE_TYPES if total[t]},
    }


def train_claims(train: Path, output: Path, *, config: Path | None = None, folds: int = 5,
                 c: float = DEFAULT_C, log=print) -> dict:
    """Fit the event-type model and the source ranker on `train`, cross-validate them, and
    write them to `output`; returns the cross-validation scores."""
    from ..nlp import build_nlp

    docs, gold = gold_set(train)
    nlp = build_nlp(config, overrides={"components.newsie_claims.models_path": None})
    log(f"reading {docs} with the rules ...")
    types, sources = collect_examples(nlp, docs, gold)
    if len({e.gold for e in types}) < 2:
        raise ValueError(f"{train}: the gold figures the pipeline finds have fewer than two kinds; nothing to learn")
    log(f"{len(types)} figures from {len({e.doc_id for e in types})} articles, {len(sources)} with gold sources; "
        f"{folds}-fold cross-validation ...")
    scores = {"event_type": cross_validate(types, folds, c), "source": cross_validate_sources(sources, folds, c)} if folds > 1 else {}
    stamp = {"trained_on": str(train), "date": dt.date.today().isoformat()}
    type_model = fit_type_model(types, c)
    type_model.meta.update(stamp, cross_validation=scores.get("event_type", {}))
    output.mkdir(parents=True, exist_ok=True)
    type_model.to_disk(output / TYPE_MODEL)
    meta = {"event_type": type_model.meta, "source": {**stamp, "cross_validation": scores.get("source", {})}}
    # The source ranker is kept only where it beats the rules' order on held-out articles.
    source_scores = scores.get("source", {})
    wins = not source_scores or source_scores["model"] > source_scores["rules"]
    (output / SOURCE_MODEL).unlink(missing_ok=True)
    if wins and any(any(e.right) for e in sources):
        source_model = fit_source_model(sources, c)
        source_model.meta.update(meta["source"])
        source_model.to_disk(output / SOURCE_MODEL)
    else:
        log(f"source ranker not kept: {source_scores.get('model')} against the rules' {source_scores.get('rules')}")
    meta["source"]["kept"] = (output / SOURCE_MODEL).exists()
    srsly.write_json(output / "meta.json", meta)
    return scores
