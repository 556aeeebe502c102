"""`newsie report OUT --html FILE`: one self-contained HTML page over a run.

Sections: the figures, most reported first (by independent documents, then sources), each
titled from its fact ("deaths: Nepal") with a timeline chart of the values every source gave
by report date (one line per source; hedged, denied and superseded values marked; values
from undated documents apart, in an "undated" lane) and its reports with outlet and date;
figures of one claim folded away below; the claims, each sentence with its quantity and
source highlighted from the stored offsets, with outlet, date and status; the documents
without a publication date; the groups of near-duplicate documents. No scripts or
styles are fetched: CSS, the SVG and a few lines of JavaScript (a claim filter) are inline,
so the page works offline. All article text goes through html.escape.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from functools import lru_cache
from html import escape
from pathlib import Path

from ..crossdoc.tables import read_rows
from ..schema import ARTICLE_ITSELF

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22"]
CSS = """
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { background: #1d2b45; color: #fff; padding: 18px 32px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; opacity: .85; }
main { padding: 16px 32px 48px; max-width: 1400px; }
h2 { margin: 28px 0 10px; font-size: 20px; border-bottom: 2px solid #d8dce3; padding-bottom: 4px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 16px; }
.figure { background: #fff; border: 1px solid #d8dce3; border-radius: 8px; padding: 12px 16px; }
.figure.disputed { border-left: 6px solid #c0392b; }
.figure h3 { margin: 0 0 6px; font-size: 16px; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; background: #e8ebf0; margin-right: 4px; }
.badge.disputed { background: #c0392b; color: #fff; }
.badge.copy { background: #f0e2c4; }
.badge.updated { background: #2c6fbb; color: #fff; }
.badge.hedged { background: #fff3c4; }
.badge.denied { background: #f6d0cc; text-decoration: line-through; }
.badge.superseded { background: #e3e6ea; color: #6b7280; }
tr.negated td { text-decoration: line-through; color: #6b7280; }
details { margin: 6px 0; }
details summary { cursor: pointer; color: #2c3e66; }
details.single { margin-top: 18px; background: #fff; border: 1px solid #d8dce3; border-radius: 8px; padding: 8px 12px; }
td.date { white-space: nowrap; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; }
th, td { border-bottom: 1px solid #e3e6ea; padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: #eef0f4; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
mark.q { background: #ffe08a; padding: 0 2px; border-radius: 3px; }
mark.s { background: #b9e4ff; padding: 0 2px; border-radius: 3px; }
.legend span { display: inline-block; margin-right: 12px; font-size: 13px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 4px; }
svg text { font: 11px system-ui, sans-serif; fill: #444; }
.muted { color: #6b7280; }
#filter { padding: 6px 10px; width: 320px; margin-bottom: 8px; border: 1px solid #c5cad3; border-radius: 6px; }
"""
FILTER_JS = """
document.getElementById('filter').addEventListener('input', function (e) {
  var q = e.target.value.toLowerCase();
  document.querySelectorAll('#claims tbody tr').forEach(function (tr) {
    tr.style.display = tr.textContent.toLowerCase().indexOf(q) >= 0 ? '' : 'none';
  });
});
"""


def write_report(out_dir: Path, html_path: Path) -> None:
    out_dir, html_path = Path(out_dir), Path(html_path)
    html_path.parent.mkdir(parents=True, exist_ok=True)
    html_path.write_text(render_report(out_dir), encoding="utf-8")


def render_report(out_dir: Path) -> str:
    documents = read_rows(out_dir, "documents")
    claims = read_rows(out_dir, "claims")
    attributions = {a["attribution_id"]: a for a in read_rows(out_dir, "attributions")}
    figures = read_rows(out_dir, "figures")
    disputed = sum(1 for f in figures if f.get("disputed"))
    undated = sum(1 for d in documents if d.get("status") == "ok" and not d.get("published"))
    by_id = {d["doc_id"]: d for d in documents}
    body = "".join([
        "<header><h1>newsie report</h1>",
        f"<p>{plural(len(documents), 'document')} · {plural(len(claims), 'claim')} · {plural(len(figures), 'figure')} · "
        f"{disputed:,} disputed" + (f" · <a href='#undated' style='color:inherit'>{undated:,} undated</a>" if undated else "")
        + f" · {escape(str(out_dir))}</p></header><main>",
        render_figures(figures, by_id, {c["claim_id"]: c.get("unit") for c in claims}),
        render_claims(claims, documents, attributions),
        render_undated(documents, claims),
        render_duplicates(documents),
        "</main>",
    ])
    return ("<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            "<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>newsie report</title><style>{CSS}</style></head><body>{body}"
            f"<script>{FILTER_JS}</script></body></html>")


# --- figures ----------------------------------------------------------------------------------

# What a title calls each event type's count ("deaths: Nepal"); other types read "<type> <counted>".
EVENT_TITLES = {"killed": "deaths", "wounded": "injured", "casualties": "casualties", "missing": "missing",
                "hospitalized": "hospitalized", "displaced": "displaced", "arrested": "arrests",
                "infected": "infections", "cases": "cases"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 source', '2 sources' (or the given plural)."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


def figure_title(figure: dict) -> str:
    """From the fact: what is counted and where ("deaths: Nepal", "deployed troops: Russia"),
    the finer event of an "other" figure ("missing: Gulf of Mexico", "oil recovered"), a measure
    with its unit ("oil spilled, barrels per day: United States"), a sum with its currency."""
    event, counted, place = figure.get("event_type") or "other", figure.get("counted"), figure.get("place")
    detail = figure.get("event_detail") if event == "other" else None
    what = EVENT_TITLES.get(detail or event)
    if what is None and detail:
        what = f"{counted} {detail}" if counted else detail
    if what is None:
        what = counted or event if event == "other" else f"{event} {counted}" if counted else event
    unit = figure.get("unit")
    if unit and not CURRENCY_CODE.match(unit):
        what = f"{what}, {plural_unit(unit)}" if counted or event != "other" or detail else plural_unit(unit)
    elif unit and event == "other" and not counted and not detail:
        what = f"sums in {unit}"  # not "other"
    return f"{what}: {place}" if place else what


CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def plural_unit(unit: str) -> str:
    """'barrel per day' -> 'barrels per day', 'foot' -> 'feet'."""
    head, per, rate = unit.partition(" per ")
    words = head.split()
    last = {"foot": "feet", "inch": "inches"}.get(words[-1], words[-1] + ("es" if words[-1].endswith(("s", "x", "ch", "sh")) else "s"))
    return " ".join([*words[:-1], last]) + (f" per {rate}" if per else "")


@lru_cache(maxsize=1)
def _unit_table() -> dict[str, tuple[str, float]]:
    """configs/crossdoc.cfg [units], read once per process (not once per figure)."""
    from ..crossdoc.settings import load_settings

    return load_settings().figures.units


def in_figure_unit(sources: list[dict], unit: str | None, units: dict[str, str | None]) -> list[dict]:
    """The sourced values in the figure's unit: a figure of barrels a day draws "3.9 million
    gallons a day" at 92,857 (the cross-document step compares measures in a base unit; the
    table keeps each value as written)."""
    if not unit or CURRENCY_CODE.match(unit):
        return sources
    from ..crossdoc.figures import measure

    table = _unit_table()
    target = measure(unit, table)
    converted = []
    for source in sources:
        own = measure(units.get(source.get("claim_id")), table)
        if own and target and own[0] == target[0] and own[1] != target[1]:
            factor = own[1] / target[1]
            source = {**source, **{k: source[k] * factor for k in ("value", "low", "high") if source.get(k) is not None}}
        converted.append(source)
    return converted


def figure_order(figure: dict):
    """The figures that matter first: the most independent documents, then sources, then
    claims; among equals, disputed ones first."""
    return (-(figure.get("n_independent_documents") or 0), -(figure.get("n_sources") or 0),
            -(figure.get("n_claims") or 0), not figure.get("disputed"), figure.get("figure_id") or "")


def render_figures(figures: list[dict], documents: dict[str, dict], units: dict[str, str | None] | None = None) -> str:
    if not figures:
        return "<h2>Figures</h2><p class='muted'>No figures table: run the cross-document step.</p>"
    ordered = sorted(figures, key=figure_order)
    told = [f for f in ordered if (f.get("n_claims") or 0) > 1]
    single = [f for f in ordered if (f.get("n_claims") or 0) <= 1]
    cards = "".join(render_figure(f, documents, units) for f in told)
    folded = ""
    if single:
        rows = "".join(
            f"<tr id='{escape(f['figure_id'])}'><td>{escape(figure_title(f))}</td>"
            f"<td class='num'>{escape(s.get('quantity_text') or '')}</td><td>{escape(s.get('source') or '')}</td>"
            f"<td>{_outlet_and_date(s, documents)}</td><td>{status_badges(s)}</td></tr>"
            for f in single for s in (f.get("sources") or [{}])[:1])
        folded = (f"<details class='single'><summary>{plural(len(single), 'figure')} reported by one claim "
                  "each</summary><table><thead><tr><th>fact</th><th>figure</th><th>source</th><th>outlet, date</th>"
                  f"<th></th></tr></thead><tbody>{rows}</tbody></table></details>")
    return (f"<h2>Figures <span class='muted'>(most reported first)</span></h2>"
            f"<div class='figures'>{cards}</div>{folded}")


def status_badges(source: dict) -> str:
    badges = []
    if source.get("negated"):
        badges.append("<span class='badge denied'>denied or retracted</span>")
    if source.get("hedged"):
        badges.append("<span class='badge hedged'>hedged</span>")
    if source.get("superseded"):
        badges.append("<span class='badge superseded'>superseded</span>")
    if source.get("duplicate_of"):
        badges.append(f"<span class='badge copy'>copy of {escape(source['duplicate_of'])}</span>")
    return "".join(badges)


def _outlet_and_date(source: dict, documents: dict[str, dict]) -> str:
    outlet = (documents.get(source.get("doc_id")) or {}).get("outlet") or source.get("doc_id") or ""
    day = source.get("published")
    return f"{escape(outlet)} · {day.isoformat() if day else f'<i class=muted>{UNDATED}</i>'}"


def render_figure(figure: dict, documents: dict[str, dict], units: dict[str, str | None] | None = None) -> str:
    sources = in_figure_unit(figure.get("sources") or [], figure.get("unit"), units or {})
    colors = source_colors(sources)
    badges = []
    if figure.get("disputed"):
        badges.append(f"<span class='badge disputed'>disputed ×{figure.get('spread') or 0:.2f}</span>")
    if figure.get("updated"):
        badges.append("<span class='badge updated'>updated</span>")
    badges.append(f"<span class='badge'>{plural(figure.get('n_independent_documents') or 0, 'independent document')}</span>")
    badges.append(f"<span class='badge'>{plural(figure.get('n_sources') or 0, 'source')}</span>")
    badges.append(f"<span class='badge'>{plural(figure.get('n_claims') or 0, 'claim')}</span>")
    latest = format_bounds(figure.get("latest_low"), figure.get("latest_high"))
    rows = "".join(
        f"<tr class='{'negated' if s.get('negated') else ''}'><td><i style='color:{colors[s['source']]}'>●</i> "
        f"{escape(s['source'] or '')}</td><td class='num'>{escape(s.get('quantity_text') or '')}</td>"
        f"<td>{_outlet_and_date(s, documents)}</td><td>{status_badges(s)}</td></tr>" for s in sources)
    return (f"<section class='figure{' disputed' if figure.get('disputed') else ''}' id='{escape(figure['figure_id'])}'>"
            f"<h3>{escape(figure_title(figure))}</h3><div>{''.join(badges)}</div>"
            f"<p class='muted'>latest {latest} · all reports {format_range(figure)}{reported_between(figure)} · "
            f"{escape(figure['figure_id'])}</p>"
            f"{figure_chart(sources, colors)}"
            f"<details><summary>{plural(len(sources), 'report')}</summary><table><thead><tr><th>source</th>"
            f"<th>figure</th><th>outlet, date</th><th></th></tr></thead><tbody>{rows}</tbody></table></details></section>")


def reported_between(figure: dict) -> str:
    """' · reported 25 Apr – 17 May 2015': two figures titled alike are told apart by when."""
    first, last = figure.get("earliest_report"), figure.get("latest_report")
    if not first:
        return ""
    if first == last:
        return f" · reported {first.day} {first:%b %Y}"
    year = "" if first.year == last.year else f" {first.year}"
    return f" · reported {first.day} {first:%b}{year} – {last.day} {last:%b %Y}"


def source_colors(sources: list[dict]) -> dict[str, str]:
    names = list(dict.fromkeys(s["source"] for s in sources))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def format_number(value) -> str:
    """'8,567', '12.50', and millions and billions as they are written ('3.12 billion', '6
    million'), where that loses no digit."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "?"
    for size, word in ((1e9, "billion"), (1e6, "million")):
        short = f"{value / size:.3f}".rstrip("0").rstrip(".")
        if abs(value) >= size and float(short) * size == value:
            return f"{short} {word}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def format_tick(value: float) -> str:
    """An axis label short enough for the margin: '15,000', '2.5M', '4B'."""
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if abs(value) >= size:
            return f"{value / size:,.1f}".rstrip("0").rstrip(".") + suffix
    return format_number(value)


def format_bounds(low, high) -> str:
    if low is None and high is None:
        return "?"
    return escape(format_number(low) if low == high else f"{format_number(low)} – {format_number(high)}")


def format_range(figure: dict) -> str:
    return format_bounds(figure.get("min_low"), figure.get("max_high"))


def claim_interval(source: dict) -> tuple[float | None, float | None, bool]:
    """(low, high, open above) of one sourced value."""
    value, low, high = source.get("value"), source.get("low"), source.get("high")
    lo = low if low is not None else value
    hi = high if high is not None else value
    return lo, hi, low is not None and high is None


def nice_ticks(top: float, most: int = 5) -> list[float]:
    """Round axis values from 0 to at least `top`: steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / most
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


DAY_STEPS = (1, 2, 7, 14, 30, 61, 91, 182, 365, 730)
DATE_LABEL_PX = 64  # a label such as "25 Apr" with room either side


def date_ticks(first, last, width: float) -> list:
    """Dates to label on an axis `width` px wide, no closer than DATE_LABEL_PX apart."""
    span = (last - first).days
    fits = max(1, int(width // DATE_LABEL_PX))
    step = next((s for s in DAY_STEPS if span / s < fits), DAY_STEPS[-1])
    return [first + dt.timedelta(days=d) for d in range(0, span + 1, step)] if span else [first]


UNDATED = "undated"
UNDATED_LANE = 84  # px at the right of a chart for values from documents without a date


def figure_chart(sources: list[dict], colors: dict[str, str], width: int = 540, height: int = 220) -> str:
    """The fact's timeline: report date (x) and value (y), one line per source in
    publication order. A value is a dot; a range a band from low to high; "at least" an
    arrow up; a hedged value a hollow dot reached by a dashed line; a denied or retracted one
    a cross, outside the line; a superseded one faded. Values from documents without a
    publication date are drawn apart, in an "undated" lane right of the time axis (never at a
    made-up date)."""
    points = [(s, *claim_interval(s)) for s in sources]
    points = [p for p in points if p[1] is not None or p[2] is not None]
    if not points:
        return ""
    left, right, top, bottom, pad = 64, 44, 12, 40, 24
    dates = sorted({s["published"] for s, *_ in points if s.get("published")})
    undated = any(not s.get("published") for s, *_ in points)
    axis_end = width - right - (UNDATED_LANE if undated and dates else 0)  # where the dated values end
    lane_x = (axis_end + width - right) / 2 if dates else (left + width - right) / 2
    ticks = nice_ticks(max(v for _, lo, hi, _ in points for v in (lo, hi) if v is not None))
    y_max = ticks[-1] or 1.0

    def x_of(day, offset):
        if not day:
            return lane_x + offset
        span = (dates[-1] - dates[0]).days
        share = (day - dates[0]).days / span if span else 0.5
        return left + pad + (axis_end - left - 2 * pad) * share + offset

    def y_of(value):
        return top + (height - top - bottom) * (1 - value / y_max)

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img' class='timeline'>"]
    for tick in ticks:
        parts.append(f"<line x1='{left}' y1='{y_of(tick):.1f}' x2='{width - right}' y2='{y_of(tick):.1f}' stroke='#eceef2'/>"
                     f"<text class='y-tick' x='{left - 6}' y='{y_of(tick) + 4:.1f}' text-anchor='end'>{format_tick(tick)}</text>")
    parts += [f"<line x1='{left}' y1='{height - bottom}' x2='{width - right}' y2='{height - bottom}' stroke='#999'/>",
              f"<line x1='{left}' y1='{top}' x2='{left}' y2='{height - bottom}' stroke='#999'/>"]
    if dates:
        for day in date_ticks(dates[0], dates[-1], axis_end - left - 2 * pad):
            parts.append(f"<text class='x-tick' x='{x_of(day, 0):.1f}' y='{height - bottom + 16}' "
                         f"text-anchor='middle'>{day.day} {day:%b}</text>")
        years = sorted({d.year for d in dates})
        parts.append(f"<text x='{(left + axis_end) / 2:.1f}' y='{height - 6}' text-anchor='middle' class='muted'>"
                     f"report date, {'–'.join(str(y) for y in (years[0], years[-1]) if y) if len(years) > 1 else years[0]}</text>")
    if undated:
        if dates:
            parts.append(f"<line class='undated-lane' x1='{axis_end}' y1='{top}' x2='{axis_end}' y2='{height - bottom}' "
                         "stroke='#bbb' stroke-dasharray='4 3'/>")
        parts.append(f"<text class='undated-label' x='{lane_x:.1f}' y='{height - bottom + 16}' text-anchor='middle' "
                     f"font-style='italic'>{UNDATED}</text>")
    same_day, placed = defaultdict(int), []
    for source, lo, hi, open_above in points:
        day = source.get("published") or None
        slot = same_day[day]
        same_day[day] += 1
        x = x_of(day, (slot % 5 - 2) * 7)
        value = source.get("value") if source.get("value") is not None else (lo + hi) / 2 if hi is not None else lo
        placed.append((source, x, lo, hi, open_above, value))
    for name, color in colors.items():  # one line per source, through its values that stand
        line = [(x, y_of(v), s) for s, x, _, _, _, v in placed if s["source"] == name and not s.get("negated")]
        for (x1, y1, _), (x2, y2, s2) in zip(line, line[1:]):
            dash = " stroke-dasharray='5 4'" if s2.get("hedged") else ""
            parts.append(f"<line class='source-line' x1='{x1:.1f}' y1='{y1:.1f}' x2='{x2:.1f}' y2='{y2:.1f}' "
                         f"stroke='{color}' stroke-width='2'{dash}/>")
    for source, x, lo, hi, open_above, value in placed:
        day = source.get("published")
        color = colors[source["source"]]
        status = ", ".join(w for w, k in (("hedged", "hedged"), ("denied or retracted", "negated"),
                                          ("superseded", "superseded")) if source.get(k))
        label = escape(f"{source['source']}: {source.get('quantity_text') or ''} ({source.get('doc_id')}, "
                       f"{day.isoformat() if day else UNDATED}){f' — {status}' if status else ''}")
        fade = " opacity='0.45'" if source.get("superseded") else ""
        parts.append(f"<g{fade}><title>{label}</title>")
        if lo is not None and hi is not None and hi != lo:
            parts.append(f"<rect class='band' x='{x - 4:.1f}' y='{y_of(hi):.1f}' width='8' "
                         f"height='{max(y_of(lo) - y_of(hi), 1):.1f}' fill='{color}' fill-opacity='0.25' stroke='{color}'/>")
        if open_above and lo is not None:
            parts.append(f"<line x1='{x:.1f}' y1='{y_of(lo):.1f}' x2='{x:.1f}' y2='{top:.1f}' stroke='{color}' stroke-dasharray='3 3' stroke-width='2'/>"
                         f"<path d='M{x - 5:.1f},{top + 7:.1f} L{x:.1f},{top:.1f} L{x + 5:.1f},{top + 7:.1f}' fill='none' stroke='{color}' stroke-width='2'/>")
        y = y_of(value)
        fill = "#fff" if source.get("hedged") else color
        parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='5' fill='{fill}' stroke='{color}' stroke-width='2' "
                     f"data-published='{day.isoformat() if day else UNDATED}'/>")
        if source.get("negated"):
            parts.append(f"<path class='denied' d='M{x - 7:.1f},{y - 7:.1f} L{x + 7:.1f},{y + 7:.1f} M{x - 7:.1f},{y + 7:.1f} "
                         f"L{x + 7:.1f},{y - 7:.1f}' stroke='#c0392b' stroke-width='2.5'/>")
        parts.append("</g>")
    parts.append("</svg>")
    legend = "".join(f"<span><i style='background:{c}'></i>{escape(n)}</span>" for n, c in colors.items())
    key = ("<span class='muted'>○ hedged · ✕ denied or retracted · faded: superseded · band: a range</span>")
    return "".join(parts) + f"<div class='legend'>{legend}{key}</div>"


# --- claims -----------------------------------------------------------------------------------

def highlighted_sentence(text: str, claim: dict, attribution: dict | None) -> str:
    """The claim's sentence, escaped, with <mark class=q> on the quantity and <mark class=s>
    on the source (when its offsets fall inside the sentence)."""
    start, end = claim.get("sentence_start"), claim.get("sentence_end")
    if start is None or end is None or not text:
        return escape(claim.get("quantity_text") or "")
    spans = [(claim.get("quantity_start"), claim.get("quantity_end"), "q")]
    if attribution and attribution.get("source_start") is not None:
        spans.append((attribution["source_start"], attribution["source_end"], "s"))
    pieces, cursor = [], start
    for s_start, s_end, kind in sorted(s for s in spans if s[0] is not None and s[1] is not None):
        if s_start < cursor or s_end > end:
            continue  # overlapping or outside the sentence: leave it plain
        pieces.append(escape(text[cursor:s_start]))
        pieces.append(f"<mark class='{kind}'>{escape(text[s_start:s_end])}</mark>")
        cursor = s_end
    pieces.append(escape(text[cursor:end]))
    return "".join(pieces)


def render_claims(claims: list[dict], documents: list[dict], attributions: dict[str, dict]) -> str:
    texts = {d["doc_id"]: d.get("text") or "" for d in documents}
    by_id = {d["doc_id"]: d for d in documents}
    rows = []
    for claim in sorted(claims, key=lambda c: (by_id.get(c["doc_id"], {}).get("published") or dt.date.max,
                                               c["doc_id"], c.get("quantity_start") or 0)):
        figure = claim.get("figure_id") or ""
        doc = by_id.get(claim["doc_id"], {})
        status = status_badges({"hedged": claim.get("hedged"), "negated": claim.get("negated")})
        rows.append(
            f"<tr><td>{escape(doc.get('outlet') or '')}</td>"
            f"<td class='date'>{doc['published'].isoformat() if doc.get('published') else UNDATED}</td>"
            f"<td>{escape(claim['doc_id'])}</td>"
            f"<td>{highlighted_sentence(texts.get(claim['doc_id'], ''), claim, attributions.get(claim.get('attribution_id')))}</td>"
            f"<td>{escape(claim.get('event_type') or '')}</td><td>{escape(claim.get('counted') or '')}</td>"
            f"<td class='num'>{format_number(claim.get('value')) if claim.get('value') is not None else ''}</td>"
            f"<td class='num'>{format_number(claim.get('low')) if claim.get('low') is not None else ''}</td>"
            f"<td class='num'>{format_number(claim.get('high')) if claim.get('high') is not None else ''}</td>"
            f"<td>{escape(claim.get('source_canonical') or ARTICLE_ITSELF)}</td><td>{status}</td>"
            f"<td><a href='#{escape(figure)}'>{escape(figure)}</a></td></tr>")
    return ("<h2>Claims</h2><p class='muted'><mark class='q'>quantity</mark> <mark class='s'>source</mark></p>"
            "<input id='filter' type='search' placeholder='filter claims…'>"
            "<table id='claims'><thead><tr><th>outlet</th><th>date</th><th>document</th><th>sentence</th><th>event</th>"
            "<th>counted</th><th>value</th><th>low</th><th>high</th><th>source</th><th>status</th><th>figure</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


# --- undated documents ----------------------------------------------------------------------

def render_undated(documents: list[dict], claims: list[dict]) -> str:
    """The documents without a publication date, apart: the charts cannot place them in time
    (they sit in each chart's "undated" lane) and their relative dates stay unresolved."""
    undated = sorted((d for d in documents if d.get("status") == "ok" and not d.get("published")),
                     key=lambda d: d["doc_id"])
    if not undated:
        return ""
    counts = defaultdict(int)
    for claim in claims:
        counts[claim["doc_id"]] += 1
    items = "".join(f"<li>{describe_document(d)} <span class='muted'>· {counts[d['doc_id']]} claims</span></li>"
                    for d in undated)
    return (f"<h2 id='undated'>Undated documents <span class='muted'>({len(undated)})</span></h2>"
            "<p class='muted'>No publication date (manifest, --published or a date in the text): their "
            "values are drawn in each chart's <i>undated</i> lane, apart from the time axis, and dates "
            "such as 'Thursday' in them stay unresolved.</p>"
            f"<ul class='undated'>{items}</ul>")


# --- duplicates -------------------------------------------------------------------------------

def duplicate_groups(documents: list[dict]) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for doc in documents:
        if doc.get("duplicate_of"):
            groups[doc["duplicate_of"]].append(doc)
    return dict(groups)


def render_duplicates(documents: list[dict]) -> str:
    by_id = {d["doc_id"]: d for d in documents}
    groups = duplicate_groups(documents)
    if not groups:
        return "<h2>Near-duplicate documents</h2><p class='muted'>None found.</p>"
    items = []
    for original_id, copies in sorted(groups.items()):
        original = by_id.get(original_id, {"doc_id": original_id})
        copy_items = "".join(f"<li>{describe_document(c)}</li>" for c in sorted(copies, key=lambda c: c["doc_id"]))
        items.append(f"<li><b>original</b> {describe_document(original)}<ul>{copy_items}</ul></li>")
    return f"<h2>Near-duplicate documents</h2><ul>{''.join(items)}</ul>"


def describe_document(doc: dict) -> str:
    bits = [f"<b>{escape(doc['doc_id'])}</b>"]
    for key in ("outlet", "published", "title"):
        if doc.get(key):
            bits.append(escape(str(doc[key])))
    return " · ".join(bits)
