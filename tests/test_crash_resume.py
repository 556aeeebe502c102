"""A run killed with SIGKILL and started again ends with the tables of a clean
run; two runs on one output directory are refused."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from newsie.cli import app
from newsie.io.writer import OutputLock, OutputLocked
from newsie.schema import TABLES

from .conftest import read_tables as tables

pytestmark = pytest.mark.slow  # runs and kills the CLI

ROOT = Path(__file__).resolve().parent.parent
NEWSIE = [sys.executable, "-c", "from newsie.cli import app; app()"]



def kill_after_first_commit(args: list[str], out: Path, timeout: float = 240) -> None:
    process = subprocess.Popen(NEWSIE + args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if list((out / "_chunks").glob("*.json")):
                break
            time.sleep(0.05)
        assert process.poll() is None, "the run ended before it could be killed"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("c") / "corpus"
    shutil.copytree(ROOT / "corpus", folder)
    return folder


@pytest.mark.slow
def test_killed_run_resumes_to_the_tables_of_a_clean_run(corpus, tmp_path):
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    common = ["--chunk-size", "1"]
    assert CliRunner().invoke(app, ["run", str(corpus), "--out", str(clean), *common]).exit_code == 0

    kill_after_first_commit(["run", str(corpus), "--out", str(killed), *common], killed)
    committed = len(list((killed / "_chunks").glob("*.json")))
    assert 1 <= committed < 5
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(killed), *common])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output

    mine, theirs = tables(killed), tables(clean)
    for name in TABLES:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)


def test_second_run_on_the_same_output_is_refused(corpus, tmp_path):
    out = tmp_path / "out"
    with OutputLock(out):
        with pytest.raises(OutputLocked, match="another newsie run"):
            with OutputLock(out):
                pass
        result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out)])
        assert result.exit_code == 2
        assert "another newsie run" in result.output
    with OutputLock(out):  # released: the next run may go
        pass
