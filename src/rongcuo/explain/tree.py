"""The derivation tree of an outcome, built from the solver's trace.

Nothing here decides anything: every node is a rule instance the solver
recorded (engine.trace), a fact of the case, or a negation the solver checked.
Rules that cite no clause are plumbing: their children are shown in their place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import CASE, PLUMBING, RuleInfo, Trace
from ..model.case import Case
from .whynot import conditions


@dataclass
class Node:
    kind: str  # rule | fact | date | negation | comparison | input
    atom: tuple = ()  # the atom, without the case index
    rule: RuleInfo | None = None
    clauses: tuple[str, ...] = ()
    modality: str | None = None  # as the cited clause words it (modality/2 of the rules)
    text: str | None = None  # comparison: the literal as written
    evidence: str | None = None
    checked: list = field(default_factory=list)  # negation: the rules that could derive it
    children: list[Node] = field(default_factory=list)

    def leaves(self) -> list[Node]:
        return [self] if not self.children else [leaf for c in self.children for leaf in c.leaves()]


class TreeBuilder:
    def __init__(self, case: Case, trace: Trace, infos: dict[int, RuleInfo], shared: dict):
        self.case, self.trace, self.infos, self.shared = case, trace, infos, shared

    def outcome(self, name: str) -> list[Node]:
        """The grounds of outcome ``name``, each a tree down to the case's facts."""
        return self.nodes(("outcome", CASE, name), set())

    def nodes(self, atom, seen: set, literal=None) -> list[Node]:
        """The node(s) standing for a body atom (a list: plumbing is flattened)."""
        name = atom[0] if isinstance(atom, tuple) else atom
        if name in PLUMBING or atom in seen:
            return []
        if name == "fact":
            return [Node("fact", atom[2:], evidence=self._evidence(atom[2]))]
        if name == "date":
            return [Node("date", atom[2:])]
        if name == "neg":
            return [self.negation(atom[1])]
        if name == "cmp":
            # A compared value equal to the case index was written CASE (engine.trace): put it back.
            values = tuple(self.trace.index if v == CASE else v for v in atom[1:])
            return [Node("comparison", values, text=literal.text if literal else None)]
        derivations = self.trace.derivations.get(atom) or self.shared.get(atom)
        if not derivations:
            return [Node("input", _strip(atom))]
        out = []
        for number, body in derivations:
            info = self.infos[number]
            children = [
                n
                for i, b in enumerate(body)
                for n in self.nodes(b, seen | {atom}, info.body[i] if i < len(info.body) else None)
            ]
            if info.clauses:
                out.append(Node("rule", _strip(atom), info, info.clauses, self._modality(atom), children=children))
            else:
                out += children
        return out

    def negation(self, atom) -> Node:
        """not A: A has no derivation; the rules that could derive A, with why each does not."""
        predicate = atom[0]
        checked = (
            [
                (info, conditions(info, self.trace))
                for info in self.infos.values()
                if info.head == predicate and info.case_level
            ]
            if self.trace.why_not
            else []
        )
        return Node("negation", _strip(atom), checked=checked)

    def _modality(self, atom) -> str | None:
        return next((m[2] for a in atom[1:] for m in self.shared if m[:2] == ("modality", a)), None)

    def _evidence(self, fact: str) -> str | None:
        found = (getattr(self.case, "evidence", None) or {}).get(fact)
        return getattr(found, "text", found)


def _strip(atom):
    """The atom without its case index, for display."""
    if isinstance(atom, tuple) and len(atom) > 1 and atom[1] == CASE:
        return (atom[0], *atom[2:])
    return atom if isinstance(atom, tuple) else (atom,)
