"""Reading an answer set back: the shown atoms of each case into a Result."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

from ..model import measure
from ..model import vocabulary as vocab
from ..model.case import Case
from ..model.result import Consequence, Defeat, Outcome, Result
from .errors import RuleError
from .inputs import parse_atom

# A result's fields after the case, its rule set and its date: disposition, modality, outcomes,
# consequences, defeated grounds, contradictions.
Content = tuple[str, str | None, tuple[Outcome, ...], tuple[Consequence, ...], tuple[Defeat, ...], tuple]

SHORT = 16  # hex digits of the short form of a rule set's sha256, as results show it

# The shown atoms and their arities: what rules/_mechanism/show.lp shows and this module reads.
# RuleSet.load refuses a rule base that shows anything else.
SHOWN = {
    "ground": 4,
    "blocked": 5,
    "outcome_modality": 3,
    "rests_on_catch_all": 2,
    "disposition": 2,
    "disposition_modality": 2,
    "consequence": 3,
    "contradiction": 3,
}


@dataclass(frozen=True)
class Shared:
    """The shown atoms that every case with the same facts has (from the bottom of
    engine.split), as read_results reads them: without the case index, dated apart."""

    plain: tuple[str, ...] = ()  # sorted
    dated: tuple[str, ...] = ()

    @classmethod
    def of(cls, atoms: Sequence[str]) -> Shared:
        plain: list[str] = []
        dated: list[str] = []
        for atom in atoms:
            (dated if _dated(atom) else plain).append(atom)
        return cls(tuple(sorted(plain)), tuple(dated))

    @cached_property
    def content(self) -> Content:
        """The result fields of the plain atoms alone (read once per reading: a tuple does not keep its hash)."""
        return _content(self.plain)


NOTHING_SHARED = Shared()


def by_case(atoms: Sequence[str]) -> dict[int, list[str]]:
    """Shown atoms as clingo prints them, grouped by case index: "name(index,rest" → "name(rest"."""
    grouped: dict[int, list[str]] = defaultdict(list)
    for atom in atoms:
        name, _, rest = atom.partition("(")
        index, _, tail = rest.partition(",")
        grouped[int(index)].append(f"{name}({tail}")
    return grouped


def read_results(
    atoms: Sequence[str],
    cases: Sequence[Case],
    profile: str,
    digest: str,
    as_of: dt.date,
    shared: Sequence[Shared] | None = None,
) -> list[Result]:
    """The shown atoms of one answer set (as clingo prints them), one Result per case,
    with what each case shares with others of the same facts."""
    # One str() per symbol is the cheapest way out of clingo.
    return read_grouped(by_case(atoms), cases, profile, digest, as_of, shared)


def read_grouped(
    own: Mapping[int, Sequence[str]],
    cases: Sequence[Case],
    profile: str,
    digest: str,
    as_of: dt.date,
    shared: Sequence[Shared] | None = None,
    which: Sequence[int] | None = None,
) -> list[Result]:
    """As read_results, the atoms already grouped by case index ("name(rest" without the index);
    ``which``: each case's among the ``shared`` (default: the i-th case's is the i-th)."""
    day, short = as_of.isoformat(), digest[:SHORT]
    contents: dict[tuple, Content] = {}  # cases with the same reading and the same own atoms share a content
    results = []
    for i, case in enumerate(cases):
        base = (shared[which[i]] if which is not None else shared[i]) if shared else NOTHING_SHARED
        atoms = tuple(own.get(i, ()))
        key = (id(base), atoms)  # the Shared objects outlive the call: their ids are stable in it
        content = contents.get(key)
        if content is None:
            content = contents[key] = _content_of(base, atoms)
        results.append(Result(case.id, profile, short, day, *content, digest))
    return results


def _content_of(base: Shared, atoms: tuple[str, ...]) -> Content:
    """A case's result fields from its reading's atoms and its own (from the dated rules)."""
    # Consequences that carry a date (day(N)) are read apart, so that cases with
    # the same facts but other dates still share the rest.
    plain = [a for a in atoms if not _dated(a)]
    content = _content(tuple(sorted({*base.plain, *plain}))) if plain else base.content
    disposition, modality, outcomes, consequences, defeated, contradictions = content
    dated = frozenset((*base.dated, *(a for a in atoms if _dated(a))))
    if dated:
        consequences = tuple(sorted((*consequences, *_consequences(dated)), key=_consequence_order))
    return disposition, modality, outcomes, consequences, defeated, contradictions


def _dated(atom: str) -> bool:
    return atom.startswith("consequence(") and "day(" in atom


# The parts of a result by the shown atoms they are read from: answers share their parts far more often than
# their whole (the same consequences, the same defeats), so each part is read once per distinct set of its atoms.
_PART = {
    "ground": "outcomes",
    "outcome_modality": "outcomes",
    "rests_on_catch_all": "outcomes",
    "blocked": "defeated",
    "consequence": "consequences",
    "disposition": "disposition",
    "disposition_modality": "disposition",
    "contradiction": "contradictions",
}


@lru_cache(maxsize=1 << 14)
def _content(atoms: tuple[str, ...]) -> Content:
    """disposition, its modality, outcomes, consequences, defeated, contradictions of one case's atoms."""
    parts: dict[str, list[str]] = defaultdict(list)
    for atom in atoms:
        parts[_PART.get(_parsed(atom)[0], "")].append(atom)  # the rule set shows nothing else (RuleSet.load)
    disposition, modality = _disposition(frozenset(parts["disposition"]))
    return (
        disposition,
        modality,
        _outcomes(frozenset(parts["outcomes"])),
        _consequences(frozenset(parts["consequences"])),
        _defeated(frozenset(parts["defeated"])),
        _contradictions(frozenset(parts["contradictions"])),
    )


def _by_name(atoms: frozenset[str]) -> dict[str, list]:
    by_name: dict[str, list] = defaultdict(list)
    for atom in atoms:
        name, args = _parsed(atom)
        by_name[name].append(args)
    return by_name


@lru_cache(maxsize=1 << 12)
def _disposition(atoms: frozenset[str]) -> tuple[str, str | None]:
    by_name = _by_name(atoms)
    if len(by_name["disposition"]) != 1:
        found = sorted(by_name["disposition"])
        raise RuleError("errors.rules_dispositions", n=len(found), found=str(found))
    (disposition,) = by_name["disposition"][0]
    return disposition, next((m for (m,) in by_name["disposition_modality"]), None)


@lru_cache(maxsize=1 << 14)
def _outcomes(atoms: frozenset[str]) -> tuple[Outcome, ...]:
    by_name = _by_name(atoms)
    grounds: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for outcome, source, item in by_name["ground"]:
        grounds[outcome].add((source, item))
    modality = dict(by_name["outcome_modality"])
    catch_all = {o for (o,) in by_name["rests_on_catch_all"]}
    return tuple(
        Outcome(name, modality.get(name), _cited(frozenset(grounds[name])), name in catch_all)
        for name in vocab.outcome_names()
        if name in grounds
    )


@lru_cache(maxsize=1 << 14)
def _defeated(atoms: frozenset[str]) -> tuple[Defeat, ...]:
    defeats: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for outcome, source, item, by in _by_name(atoms)["blocked"]:
        defeats[(outcome, by)].add((source, item))
    return tuple(Defeat(o, _cited(frozenset(g)), by) for (o, by), g in sorted(defeats.items()))


@lru_cache(maxsize=1 << 10)
def _contradictions(atoms: frozenset[str]) -> tuple:
    return tuple(sorted(_by_name(atoms)["contradiction"]))


@lru_cache(maxsize=1 << 14)  # dated ones recur with their dates
def _consequences(atoms: frozenset[str]) -> tuple[Consequence, ...]:
    """consequence(K, Clause) atoms → one Consequence per K, with all its clauses, in the vocabulary's order."""
    cites: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
    for atom in atoms:
        term, source = _parsed(atom)[1]
        name, *args = term if isinstance(term, tuple) else (term,)
        cites[(name, tuple(args))].add(source)
    return tuple(
        sorted((Consequence(name, args, _in_order(c)) for (name, args), c in cites.items()), key=_consequence_order)
    )


def _consequence_order(c: Consequence) -> tuple[int, str, tuple[str, ...]]:
    """The vocabulary's order; a consequence it does not list (a draft's new one) after all it lists."""
    return _CONSEQUENCES.get(c.consequence, len(_CONSEQUENCES)), c.consequence, c.args


_CONSEQUENCES = {name: rank for rank, name in enumerate(vocab.vocabulary()["consequences"])}


_order = cache(measure.order)  # a clause's place, looked up for every ground of every distinct answer


def _in_order(clause_ids: set[str]) -> tuple[str, ...]:
    return tuple(sorted(clause_ids, key=_order))


@lru_cache(maxsize=1 << 14)  # an outcome's grounds recur across answers
def _cited(pairs: frozenset[tuple[str, str]]) -> tuple[str, ...]:
    """Grounds as cited: each item before the clause that gives it effect
    (a10.p1.i2, a10.p1), in the measure's order of the items."""
    ordered = sorted(pairs, key=lambda p: (_order(p[1]), _order(p[0])))
    return tuple(dict.fromkeys(c for source, item in ordered for c in (item, source)))


@lru_cache(maxsize=1 << 16)
def _parsed(atom: str) -> tuple[str, tuple]:
    """A shown atom (without the case index) as its name and arguments: the atoms of the distinct answers
    are few, the answers many."""
    name, _, tail = atom.partition("(")
    return name, parse_atom(tail)
