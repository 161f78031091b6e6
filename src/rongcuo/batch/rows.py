"""What a record becomes: its results.jsonl line and the tally the report needs of it."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

UNDETERMINED = "undetermined"  # the disposition of a case whose unknown facts could change it


class Known(NamedTuple):
    """What the report needs of an evaluated case whose facts are all known."""

    disposition: str
    outcomes: tuple[str, ...]
    recorded: str | None
    why: bytes | None  # a disagreement: its disagreements.jsonl line (case, record, grounds, outcomes, defeated)
    late_notice: tuple | None  # (case, decision, due, notified or None)
    overdue: tuple | None  # (case, deadline, extended deadline, extension permissible, completed)
    untransferred: bool  # a9: suspected detention or crime, not transferred
    compared: str | None  # the disposition under the comparison rules
    labels: tuple | None  # (field, error_type, conduct) for a18
    # a disagreement: the case's true facts and dates (JSON), for what-if — made only for a group's first case
    example: Callable[[], str] | None = None
    grounds: str | None = None  # a disagreement's decisive grounds, the report's group (JSON, worker._disagreement)
    version: str | None = None  # under a timeline: the rule version the case's result applied
    amended: bool | None = None  # a disagreement under a timeline: True when another version consulted gives
    # the recorded decision (an amendment changed the answer), False when none does (the rules of the time)


class Uncertain(NamedTuple):
    """What the report needs of a case with unknown facts: what the engine's open world says."""

    disposition: str | None  # the disposition every reading of the unknowns gives, if there is one
    outcomes: tuple[str, ...]  # the outcomes certain in every reading
    recorded: str | None
    agreement: str | None
    item: tuple  # (case, unknown facts, recorded, agreement, ((disposition, true, false), …))
    compared: str | None  # under the comparison rules: the settled disposition, or "undetermined"
    changed: bool  # whether the comparison rules give other possible dispositions
    labels: tuple | None
    version: str | None = None  # under a timeline: the rule version the case's result applied


class Refused(NamedTuple):
    """What the report needs of a rejected record: the field at fault and the message."""

    field: str
    message: str


class Row(NamedTuple):
    case: str | None  # the id, when the record got far enough to have one that counts
    line: bytes  # its results.jsonl line (UTF-8 JSON, orjson's: results lines are many)
    tally: Known | Uncertain | Refused
