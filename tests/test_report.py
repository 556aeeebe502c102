"""`newsie report`: one self-contained HTML page, rendered in headless Chromium."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsie.cli import app
from newsie.report.html import (UNDATED, figure_chart, figure_title, highlighted_sentence, nice_ticks, plural,
                                render_report, source_colors)

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


# --- undated documents: apart, never at a made-up date -------------------------------------------

def _source(source: str, doc_id: str, published, value: float) -> dict:
    return {"source": source, "source_text": source, "doc_id": doc_id, "claim_id": f"{doc_id}:c0",
            "published": published, "value": value, "low": None, "high": None,
            "quantity_text": f"{value:g}", "duplicate_of": None}


def _circles(svg: str) -> list[tuple[float, str]]:
    return [(float(x), published) for x, published in
            re.findall(r"<circle cx='([\d.]+)'[^>]*data-published='([^']+)'", svg)]


def test_undated_values_sit_in_their_own_lane_right_of_the_time_axis():
    sources = [_source("Port authority", "first", dt.date(2025, 3, 4), 14),
               _source("Union", "second", dt.date(2025, 3, 6), 11),
               _source("Volunteers", "note", None, 12)]
    svg = figure_chart(sources, {"Port authority": "#111", "Union": "#222", "Volunteers": "#333"})
    lane = float(re.search(r"<line class='undated-lane' x1='([\d.]+)'", svg).group(1))
    circles = _circles(svg)
    assert sorted(p for _, p in circles) == ["2025-03-04", "2025-03-06", UNDATED]
    assert all(x < lane for x, p in circles if p != UNDATED)
    assert all(lane < x <= 540 for x, p in circles if p == UNDATED)
    assert ">undated</text>" in svg and "Volunteers: 12 (note, undated)" in svg
    assert dt.date.today().isoformat() not in svg


def test_a_figure_with_only_undated_values_shows_no_dates():
    svg = figure_chart([_source("Volunteers", "note", None, 12), _source("Police", "memo", None, 9)],
                       {"Volunteers": "#333", "Police": "#444"})
    assert [p for _, p in _circles(svg)] == [UNDATED, UNDATED]
    assert not re.search(r"\d{4}-\d\d-\d\d", svg), "no date on the axis: none is known"
    assert ">undated</text>" in svg and "undated-lane" not in svg


def _write_run(out: Path) -> Path:
    """A run folder written by hand: two dated reports of a figure and an undated one."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsie.io.writer import to_table
    from newsie.schema import FIGURES

    texts = {"first": "The port authority said 14 boats sank.", "second": "The union said 11 boats sank.",
             "note": "Volunteers said 12 boats sank."}
    published = {"first": dt.date(2025, 3, 4), "second": dt.date(2025, 3, 6), "note": None}
    sources = {"first": "Port authority", "second": "Union", "note": "Volunteers"}
    documents = [{"doc_id": d, "source_path": f"{d}.txt", "published": published[d], "status": "ok",
                  "title": f"Report {d}", "text": t, "n_chars": len(t)} for d, t in texts.items()]
    claims = []
    for d, text in texts.items():
        start = next(i for i, ch in enumerate(text) if ch.isdigit())
        claims.append({"doc_id": d, "claim_id": f"{d}:c0", "quantity_start": start, "quantity_end": start + 2,
                       "quantity_text": text[start:start + 2], "value": float(text[start:start + 2]),
                       "counted": "boats", "event_type": "damage", "source_canonical": sources[d],
                       "sentence_start": 0, "sentence_end": len(text), "figure_id": "f1"})
    figure = {"figure_id": "f1", "event_type": "damage", "counted": "boats", "n_claims": 3, "n_sources": 3,
              "n_documents": 3, "n_independent_documents": 3, "min_low": 11.0, "max_high": 14.0,
              "disputed": False, "spread": 1.27,
              "sources": [_source(sources[d], d, published[d], float(c["value"])) for d, c in zip(texts, claims)]}
    for name, rows in (("documents", documents), ("claims", claims), ("attributions", []), ("mentions", []),
                       ("errors", [])):
        (out / name).mkdir(parents=True)
        pq.write_table(to_table(name, rows), out / name / "part-00000000.parquet")
    (out / "figures").mkdir()
    pq.write_table(pa.Table.from_pylist([figure], schema=FIGURES), out / "figures" / "part-00000000.parquet")
    return out


def test_undated_documents_are_listed_apart(tmp_path):
    html = render_report(_write_run(tmp_path / "run"))
    section = html[html.index("<h2 id='undated'>"):html.index("Near-duplicate documents")]
    assert "<b>note</b>" in section and "first" not in section and "second" not in section
    assert "1 undated" in html[:html.index("</header>")]
    assert dt.date.today().isoformat() not in html


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


MEASURE_JS = """
document.addEventListener('DOMContentLoaded', function () {
  var rows = [];
  document.querySelectorAll('svg').forEach(function (svg, i) {
    var box = svg.getBoundingClientRect();
    var lane = svg.querySelector('.undated-lane'), label = svg.querySelector('.undated-label');
    svg.querySelectorAll('circle').forEach(function (c) {
      var r = c.getBoundingClientRect();
      rows.push([i, c.getAttribute('data-published'), r.left + r.width / 2 - box.left, r.width,
                 lane ? lane.getBoundingClientRect().left - box.left : null,
                 label ? label.getBoundingClientRect().width : null, box.width]);
    });
  });
  var out = document.createElement('pre');
  out.id = 'measured';
  out.textContent = JSON.stringify(rows);
  document.body.appendChild(out);
});
"""


def test_undated_lane_in_headless_chromium(tmp_path):
    """Drawn by a real browser: the undated value is a visible dot right of the time axis, inside the chart."""
    import json

    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is missing in CI: .ci/run installs the Debian package 'chromium'")
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it and runs this test")
    html = render_report(_write_run(tmp_path / "run")).replace("</body>", f"<script>{MEASURE_JS}</script></body>")
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run",
               f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,2000", "--dump-dom", page.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    found = re.search(r"<pre id=\"measured\">(.*?)</pre>", result.stdout, re.S)
    assert found, result.stderr[-2000:]
    rows = json.loads(found.group(1).replace("&quot;", '"'))
    dots = {published: (x, size, lane, label, width) for _, published, x, size, lane, label, width in rows}
    assert set(dots) == {"2025-03-04", "2025-03-06", UNDATED}
    x, size, lane, label, width = dots[UNDATED]
    assert size > 5 and label > 20, "the undated dot and its lane label are drawn"
    assert lane < x < width
    assert all(dots[d][0] < lane for d in ("2025-03-04", "2025-03-06"))
    assert dots["2025-03-04"][0] < dots["2025-03-06"][0]


# --- the timeline of a fact -------------------------------------------------------------------

def _timeline_sources() -> list[dict]:
    """A toll over a week: a ministry's count rising, a hedged projection, a denied figure."""
    day = dt.date(2025, 3, 4)
    rows = [("Ministry", 0, 70, {}), ("Red Cross", 1, 120, {}), ("Ministry", 2, 150, {}),
            ("Governor", 2, 400, {"hedged": True}), ("Aid group", 3, 900, {"negated": True}),
            ("Ministry", 6, 210, {})]
    sources = []
    for i, (name, days, value, flags) in enumerate(rows):
        entry = _source(name, f"doc{i}", day + dt.timedelta(days=days), value)
        sources.append({**entry, "superseded": False, "hedged": False, "negated": False, **flags})
    sources[0]["superseded"] = True
    return sources


def test_timeline_draws_a_line_per_source_and_marks_statuses():
    sources = _timeline_sources()
    svg = figure_chart(sources, source_colors(sources))
    assert svg.count("class='source-line'") == 2  # the ministry's three values: two segments
    assert "class='denied'" in svg and "fill='#fff'" in svg  # crossed out; hedged hollow
    ticks = [t for t in re.findall(r"class='y-tick'[^>]*>([\d,]+)<", svg)]
    assert ticks == ["0", "200", "400", "600", "800", "1,000"]
    xs = [float(x) for x in re.findall(r"class='x-tick' x='([\d.]+)'", svg)]
    assert all(b - a >= 60 for a, b in zip(xs, xs[1:])), "date labels do not overlap"


def test_large_values_read_as_written():
    from newsie.report.html import format_number

    assert [format_number(v) for v in (3e9, 3.12e9, 6e6, 1_234_567, 8567)] == \
        ["3 billion", "3.12 billion", "6 million", "1,234,567", "8,567"]


def test_titles_and_plurals():
    assert figure_title({"event_type": "killed", "counted": "people", "place": "Peru"}) == "deaths: Peru"
    assert figure_title({"event_type": "deployed", "counted": "troops", "place": None}) == "deployed troops"
    assert plural(1, "source") == "1 source" and plural(2, "source") == "2 sources"
    assert nice_ticks(8567)[-1] == 10_000 and nice_ticks(8567)[1] == 2_000


def test_timeline_renders_in_headless_chromium(tmp_path):
    """Screenshot of a page with one timeline: the source lines are drawn (pixels of the
    first source's colour), not only the page around them."""
    chromium = find_chromium()
    if chromium is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is missing in CI: .ci/run installs the Debian package 'chromium'")
        pytest.skip("chromium not installed (apt-get install chromium); CI installs it and runs this test")
    sources = _timeline_sources()
    colors = source_colors(sources)
    page = tmp_path / "timeline.html"
    page.write_text(f"<!DOCTYPE html><html><body style='margin:0;background:#fff'>{figure_chart(sources, colors)}"
                    "</body></html>", encoding="utf-8")
    screenshot = tmp_path / "timeline.png"
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={screenshot}",
               "--window-size=600,260", page.resolve().as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert screenshot.is_file(), result.stderr[-2000:]
    width, channels, rows = png_pixels(screenshot)
    target = tuple(int(colors["Ministry"][i:i + 2], 16) for i in (1, 3, 5))
    drawn = sum(1 for row in rows for x in range(width)
                if all(abs(row[x * channels + c] - target[c]) < 40 for c in range(3)))
    assert drawn > 150, f"only {drawn} pixels of the ministry's line and dots"
    assert non_white_share(screenshot) > 0.02


def test_a_figure_says_when_it_was_reported():
    from newsie.report.html import reported_between

    figure = {"earliest_report": dt.date(2015, 4, 25), "latest_report": dt.date(2015, 5, 17)}
    assert reported_between(figure) == " · reported 25 Apr – 17 May 2015"
    assert reported_between({"earliest_report": None}) == ""


def test_a_measure_is_titled_with_its_unit_and_drawn_in_it():
    from newsie.report.html import in_figure_unit

    assert figure_title({"event_type": "other", "counted": "oil", "place": "Peru", "unit": "barrel per day"}) \
        == "oil, barrels per day: Peru"
    assert figure_title({"event_type": "other", "counted": None, "place": None, "unit": "foot"}) == "feet"
    assert figure_title({"event_type": "funding", "counted": None, "place": None, "unit": "USD"}) == "funding"
    # the finer event of "other": what the figure counts, not the catch-all
    assert figure_title({"event_type": "other", "counted": "oil", "place": "Peru", "unit": "barrel per day",
                         "event_detail": "recovered"}) == "oil recovered, barrels per day: Peru"
    assert figure_title({"event_type": "other", "counted": "workers", "place": None, "event_detail": "missing"}) == "missing"
    assert figure_title({"event_type": "other", "counted": None, "place": "Peru", "unit": "USD"}) == "sums in USD: Peru"
    sources = [{"claim_id": "a", "value": 4_200_000, "low": None, "high": None},
               {"claim_id": "b", "value": None, "low": 1_000, "high": 2_000}]
    drawn = in_figure_unit(sources, "barrel per day", {"a": "gallon per day", "b": "barrel per day"})
    assert round(drawn[0]["value"]) == 100_000 and drawn[1] == sources[1]  # 42 gallons a barrel
    assert in_figure_unit(sources, None, {}) == sources


def test_axis_labels_fit_the_margin():
    from newsie.report.html import format_tick

    assert [format_tick(v) for v in (0, 5_000, 250_000, 2_500_000, 40_000_000, 3e9)] == \
        ["0", "5,000", "250,000", "2.5M", "40M", "3B"]
