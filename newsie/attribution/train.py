"""Train the attribution tagger from JSONL (or BRAT folders) with spaCy's own training loop.

The output folder is a complete spaCy pipeline (a blank "en" pipeline holding only the
"newsie_attribution" component: config.cfg, meta.json, tokenizer, vocab, newsie_attribution/model).
Load it after importing newsie.attribution (which registers the factory):

    import newsie.attribution
    nlp.add_pipe("newsie_attribution", source=spacy.load(output_dir))
"""
from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import spacy
from spacy.cli.train import train as spacy_train

from ..paths import CONFIGS
from . import minilm_features, mpnet_features
from .component import limit_torch_threads  # importing registers the factory and architectures
from .data import ConversionReport, read_records, records_to_docs
from .distillation import check_teacher, check_weight

DEFAULT_CONFIG = CONFIGS / "attribution_cpu.cfg"


def keep_encoder_vectors(n_docs: int) -> None:
    """Keep the frozen encoders' vectors of at least n_docs Docs (every train and dev article)."""
    for memo in (minilm_features.MEMO, mpnet_features.MEMO):
        memo.capacity = max(memo.capacity, n_docs)


def convert_to_docbin(path: str | Path, output: Path, max_docs: int | None = None) -> ConversionReport:
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    report = ConversionReport()
    docbin = DocBin(store_user_data=True)
    for doc in records_to_docs(nlp, read_records(path, max_docs), report):
        docbin.add(doc)
    docbin.to_disk(output)
    return report


def _overrides(train_file: Path, dev_file: Path, max_steps: int | None, seed: int | None = None,
               teacher: str | Path | None = None, teacher_weight: float | None = None) -> dict:
    overrides = {"paths.train": str(train_file), "paths.dev": str(dev_file)}
    if teacher is not None:
        overrides["corpora.train.teacher"] = str(teacher)
    if teacher_weight is not None:
        overrides["corpora.train.teacher_weight"] = teacher_weight
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    if seed is not None:
        overrides["system.seed"] = seed
    return overrides


def _fit_eval_frequency(config_path: Path, overrides: dict) -> None:
    """With few steps, evaluate at the end at least, so that a best model gets written."""
    max_steps = overrides.get("training.max_steps")
    if max_steps is None:
        return
    config = spacy.util.load_config(config_path, overrides=overrides, interpolate=False)
    if config["training"]["eval_frequency"] > max_steps:
        overrides["training.eval_frequency"] = max_steps


def replace_model_dir(trained: Path, output_dir: Path) -> None:
    """Put the trained pipeline at output_dir; an older pipeline there is replaced, anything else refused."""
    if output_dir.exists() and any(output_dir.iterdir()):
        if not (output_dir / "meta.json").exists():
            raise FileExistsError(f"{output_dir} is not empty and holds no spaCy pipeline; not overwriting it")
        shutil.rmtree(output_dir)
    shutil.copytree(trained, output_dir)


def train_attribution(train_path, dev_path, output_dir, config_path=None, max_steps: int | None = None,
                      gpu: bool = False, max_docs: int | None = None, seed: int | None = None,
                      teacher: str | Path | None = None, teacher_weight: float | None = None) -> dict:
    """Train on JSONL/BRAT data, write the best pipeline to output_dir, return its dev scores and timings.
    With `teacher` (a trained attribution model folder) the student learns from soft targets,
    `teacher_weight` of them the teacher's tag probabilities (see `distillation`)."""
    if teacher is not None:
        check_teacher(teacher)  # a wrong folder fails now, not after the corpus is parsed
    if teacher_weight is not None:
        check_weight(teacher_weight)
    limit_torch_threads(0 if gpu else 1)
    config_path = Path(config_path) if config_path else DEFAULT_CONFIG
    output_dir = Path(output_dir)
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="newsie-attribution-") as tmp:
        tmp = Path(tmp)
        train_report = convert_to_docbin(train_path, tmp / "train.spacy", max_docs)
        dev_report = convert_to_docbin(dev_path, tmp / "dev.spacy", max_docs)
        print(f"train data: {train_report}\ndev data:   {dev_report}")
        # a MiniLM-featured tagger (SyntaxEmbed.v3) encodes each article once, not once per epoch
        keep_encoder_vectors(train_report.docs + dev_report.docs)
        overrides = _overrides(tmp / "train.spacy", tmp / "dev.spacy", max_steps, seed, teacher, teacher_weight)
        _fit_eval_frequency(config_path, overrides)
        spacy_train(config_path, tmp / "out", use_gpu=0 if gpu else -1, overrides=overrides)
        best = tmp / "out" / "model-best"
        replace_model_dir(best if best.exists() else tmp / "out" / "model-last", output_dir)
    meta = json.loads((output_dir / "meta.json").read_text())
    summary = {
        "seconds": round(time.time() - started, 1),
        "dev_scores": meta.get("performance", {}),
        "train_spans": str(train_report),
        "dev_spans": str(dev_report),
    }
    print(json.dumps(summary, indent=2))
    return summary
