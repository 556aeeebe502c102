"""Reading TIMEX3 values back into numbers: the amount and unit of a duration ("P3Y" -> 3
years, "PT4.5H" -> 4.5 hours, "P2Y6M" -> 2.5 years), so a duration's `mentions` row carries a
value like any other quantity. Only a duration with a number in one unit, or in one unit and a
fraction of it in the next smaller one (as `resolvers` writes "2 1/2 years"), has one ("P3Y2W",
"PXY" have none)."""
from __future__ import annotations

import re

_DATE_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day"}
_TIME_UNITS = {"H": "hour", "M": "minute", "S": "second"}
_DURATION = re.compile(r"^P(?:(?P<date>\d+(?:\.\d+)?)(?P<dunit>[YMWD])|T(?P<time>\d+(?:\.\d+)?)(?P<tunit>[HMS]))$")
# whole units and a part in the next smaller unit: P2Y6M, P1DT12H, PT5H30M, PT1M30S
_COMPOSITE = {
    re.compile(r"^P(\d+)Y(\d+)M$"): ("year", 12), re.compile(r"^P(\d+)DT(\d+)H$"): ("day", 24),
    re.compile(r"^PT(\d+)H(\d+)M$"): ("hour", 60), re.compile(r"^PT(\d+)M(\d+)S$"): ("minute", 60),
}


def duration_amount(value: str | None) -> tuple[float, str] | None:
    """(amount, unit) of a single-unit TIMEX3 duration value, else None."""
    match = _DURATION.match(value or "")
    if match is None:
        for pattern, (unit, per) in _COMPOSITE.items():
            composite = pattern.match(value or "")
            if composite and int(composite[2]) < per:
                return int(composite[1]) + int(composite[2]) / per, unit
        return None
    if match["date"] is not None:
        return float(match["date"]), _DATE_UNITS[match["dunit"]]
    return float(match["time"]), _TIME_UNITS[match["tunit"]]
