"""Page furniture removal that keeps offsets: boilerplate is masked, not cut.

Scraped articles carry navigation ("Share", "Recent Posts", "In Other News"), related
headlines, timestamps ("6 minutes ago"), bylines and duplicated photo captions. We find
such lines and replace their characters with spaces (newlines kept), so the masked text
has exactly the original's length and every offset computed on it points into the
original document. Nothing downstream ever sees the furniture.

Rules, in order:
1. a *tail marker* line ("In Other News", "Recent Posts", "Related Articles", "More In
   Politics", "Load More", ...) ends the article: it and everything after it are masked;
2. *furniture* lines anywhere ("Share:", "Exit mobile version", "6 minutes ago", "@handle",
   a bare domain, "Photo: ...", "Advertisement") are masked;
3. *link lines* ("Also read: ...", "Read more: ...", "Related: ...": a label, a colon and a
   headline of another article) and *offers* ("$2 for 2 months") are masked;
4. a line repeating an earlier line word for word (duplicated headline or caption) is masked;
5. *shortcodes* left by a CMS inside a line ("[contentblock id=1 img=ad.png]") are masked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_TAIL_MARKERS = re.compile(
    r"^(?:in other news|recent posts|related (?:articles|stories|posts|news|coverage)|related"
    r"|more (?:in|from) [\w .&-]{1,40}?(?: more\.*)?|more stories|most (?:read|popular|viewed)|trending(?: now)?"
    r"|read (?:more|next|also)|you (?:may|might) also like|recommended(?: for you| stories)?"
    r"|load more|popular (?:stories|posts)|latest (?:news|stories|posts)|top stories|see also"
    r"|sign up for (?:our|the) newsletter.*|subscribe(?: now| to our newsletter)?)[:.!]?$",
    re.IGNORECASE)

_FURNITURE = re.compile(
    r"^(?:share(?: this(?: article| story)?)?(?: on \w+)?|share via|print|email|tweet|advertisement|ad"
    r"|exit mobile version|skip to (?:main )?content|published by|posted by|comments?|leave a (?:comment|reply)"
    r"|\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago(?: \d+)?|just now|\d{1,2}:\d{2}"
    r"|@\w{1,40}|(?:www\.)?[\w-]+\.(?:com|org|net|co\.uk|news)|photo:.*|image:.*|(?:photo|image) (?:credit|source).*"
    r"|updated:? .{0,40}|politics|world|business|news|opinion|sports?|tech(?:nology)?)[:.]?$",
    re.IGNORECASE)


# A label, a colon and the headline of another article.
_LINK_LINE = re.compile(
    r"^(?:also read|read (?:more|also|next)|related(?: (?:article|story|news|coverage))?|see also|watch|"
    r"listen|more|recommended|must read|don'?t miss|trending)\s*[:|\u2013\u2014-]\s*\S.{0,200}$",
    re.IGNORECASE)
# A subscription or price offer standing alone: "$2 for 2 months", "£1 a week for 12 weeks".
_OFFER_LINE = re.compile(
    r"^(?:(?:subscribe|get|try|only|just)\s+)?[$£€]\s?\d+(?:\.\d{2})?\s+(?:for|a|per)\s+(?:\d+\s+|the first\s+)?"
    r"(?:days?|weeks?|months?|years?)(?:\s+for\s+\d+\s+(?:weeks?|months?))?[.!]?$", re.IGNORECASE)
# A CMS shortcode inside the text: "[contentblock id=1 img=adsense.png]", "[caption id=...]".
_SHORTCODE = re.compile(r"\[/?[a-z][\w-]*(?:\s+[\w-]+=(?:\"[^\"\]]*\"|'[^'\]]*'|[^\s\]]*))*\s*/?\]", re.IGNORECASE)


@dataclass(frozen=True)
class Cleaned:
    text: str                            # same length as the original, furniture blanked
    removed: tuple[tuple[int, int], ...]  # masked (start, end) character ranges


def mask_boilerplate(text: str) -> Cleaned:
    removed: list[tuple[int, int]] = []
    seen: set[str] = set()
    lines = list(_lines_with_offsets(text))
    for index, (start, end) in enumerate(lines):
        line = text[start:end].strip()
        if not line:
            continue
        if _TAIL_MARKERS.match(line) and index > 0:
            removed.append((start, len(text)))
            break
        key = " ".join(line.lower().split())
        if _FURNITURE.match(line) or _LINK_LINE.match(line) or _OFFER_LINE.match(line) or (key in seen and len(key) > 20):
            removed.append((start, end))
        else:
            removed.extend((m.start(), m.end()) for m in _SHORTCODE.finditer(text, start, end)
                           if "=" in m.group() or m.group().startswith("[/"))
        seen.add(key)
    return Cleaned(_blank(text, removed), tuple(removed))


def _lines_with_offsets(text: str):
    start = 0
    for match in re.finditer(r"\n", text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


def _blank(text: str, ranges: list[tuple[int, int]]) -> str:
    """Replace each range by spaces, keeping newlines so sentence splitting stays sane."""
    chars = list(text)
    for start, end in ranges:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def is_removed(cleaned: Cleaned, start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in cleaned.removed)
