"""What the report says of a batch, gathered chunk by chunk and merged in input order.

Everything is a count, or a list that keeps its first ``CAP`` items: the
summary of a million cases is as small as that of a thousand, and merging the
chunks' summaries in order gives the same lists whatever the chunk size.
Disagreements are grouped by their decisive grounds (rows.Known.grounds); the
first ``GROUPS`` groups found in input order are tallied, the cases of any
later group only counted (``untallied``) — every disagreeing case is in
disagreements.jsonl all the same. A group a chunk leaves untallied has
``GROUPS`` others before it in that chunk, so it is not among the batch's
first ``GROUPS`` either: the tallies do not depend on the chunk size.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from .rows import UNDETERMINED, Known, Refused, Row, Uncertain

if TYPE_CHECKING:
    from .workdir import Spool

CAP = 100  # items a list keeps; the report says how many more there are
KINDS = ("field", "error_type")  # the labels a18 counts
GROUPS = 1_000  # disagreement groups a summary tallies (their cases listed, counted exactly)


@dataclass
class Listing:
    count: int = 0
    items: list = field(default_factory=list)

    def add(self, item) -> None:
        self.count += 1
        if len(self.items) < CAP:
            self.items.append(item)

    def merge(self, other: Listing) -> None:
        self.count += other.count
        self.items.extend(other.items[: CAP - len(self.items)])

    @property
    def more(self) -> int:
        return self.count - len(self.items)

    @property
    def full(self) -> bool:
        """Whether it holds every item it keeps of its count (an item added now would only count)."""
        return len(self.items) >= min(CAP, self.count)


@dataclass
class Summary:
    records: int = 0
    evaluated: int = 0
    dispositions: Counter = field(default_factory=Counter)
    outcomes: Counter = field(default_factory=Counter)
    confusion: Counter = field(default_factory=Counter)  # (recorded, disposition) → cases
    disagreements: dict[str, Listing] = field(default_factory=dict)  # grounds (rows.Known.grounds) → cases
    examples: dict[str, str] = field(default_factory=dict)  # grounds → the first such case's facts
    reasons: dict[str, str] = field(default_factory=dict)  # grounds → the first such case's disagreements.jsonl line
    untallied: int = 0  # disagreeing cases of the groups found after the first GROUPS
    late_notices: Listing = field(default_factory=Listing)
    overdue: Listing = field(default_factory=Listing)
    untransferred: Listing = field(default_factory=Listing)
    compared: Counter = field(default_factory=Counter)  # dispositions under the comparison rules
    changes: dict[tuple[str, str], Listing] = field(default_factory=dict)  # (disposition, compared) → cases
    uncertain: Listing = field(default_factory=Listing)  # cases with unknown facts (rows.Uncertain.item)
    uncertain_recorded: int = 0  # … with a recorded decision and no disposition settled
    undetermined_agreement: int = 0  # … whose recorded decision is one the unknown facts could give
    rejections: Listing = field(default_factory=Listing)  # the rejected records' messages
    rejected_fields: Counter = field(default_factory=Counter)
    versions: Counter = field(default_factory=Counter)  # under a timeline: cases per rule version applied
    causes: Counter = field(default_factory=Counter)  # … disagreements: "amendment" or "of_the_time"

    @property
    def rejected(self) -> int:
        return self.records - self.evaluated

    @property
    def agreed(self) -> int:
        return sum(n for (recorded, disposition), n in self.confusion.items() if recorded == disposition)

    def add(self, row: Row) -> None:
        self.records += 1
        tally = row.tally
        if isinstance(tally, Refused):
            self.rejections.add(tally.message)
            self.rejected_fields[tally.field] += 1
        elif isinstance(tally, Uncertain):
            self._add_uncertain(tally)
        else:
            self._add_evaluated(row.case or "", tally)

    def _add_evaluated(self, case: str, tally: Known) -> None:
        self.evaluated += 1
        self.dispositions[tally.disposition] += 1
        self.outcomes.update(tally.outcomes)
        if tally.recorded:
            self.confusion[(tally.recorded, tally.disposition)] += 1
        if tally.grounds:
            example, why = tally.example, tally.why or b""
            self._add_disagreement(
                tally.grounds, Listing(1, [case]), lambda: (example() if example else "", why.decode())
            )
        for listing, item in ((self.late_notices, tally.late_notice), (self.overdue, tally.overdue)):
            if item:
                listing.add(list(item))
        if tally.untransferred:
            self.untransferred.add(case)
        if tally.version:
            self.versions[tally.version] += 1
        if tally.amended is not None:
            self.causes["amendment" if tally.amended else "of_the_time"] += 1
        if tally.compared:
            self._add_compared(case, tally.disposition, tally.compared, tally.compared != tally.disposition)

    def _add_disagreement(self, grounds: str, cases: Listing, first: Callable[[], tuple[str, str]]) -> None:
        """Cases of a group; ``first`` gives the example and the reason of the group's first case, read
        only when the group is new."""
        found = self.disagreements.get(grounds)
        if found is not None:
            found.merge(cases)
        elif len(self.disagreements) < GROUPS:
            self.disagreements[grounds] = Listing(cases.count, cases.items[:CAP])
            self.examples[grounds], self.reasons[grounds] = first()
        else:
            self.untallied += cases.count

    def _add_uncertain(self, tally: Uncertain) -> None:
        case = tally.item[0]
        disposition = tally.disposition or UNDETERMINED
        self.evaluated += 1
        self.dispositions[disposition] += 1
        self.outcomes.update(tally.outcomes)
        if tally.version:  # a case with unknown facts is under a version too (its result's)
            self.versions[tally.version] += 1
        if tally.recorded and tally.disposition:
            self.confusion[(tally.recorded, tally.disposition)] += 1
        elif tally.recorded:
            self.uncertain_recorded += 1
        self.undetermined_agreement += tally.agreement == "undetermined"
        self.uncertain.add(tally.item)
        if tally.compared:
            self._add_compared(case, disposition, tally.compared, tally.changed)

    def _add_compared(self, case: str, disposition: str, compared: str, changed: bool) -> None:
        self.compared[compared] += 1
        if changed:
            self.changes.setdefault((disposition, compared), Listing()).add(case)

    def merge(self, other: Summary) -> None:
        self.records += other.records
        self.evaluated += other.evaluated
        self.uncertain_recorded += other.uncertain_recorded
        self.undetermined_agreement += other.undetermined_agreement
        self.untallied += other.untallied
        counters: tuple[tuple[Counter, Counter], ...] = (
            (self.dispositions, other.dispositions),
            (self.outcomes, other.outcomes),
            (self.confusion, other.confusion),
            (self.compared, other.compared),
            (self.rejected_fields, other.rejected_fields),
            (self.versions, other.versions),
            (self.causes, other.causes),
        )
        for mine, theirs in counters:
            mine.update(theirs)
        listings = (
            (self.late_notices, other.late_notices),
            (self.overdue, other.overdue),
            (self.untransferred, other.untransferred),
            (self.uncertain, other.uncertain),
            (self.rejections, other.rejections),
        )
        for listed, more in listings:
            listed.merge(more)
        for grounds, listing in other.disagreements.items():
            self._add_disagreement(grounds, listing, functools.partial(_first, other, grounds))
        for change, listing in other.changes.items():
            self.changes.setdefault(change, Listing()).merge(listing)

    def to_json(self) -> dict:
        return {
            "records": self.records,
            "evaluated": self.evaluated,
            "dispositions": dict(self.dispositions),
            "outcomes": dict(self.outcomes),
            "confusion": [[*key, n] for key, n in self.confusion.items()],
            "disagreements": [[key, _listing(v)] for key, v in self.disagreements.items()],
            "examples": self.examples,
            "reasons": self.reasons,
            "untallied": self.untallied,
            "late_notices": _listing(self.late_notices),
            "overdue": _listing(self.overdue),
            "untransferred": _listing(self.untransferred),
            "compared": dict(self.compared),
            "changes": [[*key, _listing(v)] for key, v in self.changes.items()],
            "uncertain": _listing(self.uncertain),
            "uncertain_recorded": self.uncertain_recorded,
            "undetermined_agreement": self.undetermined_agreement,
            "rejections": _listing(self.rejections),
            "rejected_fields": dict(self.rejected_fields),
            "versions": dict(self.versions),
            "causes": dict(self.causes),
        }

    @classmethod
    def from_json(cls, data: dict) -> Summary:
        return cls(
            records=data["records"],
            evaluated=data["evaluated"],
            dispositions=Counter(data["dispositions"]),
            outcomes=Counter(data["outcomes"]),
            confusion=Counter({(r, d): n for r, d, n in data["confusion"]}),
            disagreements={key: Listing(**v) for key, v in data["disagreements"]},
            examples=data["examples"],
            reasons=data["reasons"],
            untallied=data["untallied"],
            late_notices=Listing(**data["late_notices"]),
            overdue=Listing(**data["overdue"]),
            untransferred=Listing(**data["untransferred"]),
            compared=Counter(data["compared"]),
            changes={(a, b): Listing(**v) for a, b, v in data["changes"]},
            uncertain=Listing(**data["uncertain"]),
            uncertain_recorded=data["uncertain_recorded"],
            undetermined_agreement=data["undetermined_agreement"],
            rejections=Listing(**data["rejections"]),
            rejected_fields=Counter(data["rejected_fields"]),
            versions=Counter(data.get("versions", {})),
            causes=Counter(data.get("causes", {})),
        )


def _listing(listing: Listing) -> dict:
    return {"count": listing.count, "items": listing.items}


def _first(summary: Summary, grounds: str) -> tuple[str, str]:
    """The example and the reason a summary keeps of a group's first case."""
    return summary.examples[grounds], summary.reasons[grounds]


class Settled(NamedTuple):
    """A chunk ready to be appended: the ids its rows claim, its summary and a18 counts; its results lines,
    a18 labels and disagreements lines are in the chunk's spool files (workdir.Spool), written by the worker."""

    claims: list[tuple[int, str, str]]  # (row, id, record) of each row that claims an id (evaluated rows)
    summary: Summary
    occurrences: Counter  # (kind, label, ISO conduct day) → cases: what recurrence.Occurrences adds up


def settle(rows: list[Row], places: list[str], spool: Spool) -> Settled:
    """The rows of a chunk, ``places`` naming their records (Record.where), written to ``spool``."""
    summary = Summary()
    labels = []
    disagreements = []
    for row in rows:
        summary.add(row)
        if row.case and not isinstance(row.tally, Refused) and row.tally.labels:
            labels.append([row.case, *row.tally.labels])
        if isinstance(row.tally, Known) and row.tally.why:
            disagreements.append(row.tally.why)
    spool.write(b"".join(row.line + b"\n" for row in rows), labels, b"".join(disagreements))
    claims = [(i, row.case, place) for i, (row, place) in enumerate(zip(rows, places, strict=True)) if row.case]
    return Settled(claims, summary, counted(labels))


def counted(labels: list[list]) -> Counter:
    """How many of the [case, field, error_type, conduct] rows carry each label on each conduct day."""
    found: Counter = Counter()
    for column, kind in enumerate(KINDS, 1):  # Counter.update counts a list at C speed
        found.update([(kind, row[column], row[3]) for row in labels if row[column]])
    return found
