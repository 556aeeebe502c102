"""Dask: a worker process killed with SIGKILL mid-run costs only a retry. The scheduler hands
the dead worker's chunks to a live one (its nanny starts a new process, which builds its
pipeline again), the run finishes without errors rows, and the tables equal a clean run's."""
from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import pandas as pd
import pytest

from newsie.crossdoc import finalize
from newsie.engine.runner import RunProgress, make_engine, run_pipeline
from newsie.engine.worker import NlpSettings
from newsie.io.readers import read_documents
from newsie.paths import RULES_CONFIG

pytestmark = pytest.mark.slow  # a LocalCluster of two processes, each loading the pipeline

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = NlpSettings(config=str(RULES_CONFIG))  # the lighter rules-only pipeline


def all_tables(out: Path) -> dict[str, pd.DataFrame]:
    """Every table of a run (the cross-document ones included), rows in a canonical order."""
    tables = {}
    for folder in sorted(p for p in out.iterdir() if p.is_dir() and list(p.glob("part-*.parquet"))):
        frame = pd.read_parquet(folder).astype(str)
        tables[folder.name] = frame.sort_values(list(frame.columns)).reset_index(drop=True)
    return tables


def run(corpus: Path, out: Path, engine, progress: RunProgress | None = None):
    return run_pipeline(read_documents([corpus]), out, engine, chunk_size=1, finalize=finalize, progress=progress)


class KillABusyWorker(RunProgress):
    """After the first chunk is committed, SIGKILL a worker process that is running a chunk."""

    def __init__(self, client):
        self.client = client
        self.killed: list[int] = []

    def chunk_done(self, stats) -> None:
        if self.killed:
            return
        pids = self.client.run(os.getpid)  # worker address -> process id
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = [worker for worker, keys in self.client.processing().items() if keys]
            if busy:
                os.kill(pids[busy[0]], signal.SIGKILL)
                self.killed.append(pids[busy[0]])
                return
            time.sleep(0.05)
        raise AssertionError("no worker was running a chunk")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    return folder


def test_a_killed_dask_worker_costs_only_a_retry(corpus, tmp_path):
    clean_engine = make_engine("local", SETTINGS)
    try:
        clean = run(corpus, tmp_path / "clean", clean_engine)
    finally:
        clean_engine.close()
    assert (clean.documents, clean.failed) == (5, 0)

    engine = make_engine("dask", SETTINGS, workers=2)
    try:
        killer = KillABusyWorker(engine.client)
        summary = run(corpus, tmp_path / "killed", engine, progress=killer)
        pids_after = set(engine.client.run(os.getpid).values())
    finally:
        engine.close()
    assert killer.killed, "a worker was killed"
    assert killer.killed[0] not in pids_after  # it was a real process death; the nanny started another
    assert (summary.documents, summary.failed, summary.errors) == (5, 0, [])

    mine, theirs = all_tables(tmp_path / "killed"), all_tables(tmp_path / "clean")
    assert mine.keys() == theirs.keys() and {"documents", "claims", "figures"} <= mine.keys()
    for name in theirs:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)
    chunk_markers = sorted(p.name for p in (tmp_path / "killed" / "_chunks").glob("*.json"))
    assert chunk_markers == sorted(p.name for p in (tmp_path / "clean" / "_chunks").glob("*.json"))
