"""Reading an answer set back: the shown atoms of each case into a Result."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property

from ..model import measure
from ..model import vocabulary as vocab
from ..model.case import Case
from ..model.result import Consequence, Defeat, Outcome, Result
from .errors import RuleError
from .inputs import parse_atom
from .memory import remembering

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
    """The shown atoms that every case with the same facts has (from the bottom of engine.split), without
    the case index, by the part of the result they are read into: read once, part by part, however many
    cases share them."""

    parts: tuple[tuple[str, frozenset[str]], ...] = ()  # (part, its atoms), by part: equal readings are equal

    @classmethod
    def of(cls, atoms: Sequence[str]) -> Shared:
        return cls(tuple(sorted(_parts(atoms).items())))

    @cached_property
    def content(self) -> Content:
        """The result fields of these atoms alone."""
        return _assembled(dict(self.parts))


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
    """A case's result fields from its reading's atoms and its own (from the dated rules): only the parts
    its own atoms touch are read again (cases with the same facts but other dates share the rest)."""
    if not atoms:
        return base.content
    own = _parts(atoms)
    if own.keys() == {"consequences"}:  # the dated rules' usual: consequences of the case's own dates
        disposition, modality, outcomes, consequences, defeated, contradictions = base.content
        joined = _joined(consequences, _consequences(own["consequences"]))
        return disposition, modality, outcomes, joined, defeated, contradictions
    parts = dict(base.parts)
    for part, more in own.items():
        parts[part] = parts[part] | more if part in parts else more
    return _assembled(parts)


def _joined(base: tuple[Consequence, ...], own: tuple[Consequence, ...]) -> tuple[Consequence, ...]:
    """What _consequences gives the atoms of both, from what it gave each (both read once, not their union
    per case): a consequence both attach cites the clauses of both."""
    found = {(c.consequence, c.args): c for c in base}
    for c in own:
        if (same := found.get((c.consequence, c.args))) is not None:
            c = Consequence(c.consequence, c.args, _in_order(set(same.grounds) | set(c.grounds)))
        found[(c.consequence, c.args)] = c
    return tuple(sorted(found.values(), key=_consequence_order))


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


def part_of(atom: str) -> str:
    """The part of the result a shown atom is read into."""
    return _PART.get(_parsed(atom)[0], "")  # the rule set shows nothing else (RuleSet.load)


def _parts(atoms: Sequence[str]) -> dict[str, frozenset[str]]:
    """The atoms by the part of the result they are read into."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for atom in atoms:
        grouped[part_of(atom)].append(atom)
    return {part: frozenset(found) for part, found in grouped.items()}


def _assembled(parts: dict[str, frozenset[str]]) -> Content:
    """disposition, its modality, outcomes, consequences, defeated, contradictions, each part read once
    per distinct set of its atoms."""
    none: frozenset[str] = frozenset()
    disposition, modality = _disposition(parts.get("disposition", none))
    return (
        disposition,
        modality,
        _outcomes(parts.get("outcomes", none)),
        _consequences(parts.get("consequences", none)),
        _defeated(parts.get("defeated", none)),
        _contradictions(parts.get("contradictions", none)),
    )


def _by_name(atoms: frozenset[str]) -> dict[str, list]:
    by_name: dict[str, list] = defaultdict(list)
    for atom in atoms:
        name, args = _parsed(atom)
        by_name[name].append(args)
    return by_name


@remembering(1 << 12)
def _disposition(atoms: frozenset[str]) -> tuple[str, str | None]:
    by_name = _by_name(atoms)
    if len(by_name["disposition"]) != 1:
        found = sorted(by_name["disposition"])
        raise RuleError("errors.rules_dispositions", n=len(found), found=str(found))
    (disposition,) = by_name["disposition"][0]
    return disposition, next((m for (m,) in by_name["disposition_modality"]), None)


@remembering(1 << 14)
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


@remembering(1 << 14)
def _defeated(atoms: frozenset[str]) -> tuple[Defeat, ...]:
    defeats: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for outcome, source, item, by in _by_name(atoms)["blocked"]:
        defeats[(outcome, by)].add((source, item))
    return tuple(Defeat(o, _cited(frozenset(g)), by) for (o, by), g in sorted(defeats.items()))


@remembering(1 << 10)
def _contradictions(atoms: frozenset[str]) -> tuple:
    return tuple(sorted(_by_name(atoms)["contradiction"]))


@remembering(1 << 14)
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


@remembering(1 << 14)  # an outcome's grounds recur across answers
def _cited(pairs: frozenset[tuple[str, str]]) -> tuple[str, ...]:
    """Grounds as cited: each item before the clause that gives it effect
    (a10.p1.i2, a10.p1), in the measure's order of the items."""
    ordered = sorted(pairs, key=lambda p: (_order(p[1]), _order(p[0])))
    return tuple(dict.fromkeys(c for source, item in ordered for c in (item, source)))


@remembering(1 << 16)
def _parsed(atom: str) -> tuple[str, tuple]:
    """A shown atom (without the case index) as its name and arguments: the atoms of the distinct answers
    are few, the answers many."""
    name, _, tail = atom.partition("(")
    return name, parse_atom(tail)
