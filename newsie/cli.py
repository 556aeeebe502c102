"""`newsie`: the command line. Thin: parses flags and calls the modules that do the work."""
from __future__ import annotations

import datetime as dt
import itertools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Iterable, Iterator, List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="newsie: folders of news articles in, sourced event records (Parquet) out.")
eval_app = typer.Typer(no_args_is_help=True, help="Score a run against gold annotations.")
train_app = typer.Typer(no_args_is_help=True, help="Train a component.")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
console = Console(stderr=True)
SHIPPED_CROSSDOC_CONFIG = "configs/crossdoc.cfg"  # shown in --help; the file is found through newsie.paths


def _fail(message: str, code: int = 2) -> "typer.Exit":
    """One `error: ...` line on stderr (never wrapped), then exit `code`."""
    console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    return typer.Exit(code)


def _parse_day(value: Optional[str]) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}")


@app.command()
def run(
    inputs: List[Path] = typer.Argument(..., help="Folders, files (.txt .html .htm .json .jsonl) or JSONL documents."),
    out: Path = typer.Option(..., "--out", help="Output directory for the Parquet tables."),
    manifest: Optional[Path] = typer.Option(None, help="CSV with doc_id,published[,outlet,title,url]."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) for documents without one."),
    workers: int = typer.Option(1, min=1, help="Parallel processes, each loading the pipeline once."),
    engine: str = typer.Option("local", help="local (this machine's processes) or dask (a Dask cluster)."),
    scheduler: Optional[str] = typer.Option(None, help="Dask scheduler address, e.g. tcp://host:8786 "
                                            "(default: a LocalCluster of --workers processes)."),
    chunk_size: int = typer.Option(32, min=1, help="Documents per chunk (one Parquet part per table per chunk; "
                                   "the last chunks of a run are smaller)."),
    force: bool = typer.Option(False, "--force", help="Reprocess documents an earlier run already did."),
    max_chars: int = typer.Option(1_000_000, min=1, help="Refuse documents longer than this (an errors row)."),
    timeout: float = typer.Option(60.0, min=0, help="Per-document time limit in seconds (0: none)."),
    attribution_model: Optional[Path] = typer.Option(None, help="A trained attribution model directory, or the "
                                                     "name of a shipped one (attribution-minilm, attribution-mpnet)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Pipeline config (default: the shipped "
                                          "configs/pipeline.cfg)."),
    rules: bool = typer.Option(False, "--rules", help="Rule-based attribution alone: the shipped "
                               "configs/pipeline_rules.cfg instead of configs/pipeline.cfg."),
    strict: bool = typer.Option(False, help="Exit non-zero when any document fails."),
    crossdoc_config: Optional[Path] = typer.Option(
        None, "--crossdoc-config", show_default=SHIPPED_CROSSDOC_CONFIG,
        help="Settings of the cross-document step (figures, disputes, near-duplicates): a config "
             "file like the shipped one, which holds every setting and its default."),
):
    """Extract sourced figures from articles and write the tables to OUT."""
    from .crossdoc.settings import DEFAULT_CONFIG, CrossdocConfigError, load_settings
    from .engine.runner import make_engine, run_pipeline
    from .engine.worker import NlpSettings
    from .io.readers import read_documents
    from .io.writer import OutputLocked
    from .progress import RunDisplay, count_documents

    _check_inputs(inputs, manifest)
    _check_out(out)
    try:
        crossdoc_settings = load_settings(crossdoc_config or DEFAULT_CONFIG)
    except CrossdocConfigError as exc:
        raise _fail(f"--crossdoc-config: {exc}")
    attribution_model = _shipped_model(attribution_model)
    if attribution_model is not None and not (attribution_model / "config.cfg").is_file():
        raise _fail(f"no attribution model in {attribution_model} "
                    "(a folder written by `newsie train attribution`, with config.cfg)")
    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"--engine must be local or dask, got {engine!r}")
    anchor = _parse_day(published)
    settings = NlpSettings(config=str(_pipeline_config(config, rules, attribution_model)),
                           attribution_model=str(attribution_model) if attribution_model else None,
                           max_chars=max_chars, timeout=timeout or None)
    documents = _nonempty(read_documents(inputs, manifest=manifest, published=anchor, max_chars=max_chars), inputs)
    # "loading pipeline", then the progress bar over the chunks, then "cross-document step"
    with RunDisplay(console, count_documents(inputs)) as display:
        runner = make_engine(engine, settings, workers=workers, scheduler=scheduler)
        try:
            summary = run_pipeline(documents, out, runner, chunk_size=chunk_size, force=force,
                                   finalize=lambda path: finalize_run(path, crossdoc_settings), progress=display)
        except OutputLocked as exc:
            raise _fail(str(exc))
        finally:
            runner.close()
    _print_summary(summary, out)  # after the cross-document step, from the final tables
    if strict and (summary.failed or summary.skipped_failed):
        raise typer.Exit(1)


def _shipped_model(path: Optional[Path]) -> Optional[Path]:
    """A path as given, or the shipped model of that name (models/NAME) where no such path exists."""
    from .paths import MODELS

    if path is not None and not path.exists() and len(path.parts) == 1 and (MODELS / path).is_dir():
        return MODELS / path
    return path


def _pipeline_config(config: Optional[Path], rules: bool, attribution_model: Optional[Path]) -> Path:
    from .paths import PIPELINE_CONFIG, RULES_CONFIG  # not .nlp: a client of workers needs no spaCy

    if config is not None and rules:
        raise _fail("--config and --rules both choose the pipeline config: give one")
    if rules and attribution_model is not None:
        raise _fail("--rules runs without a trained model: drop --attribution-model")
    if config is not None and not config.is_file():
        raise _fail(f"pipeline config not found: {config}")
    return config or (RULES_CONFIG if rules else PIPELINE_CONFIG)


def _check_inputs(inputs: List[Path], manifest: Optional[Path]) -> None:
    for path in inputs:
        if not path.exists():
            raise _fail(f"input not found: {path}")
    if manifest is not None and not manifest.is_file():
        raise _fail(f"manifest not found: {manifest}")


def _check_out(out: Path) -> None:
    """--out must be a folder, or a path where one can be made: not an existing file."""
    if out.exists() and not out.is_dir():
        raise _fail(f"--out {out} is a file; give a folder for the tables (it is created if missing)")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise _fail(f"--out {out}: {parent} is a file, not a folder")
            break


def _nonempty(documents: Iterator, inputs: List[Path]) -> Iterator:
    """The documents, or an error before the pipeline loads when the inputs hold none (an
    empty folder, only unsupported files, an empty JSONL). Reads up to the first document;
    the problems a manifest reports come first and do not count."""
    head = []
    for doc in documents:
        head.append(doc)
        if not (doc.error is not None and doc.error[0] == "manifest"):
            return itertools.chain(head, documents)
    from .io.readers import SUFFIXES

    others = _count_files(inputs)
    found = f" (found {others} file(s) of other types)" if others else ""
    raise _fail(f"no documents in {', '.join(map(str, inputs))}: no {' '.join(sorted(SUFFIXES))} "
                f"files or JSONL records to read{found}")


def _count_files(inputs: Iterable[Path]) -> int:
    count = 0
    for item in inputs:
        if item.is_dir():
            count += sum(len([f for f in files if f != "manifest.csv"]) for _root, _dirs, files in os.walk(item))
        elif item.is_file():
            count += 1
    return count


def finalize_run(out: Path, settings=None) -> None:
    """Cross-document steps over the written tables: canonical sources, figures, duplicates,
    with `settings` (newsie.crossdoc.settings.Settings; default: configs/crossdoc.cfg)."""
    from .crossdoc import finalize

    finalize(out, settings)


def _print_summary(summary, out: Path) -> None:
    for note in summary.repaired:
        console.print(f"[yellow]recovered[/yellow] {note}")
    skipped = f", [bold]{summary.skipped}[/bold] skipped (already done)" if summary.skipped else ""
    if summary.skipped_failed:
        skipped += f" of which {summary.skipped_failed} had failed (see the errors table)"
    console.print(f"[bold]{summary.documents}[/bold] documents, [bold]{summary.claims}[/bold] claims, "
                  f"[bold]{summary.failed}[/bold] failed{skipped} -> {out}")
    if summary.undated:
        console.print(f"[yellow]{summary.undated} document(s) without a publication date[/yellow] "
                      f"({escape(_listed(summary.undated_ids, summary.undated))}; no manifest entry, --published, "
                      "or date in the text): relative dates like 'Thursday' stay unresolved")
    if summary.claims_by_source:
        ranked = sorted(summary.claims_by_source.items(), key=lambda kv: (-kv[1], kv[0]))
        table = Table("source", "claims", title="Claims per source")
        for source, count in ranked[:MAX_LISTED_SOURCES]:
            table.add_row(source, str(count))
        console.print(table)
        if len(ranked) > MAX_LISTED_SOURCES:
            rest = sum(count for _, count in ranked[MAX_LISTED_SOURCES:])
            console.print(f"... and {len(ranked) - MAX_LISTED_SOURCES} more sources with {rest} claims: "
                          f"newsie query {out} \"SELECT source_canonical, count(*) FROM claims GROUP BY 1 ORDER BY 2 DESC\"")
    if summary.failures_by_reason:
        reasons = Table("stage: reason", "count", title="Failures")
        for reason, count in summary.failures_by_reason.most_common():
            reasons.add_row(reason, str(count))
        console.print(reasons)
    for error in summary.errors:
        console.print(f"[red]error[/red] {error['doc_id'] or error['source_path']} ({error['stage']}): {error['message']}")
    if summary.errors_not_listed > 0:
        console.print(f"... and {summary.errors_not_listed} more: see the errors table in {out}")


MAX_LISTED_SOURCES = 25  # the closing summary's source table; the rest is one line


def _listed(names: List[str], total: int) -> str:
    """'a, b, c' or 'a, b, c, d, e and 7 more' (when only the first few names are known)."""
    more = total - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


@eval_app.command("claims")
def eval_claims(
    out: Path = typer.Argument(..., help="A run's output directory."),
    gold: Path = typer.Option(..., "--gold", help="Gold claims JSONL."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="List every miss, grouped by family "
                                 "(missed, value, source, type, extra)."),
):
    """Found, value right, value and source right, all right (with event type), precision."""
    import json

    import pandas as pd

    from .evaluate.claims import MISS_FAMILIES, load_gold, score_claims
    from .query import QueryError, check_run

    if not gold.is_file():
        raise _fail(f"gold file not found: {gold}")
    try:
        check_run(out)
    except QueryError as exc:
        raise _fail(str(exc))
    scores = score_claims(load_gold(gold), pd.read_parquet(out / "claims"))
    if verbose:
        for family, misses in scores.misses_by_family().items():
            typer.echo(f"{family} ({len(misses)}): {MISS_FAMILIES[family]}")
            for miss in misses:
                typer.echo("  " + "  |  ".join(_miss_field(f) for f in miss))
    typer.echo(json.dumps(scores.rates()))


def _miss_field(value) -> str:
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_miss_field(v) for v in value) + "]"
    return "-" if value is None else str(value)


@eval_app.command("attribution")
def eval_attribution(
    out: Path = typer.Argument(..., help="A run's output folder, a predictions JSONL, or a model folder."),
    gold: Path = typer.Option(..., "--gold", help="Gold attributions: JSONL (PolNeAR format) or a BRAT folder."),
    max_docs: Optional[int] = typer.Option(None, help="Score only the first N gold articles."),
):
    """Per role (source, cue, content) exact and overlap P/R/F1, and link F1.

    A model folder runs inside newsie's pipeline (tagger, parser and the stages before
    attribution, as `newsie run --attribution-model` does) and is scored on its own
    attributions, without the rules' fallback; a run's output folder is scored as it is."""
    from .attribution.evaluate import evaluate_attribution

    if not gold.exists():
        raise _fail(f"gold attributions not found: {gold}")
    is_run, is_model = (out / "attributions").is_dir(), (out / "config.cfg").is_file()
    if not (out.is_file() or is_run or is_model):
        raise _fail(f"{out}: not a run's output folder (no attributions table), a predictions JSONL "
                    "or a model folder (no config.cfg)")
    try:
        evaluate_attribution(gold, str(out), max_docs=max_docs)
    except ValueError as exc:  # a gold or predictions line that is not an article
        raise _fail(str(exc))


@train_app.command("attribution")
def train_attribution_command(
    train: Path = typer.Option(..., "--train", help="Training data: JSONL (PolNeAR format) or a BRAT folder."),
    dev: Path = typer.Option(..., "--dev", help="Development data, same formats."),
    output: Path = typer.Option(..., "--output", help="Where to write the trained model folder."),
    config: Optional[Path] = typer.Option(None, "--config", help="Training config (default configs/attribution_cpu.cfg)."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Stop after N steps."),
    max_docs: Optional[int] = typer.Option(None, "--max-docs", help="Use only the first N articles of each set."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Random seed (default: the config's system.seed)."),
    gpu: bool = typer.Option(False, "--gpu", help="Train on GPU 0 (the transformer config)."),
    teacher: Optional[Path] = typer.Option(None, "--teacher", help="Learn also from this trained attribution "
                                           "model's tag probabilities (knowledge distillation): a model folder "
                                           "or a shipped model's name, e.g. attribution-minilm."),
    teacher_weight: Optional[float] = typer.Option(None, "--teacher-weight", help="The teacher's share of each "
                                                   "training target, 0 to 1 (default: the config's, 0.5)."),
):
    """Train the attribution component; use it with `newsie run --attribution-model OUTPUT`."""
    from .attribution.train import train_attribution
    from .attribution.data import read_records
    from .attribution.distillation import check_teacher, check_weight

    for path in (train, dev):
        if not path.exists():
            console.print(f"[red]error:[/red] not found: {path}")
            raise typer.Exit(2)
    teacher = _shipped_model(teacher)
    try:
        for path in (train, dev):  # a line that is not an article fails here, before the parse
            for _ in read_records(path, max_docs):
                pass
        if teacher is not None:
            check_teacher(teacher)
        if teacher_weight is not None:
            check_weight(teacher_weight)
    except (FileNotFoundError, ValueError) as exc:
        raise _fail(str(exc))
    train_attribution(train, dev, output, config_path=config, max_steps=max_steps, gpu=gpu, max_docs=max_docs,
                      seed=seed, teacher=teacher, teacher_weight=teacher_weight)
    console.print(f"model written to {output}")


@train_app.command("claims")
def train_claims_command(
    train: Path = typer.Option(..., "--train", metavar="DIR_OR_GOLD", help="Annotated articles: a folder with "
                               "claims.jsonl (the gold claims format) and docs/, or that claims.jsonl itself."),
    output: Path = typer.Option(Path("models/claims"), "--output", metavar="DIR",
                                help="Where to write the model (event_type.json, meta.json)."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="CFG",
                                          help="Pipeline config that reads the articles (default configs/pipeline.cfg)."),
    folds: int = typer.Option(5, "--folds", min=0, help="Cross-validation folds, split by article (0: none)."),
):
    """Train the claims stage's event-type model on annotated articles; prints its
    cross-validated accuracy against the rules alone, per type.

    Example: newsie train claims --train ../shared/claims-train --output models/claims
    """
    import json

    from .training.claims import train_claims

    try:
        scores = train_claims(train, output, config=config, folds=folds, log=console.print)
    except ValueError as exc:
        raise _fail(str(exc))
    if scores:
        console.print(json.dumps(scores, indent=1))
    console.print(f"model written to {output}")


@train_app.command("ensemble")
def train_ensemble_command(
    models: List[Path] = typer.Argument(..., help="Two or more trained attribution model folders."),
    output: Path = typer.Option(..., "--output", help="Where to write the combined model folder."),
    weights_dtype: str = typer.Option("float32", "--weights-dtype",
                                      help="How to store the weights: float32, or float16 for half the file size."),
):
    """Combine trained attribution models into one that averages their taggers (the shipped model)."""
    from .attribution.component import WEIGHTS_DTYPES
    from .attribution.ensemble import combine_taggers

    if weights_dtype not in WEIGHTS_DTYPES:
        console.print(f"[red]error:[/red] --weights-dtype must be one of {', '.join(WEIGHTS_DTYPES)}")
        raise typer.Exit(2)
    not_models = [str(m) for m in models if not (m / "config.cfg").is_file()]
    if len(models) < 2 or not_models:
        problem = f"not model folders: {', '.join(not_models)}" if not_models else "only one model given"
        console.print(f"[red]error:[/red] need two or more trained model folders; {problem}")
        raise typer.Exit(2)
    combine_taggers(models, output, weights_dtype)
    console.print(f"model written to {output}")


@train_app.command("span-costs")
def train_span_costs_command(
    model: Path = typer.Argument(..., help="A trained attribution model folder."),
    dev: Path = typer.Option(..., "--dev", help="Annotated articles to choose on: JSONL (PolNeAR format) or a BRAT folder."),
    grid: Optional[str] = typer.Option(None, "--grid", help="Comma-separated costs tried for each role, every "
                                       "combination (default 0,0.5,1,1.5,2)."),
    objective: str = typer.Option("mean", "--objective",
                                  help="What to maximize: mean (of the four exact F1s), source, cue, content or link."),
    write: bool = typer.Option(False, "--write", help="Store the chosen costs in the model's config.cfg."),
    max_docs: Optional[int] = typer.Option(None, help="Use only the first N articles."),
):
    """Choose the span costs of a model's decoding on annotated articles (grid search); the
    tagger runs once, each combination only decodes again. Scored like `newsie eval attribution MODEL`."""
    from .attribution.data import read_records
    from .attribution.evaluate import load_model_pipeline, trained_component
    from .attribution.span_costs import GRID, OBJECTIVES, best_trial, check_grid, search_span_costs, write_span_costs

    try:
        costs = check_grid(GRID if grid is None else [float(v) for v in grid.split(",") if v.strip()])
    except ValueError as exc:
        raise _fail(f"--grid: {exc}")
    if objective not in OBJECTIVES:
        raise _fail(f"--objective must be one of {', '.join(OBJECTIVES)}")
    if not (model / "config.cfg").is_file():
        raise _fail(f"{model}: not a model folder (no config.cfg)")
    if not dev.exists():
        raise _fail(f"not found: {dev}")
    try:
        records = list(read_records(dev, max_docs))
    except ValueError as exc:
        raise _fail(str(exc))
    if not records:
        raise _fail(f"{dev}: no annotated articles")
    nlp = load_model_pipeline(model)
    try:
        trials = search_span_costs(nlp, records, costs)
    except ValueError as exc:  # no trained attribution component
        raise _fail(f"{model}: {exc}")
    current = dict(nlp.get_pipe(trained_component(nlp)).span_costs)
    best = best_trial(trials, objective, prefer=current)
    rows = sorted(trials, key=lambda t: -t.value(objective))[:5]
    rows += [t for t in trials if (t is best or t.costs == current) and t not in rows]
    console.print(f"{len(trials)} combinations on {len(records)} articles, objective {objective} "
                  "(exact F1 per role, link F1):")
    console.print(f"{'source':>7}{'cue':>6}{'content':>8}  |{'source':>8}{'cue':>7}{'content':>8}{'link':>7}{objective:>8}")
    for t in rows:
        c, s = t.costs, t.scores
        marks = " (chosen)" * (t is best) + " (current)" * (t.costs == current)
        console.print(f"{c['source']:>7g}{c['cue']:>6g}{c['content']:>8g}  |{s['source']:>8.3f}{s['cue']:>7.3f}"
                      f"{s['content']:>8.3f}{s['link']:>7.3f}{t.value(objective):>8.3f}{marks}")
    chosen = ", ".join(f"{role} = {value:g}" for role, value in best.costs.items())
    if not write:
        console.print(f"chosen: {chosen} (not written: add --write)")
        return
    write_span_costs(model, best.costs, provenance={"chosen_on": str(dev), "articles": len(records),
                                                    "objective": objective, "grid": list(costs),
                                                    "scores": best.scores, "before": current})
    console.print(f"chosen: {chosen}; written to {model / 'config.cfg'}")


@app.command()
def report(
    out: Path = typer.Argument(..., help="A run's output directory."),
    html: Path = typer.Option(..., "--html", help="Where to write the self-contained HTML report."),
):
    """One offline HTML page: disputed figures first, charts, claims with highlights, duplicates."""
    from .query import QueryError, check_run
    from .report.html import write_report

    try:
        check_run(out)
    except QueryError as exc:
        raise _fail(str(exc))
    if html.is_dir():
        raise _fail(f"--html {html} is a folder; give the path of the HTML file to write")
    write_report(out, html)
    console.print(f"report written to {html}")


class QueryFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def query(
    out: Path = typer.Argument(..., help="A run's output directory."),
    sql: str = typer.Argument(..., help="SQL over the views documents, mentions, attributions, claims, errors, figures."),
    fmt: QueryFormat = typer.Option(
        QueryFormat.table, "--format",
        help="table: a table to read (long values cut to fit); csv: a header row, then the rows; json: JSON "
             "lines, one object per row ({column: value}). csv and json print full values to stdout, lists "
             "and structs as JSON, for piping into other tools."),
):
    """Read-only DuckDB SQL over the Parquet tables, printed as a table, CSV or JSON lines."""
    from .query import print_query

    try:
        print_query(out, sql, fmt.value)
        sys.stdout.flush()
    except BrokenPipeError:  # `newsie query ... | head`: the reader left; not an error
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise typer.Exit(0)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
