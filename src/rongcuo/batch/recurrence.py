"""a18 over the whole batch: the labels' counts per conduct day go to the corpus rules, which find the warnings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..engine import Recurrence, RuleSet, recurrences
from .summary import KINDS, Listing, counted


@dataclass
class Alert:
    """A recurrence warning and the cases behind it."""

    recurrence: Recurrence
    cases: Listing = field(default_factory=Listing)


class Occurrences(Counter):
    """How many cases carry each label on each conduct day: (kind, label, ISO day) → cases."""

    def add(self, rows: list[list]) -> None:
        """Count a chunk's [case, field, error_type, conduct] rows."""
        self.update(counted(rows))


def alerts(
    occurrences: Occurrences,
    labels: Callable[[], Iterator[list[list]]],
    rule_sets: Iterable[RuleSet],
    threshold: int,
    window: int,
) -> list[list[Alert]]:
    """The warnings under each rule set (loaded with corpus=True), each with its first cases in input order.

    ``labels`` streams the chunks' lists of [case, field, error_type, conduct] rows
    that ``occurrences`` counted, to list the cases behind the warnings.
    """
    days = {(kind, key, dt.date.fromisoformat(day)): n for (kind, key, day), n in occurrences.items()}
    found = [[Alert(r) for r in recurrences(rules, days, threshold, window)] for rules in rule_sets]
    _list_cases([alert for alerts in found for alert in alerts], labels)
    return found


def _list_cases(alerts: list[Alert], labels: Callable[[], Iterator[list[list]]]) -> None:
    """Each warning's first cases, as many as a Listing keeps. How many cases a warning
    covers is the rules' count (Recurrence.cases), so the pass ends once every list is full."""
    by_label: dict[tuple[str, str], list[tuple[Alert, str, str]]] = {}
    for alert in alerts:
        r = alert.recurrence
        alert.cases.count = r.cases
        by_label.setdefault((r.kind, r.key), []).append((alert, r.first.isoformat(), r.last.isoformat()))
    wanting = sum(1 for alert in alerts if not alert.cases.full)
    for case, *keys, conduct in (row for rows in labels() for row in rows):
        if not wanting:
            return
        for kind, key in zip(KINDS, keys, strict=True):
            for alert, first, last in by_label.get((kind, key), ()):
                if first <= conduct <= last and not alert.cases.full:
                    alert.cases.items.append(case)
                    wanting -= alert.cases.full
