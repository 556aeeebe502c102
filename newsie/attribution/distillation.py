"""Knowledge distillation for the attribution tagger: a trained teacher's per-token tag
probabilities as soft training targets.

Method: Hinton, Vinyals & Dean (2015), "Distilling the Knowledge in a Neural Network"
(arXiv:1503.02531), applied per token as the word-level distillation of Kim & Rush (2016),
"Sequence-Level Knowledge Distillation" (EMNLP). The teacher (any trained attribution pipeline,
e.g. the MiniLM-featured ensemble) tags each training article once; the student then learns, for
every token and role, from

    target = (1 - weight) * gold one-hot + weight * teacher probabilities

With a soft target the cross-entropy gradient with respect to the softmax's input is still
(probabilities - target), so the tagger's loss is unchanged in form. The student keeps its own
architecture, so a cheap student learns from an expensive teacher at no cost at run time.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
from spacy.tokens import Doc
from spacy.training import Example

from .component import PIPE, gold_tag_matrix


def mix_targets(gold: np.ndarray, teacher: np.ndarray, weight: float) -> np.ndarray:
    """(1 - weight) * gold + weight * teacher, row by row; both (n_tokens, n_columns)."""
    check_weight(weight)
    if gold.shape != teacher.shape:
        raise ValueError(f"teacher probabilities have shape {teacher.shape}, the gold tags {gold.shape}: "
                         "the teacher must tag the same tokens")
    return ((1.0 - weight) * gold + weight * teacher).astype("float32")


def check_weight(weight: float) -> None:
    if not 0.0 <= weight <= 1.0:
        raise ValueError(f"teacher_weight must be between 0 and 1, got {weight}")


def check_teacher(path: str | Path) -> Path:
    """`path` as a Path if it holds a pipeline with an attribution component (read from its config)."""
    from spacy.util import load_config

    path = Path(path)
    if not (path / "config.cfg").is_file():
        raise FileNotFoundError(f"teacher: no trained attribution model in {path} (a folder with config.cfg)")
    if PIPE not in load_config(path / "config.cfg", interpolate=False)["nlp"]["pipeline"]:
        raise ValueError(f"teacher: {path} has no {PIPE} component")
    return path


def load_teacher(path: str | Path):
    """The attribution pipe of the trained pipeline at `path`."""
    import spacy

    return spacy.load(check_teacher(path)).get_pipe(PIPE)


def teacher_targets(teacher_path: str | Path, predicted: Sequence[Doc], references: Sequence[Doc],
                    weight: float) -> list[np.ndarray]:
    """Soft targets for each (predicted, reference) pair: the teacher tags the predicted Doc (the
    tokens and syntax the student sees) and its probabilities are mixed with the gold tags."""
    check_weight(weight)
    teacher = load_teacher(teacher_path)
    targets = []
    for doc, reference in zip(predicted, references):
        gold = gold_tag_matrix(Example(doc, reference))
        probabilities = np.asarray(teacher.predict([doc])[0], dtype="float32")
        targets.append(mix_targets(gold, probabilities, weight))
    return targets
