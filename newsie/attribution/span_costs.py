"""Choose the attribution component's span costs on annotated articles, by grid search.

`constrained_viterbi` makes every decoded span pay a cost per role (`span_costs` in the
component's config, in log-probability): a prior for fewer, longer spans. The shipped costs
were chosen on PolNeAR dev for the shipped tagger; a tagger trained on other articles, or an
ensemble of more members (whose mean probabilities are smoother), may decode better with others.

The tagger runs once over the articles; every grid point only decodes and links again
(`AttributionTagger.set_annotations` on the stored tag probabilities) and is scored as
`newsie eval attribution MODEL` scores a model: exact F1 per role and link F1 of the model's own
attributions. So a grid of 125 points costs about one evaluation plus well under a second per
point on 100 articles (the whole command: 97 s on PolNeAR dev's 84, loading included). Scores of costs chosen on a set are optimistic for that set: report them on
articles the choice did not see.

    trials = search_span_costs(nlp, read_records("my_brat/dev"))
    best = best_trial(trials, "mean")
    write_span_costs("build/my-model", best.costs)
"""
from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from spacy.language import Language
from spacy.util import load_config

from .component import PIPE
from .evaluate import trained_component
from .model import ROLES
from .scoring import doc_to_record, score_records

GRID = (0.0, 0.5, 1.0, 1.5, 2.0)
OBJECTIVES = ("mean", *ROLES, "link")


@dataclass
class Trial:
    costs: dict[str, float]
    scores: dict[str, float]  # exact F1 per role, and "link"

    def value(self, objective: str) -> float:
        if objective == "mean":
            return sum(self.scores.values()) / len(self.scores)
        return self.scores[objective]


def check_grid(grid: Sequence[float]) -> tuple[float, ...]:
    values = tuple(sorted(set(float(v) for v in grid)))
    if not values or any(v < 0 for v in values):
        raise ValueError(f"span cost grid must hold one or more costs >= 0, not {list(grid)}")
    return values


def search_span_costs(nlp: Language, gold_records: Sequence[dict], grid: Sequence[float] = GRID) -> list[Trial]:
    """One Trial per point of the grid (every role's cost taken from `grid`), scored on gold_records.
    nlp's trained attribution component keeps the costs it had."""
    grid = check_grid(grid)
    name = trained_component(nlp)
    if name is None:
        raise ValueError("the pipeline has no trained attribution component (newsie_attribution)")
    pipe = nlp.get_pipe(name)
    with nlp.select_pipes(enable=nlp.pipe_names[:nlp.pipe_names.index(name)]):
        docs = list(nlp.pipe(record["text"] for record in gold_records))
    scores = pipe.predict(docs)
    kept = dict(pipe.span_costs)
    trials = []
    try:
        for point in itertools.product(grid, repeat=len(ROLES)):
            pipe.span_costs = dict(zip(ROLES, point))
            pipe.set_annotations(docs, scores)
            found = score_records(gold_records, [doc_to_record(doc) for doc in docs])
            trials.append(Trial(dict(pipe.span_costs),
                                {**{role: found[role]["exact"]["f"] for role in ROLES}, "link": found["link"]["f"]}))
    finally:
        pipe.span_costs = kept
    return trials


def best_trial(trials: Iterable[Trial], objective: str = "mean", prefer: dict[str, float] | None = None) -> Trial:
    """The trial with the highest objective; among equals `prefer`'s costs (the current ones), else
    the lowest costs."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}, not {objective!r}")
    trials = list(trials)
    top = max(round(t.value(objective), 9) for t in trials)
    tied = [t for t in trials if round(t.value(objective), 9) == top]
    return next((t for t in tied if prefer is not None and t.costs == prefer),
                min(tied, key=lambda t: sorted(t.costs.values(), reverse=True)))


def write_span_costs(model_dir: str | Path, costs: dict[str, float], provenance: dict | None = None) -> None:
    """Set the span costs in a saved model's config.cfg (which alone sets them on load), and keep
    how they were chosen under `newsie_span_costs` in its meta.json."""
    model_dir = Path(model_dir)
    config_path = model_dir / "config.cfg"
    config = load_config(config_path)
    if PIPE not in config.get("components", {}):
        raise ValueError(f"{model_dir} has no {PIPE} component")
    config["components"][PIPE]["span_costs"] = {role: float(costs[role]) for role in ROLES}
    config.to_disk(config_path)
    meta_path = model_dir / "meta.json"
    if provenance is not None and meta_path.is_file():
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        meta["newsie_span_costs"] = provenance
        meta_path.write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
