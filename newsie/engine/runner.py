"""One run: lock the output, repair what a killed run left, skip what is done, hand the
remaining chunks to an engine, commit each result, then the cross-document steps, then the
summary from the final tables. `RunProgress` is what a progress display hears meanwhile.

`run_folder` is `newsie run` (and `newsie.run`): it checks the options, reads the inputs and
runs the pipeline; the command line adds the progress display and the printed summary.
"""
from __future__ import annotations

import datetime as dt
import itertools
import os
from collections import Counter
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..io.readers import Document
from ..io.writer import CommittedDocument, OutputLock, PartWriter
from .chunks import plan_chunks
from .local import ChunkStats, RunSummary
from .worker import ChunkResult, NlpSettings


class RunError(ValueError):
    """An option or input `newsie run` refuses before any work (the CLI prints it, exit 2)."""


@dataclass
class PlannedRun:
    """A `newsie run` whose options are checked and whose inputs hold a document: what
    `plan_run` returns and `execute` runs."""
    out: Path
    documents: Iterator[Document]
    settings: NlpSettings
    crossdoc_settings: object
    engine: str = "local"
    workers: int = 1
    scheduler: str | None = None
    chunk_size: int = 32
    force: bool = False


def run_folder(inputs, out, progress: RunProgress | None = None, **options) -> RunSummary:
    """`newsie run INPUTS --out OUT`: every document of `inputs` (folders, files, JSONL) through
    the pipeline into OUT's tables, then the cross-document step; returns the summary."""
    return execute(plan_run(inputs, out, **options), progress)


def plan_run(inputs, out, *, manifest=None, published=None, attribution_model=None, config=None,
             rules: bool = False, workers: int = 1, engine: str = "local", scheduler: str | None = None,
             chunk_size: int = 32, force: bool = False, max_chars: int = 1_000_000, timeout: float | None = 60.0,
             crossdoc_config=None) -> PlannedRun:
    """The run's options checked (RunError for a bad one) and its inputs opened, before any
    pipeline loads."""
    from ..crossdoc.settings import DEFAULT_CONFIG, CrossdocConfigError, load_settings
    from ..io.readers import read_documents

    inputs = [Path(p) for p in ([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs)]
    out = Path(out)
    manifest = Path(manifest) if manifest is not None else None
    check_inputs(inputs, manifest)
    check_out(out)
    try:
        crossdoc_settings = load_settings(crossdoc_config or DEFAULT_CONFIG)
    except CrossdocConfigError as exc:
        raise RunError(f"--crossdoc-config: {exc}") from None
    model = shipped_model(attribution_model)
    if engine not in ("local", "dask"):
        raise RunError(f"--engine must be local or dask, got {engine!r}")
    if engine == "dask" and find_spec("distributed") is None:
        raise RunError("--engine dask needs the dask extra: pip install 'newsie[dask]'")
    if workers < 1 or chunk_size < 1:
        raise RunError("--workers and --chunk-size must be at least 1")
    settings = NlpSettings(config=str(pipeline_config(config, rules, model)),
                           attribution_model=str(model) if model else None,
                           max_chars=max_chars, timeout=timeout or None)
    documents = nonempty(read_documents(inputs, manifest=manifest, published=parse_day(published),
                                        max_chars=max_chars), inputs)
    return PlannedRun(out, documents, settings, crossdoc_settings, engine, workers, scheduler, chunk_size, force)


def execute(plan: PlannedRun, progress: RunProgress | None = None) -> RunSummary:
    runner = make_engine(plan.engine, plan.settings, workers=plan.workers, scheduler=plan.scheduler)
    try:
        return run_pipeline(plan.documents, plan.out, runner, chunk_size=plan.chunk_size, force=plan.force,
                            finalize=lambda path: finalize_run(path, plan.crossdoc_settings, progress),
                            progress=progress)
    finally:
        runner.close()


def finalize_run(out: Path, settings=None, progress: RunProgress | None = None) -> None:
    """Cross-document steps over the written tables: canonical sources, figures, duplicates,
    with `settings` (newsie.crossdoc.settings.Settings; default: configs/crossdoc.cfg)."""
    from ..crossdoc import finalize

    finalize(out, settings, progress=(progress or RunProgress()).finalize_step)


def parse_day(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RunError(f"--published: expected YYYY-MM-DD, got {value!r}") from None


def shipped_model(path) -> Path | None:
    """A model folder as given, or the shipped model of that name (models/NAME) where no such
    path exists; RunError when neither holds a model."""
    from ..paths import MODELS, REPOSITORY_ONLY_MODELS

    if path is None:
        return None
    path = Path(path)
    if not path.exists() and len(path.parts) == 1:
        if (MODELS / path).is_dir():
            path = MODELS / path
        elif path.name in REPOSITORY_ONLY_MODELS:
            raise RunError(f"{path.name} is not in this install (it ships in the repository, not the wheel): "
                           f"give its folder, e.g. --attribution-model /path/to/newsie/models/{path.name}")
    if not (path / "config.cfg").is_file():
        raise RunError(f"no attribution model in {path} (a folder written by `newsie train attribution`, "
                       "with config.cfg)")
    return path


def pipeline_config(config, rules: bool, attribution_model) -> Path:
    from ..paths import PIPELINE_CONFIG, RULES_CONFIG  # not ..nlp: a client of workers needs no spaCy

    if config is not None and rules:
        raise RunError("--config and --rules both choose the pipeline config: give one")
    if rules and attribution_model is not None:
        raise RunError("--rules runs without a trained model: drop --attribution-model")
    if config is not None and not Path(config).is_file():
        raise RunError(f"pipeline config not found: {config}")
    return Path(config) if config is not None else (RULES_CONFIG if rules else PIPELINE_CONFIG)


def check_inputs(inputs: list[Path], manifest: Path | None) -> None:
    if not inputs:
        raise RunError("no inputs: give folders, files or JSONL files")
    for path in inputs:
        if not path.exists():
            raise RunError(f"input not found: {path}")
    if manifest is not None and not manifest.is_file():
        raise RunError(f"manifest not found: {manifest}")


def check_out(out: Path) -> None:
    """--out must be a folder, or a path where one can be made: not an existing file."""
    if out.exists() and not out.is_dir():
        raise RunError(f"--out {out} is a file; give a folder for the tables (it is created if missing)")
    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise RunError(f"--out {out}: {parent} is a file, not a folder")
            break


def nonempty(documents: Iterator[Document], inputs: list[Path]) -> Iterator[Document]:
    """The documents, or RunError before the pipeline loads when the inputs hold none (an
    empty folder, only unsupported files, an empty JSONL). Reads up to the first document;
    manifest problems and unsupported files come first and do not count."""
    from ..io.readers import SUFFIXES

    head, others = [], Counter()
    for doc in documents:
        head.append(doc)
        if doc.error is None or doc.error[0] != "manifest" and not doc.error[1].startswith("unsupported file type"):
            return itertools.chain(head, documents)
        if doc.error[0] != "manifest":
            others[Path(doc.source_path).suffix.lower() or "(no extension)"] += 1
    found = f" (found {', '.join(f'{n} {kind}' for kind, n in sorted(others.items()))})" if others else ""
    raise RunError(f"no documents in {', '.join(map(str, inputs))}: no {' '.join(sorted(SUFFIXES))} "
                   f"files or JSONL records to read{found}")


def make_engine(engine: str, settings: NlpSettings, workers: int = 1, scheduler: str | None = None):
    if engine == "dask":
        from .dask_engine import DaskEngine

        return DaskEngine(settings, workers=workers, scheduler=scheduler)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    if workers > 1:
        from .executors import ProcessPoolEngine

        return ProcessPoolEngine(settings, workers)
    from .executors import InProcessExecutor

    return InProcessExecutor(settings)


class RunProgress:
    """What run_pipeline reports while it works; every hook does nothing here (the CLI's
    progress bar, newsie/progress.py, overrides them)."""

    def loaded(self) -> None:
        """The pipeline is built (by this process or the first worker): processing starts."""

    def skipped(self, count: int, failed: int) -> None:
        """`count` documents an earlier run already did (`failed` of them had failed)."""

    def chunk_done(self, stats: ChunkStats) -> None:
        """A chunk is committed: `stats.documents` more done, `stats.failed` of them failed."""

    def finalizing(self) -> None:
        """Every chunk is committed: the cross-document step starts."""

    def finalize_step(self, step: str) -> None:
        """A step of the cross-document step starts ("source names", "rewrites", ...)."""


def run_pipeline(documents: Iterable[Document], out: Path, engine, chunk_size: int = 32, force: bool = False,
                 finalize: Callable[[Path], None] | None = None,
                 progress: RunProgress | None = None) -> RunSummary:
    """Process `documents` into the tables under `out`, then run `finalize` (the
    cross-document step) on them. The summary's counts are read from the final tables
    (the rows of the chunks this run committed), so they show the cross-document step's
    names. Raises OutputLocked when another run holds `out`."""
    progress = progress or RunProgress()
    with OutputLock(out):
        writer = PartWriter(out)
        summary = RunSummary()
        summary.repaired = writer.recover()
        committed = writer.committed_documents()
        version = engine.pipeline_version()
        progress.loaded()

        def count_skip(_d, entry: CommittedDocument):
            summary.skipped += 1
            summary.skipped_failed += entry.status == "error"
            progress.skipped(1, int(entry.status == "error"))

        chunks = plan_chunks(documents, committed, version, chunk_size, writer.next_chunk_number(),
                             force=force, on_skip=count_skip)
        chunk_ids = []
        for result in engine.map_chunks(chunks, version):
            commit(writer, result, committed)
            chunk_ids.append(result.chunk_id)
            progress.chunk_done(result.stats)
        progress.finalizing()
        if finalize is not None:
            release = getattr(engine, "release_pipeline", None)
            if release is not None:  # the in-process engine: its pipeline is not needed any more
                release()
            finalize(Path(out))
        summary.read_tables(Path(out), chunk_ids)
    return summary


def commit(writer: PartWriter, result: ChunkResult, committed: dict[tuple, CommittedDocument]) -> None:
    """Write the chunk, then drop its documents' older rows from earlier chunks (a document
    reprocessed because its text, the pipeline or --force changed)."""
    writer.write_chunk(result.chunk_id, result.tables, result.marker)
    superseded: dict[str, set] = {}
    for doc_id, source_path, *_ in result.marker["documents"]:
        old = committed.pop((doc_id, source_path), None)
        if old is not None and old.chunk_id != result.chunk_id:
            superseded.setdefault(old.chunk_id, set()).add((doc_id, source_path))
    for chunk_id, identities in sorted(superseded.items()):
        writer.drop_documents(chunk_id, identities)
