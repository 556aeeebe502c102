"""A run killed with SIGKILL, or stopped with Ctrl-C (SIGINT), and started again ends with the
tables of a clean run; Ctrl-C and a full disk say what was committed and that a rerun
resumes; two runs on one output directory are refused."""
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


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_says_what_is_committed_and_the_rerun_equals_a_clean_run(corpus, tmp_path, workers):
    clean, stopped = tmp_path / "clean", tmp_path / "stopped"
    common = ["--chunk-size", "1", "--workers", workers]
    assert CliRunner().invoke(app, ["run", str(corpus), "--out", str(clean), *common]).exit_code == 0

    # its own process group, as a terminal's Ctrl-C reaches the command and its workers together;
    # SIGINT handled as in a terminal even where the tests run in the background (which ignores it)
    process = subprocess.Popen(NEWSIE + ["run", str(corpus), "--out", str(stopped), *common], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None and not list((stopped / "_chunks").glob("*.json")):
        time.sleep(0.05)
    assert process.poll() is None, "the run ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    message = " ".join(stderr.split())
    assert "interrupted" in message and f"committed to {stopped}" in message and "again to resume" in message
    assert "Traceback" not in stderr

    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(stopped), *common])
    assert result.exit_code == 0, result.output
    mine, theirs = tables(stopped), tables(clean)
    for name in TABLES:
        pd.testing.assert_frame_equal(mine[name], theirs[name], obj=name)


def test_a_full_disk_is_one_line_naming_the_folder(corpus, tmp_path, monkeypatch):
    import errno

    from newsie.io.writer import PartWriter

    def no_space(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(PartWriter, "write_chunk", no_space)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: disk full writing ") and str(out) in lines[-1], result.stderr
    assert "no new documents committed" in lines[-1] and "again to resume" in lines[-1]
    assert "Traceback" not in result.output


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
