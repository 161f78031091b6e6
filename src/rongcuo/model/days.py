"""Days as the rules count them: whole days since 1970-01-01."""

from __future__ import annotations

import datetime as dt

EPOCH = dt.date(1970, 1, 1)


def day(d: dt.date) -> int:
    return (d - EPOCH).days


def date_of(n: int) -> dt.date:
    return EPOCH + dt.timedelta(days=n)
