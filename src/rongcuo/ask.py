"""One way to ask: the application layer every entry point calls.

The CLI, the batch workers, the service and its ``/v1/batch`` stream, the
golden runner, ``diff --cases`` and extraction scoring all evaluate cases the
same way, here:

- an :class:`Ask` names the rule set and the dates (evaluation date, the
  measure's commencement for a20) and whether unknown facts get their open
  world; :meth:`Ask.day_of` is the one place that chooses a case's
  evaluation date: the date asked for (``--as-of``), else the ``as_of`` its
  file states, else today;
- :func:`evaluate` grounds the cases in chunks (many cases per grounding),
  rejects a contradictory case with the one wording of :func:`contradiction`,
  and adds, for a case with unknown facts, which outcomes are certain and
  possible (engine.hypotheses);
- an :data:`Answer` is an :class:`Evaluated` case or a :class:`Rejected` one;
- :func:`results_line` is the results.jsonl line of ``rongcuo batch`` and of
  ``/v1/batch``, with :func:`agreement` against the recorded decision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .engine import OpenWorld, Result, RuleError, RuleSet, Timeline, open_world
from .model import vocabulary as vocab
from .model.case import Case, CaseError
from .model.coded import Id, msg
from .model.shapes import OpenWorldJSON, ResultJSON

CHUNK = 10_000  # cases per grounding
CONTRADICTION = "errors.contradiction"  # the key of a rejection for two facts that cannot hold together
RULES_FAILED = "(rules)"  # the field of a rejection that is the rule set's fault: no single answer for the case
DATE_KEYS = frozenset(vocab.date_keys())


DAY_ASKED, DAY_OF_CASE, DAY_TODAY = "asked", "case", "today"  # why a case is evaluated on its date


@dataclass(frozen=True)
class Day:
    """The date a case is evaluated on and why: asked for (``--as-of``), stated by the case file, or today."""

    date: dt.date
    source: str  # DAY_ASKED | DAY_OF_CASE | DAY_TODAY


@dataclass(frozen=True)
class Ask:
    """What every evaluation names: the rule set, the evaluation date, the measure's commencement (a20)."""

    rules: RuleSet
    as_of: dt.date | None = None  # the date asked for: it overrides a case's own; None: the case's, else today
    effective_date: dt.date | None = None
    open_world: bool = True  # cases with unknown facts: certain and possible outcomes too
    # Versions of the rules by date (--timeline): each case under the version Q12 applies, on the plain
    # whole-program path (engine.timeline); ``rules`` is then the first version's rule set. The open world of
    # a case with unknown facts is that of the version its result applied (another assignment of the unknown
    # facts could make Q12 choose another version: not explored).
    timeline: Timeline | None = None

    @classmethod
    def on(
        cls,
        timeline: Timeline,
        as_of: dt.date | None = None,
        effective_date: dt.date | None = None,
        open_world: bool = True,
    ) -> Ask:
        """The Ask of every case under the version of ``timeline`` its Q12 reading applies."""
        return cls(timeline.rules_of(None), as_of, effective_date, open_world, timeline)

    def rules_of(self, result: Result) -> RuleSet:
        """The rule set that gave ``result``: the version it applied under a timeline, else ``rules``."""
        return self.timeline.rules_of(result.version) if self.timeline else self.rules

    def applying(self, result: Result) -> Ask:
        """The Ask of the one rule set that gave ``result`` (:meth:`rules_of`), without the timeline: for
        what is computed over one rule set (what-if), under the version the case applies."""
        return replace(self, rules=self.rules_of(result), timeline=None)

    @property
    def day(self) -> dt.date:
        """The date asked for, else today (a case's own date: :meth:`day_of`)."""
        return self.as_of or dt.date.today()

    def day_of(self, case: Case) -> Day:
        """The one choice of a case's evaluation date: the date asked for, else the case file's, else today."""
        if self.as_of:
            return Day(self.as_of, DAY_ASKED)
        if case.as_of:
            return Day(case.as_of, DAY_OF_CASE)
        return Day(dt.date.today(), DAY_TODAY)


def by_day(ask: Ask, cases: Sequence[Case]) -> dict[dt.date, list[int]]:
    """The cases' positions grouped by their evaluation date (one group when a date is asked for)."""
    if ask.as_of or not any(case.as_of for case in cases):
        return {ask.day: list(range(len(cases)))}
    groups: dict[dt.date, list[int]] = {}
    for i, case in enumerate(cases):
        groups.setdefault(ask.day_of(case).date, []).append(i)
    return groups


@dataclass(frozen=True)
class Evaluated:
    """A case the rules answered: its result (unknown facts read as false) and, with unknown facts, the open world."""

    case: Case
    result: Result
    world: OpenWorld | None = None

    def dispositions(self) -> set[str]:
        """The dispositions the rules can give this case: one, or with unknown facts each possible one."""
        return set(self.world.dispositions) if self.world else {self.result.disposition or "none"}

    def to_json(self, parts: tuple | None = None) -> ResultJSON:
        """`rongcuo evaluate --format json`: the result, with ``open_world`` when facts are unknown
        (``parts``: as Result.to_json)."""
        out = self.result.to_json(parts)
        if self.world:
            out["open_world"] = open_world_json(self.case, self.world)
        return out


@dataclass(frozen=True)
class Rejected:
    """A case the rules do not answer: why (one line naming the source, the field and the fix)."""

    error: CaseError
    case: str | None = None  # the id it had, when known
    result: Result | None = None  # for a contradiction: the result that found it

    def to_json(self, lang: str = "en") -> dict:
        """The rejection as JSON: its catalogue key (``code``, for a program to group by) and the reason in ``lang``."""
        error = self.error
        return {
            "case": self.case,
            "status": "rejected",
            "field": error.field,
            "code": error.code,
            "reason": error.text(lang),
        }


Answer = Evaluated | Rejected


def results(ask: Ask, cases: Sequence[Case]) -> list[Result | RuleError]:
    """The rules' results, each case on its date (Ask.day_of), many cases per grounding; a case the rules
    give no single answer gets the error, found by halving its grounding, and fails no other."""
    out: list[Result | RuleError | None] = [None] * len(cases)
    for day, positions in by_day(ask, cases).items():
        for start in range(0, len(positions), CHUNK):
            chunk = positions[start : start + CHUNK]
            for i, result in zip(chunk, _isolated(ask, [cases[i] for i in chunk], day), strict=True):
                out[i] = result
    return [r for r in out if r is not None]


def _isolated(ask: Ask, cases: Sequence[Case], day: dt.date) -> list[Result | RuleError]:
    try:
        if ask.timeline is not None:
            return list(ask.timeline.evaluate(cases, day, ask.effective_date))
        return list(ask.rules.evaluate(cases, day, ask.effective_date))
    except RuleError as e:
        if len(cases) == 1:
            return [e]
        half = len(cases) // 2
        return _isolated(ask, cases[:half], day) + _isolated(ask, cases[half:], day)


def answers(
    ask: Ask, cases: Sequence[Case], found: Sequence[Result | RuleError], sources: Sequence[str], which: str = ""
) -> list[Answer]:
    """Each case's answer from its result: rejected when its facts contradict each other, or when the
    rules give it no single answer; else evaluated. ``which`` (a catalogue key, errors.under_comparison)
    names the rule set in a rejection."""
    out: list[Answer] = []
    for case, result, source in zip(cases, found, sources, strict=True):
        if isinstance(result, RuleError):
            error = CaseError(source, RULES_FAILED, "errors.rules_failed", reason=msg(result.code, **result.values))
            out.append(Rejected(error, case.id))
        elif problem := contradiction(source, case, result, which):
            out.append(Rejected(problem, case.id, result))
        elif ask.open_world and (unknown := case.unknown_facts()):
            world = open_world(ask.rules_of(result), case, unknown, ask.day_of(case).date, ask.effective_date)
            out.append(Evaluated(case, result, world))
        else:
            out.append(Evaluated(case, result))
    return out


def evaluate(ask: Ask, cases: Sequence[Case], sources: Sequence[str] | None = None) -> list[Answer]:
    """Every case's answer, in order; ``sources`` name them in messages (a file, ``line 7``), by default their ids."""
    return answers(ask, cases, results(ask, cases), sources or [case.id for case in cases])


def contradiction(source: str, case: Case, result: Result, which: str = "") -> CaseError | None:
    """The one wording of a contradictory case's rejection (``which``, a catalogue key, names a second rule
    set): two facts that cannot hold together, or two dates out of the order the rules require (the later
    key first)."""
    if not result.contradictions:
        return None
    first, second = result.contradictions[0]
    if first in DATE_KEYS and second in DATE_KEYS:
        earlier, later = case.dates.get(first), case.dates.get(second)
        before = bool(earlier and later and later < earlier)
        return CaseError(
            source,
            f"dates.{second}",
            "errors.dates_before" if before else "errors.dates_not_after",
            first=Id("dates", first),
            second=Id("dates", second),
            earlier=str(earlier),
            later=str(later),
            which=msg(which) if which else "",
        )
    return CaseError(
        source,
        "facts",
        CONTRADICTION,
        first=Id("facts", first),
        second=Id("facts", second),
        which=msg(which) if which else "",
    )


def agreement(recorded: str | None, possible: set[str]) -> str | None:
    """The recorded decision against the disposition(s) the rules give: with unknown facts, it may depend on them."""
    if recorded is None:
        return None
    if recorded not in possible:
        return "disagree"
    return "agree" if len(possible) == 1 else "undetermined"


def results_line(
    answer: Answer, position: dict, compared: Answer | None = None, lang: str = "en", parts: tuple | None = None
) -> dict:
    """The results.jsonl line of a record (``position`` names where it stood: source, line or row):
    `evaluate`'s JSON with the recorded decision and the agreement, and the comparison's answer;
    or the rejection with its reason (``parts``: as Result.to_json)."""
    if isinstance(answer, Rejected):
        return {**answer.to_json(lang), **position}
    line: dict = dict(answer.to_json(parts))
    recorded = answer.case.recorded_decision
    line["recorded_decision"] = recorded
    line["agreement"] = agreement(recorded, answer.dispositions())
    if isinstance(compared, Evaluated):
        line["compared"] = compared.to_json()
        line["changed"] = compared.dispositions() != answer.dispositions()
    line["status"] = "evaluated"
    line.update(position)
    return line


def open_world_json(case: Case, world: OpenWorld) -> OpenWorldJSON:
    """Certain and possible outcomes over the unknown facts, and what each disposition needs."""
    return {
        "unknown": case.unknown_facts(),
        "certain": sorted(world.certain),
        "possible": sorted(world.possible),
        "dispositions": {
            d: {"true": sorted(a.true), "false": sorted(a.false), "settles": world.settles[d]}
            for d, a in world.dispositions.items()
        },
    }
