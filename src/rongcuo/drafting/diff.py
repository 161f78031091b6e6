"""`rongcuo diff`: what changes between two versions of the rules, exhaustively.

Both versions are ground in one program over one shared scenario (their
derived predicates tagged ``old`` and ``new``); diff.lp says when they differ
and to which class a difference belongs: the disposition before and after and
the changes of its most telling layer. Each search returns a minimal scenario
with a change the classes listed so far do not explain — a scenario whose
changes are those of listed classes together (two amendments met in one case)
is no new class, and neither is a change under another disposition that stays
the same; the loop ends with an unsatisfiable search — the proof that every
difference is one of the listed classes or a combination of them.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import clingo

from .. import ask as asking
from ..ask import Answer, Ask, Rejected
from ..engine.space import Scenario, Space, programs, versioned
from ..model.case import Case
from .reach import combined, reach
from .size import Size, size
from .sources import Version
from .witness import Witness, evaluate, witness

LIMIT = 200  # classes listed at most; the search says when there are more
COMPARED = ("_compared(0)",)  # diff.lp compares case 0 of the scenario space


@dataclass(frozen=True, order=True)
class Change:
    sign: str  # gained | lost | changed
    kind: str  # outcome | modality | catch_all | consequence | predicate
    name: str  # the outcome, consequence or predicate ("exempt: shall" for a modality)


@dataclass(frozen=True)
class Class:
    old: str  # disposition under the old version ("rejected": contradictory input)
    new: str
    changes: tuple[Change, ...]
    witness: Witness
    segment: str | None = None  # a transition's (drafting.transition): when the case's dates fall


@dataclass(frozen=True)
class CaseChange:
    case: str
    old: str  # disposition, or "rejected" (with unknown facts: the possible ones, a/b)
    new: str
    deciding: tuple[str, ...] = ()  # unknown facts the change depends on: it *may* change, as they turn out

    @property
    def certain(self) -> bool:
        return not self.deciding


@dataclass
class DiffReport:
    old: Version
    new: Version
    size: Size
    classes: list[Class]
    complete: bool  # False: stopped at LIMIT classes
    cases: list[CaseChange] | None = None
    corpus: int = 0  # cases compared
    seconds: float = 0.0
    witnesses: list[Witness] = field(default_factory=list)

    @property
    def same(self) -> bool:
        return not self.classes


def diff(old: Version, new: Version, days: int | None = None, limit: int = LIMIT) -> DiffReport:
    """``days``: the window of dates (None: the one both versions' date arithmetic needs, drafting.reach)."""
    start = time.perf_counter()
    looks = combined(reach(v.rules.statements, v.rules.root) for v in (old, new))
    days = looks.days if days is None else days
    space = Space(
        [
            *versioned(old.rules.statements, "old"),
            *versioned(new.rules.statements, "new"),
            *programs("observe.lp", "diff.lp"),
        ],
        days=days,
        facts=COMPARED,
    )
    kept, complete = search(space, "class", limit)
    classes = [scenario_class(s, f"diff-{n:02d}") for n, s in enumerate(kept, 1)]
    report = DiffReport(
        old, new, replace(size(days, None), short=looks.short(days), needed=looks.days), classes, complete
    )
    report.witnesses = [c.witness for c in classes]
    evaluate(report.witnesses, {old.name: old.rules, new.name: new.rules})
    report.seconds = time.perf_counter() - start
    return report


def corpus(report: DiffReport, cases: Sequence[Case], as_of: dt.date | None = None) -> None:
    """Which cases of a corpus change disposition (each version evaluates them all at once).

    A case with unknown facts is read in the open world, as ``evaluate`` reads it: each version's
    possible dispositions and what each needs of the unknown facts (brave and cautious consequences).
    Where both versions give one and the same disposition whatever the facts turn out to be, nothing
    changes; where one disposition each, different, it changes; otherwise it *may* change, and the
    unknown facts that decide a disposition under either version are named."""
    old = asking.evaluate(Ask(report.old.rules, as_of), cases)
    new = asking.evaluate(Ask(report.new.rules, as_of), cases)
    report.corpus = len(cases)
    report.cases = [change for case, a, b in zip(cases, old, new, strict=True) if (change := _change_of(case, a, b))]


def _change_of(case: Case, a: Answer, b: Answer) -> CaseChange | None:
    before, after = _dispositions(a), _dispositions(b)
    worlds = [x.world for x in (a, b) if not isinstance(x, Rejected) and x.world]
    if not worlds or (len(before) == 1 and len(after) == 1):
        return None if before == after else CaseChange(case.id, "/".join(before), "/".join(after))
    needs = [{d: (w.dispositions[d].true, w.dispositions[d].false) for d in w.dispositions} for w in worlds]
    if before == after and len(needs) == 2 and needs[0] == needs[1]:
        return None  # the same dispositions on the same values of the unknown facts
    deciding = sorted({f for w in worlds for x in w.dispositions.values() for f in (*x.true, *x.false)})
    return CaseChange(case.id, "/".join(before), "/".join(after), tuple(deciding or case.unknown_facts()))


def _dispositions(answer: Answer) -> list[str]:
    if isinstance(answer, Rejected):
        return ["rejected"]
    return sorted(answer.dispositions())


def search(space: Space, name: str, limit: int) -> tuple[list[Scenario], bool]:
    """Minimal scenarios, one per class of difference, of the class atoms ``name/2`` (``class(0, T)``,
    or a transition's ``transition_class(Segment, T)``), each with a change the ones found before do
    not explain; whether the search ended with the proof that none is left (else it stopped at
    ``limit``). A scenario whose changes are those of others found together is dropped."""
    found: list[Scenario] = []
    held: list[frozenset[clingo.Symbol]] = []
    while len(found) < limit and (scenario := space.find_unexplained(name, 2, held, _context)):
        found.append(scenario)
        held.append(_held(scenario, name))
    complete = len(found) < limit or space.find_unexplained(name, 2, held, _context) is None
    return [s for s, h in zip(found, held, strict=True) if not _combination(h, held)], complete


def _context(symbol: clingo.Symbol) -> bool:
    """class(C, disposition(D, D)): an unchanged disposition is the setting of a change, not a change."""
    term = symbol.arguments[-1]
    return term.match("disposition", 2) and term.arguments[0] == term.arguments[1]


def _held(scenario: Scenario, name: str) -> frozenset[clingo.Symbol]:
    """The class atoms of a scenario that are changes (its unchanged disposition aside)."""
    return frozenset(s for s in scenario.symbols if s.match(name, 2) and not _context(s))


def _combination(held: frozenset, listed: list[frozenset]) -> bool:
    """Whether the other listed classes it contains together make it up: found before the simpler
    ones that explain it, it adds nothing to them."""
    parts = [other for other in listed if other and other < held]
    return bool(parts) and frozenset().union(*parts) == held


def scenario_class(found: Scenario, prefix: str, segment: str | None = None) -> Class:
    """The class a scenario found: its dispositions and changes (class(0, T)), its witness named
    ``PREFIX-OLD-to-NEW``."""
    old, new, changes = class_of([args[-1] for name, *args in found.atoms if name == "class"])
    title = f"{old} → {new}: " + ", ".join(f"{c.sign} {c.kind} {c.name}" for c in changes)
    return Class(old, new, changes, witness(found, f"{prefix}-{old}-to-{new}", title), segment)


def class_of(terms: Sequence[tuple]) -> tuple[str, str, tuple[Change, ...]]:
    """The dispositions before and after and the changes, from the class terms of one case."""
    pairs = [t[1:] for t in terms if t[0] == "disposition"]
    old, new = ("/".join(sorted({p[i] for p in pairs})) for i in (0, 1))
    return old, new, tuple(sorted(_change(t) for t in terms if t[0] != "disposition"))


def _change(term: tuple) -> Change:
    sign, what = term
    if sign == "changed" and isinstance(what, str):
        return Change(sign, "predicate", what)
    if isinstance(what, str):
        return Change(sign, "outcome", what)
    kind, *args = what
    return Change(sign, kind, ": ".join(_text(a) for a in args))


def _text(value) -> str:
    if isinstance(value, tuple):
        name, *args = value
        return f"{name}({','.join(map(_text, args))})"
    return str(value)
