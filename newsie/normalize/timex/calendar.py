"""Calendar math: the intervals of months, seasons, ISO weeks and years; month and year
arithmetic; the year of a cyclic expression ("November", "Dec. 20") and the date of a
weekday relative to the anchor; the dates of holidays.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Callable

from .lexicon import SEASON_MONTHS

Date = dt.date
ONE_DAY = dt.timedelta(days=1)


def month_end(y: int, m: int) -> Date:
    return Date(y, m, calendar.monthrange(y, m)[1])


def month_interval(y: int, m: int) -> tuple[Date, Date]:
    return Date(y, m, 1), month_end(y, m)


def year_interval(y: int) -> tuple[Date, Date]:
    return Date(y, 1, 1), Date(y, 12, 31)


def season_interval(y: int, code: str) -> tuple[Date, Date]:
    first, last = SEASON_MONTHS[code]
    if code == "WI":  # December of y to the end of February of y+1
        return Date(y, 12, 1), month_end(y + 1, 2)
    return Date(y, first, 1), month_end(y, last)


def iso_week_value(d: Date) -> str:
    iso_year, week, _ = d.isocalendar()
    return f"{iso_year}-W{week:02d}"


def week_interval(d: Date) -> tuple[Date, Date]:
    monday = d - dt.timedelta(days=d.weekday())
    return monday, monday + dt.timedelta(days=6)


def add_months(d: Date, months: int) -> Date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    return Date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def add_years(d: Date, years: int) -> Date:
    return add_months(d, 12 * years)


def safe_date(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


FUTURE_DISTANCE_WEIGHT = 2  # news mostly reports the past: a future reading must be twice as close
# A past clause can still state a date ahead ("declared a dividend payable Dec. 7", "extended
# the offer to Nov. 20"): an occurrence that ended more than ~10 months back loses to one that
# starts within two months ahead, since news gives the year of a date that far back.
PAST_REACH_DAYS = 300
NEAR_FUTURE_DAYS = 60


def _distance(interval: tuple[Date, Date], anchor: Date, future_weight: int = FUTURE_DISTANCE_WEIGHT) -> int:
    start, end = interval
    if start <= anchor <= end:
        return 0
    return future_weight * (start - anchor).days if start > anchor else (anchor - end).days


def choose_year(interval_for: Callable[[int], tuple[Date, Date] | None], anchor: Date,
                tense: str | None, mod: str | None = None) -> int | None:
    """Pick the year of a cyclic expression (month, season, quarter, month-day).

    "last"/"next" exclude the occurrence containing the anchor; otherwise the clause
    tense decides (past: latest starting on/before the anchor; future: earliest ending
    on/after it; a past reading ended over PAST_REACH_DAYS back loses to one starting within
    NEAR_FUTURE_DAYS); "relative" and "prospective" (a to-infinitive: "planned to meet in
    April", "expects to report third-quarter results") take the nearest occurrence, as a plan
    says little about which month or quarter; with no tense, the nearest with future distances counted double: what
    news usually means by a bare "In November" or "Dec. 20".
    """
    options = []
    for y in range(anchor.year - 2, anchor.year + 3):
        interval = interval_for(y)
        if interval is not None:
            options.append((y, interval))
    if not options:
        return None
    if mod in ("last", "past", "previous"):
        past = [(y, iv) for y, iv in options if iv[1] < anchor]
        return past[-1][0] if past else None
    if mod in ("next", "coming", "following"):
        future = [(y, iv) for y, iv in options if iv[0] > anchor]
        return future[0][0] if future else None
    if mod == "this":
        containing = [y for y, iv in options if iv[0] <= anchor <= iv[1]]
        return containing[0] if containing else anchor.year
    if tense == "past":
        past = [(y, iv) for y, iv in options if iv[0] <= anchor]
        if past and (anchor - past[-1][1][1]).days > PAST_REACH_DAYS:
            ahead = [y for y, iv in options if 0 < (iv[0] - anchor).days <= NEAR_FUTURE_DAYS]
            if ahead:
                return ahead[0]
        return past[-1][0] if past else None
    if tense == "future":
        future = [(y, iv) for y, iv in options if iv[1] >= anchor]
        return future[0][0] if future else None
    weight = 1 if tense in ("relative", "prospective") else FUTURE_DISTANCE_WEIGHT
    return min(options, key=lambda o: (_distance(o[1], anchor, weight), -o[0]))[0]


def choose_weekday(target: int, anchor: Date, tense: str | None, mod: str | None) -> Date:
    """Weekday relative to the anchor; a weekday equal to the anchor's is the anchor.

    A past clause takes the latest such day; a future clause and a to-infinitive under a
    present verb ("is scheduled to close Monday") the next one. Otherwise the
    nearest: "relative" (after a past moment: "planned to leave on Thursday") counts both
    directions alike, the present tense and no tense count the future double ("closing
    unchanged Friday" in a Monday paper is three days back, not four ahead)."""
    same_week = anchor + dt.timedelta(days=target - anchor.weekday())
    if mod == "past":  # "this past Wednesday": the latest one strictly before the anchor
        return anchor - dt.timedelta(days=(anchor.weekday() - target - 1) % 7 + 1)
    if mod == "following":
        return anchor + dt.timedelta(days=(target - anchor.weekday() - 1) % 7 + 1)
    if mod in ("last", "previous"):
        return same_week - dt.timedelta(days=7)
    if mod in ("next", "coming"):
        return same_week + dt.timedelta(days=7)
    if mod == "this":
        return same_week
    back = (anchor.weekday() - target) % 7
    ahead = (target - anchor.weekday()) % 7
    if tense == "past" or back == 0:
        return anchor - dt.timedelta(days=back)
    if tense in ("future", "prospective"):
        return anchor + dt.timedelta(days=ahead)
    weight = 1 if tense == "relative" else FUTURE_DISTANCE_WEIGHT
    return anchor - dt.timedelta(days=back) if back <= weight * ahead else anchor + dt.timedelta(days=ahead)


def easter(y: int) -> Date:
    """Western Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month_, day_ = divmod(h + weekday_shift - 7 * m + 114, 31)
    return Date(y, month_, day_ + 1)


def _nth_weekday(y: int, mo: int, weekday_: int, n: int) -> Date:
    """n-th (1-based; -1 = last) given weekday of a month: US floating holidays."""
    if n > 0:
        first = Date(y, mo, 1)
        return first + dt.timedelta(days=(weekday_ - first.weekday()) % 7 + 7 * (n - 1))
    last = month_end(y, mo)
    return last - dt.timedelta(days=(last.weekday() - weekday_) % 7)


HOLIDAYS: dict[str, Callable[[int], Date]] = {
    "christmas": lambda y: Date(y, 12, 25), "christmas day": lambda y: Date(y, 12, 25),
    "christmas eve": lambda y: Date(y, 12, 24), "new year's day": lambda y: Date(y, 1, 1),
    "new year's eve": lambda y: Date(y, 12, 31), "valentine's day": lambda y: Date(y, 2, 14),
    "halloween": lambda y: Date(y, 10, 31), "independence day": lambda y: Date(y, 7, 4),
    "easter": easter, "easter sunday": easter,
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
}
