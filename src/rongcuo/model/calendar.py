"""The official calendar of working and rest days: the State Council's holiday arrangements
(国务院办公厅 关于部分节假日安排的通知), as the ``chinese-calendar`` package publishes them.

Pure data: which days are working days, which are rest days (a weekend that is
not an adjusted working day 调休上班日, a statutory holiday), and which years
the calendar covers. It decides nothing: the rules read it as atoms (engine.inputs)
and count periods with it (measure/readings/q06_*.lp). A day outside the covered
years has no kind — it is never guessed.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Literal

from chinese_calendar import constants, is_workday

from .days import date_of, day

Kind = Literal["work", "rest"]

# The years the package publishes (it refuses any other): every day of them has a kind.
FIRST = dt.date(min(constants.holidays).year, 1, 1)
LAST = dt.date(max(constants.holidays).year, 12, 31)


def covers(d: dt.date) -> bool:
    return FIRST <= d <= LAST


@cache
def kind_of_day(n: int) -> Kind | None:
    """Day number ``n`` (days since 1970-01-01) by the official calendar, or None where it has no data."""
    d = date_of(n)
    if not covers(d):
        return None
    return "work" if is_workday(d) else "rest"


def kind(d: dt.date) -> Kind | None:
    return kind_of_day(day(d))


def version() -> str:
    """The calendar package and its version, as provenance names it."""
    from chinese_calendar import __version__

    return f"chinese-calendar {__version__}"


@cache
def data_sha256() -> str:
    """The sha256 of the calendar data the rules read: every holiday, adjusted working day and day in lieu
    the package publishes, with its name (a new State Council notice changes it)."""
    import hashlib

    h = hashlib.sha256(f"{FIRST}..{LAST}\n".encode())
    for table in ("holidays", "workdays", "in_lieu_days"):
        for day_, name in sorted(getattr(constants, table, {}).items()):
            h.update(f"{table} {day_.isoformat()} {name}\n".encode())
    return h.hexdigest()
