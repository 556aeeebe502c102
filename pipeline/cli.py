"""`newsie`: the command line. Thin: parses flags and calls the modules that do the work."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="newsie: folders of news articles in, sourced event records (Parquet) out.")
eval_app = typer.Typer(no_args_is_help=True, help="Score a run against gold annotations.")
train_app = typer.Typer(no_args_is_help=True, help="Train a component.")
app.add_typer(eval_app, name="eval")
app.add_typer(train_app, name="train")
console = Console(stderr=True)


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
    chunk_size: int = typer.Option(32, min=1, help="Documents per chunk (one Parquet part per table per chunk)."),
    force: bool = typer.Option(False, "--force", help="Reprocess documents an earlier run already did."),
    max_chars: int = typer.Option(1_000_000, min=1, help="Refuse documents longer than this (an errors row)."),
    timeout: float = typer.Option(60.0, min=0, help="Per-document time limit in seconds (0: none)."),
    attribution_model: Optional[Path] = typer.Option(None, help="A trained attribution model directory."),
    rules: bool = typer.Option(False, "--rules", help="Use rule-based attribution instead of the trained model."),
    strict: bool = typer.Option(False, help="Exit non-zero when any document fails."),
):
    """Extract sourced figures from articles and write the tables to OUT."""
    from .engine.runner import make_engine, run_pipeline
    from .engine.worker import NlpSettings
    from .io.readers import read_documents
    from .io.writer import OutputLocked

    _check_inputs(inputs, manifest)
    if attribution_model is not None and not (attribution_model / "config.cfg").is_file():
        console.print(f"[red]error:[/red] no attribution model in {attribution_model} "
                      "(a folder written by `newsie train attribution`, with config.cfg)")
        raise typer.Exit(2)
    if engine not in ("local", "dask"):
        raise typer.BadParameter(f"--engine must be local or dask, got {engine!r}")
    anchor = _parse_day(published)
    settings = NlpSettings(attribution_model=str(attribution_model) if attribution_model else None,
                           use_rules=rules, max_chars=max_chars, timeout=timeout or None)
    documents = read_documents(inputs, manifest=manifest, published=anchor, max_chars=max_chars)
    with console.status("loading pipeline"):
        runner = make_engine(engine, settings, workers=workers, scheduler=scheduler)
    try:
        with console.status("processing"):
            summary = run_pipeline(documents, out, runner, chunk_size=chunk_size, force=force,
                                   finalize=finalize_run)
    except OutputLocked as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    finally:
        runner.close()
    _print_summary(summary, out)
    if strict and (summary.failed or summary.skipped_failed):
        raise typer.Exit(1)


def _check_inputs(inputs: List[Path], manifest: Optional[Path]) -> None:
    for path in inputs:
        if not path.exists():
            console.print(f"[red]error:[/red] input not found: {path}")
            raise typer.Exit(2)
    if manifest is not None and not manifest.is_file():
        console.print(f"[red]error:[/red] manifest not found: {manifest}")
        raise typer.Exit(2)


def finalize_run(out: Path) -> None:
    """Cross-document steps over the written tables: canonical sources, figures, duplicates."""
    from .crossdoc import finalize

    finalize(out)


def _print_summary(summary, out: Path) -> None:
    for note in summary.repaired:
        console.print(f"[yellow]recovered[/yellow] {note}")
    skipped = f", [bold]{summary.skipped}[/bold] skipped (already done)" if summary.skipped else ""
    if summary.skipped_failed:
        skipped += f" of which {summary.skipped_failed} had failed (see the errors table)"
    console.print(f"[bold]{summary.documents}[/bold] documents, [bold]{summary.claims}[/bold] claims, "
                  f"[bold]{summary.failed}[/bold] failed{skipped} -> {out}")
    if summary.undated:
        console.print(f"[yellow]{summary.undated} document(s) without a publication date[/yellow] (no manifest "
                      "entry, --published, or date in the text): relative dates like 'Thursday' stay unresolved")
    if summary.claims_by_source:
        table = Table("source", "claims", title="Claims per source")
        for source, count in sorted(summary.claims_by_source.items(), key=lambda kv: (-kv[1], kv[0])):
            table.add_row(source, str(count))
        console.print(table)
    if summary.failures_by_reason:
        reasons = Table("stage: reason", "count", title="Failures")
        for reason, count in summary.failures_by_reason.most_common():
            reasons.add_row(reason, str(count))
        console.print(reasons)
    for error in summary.errors:
        console.print(f"[red]error[/red] {error['doc_id'] or error['source_path']} ({error['stage']}): {error['message']}")
    if summary.errors_not_listed > 0:
        console.print(f"... and {summary.errors_not_listed} more: see the errors table in {out}")


@eval_app.command("claims")
def eval_claims(
    out: Path = typer.Argument(..., help="A run's output directory."),
    gold: Path = typer.Option(..., "--gold", help="Gold claims JSONL."),
    verbose: bool = typer.Option(False, "-v", "--verbose", help="List every miss."),
):
    """Found, value right, value and source right, precision."""
    import json

    import pandas as pd

    from .evaluate.claims import load_gold, score_claims

    scores = score_claims(load_gold(gold), pd.read_parquet(out / "claims"))
    if verbose:
        for miss in scores.misses:
            console.print(miss)
    typer.echo(json.dumps(scores.rates()))


@eval_app.command("attribution")
def eval_attribution(
    out: Path = typer.Argument(..., help="A run's output folder, a predictions JSONL, or a model folder."),
    gold: Path = typer.Option(..., "--gold", help="Gold attributions JSONL (PolNeAR format)."),
    max_docs: Optional[int] = typer.Option(None, help="Score only the first N gold articles."),
):
    """Per role (source, cue, content) exact and overlap P/R/F1, and link F1."""
    from .attribution.evaluate import evaluate_attribution

    evaluate_attribution(gold, str(out), max_docs=max_docs)


@train_app.command("attribution")
def train_attribution_command(
    train: Path = typer.Option(..., "--train", help="Training data: JSONL (PolNeAR format) or a BRAT folder."),
    dev: Path = typer.Option(..., "--dev", help="Development data, same formats."),
    output: Path = typer.Option(..., "--output", help="Where to write the trained model folder."),
    config: Optional[Path] = typer.Option(None, "--config", help="Training config (default configs/attribution_cpu.cfg)."),
    max_steps: Optional[int] = typer.Option(None, "--max-steps", help="Stop after N steps."),
    max_docs: Optional[int] = typer.Option(None, "--max-docs", help="Use only the first N articles of each set."),
    gpu: bool = typer.Option(False, "--gpu", help="Train on GPU 0 (the transformer config)."),
):
    """Train the attribution component; use it with `newsie run --attribution-model OUTPUT`."""
    from .attribution import train_attribution

    for path in (train, dev):
        if not path.exists():
            console.print(f"[red]error:[/red] not found: {path}")
            raise typer.Exit(2)
    train_attribution(train, dev, output, config_path=config, max_steps=max_steps, gpu=gpu, max_docs=max_docs)
    console.print(f"model written to {output}")


@train_app.command("ensemble")
def train_ensemble_command(
    models: List[Path] = typer.Argument(..., help="Two or more trained attribution model folders."),
    output: Path = typer.Option(..., "--output", help="Where to write the combined model folder."),
):
    """Combine trained attribution models into one that averages their taggers (the shipped model)."""
    from .attribution.ensemble import combine_taggers

    not_models = [str(m) for m in models if not (m / "config.cfg").is_file()]
    if len(models) < 2 or not_models:
        problem = f"not model folders: {', '.join(not_models)}" if not_models else "only one model given"
        console.print(f"[red]error:[/red] need two or more trained model folders; {problem}")
        raise typer.Exit(2)
    combine_taggers(models, output)
    console.print(f"model written to {output}")


@app.command()
def report(
    out: Path = typer.Argument(..., help="A run's output directory."),
    html: Path = typer.Option(..., "--html", help="Where to write the self-contained HTML report."),
):
    """One offline HTML page: disputed figures first, charts, claims with highlights, duplicates."""
    from .report.html import write_report

    write_report(out, html)
    console.print(f"report written to {html}")


@app.command()
def query(
    out: Path = typer.Argument(..., help="A run's output directory."),
    sql: str = typer.Argument(..., help="SQL over the views documents, mentions, attributions, claims, errors, figures."),
):
    """Read-only DuckDB SQL over the Parquet tables, printed as a table."""
    from .query import print_query

    print_query(out, sql)


def main() -> None:  # pragma: no cover
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
