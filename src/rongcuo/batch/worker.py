"""A chunk of records in a worker process: decoded, validated, evaluated, written as results lines.

Each worker loads its rule sets once (``start``) and then turns chunks of
records into rows — the results.jsonl line of each record and the little the
report needs of it — and settles them into the chunk's summary, so that the
main process only checks the ids and writes.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
from dataclasses import dataclass
from pathlib import Path

import orjson

from ..engine import OpenWorld, Result, RuleSet, open_world
from ..explain import whatif
from ..explain.serialize import open_world_json
from ..model.case import Case, CaseError, parse_case
from ..model.files import load_case
from .columns import Layout
from .inputs import EXTRA_CELLS, Chunk, Record
from .rows import UNDETERMINED, Evaluated, Rejected, Row, Uncertain
from .summary import Settled, settle


@dataclass(frozen=True)
class Settings:
    """What a worker needs to evaluate: the rule sets (by name, loaded in the worker), the date, the CSV layout."""

    profile: str
    rules: Path | None
    trusted: bool
    compare: tuple[str, Path | None] | None  # profile and rule base of the comparison
    as_of: dt.date
    layout: Layout

    def load(self, corpus: bool = False) -> tuple[RuleSet, RuleSet | None]:
        """The rule set and the comparison's; with ``corpus``, with the rules over many cases (a18)."""
        rules = RuleSet.load(self.profile, self.rules, trusted=self.trusted, corpus=corpus)
        if self.compare is None:
            return rules, None
        profile, root = self.compare
        return rules, RuleSet.load(profile, root, trusted=self.trusted, corpus=corpus)


_loaded: tuple[Settings, RuleSet, RuleSet | None] | None = None


def start(settings: Settings) -> None:
    """Load the rule sets, once per worker process."""
    global _loaded
    _loaded = (settings, *settings.load())


def evaluate_chunk(chunk: Chunk) -> Settled:
    """A chunk evaluated and settled, as if no id in it were taken before (run.py checks that)."""
    # A chunk makes many small objects and no cycles worth collecting midway: one
    # collection of the young generations after it costs less than the hundreds the
    # collector would run during it, and than a full one over the rule set's caches.
    gc.disable()
    try:
        records = chunk.records()
        return settle(evaluate_rows(records), [record.where for record in records])
    finally:
        gc.enable()
        gc.collect(1)


def evaluate_rows(records: list[Record]) -> list[Row]:
    """The rows of a chunk, in record order: all valid cases in one grounding per rule set."""
    settings, rules, compare = _loaded
    read = [_read(record, settings.layout) for record in records]
    cases = [c for c in read if isinstance(c, Case)]
    results = iter(rules.evaluate(cases, as_of=settings.as_of)) if cases else iter(())
    compared = iter(compare.evaluate(cases, as_of=settings.as_of)) if compare and cases else None
    rows = []
    for record, case in zip(records, read, strict=True):
        if isinstance(case, CaseError):
            rows.append(rejected(record, case))
            continue
        result = next(results)
        other = next(compared) if compared else None
        problem = _contradiction(record, result, "") or (other and _contradiction(record, other, " (comparison rules)"))
        if problem:
            rows.append(rejected(record, problem))
        elif case.unknown_facts():
            rows.append(_uncertain(record, case, result, other, settings.as_of, rules, compare))
        else:
            rows.append(_evaluated(record, case, result, other))
    return rows


def rejected(record: Record, error: CaseError, case: str | None = None) -> Row:
    """A rejected record's row; ``case`` names the id it had, when it does not claim it (a duplicate)."""
    line = {"case": case, "status": "rejected", "field": error.field, "reason": str(error), **record.position()}
    return Row(None, orjson.dumps(line), Rejected(error.field, str(error)))


def _read(record: Record, layout: Layout) -> Case | CaseError:
    try:
        if record.data is None:
            case = load_case(Path(record.source))
        elif isinstance(record.data, bytes):
            case = parse_case(_json(record), record.where)
        else:
            case = parse_case(_cells(record, layout), record.where)
        return case
    except CaseError as e:
        return e


def _json(record: Record):
    try:
        return orjson.loads(record.data)
    except orjson.JSONDecodeError as e:
        try:
            record.data.decode("utf-8")
        except UnicodeDecodeError:
            raise CaseError(record.where, "(line)", "not UTF-8 text — save the file as UTF-8") from None
        raise CaseError(record.where, f"column {e.colno}", f"not well-formed JSON: {e.msg}") from None


def _cells(record: Record, layout: Layout) -> dict:
    cells = dict(record.data)
    if extra := cells.pop(EXTRA_CELLS, None):
        raise CaseError(
            record.where, "(row)", f"{extra} cell(s) more than the header names — quote cells that contain commas"
        )
    try:
        "".join(cells.values()).encode("utf-8")
    except UnicodeEncodeError:
        raise CaseError(record.where, "(row)", "not UTF-8 text — save the file as UTF-8 (CSV UTF-8)") from None
    return layout.case_data(cells)


def _contradiction(record: Record, result: Result, which: str) -> CaseError | None:
    if not result.contradictions:
        return None
    f, g = result.contradictions[0]
    return CaseError(record.where, "facts", f"{f} and {g} contradict each other{which} — set one of them to false")


def _evaluated(record: Record, case: Case, result: Result, other: Result | None) -> Row:
    line = _line(record, case, (result, None), other and (other, None))
    return Row(case.id, orjson.dumps(line), _tally(case, result, other))


def _uncertain(
    record: Record,
    case: Case,
    result: Result,
    other: Result | None,
    as_of: dt.date,
    rules: RuleSet,
    compare: RuleSet | None,
) -> Row:
    """A case with unknown facts: the closed reading's result, as `evaluate` gives it, and the open world."""
    world = open_world(rules, case, case.unknown_facts(), as_of)
    other_world = open_world(compare, case, case.unknown_facts(), as_of) if compare else None
    line = _line(record, case, (result, world), other and (other, other_world))
    needs = tuple((name, tuple(sorted(a.true)), tuple(sorted(a.false))) for name, a in world.dispositions.items())
    tally = Uncertain(
        disposition=_settled(world),
        outcomes=tuple(sorted(world.certain)),
        recorded=case.recorded_decision,
        agreement=line["agreement"],
        item=(case.id, tuple(case.unknown_facts()), case.recorded_decision, line["agreement"], needs),
        compared=other_world and (_settled(other_world) or UNDETERMINED),
        changed=line.get("changed", False),
        labels=_labels(case),
    )
    return Row(case.id, orjson.dumps(line), tally)


def _settled(world: OpenWorld) -> str | None:
    """The disposition whatever the unknown facts are, if there is one."""
    return next(iter(world.dispositions)) if len(world.dispositions) == 1 else None


Reading = tuple[Result, OpenWorld | None]  # a result, and the open world when the case has unknown facts


def _line(record: Record, case: Case, reading: Reading, compared: Reading | None) -> dict:
    """The results.jsonl line: `evaluate`'s JSON, the recorded decision and the agreement, the comparison."""
    line = _evaluate_json(case, reading)
    line["recorded_decision"] = case.recorded_decision
    line["agreement"] = agreement(case.recorded_decision, _possible(reading))
    if compared:
        line["compared"] = _evaluate_json(case, compared)
        line["changed"] = _possible(compared) != _possible(reading)
    line["status"] = "evaluated"
    line.update(record.position())
    return line


def _evaluate_json(case: Case, reading: Reading) -> dict:
    result, world = reading
    out = result.to_json()
    if world:
        out["open_world"] = open_world_json(case, world)
    return out


def _possible(reading: Reading) -> set[str]:
    result, world = reading
    return set(world.dispositions) if world else {result.disposition}


def agreement(recorded: str | None, possible: set[str]) -> str | None:
    """The recorded decision against the disposition(s) the rules give: with unknown facts, it may depend on them."""
    if recorded is None:
        return None
    if recorded not in possible:
        return "disagree"
    return "agree" if len(possible) == 1 else "undetermined"


def _tally(case: Case, result: Result, other: Result | None) -> Evaluated:
    keys = {c.key: c for c in result.consequences}

    def date(key: str) -> str | None:
        return (d := case.dates.get(key)) and d.isoformat()

    due = next((c.args[0] for c in result.consequences if c.consequence == "notification_due"), None)
    return Evaluated(
        disposition=result.disposition,
        outcomes=tuple(o.outcome for o in result.outcomes),
        recorded=case.recorded_decision,
        why=_why(case, result) if case.recorded_decision not in (None, result.disposition) else None,
        late_notice=(case.id, date("decision"), due, date("notified")) if "notification_late" in keys else None,
        overdue=(
            case.id,
            date("correction_deadline"),
            date("extended_deadline"),
            "extension_permissible" in keys,
            date("correction_completed"),
        )
        if "correction_overdue" in keys
        else None,
        untransferred="duty_breach(a9)" in keys,
        compared=other.disposition if other else None,
        labels=_labels(case),
        example=_example(case) if case.recorded_decision not in (None, result.disposition) else None,
    )


WHATIF_CHANGES = 4  # the report's what-if: at most this many fact changes


def changes_to(example: str, recorded: str) -> list[tuple[list[str], list[str]]]:
    """For the report, in a worker: the smallest fact changes (true, false) under which the rules give
    ``recorded`` to a disagreeing case, found by clingo (what-if); ``example`` is what _example wrote."""
    settings, rules, _ = _loaded
    data = json.loads(example)
    case = parse_case({"id": "example", "facts": dict.fromkeys(data["facts"], True), "dates": data["dates"]}, "results")
    found = whatif(rules, case, to=recorded, max_changes=WHATIF_CHANGES, as_of=settings.as_of, limit=3)
    return [(sorted(a.changes.true), sorted(a.changes.false)) for a in found]


def _example(case: Case) -> str:
    """The facts and dates of a disagreeing case, without its free text: what the report's what-if needs."""
    return json.dumps({"facts": case.true_facts(), "dates": {k: v.isoformat() for k, v in sorted(case.dates.items())}})


def _labels(case: Case) -> tuple | None:
    if "conduct" in case.dates and (case.field or case.error_type):
        return case.field, case.error_type, case.dates["conduct"].isoformat()
    return None


def _why(case: Case, result: Result) -> str:
    """A disagreement as the rules explain it — the same key for every case the same reasons cover."""
    return json.dumps(
        [
            case.recorded_decision,
            result.disposition,
            [[o.outcome, o.modality, list(o.grounds), o.catch_all] for o in result.outcomes],
            [[d.outcome, list(d.grounds), d.blocked_by] for d in result.defeated],
        ],
        ensure_ascii=False,
    )
