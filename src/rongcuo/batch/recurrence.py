"""a18 over the whole batch: the labels' counts per conduct day go to the corpus rules, which find the warnings."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from ..engine import RuleSet
from ..engine.corpus import Recurrence, recurrences
from .summary import Listing

KINDS = ("field", "error_type")


@dataclass
class Alert:
    """A recurrence warning and the cases behind it."""

    recurrence: Recurrence
    cases: Listing = field(default_factory=Listing)


def alerts(label_rows: Callable[[], Iterator[list]], rule_sets: Iterable[RuleSet],
             threshold: int, window: int) -> list[list[Alert]]:
    """The warnings under each rule set (loaded with corpus=True), each with its cases in input order.

    ``label_rows`` streams [case, field, error_type, conduct] twice: once to
    count, once to list the cases behind the warnings.
    """
    counts: Counter = Counter()
    for _, *labels, conduct in label_rows():
        day = dt.date.fromisoformat(conduct)
        counts.update((kind, key, day) for kind, key in zip(KINDS, labels, strict=True) if key)
    found = [[Alert(r) for r in recurrences(rules, counts, threshold, window)] for rules in rule_sets]
    by_label: dict[tuple[str, str], list[Alert]] = {}
    for alert in (w for ws in found for w in ws):
        by_label.setdefault((alert.recurrence.kind, alert.recurrence.key), []).append(alert)
    for case, *labels, conduct in label_rows():
        day = dt.date.fromisoformat(conduct)
        for kind, key in zip(KINDS, labels, strict=True):
            for alert in by_label.get((kind, key), ()):
                if alert.recurrence.covers(kind, key, day):
                    alert.cases.add(case)
    return found
