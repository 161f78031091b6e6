"""Why an atom does not hold, instance by instance, down to the case's facts.

The solver says which atoms hold (the trace's derivations, the case-free table
atoms, the facts and dates the case brings); nothing here derives anything. For
an atom that does not hold, every rule whose head could be it is matched
against those atoms, literal by literal under the head's bindings; each way an
instance fails is a :class:`Way` with every literal that stops it. A stopping
literal that is itself a derived atom is explained the same way, to a bounded
depth: that is how `not blocked(…)` reads as "第十三条不适用：无第十三条所称违反 …"
and how why-not reaches the facts that would establish a missing condition.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, cached_property
from itertools import product
from typing import TypeVar

import clingo

from ..engine import CASE, RuleInfo, Trace
from ..engine.inputs import CASE_FREE, value

DEPTH = 6  # derived conditions are followed this far (the bundled rules need 5)
_VARIABLE = re.compile(r"[A-Z_][A-Za-z0-9_']*$")
_COMPARISON = re.compile(r"^(.+?)\s*(<=|>=|!=|<|>|=)\s*(.+)$")
T = TypeVar("T")
NEGATED = {"<": ">=", ">=": "<", ">": "<=", "<=": ">", "=": "!=", "!=": "="}


@dataclass
class Stop:
    """One literal that stops an instance: missing (a positive atom without a match), present (a negated
    atom that holds) or comparison (operands with their bound values)."""

    kind: str
    atom: tuple = ()  # the literal's atom, its arguments bound where the instance binds them (None: open)
    operands: tuple = ()  # comparison: (left, operator, right)
    below: list[Way] = field(default_factory=list)  # a missing derived atom: how each of its rules fails
    lift: Sets = field(default_factory=list)  # a present atom: the smallest sets of facts under which none holds


@dataclass
class Way:
    """One instance of a rule that does not fire, with every literal that stops it."""

    rule: RuleInfo
    stops: list[Stop]


Sets = list[dict[str, bool]]  # alternatives: each a set of fact values that would make something hold


class Atoms:
    """The atoms that hold for one case, as the explanation reads them: derived (the trace's heads, the
    case-free table atoms) or brought by the case (its true facts, its dates). Every premise of a
    derivation is one of these or a case-free input (CASE_FREE, which no explanation states: tests check
    it), so nothing is indexed per case but the heads, and only when a predicate is matched.

    Every read of the case goes through :meth:`read` — a read is the function that answers it and its
    argument — which, while ``log`` is a list, records it with its answer: a tree is then a function of
    the reads that built it (explain.tree's memory of trees)."""

    def __init__(self, trace: Trace, shared: dict, facts: dict, dates: dict):
        """``facts``: the case's (a fact holds when True: unknown reads as false); ``dates``: day numbers."""
        self.derivations, self.shared, self.index = trace.derivations, shared, trace.index
        self.facts, self.dates = facts, dates
        self.log: list[tuple[tuple, object]] | None = None
        self.free, self.every_free = once(_INDEXED, shared, _indexed), once(_FREE, shared, _all_free)
        self.matched: dict[tuple, tuple[tuple, ...]] = {}  # the answers of _matching, once read

    @cached_property
    def own(self) -> dict[tuple[str, int], set[tuple]]:
        """The atoms the case brings, by name and arity (for a match: whether one holds needs none)."""
        own: dict[tuple[str, int], set[tuple]] = {("case", 1): {("case", CASE)}, ("fact", 2): set(), ("date", 3): set()}
        own["fact", 2].update(("fact", CASE, f) for f, on in self.facts.items() if on is True)
        own["date", 3].update(("date", CASE, key, day) for key, day in self.dates.items())
        return own

    def read(self, how: Callable[[Atoms, object], object], argument: object = None):
        found = how(self, argument)
        if self.log is not None:
            self.log.append(((how, argument), found))
        return found

    def holds(self, atom: tuple) -> bool:
        return self.read(_holds, atom)

    def matching(self, name: str, arity: int, fixed: tuple[tuple[int, object], ...] = ()) -> tuple[tuple, ...]:
        """The atoms of ``name``/``arity`` that hold with the arguments ``fixed`` gives (position, value)."""
        return self.read(_matching, (name, arity, fixed))

    def exists(self, name: str, pattern: tuple, bindings: dict) -> bool:
        """Whether an atom of ``name`` matches ``pattern`` under ``bindings`` (only those it names)."""
        bound = tuple(sorted((v, bindings[v]) for p in pattern if p[0] == "var" and (v := p[1]) in bindings))
        return self.read(_exists, (name, pattern, bound))

    def derived(self, atom: tuple) -> tuple:
        """How the solver derived ``atom``, in the case or case-free (empty: it does not hold)."""
        return self.read(_derived, atom)

    def recorded(self, atom: tuple) -> tuple:
        """How the solver derived ``atom`` in the case."""
        return self.read(_recorded, atom)

    def case_index(self) -> int:
        """The case's index, which a comparison of case indices names."""
        return self.read(_index)


def _holds(atoms: Atoms, atom) -> bool:
    if atom in atoms.derivations or atom in atoms.every_free:
        return True
    if len(atom) < 2 or atom[1] != CASE:
        return False
    if atom[0] == "fact":
        return len(atom) == 3 and atoms.facts.get(atom[2]) is True
    if atom[0] == "date":
        return len(atom) == 4 and atoms.dates.get(atom[2], _OPEN) == atom[3]
    return atom == ("case", CASE)


def _matching(atoms: Atoms, key) -> tuple[tuple, ...]:
    found = atoms.matched.get(key)
    if found is None:
        name, arity, fixed = key
        every = atoms.matched.get((name, arity, ()))
        if every is None:
            every = atoms.matched[name, arity, ()] = _holding(atoms, name, arity)
        if len(fixed) == 1:  # most often the case index alone
            ((i, v),) = fixed
            found = tuple(a for a in every if a[i + 1] == v)
        else:
            found = tuple(a for a in every if all(a[i + 1] == v for i, v in fixed))
        atoms.matched[key] = found
    return found


_BROUGHT = frozenset(("fact", "date", "case"))  # the case's own predicates (Atoms.own)


def _holding(atoms: Atoms, name: str, arity: int) -> tuple[tuple, ...]:
    """The atoms of name/arity that hold, in a fixed order (by repr): equal answers are then read alike,
    whichever case gave them."""
    found = {a for a in atoms.derivations if a[0] == name and len(a) == arity + 1}
    found.update(atoms.free.get((name, arity), ()))
    if name in _BROUGHT:
        found.update(atoms.own.get((name, arity), ()))
    return tuple(sorted(found, key=repr)) if len(found) > 1 else tuple(found)


def _exists(atoms: Atoms, key) -> bool:
    name, pattern, bound = key
    bindings = dict(bound)
    found = _matching(atoms, (name, len(pattern), _fixed_of(pattern, bindings)))
    return any(_match(pattern, a[1:], bindings) for a in found)


def _derived(atoms: Atoms, atom) -> tuple:
    found = atoms.derivations.get(atom) or atoms.shared.get(atom)
    return tuple(found) if found else ()


def _recorded(atoms: Atoms, atom) -> tuple:
    return tuple(atoms.derivations.get(atom, ()))


def _index(atoms: Atoms, _) -> int:
    return atoms.index


# What serves many cases is built once per object (kept with it, so that its id is not reused meanwhile):
# the index of the case-free atoms of a trace and their modalities, the rules of a rule set by head and
# the variables each of their literals leaves for the rest.
_INDEXED: dict[int, tuple[dict, dict]] = {}
_FREE: dict[int, tuple[dict, frozenset]] = {}
_MODALITIES: dict[int, tuple[dict, dict]] = {}
_BY_HEAD: dict[int, tuple[dict, dict]] = {}
_AFTER: dict[int, tuple[dict, dict]] = {}


def once(cache: dict[int, tuple[dict, T]], of: dict, build: Callable[[dict], T]) -> T:
    found = cache.get(id(of))
    if found is None or found[0] is not of:
        if len(cache) > 64:
            cache.clear()
        found = cache[id(of)] = (of, build(of))
    return found[1]


def _indexed(shared: dict) -> dict[tuple[str, int], set[tuple]]:
    """The case-free atoms and the atoms in their derivations, by name and arity."""
    index: dict[tuple[str, int], set[tuple]] = {}
    for atom, derivations in shared.items():
        for a in (atom, *(b for _, body in derivations for b in body if isinstance(b, tuple))):
            a = a if isinstance(a, tuple) else (a,)
            if a[0] not in ("neg", "cmp", "agg"):
                index.setdefault((a[0], len(a) - 1), set()).add(a)
    return index


def _all_free(shared: dict) -> frozenset[tuple]:
    return frozenset(a for atoms in once(_INDEXED, shared, _indexed).values() for a in atoms)


def modalities(shared: dict) -> dict:
    """Each clause's modality (modality/2 of the case-free atoms): the first the rules record."""
    return once(_MODALITIES, shared, _modalities)


def _modalities(shared: dict) -> dict:
    found: dict = {}
    for m in shared:
        if isinstance(m, tuple) and len(m) == 3 and m[0] == "modality":
            found.setdefault(m[1], m[2])
    return found


def _by_head(infos: dict[int, RuleInfo]) -> dict[str, list[RuleInfo]]:
    found: dict[str, list[RuleInfo]] = {}
    for info in infos.values():
        found.setdefault(info.head, []).append(info)
    return found


class Absence:
    """Why atoms do not hold for one case: every rule that could derive them, and how each instance fails."""

    def __init__(self, atoms: Atoms, infos: dict[int, RuleInfo]):
        self.atoms = atoms
        self._why: dict[tuple, list[Way]] = {}
        self.rules_of = once(_BY_HEAD, infos, _by_head)
        self.read_after = once(_AFTER, infos, _reads_after)

    def why(self, atom: tuple, depth: int = DEPTH) -> list[Way]:
        """How each rule that could derive ``atom`` fails (an argument None is open); each atom once."""
        if atom not in self._why:  # the depth only bounds the first reading of an atom
            self._why[atom] = self._ways(atom, depth)
        return self._why[atom]

    def _ways(self, atom: tuple, depth: int) -> list[Way]:
        ways: list[Way] = []
        for info in self.rules_of.get(atom[0], ()):
            bindings = _match(_patterns(info.head_args), atom[1:], {}, partial=True)
            if bindings is not None and len(info.head_args) == len(atom) - 1:
                self._walk(info, 0, bindings, [], ways, depth)
        return ways

    def _walk(self, info: RuleInfo, i: int, bindings: dict, stops: list[Stop], ways: list[Way], depth: int) -> None:
        if i == len(info.body):
            if not stops:  # the atoms all match: a comparison stops it
                stops = [s for s in (_comparison(lit.text, bindings) for lit in info.body if lit.kind == "cmp") if s]
            if stops and not any(w.rule is info and _same(w.stops, stops) for w in ways):
                ways.append(Way(info, stops))
            return
        lit = info.body[i]
        if lit.kind in ("cmp", "agg") or lit.predicate in CASE_FREE:  # the calendar is not stated here: no claim
            self._walk(info, i + 1, bindings, stops, ways, depth)
            return
        pattern = _patterns(lit.args)
        if lit.kind != "neg" and (new := _unbound(pattern, bindings)) and not new & self.read_after[info.number][i]:
            # what a match would bind, nothing after it reads: whether one matches is all the walk needs
            found = [((lit.predicate,), bindings)] if self.atoms.exists(lit.predicate, pattern, bindings) else []
        else:
            found = self._found(lit.predicate, pattern, bindings)
        if lit.kind == "neg":
            held = [a for a, _ in found]
            more = [Stop("present", sorted(held, key=str)[0], lift=self.lift(held))] if held else []
            self._walk(info, i + 1, bindings, stops + more, ways, depth)
        elif found:
            for _, extended in found:
                self._walk(info, i + 1, extended, stops, ways, depth)
        else:
            atom = (lit.predicate, *(_bound(p, bindings) for p in pattern))
            below = self.why(atom, depth - 1) if depth > 0 and lit.predicate != "fact" else []
            self._walk(info, i + 1, bindings, [*stops, Stop("missing", atom, below=below)], ways, depth)

    def _found(self, name: str, pattern: tuple, bindings: dict) -> list[tuple[tuple, dict]]:
        """The atoms that match a literal under ``bindings``, each with the bindings it extends them to
        (bindings that stay empty do not count, as in every match): looked up when the bindings give
        every argument, else matched atom by atom."""
        known = _known(pattern)
        if bindings and known is not None and all(v in bindings for v in known):
            atom = (name, *(_bound(p, bindings) for p in pattern))
            return [(atom, bindings)] if self.atoms.holds(atom) else []
        found = self.atoms.matching(name, len(pattern), _fixed_of(pattern, bindings))  # the read is no wider
        return [(a, m) for a in found if (m := _match(pattern, a[1:], bindings))]

    def lift(self, atoms: list[tuple], depth: int = DEPTH) -> Sets:
        """The smallest sets of fact values under which none of ``atoms`` holds: every derivation of
        each broken at one of its literals (a fact that held made false, a fact that was absent made true)."""
        options: list[Sets] = []
        for atom in atoms:
            if atom[0] == "fact":
                options.append([{atom[2]: False}])
                continue
            for _, body in self.atoms.recorded(atom):
                options.append(smallest([s for b in body for s in self._break(b, depth)]))
        return smallest(_combined(options))[:20] if options and all(options) else []

    def _break(self, literal, depth: int) -> Sets:
        if not isinstance(literal, tuple) or literal[0] in ("cmp", "agg", "date"):
            return []
        if literal[0] == "neg":
            inner = literal[1]
            return [{inner[2]: True}] if inner[0] == "fact" and isinstance(inner[2], str) else []
        if literal[0] == "fact":
            return [{literal[2]: False}]
        return self.lift([literal], depth - 1) if depth > 0 else []


def _combined(parts: list[Sets]) -> Sets:
    """One set from each part, merged where they agree."""
    out = []
    for combination in product(*parts):
        merged: dict[str, bool] = {}
        if all(merged.setdefault(f, v) == v for part in combination for f, v in part.items()):
            out.append(merged)
    return out


def fact_sets(ways: list[Way], limit: int = 5) -> Sets:
    """The smallest sets of fact values under which one of ``ways`` would no longer be stopped, smallest
    first (a stop no set of facts can lift — a date, a derived atom that holds — gives none)."""
    found: Sets = []
    for way in ways:
        found += _way_sets(way)
    return smallest(found)[:limit]


def _way_sets(way: Way) -> Sets:
    return _combined([_stop_sets(s) for s in way.stops])


def _stop_sets(stop: Stop) -> Sets:
    if stop.atom[:1] == ("fact",) and isinstance(stop.atom[2], str):
        return [{stop.atom[2]: stop.kind == "missing"}] if stop.kind != "comparison" else []
    if stop.kind == "missing":
        return fact_sets(stop.below, limit=20)
    return stop.lift


def smallest(sets: Sets) -> Sets:
    """The sets no other set is a part of, smallest first."""
    unique = sorted({tuple(sorted(s.items())): s for s in sets}.values(), key=lambda s: (len(s), sorted(s)))
    kept: Sets = []
    for s in unique:
        if not any(k.items() <= s.items() for k in kept):
            kept.append(s)
    return kept


def _same(a: list[Stop], b: list[Stop]) -> bool:
    return [(s.kind, s.atom, s.operands) for s in a] == [(s.kind, s.atom, s.operands) for s in b]


def _comparison(text: str, bindings: dict) -> Stop | None:
    """A comparison that fails, with its operands' values (None when it cannot be read)."""
    found = _COMPARISON.match(text)
    if not found:
        return None
    left, op, right = (_operand(found.group(1), bindings), found.group(2), _operand(found.group(3), bindings))
    return Stop("comparison", operands=(left, op, right))


def _operand(text: str, bindings: dict):
    text = text.strip()
    if text in bindings:
        return bindings[text]
    return int(text) if text.lstrip("-").isdigit() else text


@cache
def _patterns(args: tuple[str, ...]) -> tuple:
    return tuple(_pattern(a) for a in args)


@cache
def _known(pattern: tuple) -> tuple[str, ...] | None:
    """The variables of a pattern of variables and values, which bound give every argument (None: it has others)."""
    if any(p[0] not in ("var", "value") for p in pattern):
        return None
    return tuple(p[1] for p in pattern if p[0] == "var")


@cache
def _pattern(text: str) -> tuple:
    """A literal's argument as written: ('var', name), ('any',), ('value', v), or ('opaque',) for a term
    with arithmetic or a function of variables (matched by anything, never bound)."""
    text = text.strip()
    if text == "_":
        return ("any",)
    if _VARIABLE.match(text):
        return ("var", text)
    try:
        return ("value", value(clingo.parse_term(text)))
    except (RuntimeError, ValueError):
        return ("opaque",)


def _match(pattern: tuple, values: tuple, bindings: dict, partial: bool = False) -> dict | None:
    """The bindings extended by matching ``values`` (``bindings`` itself when they bind nothing new: no
    caller changes a binding); None where they disagree (a None value, with ``partial``, is an argument
    left open)."""
    if len(pattern) != len(values):
        return None
    out = bindings
    for p, v in zip(pattern, values, strict=True):
        if partial and v is None:
            continue
        if p[0] == "var":
            bound = out.get(p[1], _OPEN)
            if bound is _OPEN:
                out = dict(out) if out is bindings else out
                out[p[1]] = v
            elif bound != v:
                return None
        elif p[0] == "value" and p[1] != v:
            return None
    return out


_OPEN = object()  # a variable not bound yet (None is a value: an open argument)


def _fixed_of(pattern: tuple, bindings: dict) -> tuple[tuple[int, object], ...]:
    """The arguments a pattern fixes under ``bindings``: (position, value)."""
    return tuple((i, v) for i, p in enumerate(pattern) if (v := _fixed(p, bindings)) is not _OPEN)


def _unbound(pattern: tuple, bindings: dict) -> set[str]:
    return {p[1] for p in pattern if p[0] == "var" and p[1] not in bindings}


_VARIABLES = re.compile(r"(?<![A-Za-z0-9_'])_*[A-Z][A-Za-z0-9_']*")  # in a literal's text (a string's words too: more)


def _reads_after(infos: dict[int, RuleInfo]) -> dict[int, tuple[frozenset[str], ...]]:
    """For each rule, per body literal, the variables read after it: by the literals that follow, and by
    every comparison (checked when the walk ends)."""
    found = {}
    for number, info in infos.items():
        compared = {v for lit in info.body if lit.kind == "cmp" for v in _VARIABLES.findall(lit.text)}
        after, seen = [], set(compared)
        for lit in reversed(info.body):
            after.append(frozenset(seen))
            seen |= set(_VARIABLES.findall(lit.text))
        found[number] = tuple(reversed(after))
    return found


def _fixed(p: tuple, bindings: dict):
    """The value a pattern's argument must have under ``bindings`` (_OPEN: any)."""
    if p[0] == "value":
        return p[1]
    return bindings.get(p[1], _OPEN) if p[0] == "var" else _OPEN


def _bound(p: tuple, bindings: dict):
    """As _fixed, None for any value."""
    found = _fixed(p, bindings)
    return None if found is _OPEN else found
