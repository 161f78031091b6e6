"""Days as the rules count them: whole days since 1970-01-01."""

from __future__ import annotations

import datetime as dt

EPOCH = dt.date(1970, 1, 1)
# The dates a case may state: the rules add days to them (a14's seven, a17's deadlines), so the far
# ends of Python's calendar are out; no case of the measure (2020s) comes near either bound.
FIRST = dt.date(1900, 1, 1)
LAST = dt.date(2199, 12, 31)


def parse(value: str, name: str) -> dt.date:
    """An ISO date an option or a parameter gives, within the dates the rules compute with (ValueError: why not)."""
    from .coded import OptionError

    try:
        found = dt.date.fromisoformat(value)
    except ValueError:
        raise OptionError(name, "errors.not_a_date", value=repr(value)) from None
    if not FIRST <= found <= LAST:
        raise OptionError(name, "errors.date_out_of_range", value=repr(value), first=str(FIRST), last=str(LAST))
    return found


def day(d: dt.date) -> int:
    return (d - EPOCH).days


def date_of(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=n)
