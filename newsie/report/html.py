"""`newsie report OUT --html FILE`: one self-contained HTML page over a run.

Sections: the figures (disputed ones first), each with an inline SVG chart of the values
every source gave, by report date (values from undated documents apart, in an "undated"
lane); the claims, each sentence with its quantity and source highlighted from the stored
offsets; the documents without a publication date; the groups of near-duplicate documents. No scripts or
styles are fetched: CSS, the SVG and a few lines of JavaScript (a claim filter) are inline,
so the page works offline. All article text goes through html.escape.
"""
from __future__ import annotations

import math
from collections import defaultdict
from html import escape
from pathlib import Path

from ..crossdoc.tables import read_rows

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
    body = "".join([
        "<header><h1>newsie report</h1>",
        f"<p>{len(documents)} documents · {len(claims)} claims · {len(figures)} figures · "
        f"{disputed} disputed" + (f" · <a href='#undated' style='color:inherit'>{undated} undated</a>" if undated else "")
        + f" · {escape(str(out_dir))}</p></header><main>",
        render_figures(figures),
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

def figure_order(figure: dict):
    """Disputed first, widest disagreement first; then the most reported."""
    return (not figure.get("disputed"), -(figure.get("spread") or 1.0) if figure.get("disputed") else 0,
            -(figure.get("n_claims") or 0), figure.get("figure_id") or "")


def render_figures(figures: list[dict]) -> str:
    if not figures:
        return "<h2>Figures</h2><p class='muted'>No figures table: run the cross-document step.</p>"
    cards = "".join(render_figure(f) for f in sorted(figures, key=figure_order))
    return f"<h2>Figures <span class='muted'>(disputed first)</span></h2><div class='figures'>{cards}</div>"


def render_figure(figure: dict) -> str:
    sources = figure.get("sources") or []
    colors = source_colors(sources)
    badges = []
    if figure.get("disputed"):
        badges.append(f"<span class='badge disputed'>disputed ×{figure.get('spread') or 0:.2f}</span>")
    badges.append(f"<span class='badge'>{figure.get('n_claims')} claims</span>")
    badges.append(f"<span class='badge'>{figure.get('n_sources')} sources</span>")
    badges.append(f"<span class='badge'>{figure.get('n_independent_documents')} independent documents</span>")
    title = f"{figure.get('event_type') or 'other'}: {figure.get('counted') or 'unspecified'}"
    rows = "".join(
        f"<tr><td><i style='color:{colors[s['source']]}'>●</i> {escape(s['source'] or '')}</td>"
        f"<td class='num'>{escape(s.get('quantity_text') or '')}</td>"
        f"<td>{escape(str(s['published'])) if s.get('published') else f'<i class=muted>{UNDATED}</i>'}</td>"
        f"<td>{escape(s.get('doc_id') or '')}"
        + (f" <span class='badge copy'>copy of {escape(s['duplicate_of'])}</span>" if s.get("duplicate_of") else "")
        + "</td></tr>" for s in sources)
    return (f"<section class='figure{' disputed' if figure.get('disputed') else ''}' id='{escape(figure['figure_id'])}'>"
            f"<h3>{escape(title)}</h3><div>{''.join(badges)}"
            f"<span class='muted'>{escape(figure['figure_id'])} · range {format_range(figure)}</span></div>"
            f"{figure_chart(sources, colors)}"
            f"<table><thead><tr><th>source</th><th>figure</th><th>published</th><th>document</th></tr></thead>"
            f"<tbody>{rows}</tbody></table></section>")


def source_colors(sources: list[dict]) -> dict[str, str]:
    names = list(dict.fromkeys(s["source"] for s in sources))
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


def format_number(value) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "?"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def format_range(figure: dict) -> str:
    low, high = figure.get("min_low"), figure.get("max_high")
    return escape(format_number(low) if low == high else f"{format_number(low)} – {format_number(high)}")


def claim_interval(source: dict) -> tuple[float | None, float | None, bool]:
    """(low, high, open above) of one sourced value."""
    value, low, high = source.get("value"), source.get("low"), source.get("high")
    lo = low if low is not None else value
    hi = high if high is not None else value
    return lo, hi, low is not None and high is None


UNDATED = "undated"
UNDATED_LANE = 84  # px at the right of a chart for values from documents without a date


def figure_chart(sources: list[dict], colors: dict[str, str], width: int = 540, height: int = 200) -> str:
    """Values by source (colour) over report dates (x): a dot per value, a bar per range, an
    arrow for an open upper bound ('at least'). Values from documents without a publication
    date are drawn apart, in an "undated" lane right of the time axis (never at a made-up
    date): they have no place in time."""
    points = [(s, *claim_interval(s)) for s in sources]
    points = [p for p in points if p[1] is not None or p[2] is not None]
    if not points:
        return ""
    left, right, top, bottom, pad = 64, 44, 12, 34, 40
    dates = sorted({s["published"] for s, *_ in points if s.get("published")})
    undated = any(not s.get("published") for s, *_ in points)
    axis_end = width - right - (UNDATED_LANE if undated and dates else 0)  # where the dated values end
    lane_x = (axis_end + width - right) / 2 if dates else (left + width - right) / 2
    y_max = max(v for _, lo, hi, _ in points for v in (lo, hi) if v is not None) * 1.15 or 1.0

    def x_of(day, offset):
        if not day:
            return lane_x + offset
        span = (dates[-1] - dates[0]).days
        share = (day - dates[0]).days / span if span else 0.5
        return left + pad + (axis_end - left - 2 * pad) * share + offset

    def y_of(value):
        return top + (height - top - bottom) * (1 - value / y_max)

    parts = [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' role='img'>",
             f"<line x1='{left}' y1='{height - bottom}' x2='{width - right}' y2='{height - bottom}' stroke='#999'/>",
             f"<line x1='{left}' y1='{top}' x2='{left}' y2='{height - bottom}' stroke='#999'/>"]
    for tick in (0, y_max / 2, y_max / 1.15):
        parts.append(f"<text x='{left - 6}' y='{y_of(tick) + 4:.1f}' text-anchor='end'>{format_number(round(tick))}</text>")
    for day in dates:
        parts.append(f"<text x='{x_of(day, 0):.1f}' y='{height - 12}' text-anchor='middle'>{day.isoformat()}</text>")
    if undated:
        if dates:
            parts.append(f"<line class='undated-lane' x1='{axis_end}' y1='{top}' x2='{axis_end}' y2='{height - bottom}' "
                         "stroke='#bbb' stroke-dasharray='4 3'/>")
        parts.append(f"<text class='undated-label' x='{lane_x:.1f}' y='{height - 12}' text-anchor='middle' "
                     f"font-style='italic'>{UNDATED}</text>")
    same_day = defaultdict(int)
    for source, lo, hi, open_above in points:
        day = source.get("published") or None
        slot = same_day[day]
        same_day[day] += 1
        x = x_of(day, (slot - 2) * 9 if day else (slot % 5 - 2) * 9)
        color = colors[source["source"]]
        label = escape(f"{source['source']}: {source.get('quantity_text') or ''} ({source.get('doc_id')}, "
                       f"{day.isoformat() if day else UNDATED})")
        parts.append(f"<g><title>{label}</title>")
        if lo is not None and hi is not None and hi != lo:
            parts.append(f"<line x1='{x:.1f}' y1='{y_of(lo):.1f}' x2='{x:.1f}' y2='{y_of(hi):.1f}' stroke='{color}' stroke-width='4'/>")
        if open_above and lo is not None:
            parts.append(f"<line x1='{x:.1f}' y1='{y_of(lo):.1f}' x2='{x:.1f}' y2='{top:.1f}' stroke='{color}' stroke-dasharray='3 3' stroke-width='2'/>"
                         f"<path d='M{x - 5:.1f},{top + 7:.1f} L{x:.1f},{top:.1f} L{x + 5:.1f},{top + 7:.1f}' fill='none' stroke='{color}' stroke-width='2'/>")
        value = source.get("value") if source.get("value") is not None else (lo + hi) / 2 if hi is not None else lo
        parts.append(f"<circle cx='{x:.1f}' cy='{y_of(value):.1f}' r='5' fill='{color}' "
                     f"data-published='{day.isoformat() if day else UNDATED}'/></g>")
    parts.append("</svg>")
    legend = "".join(f"<span><i style='background:{c}'></i>{escape(n)}</span>" for n, c in colors.items())
    return "".join(parts) + f"<div class='legend'>{legend}</div>"


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
    rows = []
    for claim in sorted(claims, key=lambda c: (c["doc_id"], c.get("quantity_start") or 0)):
        figure = claim.get("figure_id") or ""
        rows.append(
            f"<tr><td>{escape(claim['doc_id'])}</td>"
            f"<td>{highlighted_sentence(texts.get(claim['doc_id'], ''), claim, attributions.get(claim.get('attribution_id')))}</td>"
            f"<td>{escape(claim.get('event_type') or '')}</td><td>{escape(claim.get('counted') or '')}</td>"
            f"<td class='num'>{format_number(claim.get('value')) if claim.get('value') is not None else ''}</td>"
            f"<td class='num'>{format_number(claim.get('low')) if claim.get('low') is not None else ''}</td>"
            f"<td class='num'>{format_number(claim.get('high')) if claim.get('high') is not None else ''}</td>"
            f"<td>{escape(claim.get('source_canonical') or '(the article)')}</td>"
            f"<td><a href='#{escape(figure)}'>{escape(figure)}</a></td></tr>")
    return ("<h2>Claims</h2><p class='muted'><mark class='q'>quantity</mark> <mark class='s'>source</mark></p>"
            "<input id='filter' type='search' placeholder='filter claims…'>"
            "<table id='claims'><thead><tr><th>document</th><th>sentence</th><th>event</th><th>counted</th>"
            "<th>value</th><th>low</th><th>high</th><th>source</th><th>figure</th></tr></thead>"
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
