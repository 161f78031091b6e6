"""The diff class of real cases: what `rongcuo diff` would call the change of each, between two rule sets.

Both rule sets are tagged ``old`` and ``new`` (versions.py) and ground over the cases in one program
with observe.lp and diff.lp, which class each case the way the drafting search classes case 0 of the
scenario space: the dispositions before and after and the most telling layer of what changed. The
cases are read as their results read them (unknown facts false).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import clingo

from ...model.case import Case
from ..control import control, ground, one_answer
from ..inputs import add_all, add_case, number, params, value
from ..program import RuleSet
from .scenarios import _Context, programs
from .versions import versioned

CHUNK = 2_000  # cases per grounding: both rule sets whole, and the comparison, per case


def classes(
    old: RuleSet, new: RuleSet, cases: Sequence[Case], as_of: dt.date, effective_date: dt.date | None = None
) -> list[list[tuple]]:
    """Each case's class terms (``("disposition", old, new)``, ``("gained", outcome)``, …; none when
    both rule sets show the same), a grounding per :data:`CHUNK` cases."""
    statements = [*versioned(old.statements, "old"), *versioned(new.statements, "new")]
    statements += programs("observe.lp", "diff.lp")
    out: list[list[tuple]] = []
    for start in range(0, len(cases), CHUNK):
        out += _classes(statements, f"{old.name} → {new.name}", cases[start : start + CHUNK], as_of, effective_date)
    return out


def _classes(
    statements: list, name: str, cases: Sequence[Case], as_of: dt.date, effective_date: dt.date | None
) -> list[list[tuple]]:
    ctl = control(statements)
    with ctl.backend() as backend:
        add_all(backend, params(as_of, effective_date))
        for index, case in enumerate(cases):
            add_case(backend, index, case)
            add_all(backend, [clingo.Function("_compared", [number(index)])])
    ground(ctl, _Context())
    out: list[list[tuple]] = [[] for _ in cases]
    for symbol in one_answer(ctl, name)[0]:
        if symbol.match("class", 2):
            out[symbol.arguments[0].number].append(value(symbol.arguments[1]))
    return out
