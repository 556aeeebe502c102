"""newsie: news articles in, sourced event records out.

The Python API beside the command line (each imports what it needs when called, so
`import newsie` stays cheap):

    nlp = newsie.load()                       # the spaCy pipeline `newsie run` uses
    doc = nlp("The ministry said 40 people died.")
    doc._.claims                              # Claim records; doc._.names: the names found
    summary = newsie.run(["articles/"], "out/")   # what `newsie run articles/ --out out/` does
    claims = newsie.read("out/", "claims")    # a table as a DataFrame, dates as datetime64
"""
from __future__ import annotations

from .version import __version__

__all__ = ["__version__", "load", "read", "run"]


def load(config=None, *, attribution_model=None, rules: bool = False):
    """The spaCy pipeline of `newsie run`: en_core_web_sm, then newsie's components. A Doc it
    makes has `doc._.claims` (newsie.components.claims.Claim records), `doc._.attributions`,
    `doc._.quantities`, `doc._.timexes` and `doc._.names`. `config`: a pipeline config instead
    of the shipped configs/pipeline.cfg; `rules`: rule attribution alone (the `--rules` config);
    `attribution_model`: a trained model folder or a shipped model's name."""
    from .engine.runner import pipeline_config, shipped_model
    from .nlp import build_nlp

    model = shipped_model(attribution_model)
    return build_nlp(pipeline_config(config, rules, model), attribution_model=model)


def run(inputs, out, **options):
    """Do what `newsie run INPUTS --out OUT` does and return its summary
    (newsie.engine.local.RunSummary: documents, claims, failed, figures, disputed, ...).
    `inputs`: a path or a list of folders, files and JSONL files. `options` are the command's
    flags in Python spelling: manifest, published (a date or YYYY-MM-DD), attribution_model,
    config, rules, workers, engine, scheduler, chunk_size, force, max_chars, timeout,
    crossdoc_config. A bad option raises newsie.engine.runner.RunError (a ValueError)."""
    from .engine.runner import run_folder

    return run_folder(inputs, out, **options)


def read(out, table: str):
    """One table of a run (documents, mentions, attributions, claims, errors, figures) as a
    pandas DataFrame, with the contract's types: dates as datetime64, lists and structs as
    Python objects."""
    from .query import read_table

    return read_table(out, table)
