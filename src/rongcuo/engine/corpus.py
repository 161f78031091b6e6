"""Rules over a whole batch of cases (measure/corpus/): a18 recurrence.

A batch too large for one grounding is evaluated chunk by chunk; what a18
needs of it is small — how many cases carry each label on each day — and the
corpus rules compute the recurrence windows from those counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import clingo

from ..model.days import date_of, day
from .control import ground
from .errors import RuleError
from .inputs import add_all, add_fact, params
from .program import RuleSet


@dataclass(frozen=True, order=True)
class Recurrence:
    """A recurrence warning (a18): cases of one label within recurrent windows, first to last."""

    kind: str  # field | error_type
    key: str  # the label
    first: dt.date  # the first and last conduct dates of the period's cases
    last: dt.date
    cases: int


def recurrences(
    rules: RuleSet, occurrences: Mapping[tuple[str, str, dt.date], int], threshold: int, window: int
) -> list[Recurrence]:
    """The a18 warnings over a batch, given how many cases carry each (kind, label) on each conduct day.

    ``rules`` must be loaded with ``corpus=True``.
    """
    if not any(path.is_relative_to(rules.root / "corpus") for path in rules.files):
        raise RuleError("errors.no_corpus_rules", name=rules.digest)
    ctl = rules.control()
    label = cache(lambda kind, key: (clingo.Function(kind), clingo.String(key)))  # a few labels, on every day
    with ctl.backend() as backend:
        add_all(backend, params(recurrence=(threshold, window)))
        for (kind, key, conduct), count in occurrences.items():
            add_fact(
                backend,
                clingo.Function("occurrences", [*label(kind, key), clingo.Number(day(conduct)), clingo.Number(count)]),
            )
    ground(ctl)
    return sorted(_recurrence(atom.symbol) for atom in ctl.symbolic_atoms.by_signature("recurrence", 5))


def _recurrence(symbol: clingo.Symbol) -> Recurrence:
    kind, key, first, last, cases = symbol.arguments
    return Recurrence(kind.name, key.string, date_of(first.number), date_of(last.number), cases.number)
