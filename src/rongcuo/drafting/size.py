"""How large the scenario space of check and diff is (their programs are engine/space/*.lp)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import vocabulary as vocab

DAYS = 17  # day 0 … 16: room for every comparison of the rules (the longest offset is a14's 7 days)


@dataclass(frozen=True)
class Size:
    """The scenario space: fact combinations (with or without contradictory ones) × days."""

    facts: int
    valid: int | None  # combinations free of contradictions (None: all of them count)
    days: int
    date_keys: int

    @property
    def combinations(self) -> int:
        return 2**self.facts

    @property
    def day_choices(self) -> int:
        """Each date absent or one of the days; as_of one of them; effective_date absent or one."""
        return (self.days + 1) ** self.date_keys * self.days * (self.days + 1) if self.days else 1

    @property
    def total(self) -> int:
        return (self.combinations if self.valid is None else self.valid) * self.day_choices


def size(days: int, contradictions: Sequence[tuple[str, str]] | None) -> Size:
    """``contradictions``: the fact pairs no valid case holds together (None: count every input)."""
    n = len(vocab.fact_ids())
    if contradictions is None:
        return Size(n, None, days, len(vocab.date_keys()))
    involved = sorted({f for pair in contradictions for f in pair})
    bit = {f: 1 << i for i, f in enumerate(involved)}
    free = sum(
        1 for mask in range(1 << len(involved)) if not any(mask & bit[f] and mask & bit[g] for f, g in contradictions)
    )
    return Size(n, free << (n - len(involved)), days, len(vocab.date_keys()))
