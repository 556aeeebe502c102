"""`newsie report`: one self-contained HTML page, rendered in headless Chromium."""
from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.report.html import highlighted_sentence, render_report

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")


@pytest.fixture(scope="module")
def report(seed_run, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(app, ["report", str(seed_run), "--html", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_report_is_self_contained(report):
    html = report.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "no external resources"
    assert "<link" not in html and "@import" not in html
    assert html.count("<svg") >= 5  # a chart per figure


def test_disputed_figures_come_first(report):
    html = report.read_text(encoding="utf-8")
    first_figure = html.index("<section class='figure")
    assert html.startswith("<section class='figure disputed'", first_figure)
    assert html.index("Claims</h2>") > html.rindex("figure disputed")


def test_claims_are_highlighted_and_duplicates_listed(report):
    html = report.read_text(encoding="utf-8")
    assert "<mark class='q'>about 300</mark>" in html
    assert "<mark class='s'>the NIS</mark>" in html
    duplicates = html[html.index("Near-duplicate documents"):]
    assert "ap-nk-additional-troops" in duplicates and "uslive-nk-troops" in duplicates


def test_article_text_is_escaped():
    text = "<script>alert(1)</script> said 12 people <b>died</b>."
    claim = {"sentence_start": 0, "sentence_end": len(text), "quantity_start": text.index("12"),
             "quantity_end": text.index("12") + 2}
    out = highlighted_sentence(text, claim, {"source_start": 0, "source_end": 25})
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<mark class='q'>12</mark>" in out and "&lt;b&gt;died&lt;/b&gt;" in out


def test_empty_run_renders(tmp_path):
    (tmp_path / "documents").mkdir()
    html = render_report(tmp_path)
    assert "0 documents" in html and "None found" in html


# --- rendering in a real browser ----------------------------------------------------------------

def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit non-interlaced PNG: enough for a
    Chromium screenshot, without Pillow."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, f"unsupported PNG {header}"
    channels = 3 if color == 2 else 4
    raw, stride = zlib.decompress(idat), width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        filter_type = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if filter_type == 1:
                line[i] = (line[i] + left) & 255
            elif filter_type == 2:
                line[i] = (line[i] + up) & 255
            elif filter_type == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif filter_type == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 255
        rows.append(bytes(line))
        previous = line
    return width, channels, rows


def non_white_share(path: Path) -> float:
    width, channels, rows = png_pixels(path)
    sampled = rows[::4]
    non_white = sum(1 for row in sampled for x in range(0, width, 4)
                    if min(row[x * channels:x * channels + 3]) < 240)
    return non_white / (len(sampled) * len(range(0, width, 4)))


def test_report_renders_in_headless_chromium(report, tmp_path):
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is missing in CI: .ci/run installs the Debian package 'chromium'")
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it and runs this test")
    screenshot = tmp_path / "report.png"
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={screenshot}",
               "--window-size=1200,2000", report.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert screenshot.is_file(), result.stderr[-2000:]
    share = non_white_share(screenshot)
    assert share > 0.05, f"screenshot looks blank ({share:.1%} non-white pixels)"
