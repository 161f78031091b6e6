"""`rongcuo diff version:A version:B --transition`: what an amendment changes at its effective date.

Version B of a timeline takes effect on the day D version A ends. Over the scenario space, the two
versions and the profile's Q12 reading (readings/q12_*.lp) are ground in one program with the timeline
layer (engine/timeline.lp), and what Q12 gives a case is compared (diff.lp) with what it got under A
alone — the rules of the time, had there been no amendment — in each *segment* of the space
(engine/space/transition.lp): the conduct before D and the determination (the decision, else the
evaluation date) on or after it, the straddling cases Q12 decides; the conduct on or after D, where B
applies; no conduct date and the determination on or after D; and the determination before D, where
nothing may change (a proof, too). Where the dates straddle D, what Q12 gives is also compared with B
alone: the cases in which the earlier version is kept (under 从旧兼从轻: B is not more favourable).

The switch is a date of the space like any other: the calendar windows are the real calendar around D,
window W with D on its day W (W = 0 … days − 1; transition.lp puts the versions' bounds there), so
every relative position of the switch to the case's dates is in the space and every witness is a
real case with real dates across D — run under A alone and under the timeline itself
(``--timeline``), it gives the answers the class says.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace

from clingo import ast

from ..engine import RuleError
from ..engine.space import Scenario, Space, programs
from ..engine.timeline import Span, Timeline
from ..timeline import Entry
from .diff import COMPARED, LIMIT, Class, scenario_class, search
from .reach import combined, reach
from .size import Size, size
from .sources import Version
from .witness import Witness, evaluate

SEGMENTS = ("straddling", "after", "undated", "before")  # transition.lp's, in the report's order
SWITCH_DAY = 1  # the switch is one more date the window must hold apart from the case's (drafting.reach)


@dataclass
class TransitionReport:
    old: Version  # A: in force before the switch
    new: Version  # B: in force from it
    before: Entry
    after: Entry
    timeline: Timeline  # the whole timeline the witnesses run under
    source: str  # the timeline as --timeline names it: bundled, or its file
    reading: str  # the profile's Q12 reading (readings/q12_*.lp), by its file name
    size: Size
    classes: list[Class]  # A alone → what Q12 gives, each class in its segment
    kept: list[Class]  # B alone → what Q12 gives, the dates straddling the switch: the earlier version kept
    complete: bool  # False: a search stopped at LIMIT classes
    seconds: float = 0.0
    witnesses: list[Witness] = field(default_factory=list)

    @property
    def switch(self) -> dt.date:
        assert self.after.start is not None  # a version after the first has a `from` (timeline.entries)
        return self.after.start

    @property
    def timeline_name(self) -> str:
        """How the witnesses name the timeline they were run under (their command's --timeline)."""
        return f"timeline:{self.source}"

    @property
    def same(self) -> bool:
        """The amendment changes nothing any case gets, at its effective date or after."""
        return not self.classes

    def segment(self, name: str) -> list[Class]:
        return [c for c in self.classes if c.segment == name]


def transition(
    old: Version,
    new: Version,
    amendment: tuple[Entry, Entry],
    timeline: Timeline,
    source: str,
    days: int | None = None,
    limit: int = LIMIT,
) -> TransitionReport:
    """``amendment``: the timeline's entries of A and B; ``timeline``: the whole one, loaded under the
    profile (its first version's Q12 reading is the one compared); ``days``: the window of dates (None:
    what both versions' date arithmetic needs, and a day for the switch)."""
    start = time.perf_counter()
    before, after = amendment
    assert after.start is not None
    looks = combined(reach(v.rules.statements, v.rules.root) for v in (old, new))
    days = looks.days + SWITCH_DAY if days is None else days
    _long_enough(before, after, days)
    anchors = tuple(after.start - dt.timedelta(days=w) for w in range(days))
    impact, done = _search(old, new, ("old", "later"), anchors, days, limit)
    kept, also = _search(old, new, ("earlier", "old"), anchors, days, limit, only="straddling")
    order = {s: n for n, s in enumerate(SEGMENTS)}
    impact.sort(key=lambda found: order[found[0]])
    classes = [scenario_class(s, f"transition-{n:02d}-{g}", g) for n, (g, s) in enumerate(impact, 1)]
    held = [scenario_class(s, f"kept-{n:02d}-{g}", g) for n, (g, s) in enumerate(kept, 1)]
    short = looks.short(days - SWITCH_DAY)
    report = TransitionReport(
        old,
        new,
        before,
        after,
        timeline,
        source,
        timeline.reading,
        replace(size(days, None), short=short, needed=looks.days + SWITCH_DAY, anchors=anchors),
        classes,
        held,
        done and also,
    )
    report.witnesses = [c.witness for c in (*classes, *held)]
    evaluate([c.witness for c in classes], {old.name: old.rules, report.timeline_name: timeline})
    evaluate([c.witness for c in held], {new.name: new.rules, report.timeline_name: timeline})
    report.seconds = time.perf_counter() - start
    return report


def _search(
    old: Version,
    new: Version,
    tags: tuple[str, str],
    anchors: tuple[dt.date, ...],
    days: int,
    limit: int,
    only: str | None = None,
) -> tuple[list[tuple[str, Scenario]], bool]:
    """The classes of one comparison (the version tagged ``old`` against what Q12 gives), each with
    its segment and its minimal scenario; whether the search proved there are no more."""
    first, second = tags
    layer = Timeline([Span(first, None, None, old.rules), Span(second, None, None, new.rules)], "", old.rules.profile)
    statements = [s for s in layer.statements if s.ast_type != ast.ASTType.ShowSignature]  # the layer's answer
    facts = [*COMPARED, f"_before({first})", f"_after({second})", *([f"_only({only})"] if only else [])]
    space = Space(
        [*statements, *programs("observe.lp", "diff.lp", "transition.lp")], days=days, facts=facts, windows=anchors
    )
    found, complete = search(space, "transition_class", limit)
    return [(_segment_of(s), s) for s in found], complete


def _long_enough(before: Entry, after: Entry, days: int) -> None:
    """The window around the switch lies within A's and B's time in force: every date of the space
    falls under one of the two (the timeline's other versions are not part of the comparison)."""
    assert after.start is not None
    window = dt.timedelta(days=days)
    if (before.start and before.start > after.start - window) or (after.end and after.end < after.start + window):
        raise RuleError("errors.transition_short", old=before.id, new=after.id, days=days)


def _segment_of(scenario: Scenario) -> str:
    (segment,) = {a[1] for a in scenario.atoms if a[0] == "transition_class"}
    return str(segment)
