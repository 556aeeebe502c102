"""Reading TIMEX3 values back into numbers: the amount and unit of a duration ("P3Y" -> 3
years, "PT4.5H" -> 4.5 hours), so a duration's `mentions` row carries a value like any other
quantity. Only a single-unit duration with a number has one ("P3Y2M", "PXY" have none)."""
from __future__ import annotations

import re

_DATE_UNITS = {"Y": "year", "M": "month", "W": "week", "D": "day"}
_TIME_UNITS = {"H": "hour", "M": "minute", "S": "second"}
_DURATION = re.compile(r"^P(?:(?P<date>\d+(?:\.\d+)?)(?P<dunit>[YMWD])|T(?P<time>\d+(?:\.\d+)?)(?P<tunit>[HMS]))$")


def duration_amount(value: str | None) -> tuple[float, str] | None:
    """(amount, unit) of a single-unit TIMEX3 duration value, else None."""
    match = _DURATION.match(value or "")
    if match is None:
        return None
    if match["date"] is not None:
        return float(match["date"]), _DATE_UNITS[match["dunit"]]
    return float(match["time"]), _TIME_UNITS[match["tunit"]]
