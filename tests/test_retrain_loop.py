"""The retraining loop a user runs on their own annotated articles, from a BRAT folder: train
(a few steps), score the model on the same folder, choose its span costs, run newsie with it. Articles and
annotations written for this test; no ../shared needed."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newsie.attribution.data import read_records
from newsie.cli import app

pytestmark = pytest.mark.slow  # trains a model and runs the whole pipeline

ARTICLES = [
    ("The mayor said 40 homes were destroyed in the flood.", "The mayor", "said", "40 homes were destroyed in the flood"),
    ("Rescuers found 12 survivors on Sunday, the fire chief told reporters.", "the fire chief", "told",
     "Rescuers found 12 survivors on Sunday"),
    ("According to the health ministry, 300 people were treated for burns.", "the health ministry", "According to",
     "300 people were treated for burns"),
    ("Police said two suspects had been arrested near the border.", "Police", "said",
     "two suspects had been arrested near the border"),
    ("The company announced that it would cut 1,200 jobs next year.", "The company", "announced",
     "it would cut 1,200 jobs next year"),
    ("Officials estimated that 5,000 people had fled the town.", "Officials", "estimated",
     "5,000 people had fled the town"),
]


def write_brat(folder: Path) -> None:
    folder.mkdir(parents=True)
    for n, (text, source, cue, content) in enumerate(ARTICLES):
        lines = []
        for k, (label, phrase) in enumerate((("Source", source), ("Cue", cue), ("Content", content)), start=1):
            start = text.index(phrase)
            lines.append(f"T{k}\t{label} {start} {start + len(phrase)}\t{phrase}")
        lines.append("E1\tAttribution:T2 Source:T1 Content:T3")
        (folder / f"article{n}.txt").write_text(text, encoding="utf-8")
        (folder / f"article{n}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_train_score_and_run_from_a_brat_folder(tmp_path):
    brat, model, out = tmp_path / "brat", tmp_path / "model", tmp_path / "out"
    write_brat(brat)
    records = list(read_records(brat))
    assert len(records) == len(ARTICLES) and all(len(r["attributions"]) == 1 for r in records)

    runner = CliRunner()
    trained = runner.invoke(app, ["train", "attribution", "--train", str(brat), "--dev", str(brat),
                                  "--output", str(model), "--max-steps", "20", "--seed", "7"])
    assert trained.exit_code == 0, trained.output
    assert (model / "config.cfg").is_file()
    assert "\nseed = 7\n" in (model / "config.cfg").read_text()  # --seed reached the training config

    scored = runner.invoke(app, ["eval", "attribution", str(model), "--gold", str(brat)])
    assert scored.exit_code == 0, scored.output
    assert "link" in scored.output and "content" in scored.output

    tuned = runner.invoke(app, ["train", "span-costs", str(model), "--dev", str(brat), "--grid", "0,1", "--write"])
    assert tuned.exit_code == 0, tuned.output
    assert "newsie_span_costs" in json.loads((model / "meta.json").read_text())

    articles = tmp_path / "articles.jsonl"
    articles.write_text("".join(json.dumps({"id": f"a{n}", "text": text}) + "\n"
                                for n, (text, *_rest) in enumerate(ARTICLES)), encoding="utf-8")
    ran = runner.invoke(app, ["run", str(articles), "--out", str(out), "--attribution-model", str(model)])
    assert ran.exit_code == 0, ran.output
    documents = pd.read_parquet(out / "documents")
    assert (documents["status"] == "ok").all() and len(documents) == len(ARTICLES)
    assert len(pd.read_parquet(out / "claims")) >= len(ARTICLES)
