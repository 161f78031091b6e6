"""A chunk of records in a worker process: decoded, validated, evaluated, written as results lines.

Each worker loads its rule sets once (``start``) and then turns chunks of
records into rows — the results.jsonl line of each record and the little the
report needs of it — and settles them into the chunk's summary, so that the
main process only checks the ids and writes.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, TypeVar

import orjson

from ..ask import Answer, Ask, Evaluated, Rejected, answers, evaluate, results, results_line
from ..engine import OpenWorld, Result, RuleSet
from ..explain import whatif
from ..model.case import Case, CaseError, parse_case
from ..model.decode import DecodeError, decode_json, json_problem, read_alike
from ..model.files import case_of, read_file
from ..model.result import Consequence, Outcome
from .columns import Layout
from .inputs import EXTRA_CELLS, UNREAD, Chunk, Record
from .rows import UNDETERMINED, Known, Refused, Row, Uncertain
from .summary import Settled, settle
from .workdir import Spool

T = TypeVar("T")


@dataclass(frozen=True)
class Settings:
    """What a worker needs to evaluate: the rule sets (by name, loaded in the worker), the date, the CSV layout."""

    profile: str
    rules: Path | None
    trusted: bool
    compare: tuple[str, Path | None] | None  # profile and rule base of the comparison
    as_of: dt.date
    layout: Layout
    effective_date: dt.date | None = None  # a20: the measure's commencement
    lang: str = "zh"  # of a rejected record's reason
    timeline: Path | str | None = None  # --timeline: a versions file, "bundled" (the law's) or "illustrative"

    def asks(self) -> tuple[Ask, Ask | None]:
        """The Ask and the comparison's, as every worker asks them (under a timeline, each case under the
        version its Q12 reading applies)."""
        rules, compare = self.load()
        other = Ask(compare, self.as_of, self.effective_date) if compare else None
        if self.timeline is not None:
            from .. import timeline as versions

            loaded = versions.load(self.timeline, self.profile, trusted=self.trusted)
            return Ask.on(loaded, self.as_of, self.effective_date), other
        return Ask(rules, self.as_of, self.effective_date), other

    def load(self, corpus: bool = False) -> tuple[RuleSet, RuleSet | None]:
        """The rule set and the comparison's; with ``corpus``, with the rules over many cases (a18)."""
        from ..drafting.sources import merged  # a draft: its files over the bundled rule base

        rules = RuleSet.load(self.profile, self.rules and merged(self.rules), trusted=self.trusted, corpus=corpus)
        if self.compare is None:
            return rules, None
        profile, root = self.compare
        return rules, RuleSet.load(profile, root and merged(root), trusted=self.trusted, corpus=corpus)


_loaded: tuple[Settings, Ask, Ask | None] | Exception | None = None


def start(settings: Settings) -> None:
    """Load the rule sets, once per worker process. What fails here is raised by the worker's first chunk:
    a pool whose initializer raises starts another worker in its place for ever, and the run would hang."""
    global _loaded
    try:
        _loaded = (settings, *settings.asks())
    except Exception as e:  # whatever it is, the main process says it, as for any chunk
        _loaded = e


def _started() -> tuple[Settings, Ask, Ask | None]:
    if isinstance(_loaded, Exception):
        raise _loaded
    if _loaded is None:
        raise RuntimeError("a batch worker evaluates only after start()")
    return _loaded


def evaluate_chunk(chunk: Chunk, spool: Spool, duplicates: dict[int, str] | None = None) -> Settled:
    """A chunk evaluated and settled into ``spool``, as if no id in it were taken before (run.py checks
    that); ``duplicates``: the rows whose id an earlier record holds (that record's place), rejected."""
    # A chunk makes many small objects and no cycles worth collecting midway: one
    # collection of the young generations after it costs less than the hundreds the
    # collector would run during it, and than a full one over the rule set's caches —
    # once the chunk's rows are gone, or it would walk every one of them.
    gc.disable()
    try:
        return _chunk_settled(chunk, spool, duplicates)
    finally:
        gc.enable()
        gc.collect(1)


def _chunk_settled(chunk: Chunk, spool: Spool, duplicates: dict[int, str] | None) -> Settled:
    records = chunk.records()
    rows = evaluate_rows(records)
    for index, first in (duplicates or {}).items():
        record, case = records[index], rows[index].case
        error = CaseError(record.where, "id", "errors.duplicate_id", id=repr(case), first=first)
        rows[index] = rejected(record, error, case=case, lang=_started()[0].lang)
    return settle(rows, [record.where for record in records], spool)


def evaluate_rows(records: list[Record]) -> list[Row]:
    """The rows of a chunk, in record order: all valid cases in one grounding per rule set."""
    settings, ask, compare = _started()
    read = [_read(record, settings.layout) for record in records]
    cases = [c for c in read if isinstance(c, Case)]
    sources = [record.where for record, c in zip(records, read, strict=True) if isinstance(c, Case)]
    found = iter(evaluate(ask, cases, sources) if cases else ())
    compared = iter(_compared(compare, cases, sources)) if compare and cases else None
    rows = []
    memo: dict = {}  # what the chunk's cases of one result content share (_shared)
    for record, case in zip(records, read, strict=True):
        if isinstance(case, CaseError):
            rows.append(rejected(record, case, case.case, settings.lang))  # named by the id it gave, when readable
            continue
        answer, other = next(found), next(compared) if compared else None
        if isinstance(answer, Rejected):
            rows.append(rejected(record, answer.error, lang=settings.lang))
        elif isinstance(other, Rejected):
            rows.append(rejected(record, other.error, lang=settings.lang))
        elif answer.world:
            rows.append(_uncertain(record, answer, answer.world, other))
        else:
            rows.append(_evaluated(record, answer, other, memo))
    return rows


def _compared(compare: Ask, cases: list[Case], sources: list[str]) -> list[Answer]:
    """The comparison's answers; its rejections say that they are the comparison rules'."""
    return answers(compare, cases, results(compare, cases), sources, "errors.under_comparison")


def rejected(record: Record, error: CaseError, case: str | None = None, lang: str = "zh") -> Row:
    """A rejected record's row, its reason in ``lang``; ``case`` names the id it had, when it does not
    claim it (a duplicate)."""
    line = results_line(Rejected(error, case), record.position(), lang=lang)
    return Row(None, orjson.dumps(line), Refused(error.field, line["reason"]))


def _read(record: Record, layout: Layout) -> Case | CaseError:
    data = None
    try:
        if record.data is None:  # a case file: decoded first, so that a bad one is named by its id too
            data = read_file(Path(record.source))
            return case_of(data, record.source)
        data = _json(record) if isinstance(record.data, bytes) else _cells(record, layout)
        return parse_case(data, record.where)
    except CaseError as e:
        e.case = _id(data) or e.case
        return e


def _id(data) -> str | None:
    return data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None


def _json(record: Record):
    data = record.data
    assert isinstance(data, bytes)  # a JSONL line
    try:
        found = orjson.loads(data)
        # a key twice, a 20-digit number, …: the strict parser says what is wrong, or reads it as it reads a file
        return found if read_alike(data, found) else decode_json(data)
    except DecodeError as e:  # orjson read it: the record is named by the id it gave, unless that is the key twice
        error = CaseError(record.where, e.where, e.code, **e.values)
        error.case = None if e.values.get("key") == repr("id") else _id(found)
        raise error from None
    except orjson.JSONDecodeError as e:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise CaseError(record.where, "(line)", "errors.not_utf8") from None
        raise CaseError(record.where, f"column {e.colno}", "errors.not_json", problem=json_problem(e.msg)) from None


def _cells(record: Record, layout: Layout) -> dict:
    assert isinstance(record.data, dict)  # a CSV row's cells by target
    cells = dict(record.data)
    if unread := cells.get(UNREAD):
        raise CaseError(record.where, "(row)", unread.code, **unread.values)
    if extra := cells.pop(EXTRA_CELLS, None):
        raise CaseError(record.where, "(row)", "errors.csv_extra_cells", n=extra)
    try:
        "".join(cells.values()).encode("utf-8")
    except UnicodeEncodeError:
        raise CaseError(record.where, "(row)", "errors.csv_not_utf8") from None
    return layout.case_data(cells)


def _evaluated(record: Record, answer: Evaluated, other: Evaluated | None, memo: dict) -> Row:
    case, result = answer.case, answer.result
    shared = _shared(memo, case.recorded_decision, result)
    line = results_line(answer, record.position(), other, parts=shared.parts)
    tally = _tally(case, result, other.result if other else None, record.where, shared)
    return Row(case.id, orjson.dumps(line), tally)


class _Shared(NamedTuple):
    """What the cases of a chunk with one result content and one recorded decision share: the
    result's parts serialised once (orjson.Fragment) and what the report tallies of them."""

    parts: tuple[orjson.Fragment, orjson.Fragment, orjson.Fragment]  # outcomes, consequences, defeated
    outcomes: tuple[str, ...]
    grounds: str | None  # a disagreement: its decisive grounds (the report's group, a JSON key)
    reason: orjson.Fragment | None  # … and the "grounds" of its disagreements.jsonl line
    due: str | None  # a14: the notice's last day
    late: bool
    overdue: bool
    extension: bool
    untransferred: bool


def _shared(memo: dict, recorded: str | None, result: Result) -> _Shared:
    """The chunk's entry for the result's content: the results are alive for the whole chunk, so
    the ids of the tuples they share name one content each."""
    key = (id(result.outcomes), id(result.consequences), id(result.defeated), result.disposition, recorded)
    found = memo.get(key)
    if found is None:
        found = memo[key] = _share(memo, recorded, result)
    return found


def _share(memo: dict, recorded: str | None, result: Result) -> _Shared:
    """A content's entry, from those of its parts: contents are many, their parts (the same outcomes,
    the same consequences, the same defeats) far fewer, and the engine gives equal parts as one tuple."""
    due, late, overdue, extension, untransferred, consequences = _part(memo, result.consequences, _consequences)
    grounds, reason = _disagreement(recorded, result) if recorded not in (None, result.disposition) else (None, None)
    outcomes, names = _part(memo, result.outcomes, _outcomes)
    return _Shared(
        (outcomes, consequences, _part(memo, result.defeated, _fragment)),
        names,
        grounds,
        reason,
        due,
        late,
        overdue,
        extension,
        untransferred,
    )


def _part(memo: dict, part: tuple, read: Callable[[tuple], T]) -> T:
    """``read`` of a part, once per part the chunk's results hold (alive for the whole chunk, as they are)."""
    mine = memo.get(read)
    if mine is None:
        mine = memo[read] = {}  # each reader its own: the empty tuple is every empty part
    found = mine.get(id(part))
    if found is None:
        found = mine[id(part)] = read(part)
    return found


def _fragment(part: tuple) -> orjson.Fragment:
    # orjson writes a dataclass field by field, as Result.parts spells it (tests/test_batch.py)
    return orjson.Fragment(orjson.dumps(part))


def _outcomes(outcomes: tuple[Outcome, ...]) -> tuple[orjson.Fragment, tuple[str, ...]]:
    return _fragment(outcomes), tuple(o.outcome for o in outcomes)


def _consequences(consequences: tuple[Consequence, ...]) -> tuple:
    """What the report tallies of a case's consequences: a14's due day, late notice, a17's overdue correction
    and permissible extension, a9's untransferred case; and the part serialised."""
    keys = {c.key for c in consequences}
    due = next((c.args[0] for c in consequences if c.consequence == "notification_due"), None)
    return (
        due,
        "notification_late" in keys,
        "correction_overdue" in keys,
        "extension_permissible" in keys,
        "duty_breach(a9)" in keys,
        _fragment(consequences),
    )


def _tally(case: Case, result: Result, other: Result | None, where: str, shared: _Shared) -> Known:
    dates = case.dates

    def date(key: str) -> str | None:
        d = dates.get(key)
        return d.isoformat() if d else None

    why = None
    if shared.reason is not None:
        line = {
            "case": case.id,
            "record": where,
            "recorded": case.recorded_decision,
            "disposition": result.disposition,
            "grounds": shared.reason,
            "outcomes": shared.parts[0],
            "defeated": shared.parts[2],
        }
        why = orjson.dumps(line) + b"\n"
    return Known(
        disposition=result.disposition or "none",
        outcomes=shared.outcomes,
        recorded=case.recorded_decision,
        why=why,
        late_notice=(case.id, date("decision"), shared.due, date("notified")) if shared.late else None,
        overdue=(
            case.id,
            date("correction_deadline"),
            date("extended_deadline"),
            shared.extension,
            date("correction_completed"),
        )
        if shared.overdue
        else None,
        untransferred=shared.untransferred,
        compared=other.disposition if other else None,
        version=result.version,
        amended=_amended(result, case.recorded_decision) if why and result.versions_consulted else None,
        labels=_labels(case, result),
        example=functools.partial(_example, case) if why else None,
        grounds=shared.grounds,
    )


def _uncertain(record: Record, answer: Evaluated, world: OpenWorld, other: Evaluated | None) -> Row:
    """A case with unknown facts: the closed reading's result, as `evaluate` gives it, and the open world."""
    case = answer.case
    line = results_line(answer, record.position(), other)
    needs = tuple((name, tuple(sorted(a.true)), tuple(sorted(a.false))) for name, a in world.dispositions.items())
    tally = Uncertain(
        disposition=_settled(world),
        outcomes=tuple(sorted(world.certain)),
        recorded=case.recorded_decision,
        agreement=line["agreement"],
        item=(case.id, tuple(case.unknown_facts()), case.recorded_decision, line["agreement"], needs),
        compared=(_settled(other.world) if other.world else None) or UNDETERMINED if other else None,
        changed=line.get("changed", False),
        labels=_labels(case, answer.result),
        version=answer.result.version,
    )
    return Row(case.id, orjson.dumps(line), tally)


def _settled(world: OpenWorld) -> str | None:
    """The disposition whatever the unknown facts are, if there is one."""
    return next(iter(world.dispositions)) if len(world.dispositions) == 1 else None


WHATIF_CHANGES = 4  # the report's what-if: at most this many fact changes


def changes_to(example: str, recorded: str) -> list[tuple[list[str], list[str]]]:
    """For the report, in a worker: the smallest fact changes (true, false) under which the rules give
    ``recorded`` to a disagreeing case, found by clingo (what-if); ``example`` is what _example wrote."""
    _, ask, _ = _started()
    data = json.loads(example)
    case = parse_case({"id": "example", "facts": dict.fromkeys(data["facts"], True), "dates": data["dates"]}, "results")
    if ask.timeline is not None:  # under a timeline: the what-if of the version the case's result applied
        (result,) = results(ask, [case])
        if isinstance(result, Result):
            ask = Ask(ask.rules_of(result), ask.as_of, ask.effective_date)
    found = whatif(ask, case, to=recorded, max_changes=WHATIF_CHANGES, limit=3)
    return [(sorted(a.changes.true), sorted(a.changes.false)) for a in found]


def _amended(result: Result, recorded: str | None) -> bool:
    """Whether a version the case's Q12 reading consulted, other than the one it applied, gives the recorded
    decision: the disagreement is then an amendment's, not the rules of the time's."""
    return any(v != result.version and d == recorded for v, d in result.versions_consulted)


def _example(case: Case) -> str:
    """The facts and dates of a disagreeing case, without its free text: what the report's what-if needs."""
    dates = {k: v.isoformat() for k, v in sorted(case.dates.items())}
    return orjson.dumps({"facts": case.true_facts(), "dates": dates}).decode()


def _labels(case: Case, result: Result) -> tuple | None:
    """What a18 counts of a record: its labels and conduct day — none when the rules find it out of
    scope (a2; measure/corpus/a18_recurrence.lp counts only cases in scope)."""
    if result.disposition == "out_of_scope":
        return None
    if "conduct" in case.dates and (case.field or case.error_type):
        return case.field, case.error_type, case.dates["conduct"].isoformat()
    return None


def _disagreement(recorded: str, result: Result) -> tuple[str, orjson.Fragment]:
    """A disagreement's decisive grounds: the report's group (a JSON key), and the "grounds" of its
    disagreements.jsonl line.

    The grounds: the recorded decision and the disposition, the disposition's grounds, and what became of
    the recorded outcome — it holds (on its grounds), it is blocked (by which clauses) or nothing gives it.
    Cases that differ only in what else holds share a group; the line has the case's whole reason."""
    disposition = result.disposition
    given = next((list(o.grounds) for o in result.outcomes if o.outcome == disposition), [])
    held = next((o for o in result.outcomes if o.outcome == recorded), None)
    blocked = sorted({d.blocked_by for d in result.defeated if d.outcome == recorded})
    fate, clauses = ("holds", list(held.grounds)) if held else ("blocked", blocked) if blocked else ("not_given", [])
    reason = {"disposition": given, "recorded_outcome": fate, "clauses": clauses}
    return orjson.dumps([recorded, disposition, given, fate, clauses]).decode(), orjson.Fragment(orjson.dumps(reason))
