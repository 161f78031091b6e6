"""How large the scenario space of check and diff is (their programs are engine/space/*.lp)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from math import prod

from ..engine.space import WINDOWS
from ..model import vocabulary as vocab

DAYS = 17  # the bundled rules' window (drafting.reach derives it: a14's 7 days); check and diff derive their own


@dataclass(frozen=True)
class Size:
    """The scenario space: fact combinations (with or without contradictory ones) × days × calendar windows."""

    facts: int
    valid: int | None  # combinations free of contradictions (None: all of them count)
    days: int
    date_keys: int
    valid_dates: int | None = None  # settings of the dates in an order the rules accept (None: all count)
    short: str | None = None  # why the window is no proof (drafting.reach): "proved" is then "not found within"
    needed: int | None = None  # the window the rules' date arithmetic asks for (drafting.reach)
    anchors: tuple[dt.date, ...] = WINDOWS  # day 0 of each calendar window (a transition's: around its switch)

    @property
    def combinations(self) -> int:
        return 2**self.facts

    @property
    def windows(self) -> int:
        """The calendar windows the days lie in (engine.space.WINDOWS by default); none without days."""
        return len(self.anchors) if self.days else 1

    @property
    def date_settings(self) -> int:
        """Each date absent or one of the days (those in an order the rules accept, where they count)."""
        return (self.days + 1) ** self.date_keys if self.valid_dates is None else self.valid_dates

    @property
    def day_choices(self) -> int:
        """The dates; as_of one of the days; effective_date absent or one; the calendar window."""
        return self.date_settings * self.days * (self.days + 1) * self.windows if self.days else 1

    @property
    def total(self) -> int:
        return (self.combinations if self.valid is None else self.valid) * self.day_choices


def size(
    days: int,
    contradictions: Sequence[tuple[str, str]] | None,
    orders: Sequence[tuple[str, str, str]] = (),
) -> Size:
    """``contradictions``: the fact pairs no valid case holds together (None: count every input);
    ``orders``: the date_order(K, L, R) table the rules reject dates by (R: not_before or after)."""
    n = len(vocab.fact_ids())
    keys = vocab.date_keys()
    if contradictions is None:
        return Size(n, None, days, len(keys))
    pairs = [(f, g) for f, g in contradictions if f not in keys and g not in keys]
    involved = sorted({f for pair in pairs for f in pair})
    bit = {f: 1 << i for i, f in enumerate(involved)}
    free = sum(1 for mask in range(1 << len(involved)) if not any(mask & bit[f] and mask & bit[g] for f, g in pairs))
    return Size(n, free << (n - len(involved)), days, len(keys), _ordered_dates(keys, days, orders) if days else None)


def _ordered_dates(keys: list[str], days: int, orders: Sequence[tuple[str, str, str]]) -> int | None:
    """How many settings of the dates (each absent or one of the days) no order rejects: a count over
    the forest the orders make of the keys (None without orders, or when they make a cycle: all count)."""
    edges = [(k, later, r) for k, later, r in orders if k in keys and later in keys]
    root = {k: k for k in keys}

    def find(k: str) -> str:
        while root[k] != k:
            k = root[k]
        return k

    for k, later, _ in edges:
        if find(k) == find(later):
            return None  # a cycle: no tree to count over
        root[find(k)] = find(later)
    if not edges:
        return None
    neighbours: dict[str, list[tuple[str, str, bool]]] = {k: [] for k in keys}
    for k, later, r in edges:  # (the other key, the relation, whether this key is the earlier one)
        neighbours[k].append((later, r, True))
        neighbours[later].append((k, r, False))
    values: list[int | None] = [None, *range(days)]

    def accepted(earlier: int | None, later: int | None, relation: str) -> bool:
        if earlier is None or later is None:
            return True
        return later > earlier if relation == "after" else later >= earlier

    @cache
    def count(key: str, value: int | None, parent: str | None) -> int:
        """Settings of the subtree below ``key`` (reached from ``parent``) with ``key`` at ``value``."""
        total = 1
        for other, relation, first in neighbours[key]:
            if other != parent:
                total *= sum(
                    count(other, v, key)
                    for v in values
                    if (accepted(value, v, relation) if first else accepted(v, value, relation))
                )
        return total

    return prod(sum(count(k, v, None) for v in values) for k in keys if find(k) == k)
