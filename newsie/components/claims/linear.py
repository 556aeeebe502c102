"""A linear model over sparse named features, stored as plain JSON.

The claims stage's trained parts (the event-type classifier and the source ranker) are
multinomial logistic regressions (scikit-learn's `LogisticRegression`, fit by
`newsie train claims`). At run time a prediction is a sum of the weights of the features
that fire, so the run needs neither scikit-learn nor a pickle: the weights are saved as
JSON, readable and stable across library versions.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import srsly

Features = dict[str, float]


@dataclass
class LinearModel:
    classes: list[str]
    weights: dict[str, list[float]]  # feature name -> one weight per class
    bias: list[float]
    meta: dict

    def scores(self, features: Features) -> list[float]:
        total = list(self.bias)
        for name, value in features.items():
            row = self.weights.get(name)
            if row is not None:
                for k, w in enumerate(row):
                    total[k] += w * value
        return total

    def probabilities(self, features: Features) -> dict[str, float]:
        scores = self.scores(features)
        if len(self.classes) == 1:  # a binary model keeps the positive class's logit only
            p = 1.0 / (1.0 + math.exp(-scores[0]))
            return {self.classes[0]: p}
        top = max(scores)
        exp = [math.exp(s - top) for s in scores]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}

    def predict(self, features: Features) -> str:
        scores = self.scores(features)
        return self.classes[max(range(len(scores)), key=scores.__getitem__)]

    def to_dict(self) -> dict:
        return {"classes": self.classes, "bias": self.bias, "meta": self.meta,
                "weights": {k: [round(w, 6) for w in v] for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, d: dict) -> "LinearModel":
        return cls(list(d["classes"]), {k: list(v) for k, v in d["weights"].items()}, list(d["bias"]), dict(d.get("meta", {})))

    def to_disk(self, path: str | Path) -> None:
        srsly.write_json(path, self.to_dict())

    @classmethod
    def from_disk(cls, path: str | Path) -> "LinearModel":
        return cls.from_dict(srsly.read_json(path))
