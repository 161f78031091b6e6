"""The derivation tree of an outcome or a consequence, built from the solver's trace.

Nothing here decides anything: every node is a rule instance the solver
recorded (engine.trace), a fact or date of the case, or an atom the solver did
not derive, with how each rule that could derive it fails (explain.absence).
Every node states something true of the case (status ``holds``), except a fact
the case leaves unknown (``unknown``: the tree reads it as false); a condition
that holds through a negation is an ``absent`` node worded positively ("第十一条
第二款所列条件均已满足"). Rules that cite no clause are plumbing: their children
are shown in their place, unless the vocabulary makes their predicate a step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ..engine import CASE, PLUMBING, RuleInfo, Trace
from ..engine.memory import Memory
from ..model import days as days_
from ..model import vocabulary as vocab
from ..model.case import Case
from .absence import NEGATED, Absence, Atoms, Stop, Way, modalities, once


@dataclass
class Node:
    kind: str  # rule | fact | date | comparison | absent | inapplicable | present | missing | input
    atom: tuple = ()  # the atom, without the case index
    status: str = "holds"  # holds | unknown (a fact the case leaves open, read as false) | fails (why-not)
    rule: RuleInfo | None = None
    clauses: tuple[str, ...] = ()
    modality: str | None = None  # as the cited clause words it (modality/2 of the rules)
    value: bool = True  # fact: whether it holds
    operands: tuple = ()  # comparison: (left, operator, right), worded so that it is true
    evidence: str | None = None
    gives: dict[bool, str] = field(default_factory=dict)  # an unknown fact: the disposition each value gives
    alternatives: bool = False  # missing: its children are alternatives (any one would do), not all needed
    reading: str | None = None  # the reading (measure/readings/ file stem) the rule comes from, unless its parent's
    again: bool = False  # the same subtree is shown above: its children are not repeated
    said: tuple | None = field(default=None, init=False, repr=False, compare=False)  # _key, once built
    children: list[Node] = field(default_factory=list)

    def leaves(self) -> list[Node]:
        return [self] if not self.children else [leaf for c in self.children for leaf in c.leaves()]

    def walk(self):
        yield self
        for c in self.children:
            yield from c.walk()


class TreeBuilder:
    def __init__(self, case: Case, trace: Trace, infos: dict[int, RuleInfo], shared: dict):
        self.case, self.trace, self.infos, self.shared = case, trace, infos, shared

    @cached_property
    def atoms(self) -> Atoms:
        """The case as the trees read it: every read of a derivation, an atom or the index goes through it."""
        dates = {k: days_.day(d) for k, d in self.case.dates.items()}
        return Atoms(self.trace, self.shared, self.case.facts, dates)

    @cached_property
    def absence(self) -> Absence:
        """Why atoms do not hold: made when a tree first meets a condition that does not hold."""
        return Absence(self.atoms, self.infos)

    def outcome(self, name: str) -> list[Node]:
        """The grounds of outcome ``name``, each a tree down to the case's facts. A tree is a function of
        what its building read of the case (Atoms.read): a case that answers those reads alike gets the
        trees already built, shared — they are read, never changed (only an unknown fact's node is, and
        a case with unknown facts or evidence has trees of its own)."""
        atom = ("outcome", CASE, name)
        if self.case.unknown_facts() or self._evidence_of():
            return self._trees(atom)
        memory = once(_BUILT, self.shared, lambda _: Built())
        trees = memory.find(name, self.atoms)
        if trees is None:
            self.__dict__.pop("absence", None)  # what an Absence remembers of another tree would skip reads
            self.atoms.log = []
            try:
                trees = self._trees(atom)
            finally:
                reads, self.atoms.log = self.atoms.log, None
            memory.add(name, reads, trees)
        return trees

    def _trees(self, atom: tuple) -> list[Node]:
        return _again(_readings(self.nodes(atom, set())))

    def consequence(self, name: str) -> list[Node]:
        """How consequence ``name`` (notification_late, notification_due, …) follows, for each clause attaching it."""
        atoms = [a for a in self.trace.derivations if a[0] == "consequence" and _name(a[2]) == name]
        return _again(_readings([n for a in sorted(atoms, key=str) for n in self.nodes(a, set())]))

    def nodes(self, atom, seen: set, literal=None, clauses: tuple[str, ...] = ()) -> list[Node]:
        """The node(s) standing for a body atom of a rule citing ``clauses`` (a list: plumbing is flattened)."""
        name = atom[0] if isinstance(atom, tuple) else atom
        if name in PLUMBING or atom in seen:
            return []
        if name == "fact":
            return [self.fact(atom[2], True)]
        if name == "date":
            return [Node("date", atom[2:])]
        if name == "neg":
            return [self.absent(atom[1], clauses=clauses)]
        if name == "cmp":
            # The case compared was written CASE (engine.trace): its index put back.
            left, right = (self._index() if v == CASE else v for v in atom[1:])
            op = _operator(literal.text) if literal else "="
            return [Node("comparison", operands=(left, op, right))]
        derivations = self.atoms.derived(atom)
        if not derivations:
            return [Node("input", _strip(atom))]
        out = []
        below = seen | {atom}
        for number, body in derivations:
            info = self.infos[number]
            cited = info.clauses or clauses
            children = [
                n
                for i, b in enumerate(body)
                for n in self.nodes(b, below, info.body[i] if i < len(info.body) else None, cited)
            ]
            if not (info.clauses or _is_step(info.head)):
                out += children
            elif same := next(
                (n for n in out if n.rule and n.atom == _strip(atom) and n.clauses == info.clauses), None
            ):
                same.children += children  # another derivation of the same step: one node, each support beneath
            else:
                node = Node("rule", _strip(atom), rule=info, clauses=info.clauses, modality=self._modality(atom))
                node.children = children
                out.append(node)
        return out

    def fact(self, fact: str, holds: bool) -> Node:
        unknown = self.case.facts.get(fact) == "unknown"
        return Node(
            "fact",
            (fact,),
            "unknown" if unknown else "holds",
            value=holds,
            evidence=self._evidence(fact) if holds else None,
        )

    def absent(self, atom, clauses: tuple[str, ...] = ()) -> Node:
        """not A (a negated body literal that holds): A read as a missing condition, worded as what holds."""
        missing = _open(atom)
        return self.stop(Stop("missing", missing, below=self.absence.why(missing)), "holds", clauses)

    def ways(self, ways: list[Way], status: str = "holds", clauses: tuple[str, ...] = ()) -> list[Node]:
        """How each rule fails, under the rule's clauses; a rule citing no clause, or only the clauses
        already cited above (``clauses``), shows its stops in its place."""
        out: list[Node] = []
        for way in ways:
            cited = way.rule.clauses if not set(way.rule.clauses) <= set(clauses) else ()
            stops = _unique([self.stop(s, status, cited or clauses) for s in way.stops])
            if cited:
                out.append(Node("inapplicable", rule=way.rule, clauses=cited, status=status, children=stops))
            else:
                out += stops
        out = _unique(out)
        if len(out) == 1 and out[0].kind == "inapplicable" and len(ways) == 1:
            return out[0].children  # the one rule that could derive it: its clause is named by the atom above
        return out

    def stop(self, stop: Stop, status: str = "holds", clauses: tuple[str, ...] = ()) -> Node:
        """One literal that stops a rule. In a tree that explains what holds, worded as the truth it states."""
        if stop.kind == "comparison":
            left, op, right = stop.operands
            return Node("comparison", status=status, operands=(left, NEGATED[op] if status == "holds" else op, right))
        if stop.atom[0] == "fact":  # in why-not, a fact node names the value the rule needs, which the case lacks
            holds = stop.kind == "present"
            return (
                self.fact(stop.atom[2], holds)
                if status == "holds"
                else Node("fact", stop.atom[2:], "fails", value=not holds)
            )
        if stop.kind == "present":
            return Node("present", _strip(stop.atom), status, children=self.nodes(stop.atom, set()))
        if status == "holds" and (shared := _shared_stop(stop.below)):
            return self.stop(shared, status, clauses)  # every rule lacks the same precondition: that, said once
        if status == "holds":
            return Node("absent", _strip(stop.atom), status, children=self.ways(stop.below, status, clauses))
        children = self.ways(stop.below, status, clauses)
        return Node("missing", _strip(stop.atom), status, children=children, alternatives=len(stop.below) > 1)

    def _modality(self, atom) -> str | None:
        table = modalities(self.shared)  # case-free: the same for every case under the same memory of trees
        return next((table[a] for a in atom[1:] if a in table), None)

    def _index(self) -> int:
        return self.atoms.case_index()

    def _evidence_of(self) -> dict:
        return getattr(self.case, "evidence", None) or {}

    def _evidence(self, fact: str) -> str | None:
        found = self._evidence_of().get(fact)
        return getattr(found, "text", found)


# Paths the trees' memory keeps: random cases' trees take ≈ 38 KB a path (819 paths, 31 MB with their
# nodes), so at most ≈ 150 MB — a corpus of real cases needs far fewer paths.
PATHS = 4_000


@dataclass(slots=True)
class _Trees:
    trees: list[Node]


@dataclass(slots=True)
class _Read:
    how: Callable  # the read (Atoms.read): the function that answers it …
    argument: object  # … and its argument
    answer: object  # the answer of the first case that made this read …
    then: _Read | _Trees  # … and what follows it: compared, not hashed (most reads have no other answer)
    others: dict | None = None  # another answer → what follows it (made for the few reads that have one)


class Built:
    """The trees built so far, by the reads that built them: a trie whose nodes are reads and whose
    branches are their answers. A tree builder is deterministic, so the cases that answer the same reads
    the same way reach the same leaf; a case is answered read by read, far cheaper than building (random
    cases' 13,534 tree builds come to 819 paths and 779 distinct trees). Bounded by its paths (emptied
    when full); its roots are a Memory, which engine.memory.forget empties."""

    def __init__(self, bound: int = PATHS):
        self.roots, self.leaves = Memory(bound), 0

    def find(self, key: str, atoms: Atoms) -> list[Node] | None:
        node = self.roots.get(key)
        while type(node) is _Read:
            answer = node.how(atoms, node.argument)  # the read answered for this case
            node = node.then if answer == node.answer else node.others.get(answer) if node.others else None
        return node.trees if node is not None else None

    def add(self, key: str, reads: list[tuple[tuple, object]], trees: list[Node]) -> None:
        reads = _first(reads)
        if self.leaves >= self.roots.bound:
            self.roots.clear()
            self.leaves = 0
        node = self.roots.get(key)
        if node is None:
            self.roots[key] = _chain(reads, trees)
            self.leaves += 1
            return
        for i, ((how, argument), answer) in enumerate(reads):
            if type(node) is not _Read or node.how is not how or node.argument != argument:
                return  # not what the builder read before (another rule set, same case-free atoms): not kept
            following = node.then if answer == node.answer else node.others.get(answer) if node.others else None
            if following is None:
                if node.others is None:
                    node.others = {}
                node.others[answer] = _chain(reads[i + 1 :], trees)
                self.leaves += 1
                return
            node = following


def _first(reads: list[tuple[tuple, object]]) -> list[tuple[tuple, object]]:
    """Each read once: made again for the same case it answers as it did, so a path need not hold it (and
    what the builder reads next still follows from the path: random cases' paths are 37 % shorter)."""
    seen: set[tuple] = set()
    out = []
    for read, answer in reads:
        if read not in seen:
            seen.add(read)
            out.append((read, answer))
    return out


def _chain(reads: list[tuple[tuple, object]], trees: list[Node]) -> _Read | _Trees:
    node: _Read | _Trees = _Trees(trees)
    for (how, argument), answer in reversed(reads):
        node = _Read(how, argument, answer, node)
    return node


# A rule set's trees, by its case-free derivations (absence.once): what no read records (a modality) is
# the same for every case under them. They are one object per rule set (engine.trace's static ones, unless
# the dated rules derive case-free atoms too).
_BUILT: dict[int, tuple[dict, Built]] = {}


def _shared_stop(ways: list[Way]) -> Stop | None:
    """A missing condition common to all of several ways an atom fails (a11.p2's conditions without an
    a11.p1 item): the atom's own wording ("the conditions are met") would then say more than is true."""
    if len(ways) < 2:
        return None
    common = [s for s in ways[0].stops if s.kind == "missing" and all(_has(w, s) for w in ways[1:])]
    return common[0] if common else None


def _has(way: Way, stop: Stop) -> bool:
    return any(s.kind == stop.kind and s.atom == stop.atom for s in way.stops)


def _again(nodes: list[Node], seen: set | None = None) -> list[Node]:
    """A subtree already shown higher or earlier in the same explanation is marked, not repeated."""
    seen = set() if seen is None else seen
    for n in nodes:
        key = _key(n)
        if n.children and key in seen:
            n.again = True
            continue
        seen.add(key)
        _again(n.children, seen)
    return nodes


def _readings(nodes: list[Node], above: str | None = None) -> list[Node]:
    """Each rule node names the reading it comes from, once: not again below a node naming the same."""
    for n in nodes:
        stem = n.rule.file[len("readings/") : -len(".lp")] if n.rule and n.rule.file.startswith("readings/") else None
        n.reading = stem if n.kind == "rule" and stem != above else None
        _readings(n.children, stem or above)
    return nodes


def _is_step(predicate: str) -> bool:
    """A predicate shown as its own node although its rules cite no clause (a deadline's computation)."""
    entry = vocab.vocabulary()["predicates"].get(predicate)
    return bool(entry and entry.get("step"))


def _operator(text: str) -> str:
    return next((op for op in ("<=", ">=", "!=", "<", ">", "=") if op in text), "=")


def _name(term) -> str:
    return term[0] if isinstance(term, tuple) else term


def _open(atom: tuple) -> tuple:
    """A negated atom as recorded (anonymous arguments written ``any``) with those arguments open."""
    return tuple(None if a == "any" else a for a in atom)


def _unique(nodes: list[Node]) -> list[Node]:
    seen, out = set(), []
    for n in nodes:
        key = _key(n)
        if key not in seen:
            seen.add(key)
            out.append(n)
    return out


def _key(n: Node) -> tuple:
    """What a node says, below it included (a dataclass repr costs ten times as much: it prints RuleInfo);
    kept on the node once its tree is built (nothing it depends on changes after)."""
    if n.said is None:
        n.said = (n.kind, n.atom, n.status, n.clauses, n.value, n.operands, tuple(_key(c) for c in n.children))
    return n.said


def _strip(atom):
    """The atom without its case index, for display."""
    if isinstance(atom, tuple) and len(atom) > 1 and atom[1] == CASE:
        return (atom[0], *atom[2:])
    return atom if isinstance(atom, tuple) else (atom,)
