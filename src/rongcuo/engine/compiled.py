"""Compiled evaluation: the facts-only rules as clingo's own ground program, run bit-parallel for many cases.

The bottom of the split (engine.split) reads a case's facts only. Here clingo
grounds it once, for one case (index 0) whose facts are all free: input.lp's
unpacking of word/3 is replaced by a choice ``{ fact(0, F) : fact_number(F, _) }``
(that rule alone reads the packed words: a rule set with another reader falls
back). The ground program clingo produces is captured through its Observer —
the legal rules stay in ASP and clingo grounds them; nothing here names a
fact, an outcome or an article, so a drafter's rule set is compiled the same way.

A stratified ground program of normal rules has one answer set, the fixpoint
of its rules stratum by stratum. :class:`Program` runs that fixpoint for a
chunk of cases at once: every atom is a row of bits, one bit per case (numpy
uint64 words), a rule is the AND of its body rows (a negated atom its
complement, final because stratified), an atom the OR of its rules; the rules
are grouped in levels of the atom dependency graph, so each level is a few
vectorised operations for all the chunk's cases. A level that holds a positive
cycle is iterated to its least fixpoint.

Each case's answer is then a bit vector over the shown atoms and the interface
atoms (what the dated rules read); each distinct vector is turned into the
engine.read reading once (the atoms' symbols are known at compile time), so per
case the cost is packing its facts, its share of the evaluation and a lookup.

What the evaluator does not handle — a weight rule (an aggregate over the
facts), a choice beyond the facts, a disjunction, an unstratified negation, a
shown atom not of the case — makes :func:`compile_bottom` return the reason
instead, naming the rule; the rule set then evaluates on clingo's path.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import clingo
import numpy as np
from clingo import ast

from ..model.case import Case
from .control import control, ground
from .errors import RuleError
from .evaluate import FactReading
from .inputs import GIVEN, UNPACKED
from .memory import Memory
from .read import Shared, part_of
from .syntax import Signature, signatures, walk

FACT = ("fact", 2)  # what the unpacking derives and every rule reads
_FREE_FACTS = "case(0). { fact(0, F) : fact_number(F, _) }."
_ZERO = clingo.Number(0)
_ONES = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
T = TypeVar("T")
ANSWERS = 1 << 14  # distinct answers remembered (their readings, read part by part), per rule set


@dataclass(frozen=True)
class Unsupported:
    """Why a rule set's bottom is not compiled: the rule that causes it, where it is."""

    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class _Level:
    heads: np.ndarray  # the rows this level defines, sorted
    negated: np.ndarray  # their complement rows
    starts: np.ndarray  # per head, its first rule (rules are sorted by head)
    body: np.ndarray  # (rules, k): each rule's body rows, padded with the TRUE row
    cyclic: bool  # a positive cycle: iterate to the least fixpoint


class _Capture(clingo.Observer):
    """clingo.Observer: the ground program as clingo outputs it."""

    def __init__(self) -> None:
        self.rules: list[tuple[bool, list[int], list[int]]] = []
        self.shown: list[tuple[clingo.Symbol, int]] = []
        self.other: list[tuple[str, list[int]]] = []  # what the evaluator does not handle, with its atoms

    def rule(self, choice: bool, head: Sequence[int], body: Sequence[int]) -> None:
        self.rules.append((choice, list(head), list(body)))

    def weight_rule(self, choice: bool, head: Sequence[int], lower_bound: int, body: Sequence[tuple[int, int]]) -> None:
        self.other.append(("a weight rule (an aggregate over what the facts decide)", list(head)))

    def output_atom(self, symbol: clingo.Symbol, atom: int) -> None:
        self.shown.append((symbol, atom))

    def output_term(self, symbol: clingo.Symbol, condition: Sequence[int]) -> None:
        self.other.append((f"a shown term ({symbol})", []))

    def external(self, atom: int, value: clingo.TruthValue) -> None:
        self.other.append(("an external atom", [atom]))

    def minimize(self, priority: int, literals: Sequence[tuple[int, int]]) -> None:
        self.other.append(("a minimize statement", []))

    def project(self, atoms: Sequence[int]) -> None:
        self.other.append(("a projection", list(atoms)))

    def heuristic(self, atom: int, type_: clingo.HeuristicType, bias: int, priority: int, condition: Sequence[int]):
        self.other.append(("a heuristic", [atom]))

    def assume(self, literals: Sequence[int]) -> None:
        if literals:
            self.other.append(("an assumption", [abs(lit) for lit in literals]))

    def acyc_edge(self, node_u: int, node_v: int, condition: Sequence[int]) -> None:
        self.other.append(("an acyclicity edge", []))

    def theory_atom(self, atom_id_or_zero: int, term_id: int, elements: Sequence[int]) -> None:
        self.other.append(("a theory atom", [atom_id_or_zero]))


class Program:
    """The bottom's ground program, evaluable for many cases at once."""

    def __init__(
        self,
        size: int,
        facts: dict[str, int],
        levels: list[_Level],
        violation: int | None,
        shown: list[tuple[int, str]],
        interface: list[tuple[int, tuple[str, tuple[clingo.Symbol, ...]]]],
        name: str,
    ):
        self.size, self.facts, self.levels, self.violation, self.name = size, facts, levels, violation, name
        self.fact_rows = np.array(sorted(set(facts.values())), dtype=np.intp)
        self._fact_index = {f: int(np.searchsorted(self.fact_rows, row)) for f, row in facts.items()}
        self.out_rows = np.array([row for row, _ in shown] + [row for row, _ in interface], dtype=np.intp)
        self._interface = [atom for _, atom in interface]
        self.shown = [text for _, text in shown]  # the shown atoms' texts, without the case index (engine.read.by_case)
        self._answers = Memory(ANSWERS)  # an answer's bits → its FactReading
        columns: dict[str, list[int]] = defaultdict(list)  # the shown atoms' columns by the part they are read into
        for i, (_, text) in enumerate(shown):
            columns[part_of(text)].append(i)
        self._parts = [
            (part, np.array(found, dtype=np.intp), [shown[i][1] for i in found], Memory(ANSWERS))
            for part, found in sorted(columns.items())
        ]  # (part, its columns, their atoms, its bits → its atoms): answers share their parts far more than their whole

    @property
    def interface_atoms(self) -> list[tuple[str, tuple[clingo.Symbol, ...]]]:
        """The interface atoms the program can give (name, arguments after the case index)."""
        return list(self._interface)

    @property
    def rules(self) -> int:
        return sum(len(level.body) for level in self.levels)

    def answers(self, cases: Sequence[Case]) -> tuple[np.ndarray, np.ndarray]:
        """Each case's answer as a row of bytes over the shown and interface atoms: (distinct rows, index per case)."""
        n = len(cases)
        values = self._run(self._pack(cases), n)
        bits = np.unpackbits(values[self.out_rows].view(np.uint8), axis=1, count=n, bitorder="little")
        rows = np.ascontiguousarray(np.packbits(bits, axis=0, bitorder="little").T)
        if not rows.shape[1]:  # nothing shown or read: every case has the one empty answer
            return rows[:1], np.zeros(n, dtype=np.intp)
        keys = rows.view(np.dtype((np.void, rows.shape[1]))).ravel()
        distinct, inverse = np.unique(keys, return_inverse=True)
        return distinct.view(np.uint8).reshape(len(distinct), rows.shape[1]), inverse.ravel()

    def readings(self, cases: Sequence[Case]) -> list[FactReading]:
        """What the bottom gives each case: its shown atoms and interface atoms, read once per distinct answer."""
        found, inverse = self.distinct_readings(cases)
        return [found[i] for i in inverse.tolist()]

    def distinct_readings(self, cases: Sequence[Case]) -> tuple[list[FactReading], np.ndarray]:
        """The distinct readings of the cases' answers, and each case's among them."""
        return self.distinct(cases, self._answers, self._readings)

    def distinct(
        self, cases: Sequence[Case], memory: Memory, read: Callable[[np.ndarray], Sequence[T]]
    ) -> tuple[list[T], np.ndarray]:
        """The distinct answers of the cases as ``read`` makes them, and each case's among them. ``read`` is
        given, in one call, the answers ``memory`` does not hold: their bits, a row each, over the shown
        atoms (:attr:`shown`) then the interface atoms (:attr:`interface_atoms`); ``memory`` keeps what it makes."""
        if not cases:
            return [], np.zeros(0, dtype=np.intp)
        distinct, inverse = self.answers(cases)
        memory = memory.bounded()
        raw, width = distinct.tobytes(), distinct.shape[1]
        keys = [raw[i : i + width] for i in range(0, len(raw), width)] if width else [b""] * len(distinct)
        found = [memory.get(key) for key in keys]
        new = [i for i, reading in enumerate(found) if reading is None]
        if new:  # the answers not seen before, unpacked in one go
            bits = np.unpackbits(distinct[new], axis=1, count=len(self.out_rows), bitorder="little")
            for i, made in zip(new, read(bits), strict=True):
                found[i] = memory[keys[i]] = made
        return found, inverse  # type: ignore[return-value]  # every answer is read by now

    def _readings(self, bits: np.ndarray) -> list[FactReading]:
        shared = self._shared(bits)
        interface = [tuple(self._interface[a] for a in atoms) for atoms in columns(bits[:, len(self.shown) :])]
        return [FactReading(s, atoms) for s, atoms in zip(shared, interface, strict=True)]

    def _shared(self, bits: np.ndarray) -> list[Shared]:
        """The shown atoms of answers (their bits, a row each), part by part: each distinct part's atoms
        made once (and so read once by engine.read, whose memories they key)."""
        parts: list[list[tuple[str, frozenset[str]]]] = [[] for _ in range(len(bits))]
        for part, columns, texts, memory in self._parts:
            chosen = bits[:, columns]
            packed = np.packbits(chosen, axis=1)
            width, raw = packed.shape[1], packed.tobytes()
            memory.bounded()
            for k in range(len(bits)):
                key = raw[k * width : (k + 1) * width]
                atoms = memory.get(key)
                if atoms is None:
                    atoms = memory[key] = frozenset(texts[c] for c in np.flatnonzero(chosen[k]).tolist())
                if atoms:
                    parts[k].append((part, atoms))
        return [Shared(tuple(p)) for p in parts]

    def _pack(self, cases: Sequence[Case]) -> np.ndarray:
        """The cases' true facts as bit rows: (facts of the program, words of 64 cases)."""
        index = self._fact_index
        which: list[int] = []
        owner: list[int] = []
        for i, case in enumerate(cases):
            true = [index[f] for f, v in case.facts.items() if v is True and f in index]
            which += true
            owner += [i] * len(true)
        words = (len(cases) + 63) // 64
        matrix = np.zeros((len(self.fact_rows), words * 64), dtype=np.bool_)
        matrix[which, owner] = True
        return np.packbits(matrix, axis=1, bitorder="little").view(np.uint64)

    def _run(self, facts: np.ndarray, n: int) -> np.ndarray:
        """The least fixpoint, level by level, for the packed cases: every row's bits."""
        half = (self.size - 2) // 2
        values = np.zeros((self.size, facts.shape[1]), dtype=np.uint64)
        values[1] = _ONES  # TRUE
        values[2 + half :] = _ONES  # every atom false so far: its complement true
        values[self.fact_rows] = facts
        values[self.fact_rows + half] = ~facts
        for level in self.levels:
            derived = np.bitwise_or.reduceat(np.bitwise_and.reduce(values[level.body], axis=1), level.starts, axis=0)
            if level.cyclic:
                while not np.array_equal(derived, values[level.heads]):
                    values[level.heads] = derived
                    derived = np.bitwise_or.reduceat(
                        np.bitwise_and.reduce(values[level.body], axis=1), level.starts, axis=0
                    )
            values[level.heads] = derived
            values[level.negated] = ~derived
        if self.violation is not None and _any(values[self.violation], n):
            raise RuleError("errors.no_answer_set", name=self.name)
        return values


def columns(bits: np.ndarray) -> list[list[int]]:
    """The columns set in each row of a bit matrix (one byte a bit), in order."""
    rows, found = np.nonzero(bits)
    flat, start, out = found.tolist(), 0, []
    for end in np.cumsum(np.bincount(rows, minlength=len(bits))).tolist():
        out.append(flat[start:end])
        start = end
    return out


def _any(row: np.ndarray, n: int) -> bool:
    """Whether any of the first ``n`` bits of a row is set."""
    return bool(np.unpackbits(row.view(np.uint8), count=n, bitorder="little").any())


def compile_bottom(
    bottom: Sequence[ast.AST],
    interface: Iterable[Signature],
    static: Iterable[clingo.Symbol],
    name: str,
    relative: Callable[[str], str] = str,
) -> Program | Unsupported:
    """The bottom's ground program for one case with free facts, or why it cannot be evaluated here
    (naming the rule's file, as ``relative`` gives it, and line)."""
    rules = [s for s in bottom if s.ast_type != ast.ASTType.Comment]
    unpacking = [s for s in rules if s.ast_type == ast.ASTType.Rule and FACT in set(signatures(s.head))]
    kept = [s for s in rules if not any(s is u for u in unpacking)]
    packed = GIVEN & {("word", 3)}  # what only the unpacking may read
    for s in kept:
        if s.ast_type == ast.ASTType.Rule and set(signatures(s)) & packed:
            return Unsupported(f"{_where(s, relative)}: reads the packed facts (word/3) itself, not fact/2")
    extra: list[ast.AST] = []
    ast.parse_string(_FREE_FACTS, extra.append)
    ctl = control([*kept, *(s for s in extra if s.ast_type != ast.ASTType.Program)])
    capture = _Capture()
    ctl.register_observer(capture)
    ground(ctl)

    symbols = {a.literal: a.symbol for a in ctl.symbolic_atoms}
    fact_atoms = {a.literal: a.symbol for a in ctl.symbolic_atoms.by_signature(*FACT)}
    culprit = _Culprit(kept, capture.rules, symbols, relative)
    if capture.other:
        what, involved = capture.other[0]
        return Unsupported(culprit.explain(what, involved))

    normal: list[tuple[int, list[int]]] = []  # (head atom, body literals); head 0 for a constraint
    for choice, head, body in capture.rules:
        if choice:
            if body or any(h not in fact_atoms for h in head):
                return Unsupported(culprit.explain("a choice beyond the facts", head))
        elif len(head) > 1:
            return Unsupported(culprit.explain("a disjunction", head))
        else:
            normal.append((head[0] if head else 0, body))
    defined = {h for h, _ in normal if h}
    if chosen := defined & set(fact_atoms):
        return Unsupported(culprit.explain("a rule deriving fact/2 beside the case's facts", sorted(chosen)))

    top = max([*symbols, *(abs(lit) for _, body in normal for lit in body), *defined, 0])
    violation = top + 1 if any(h == 0 for h, _ in normal) else None
    atoms = top + 1  # atom ids 1..top, and the constraints' violation atom
    normal = [(h or atoms, body) for h, body in normal]

    def row(literal: int) -> int:  # row 0 FALSE, 1 TRUE, 2.. the atoms, then their complements
        return 1 + literal if literal > 0 else 1 + atoms - literal

    strata = _strata(normal)
    if isinstance(strata, tuple):
        atom, other = strata
        return Unsupported(culprit.explain(f"a negation in a cycle (with {symbols.get(other, other)})", [atom]))
    levels = []
    for heads, cyclic in strata:
        group = sorted(((h, body) for h, body in normal if h in heads), key=lambda r: r[0])
        width = max(1, *(len(body) for _, body in group))
        body_rows = np.ones((len(group), width), dtype=np.intp)  # padded with TRUE
        for i, (_, body) in enumerate(group):
            body_rows[i, : len(body)] = [row(lit) for lit in body]
        ordered = [h for h, _ in group]
        first = sorted({h: i for i, h in reversed(list(enumerate(ordered)))}.items())
        levels.append(
            _Level(
                heads=np.array([row(h) for h, _ in first], dtype=np.intp),
                negated=np.array([row(-h) for h, _ in first], dtype=np.intp),
                starts=np.array([i for _, i in first], dtype=np.intp),
                body=body_rows,
                cyclic=cyclic,
            )
        )

    facts = {str(sym.arguments[1]): row(lit) for lit, sym in fact_atoms.items()}
    shown: list[tuple[int, str]] = []
    for symbol, atom in capture.shown:
        if not symbol.arguments or symbol.arguments[0] != _ZERO:
            return Unsupported(f"the rules show {symbol}, which is not an atom of the case (index first)")
        text = str(symbol)
        predicate, _, rest = text.partition("(")
        shown.append((row(atom) if atom else 1, f"{predicate}({rest.partition(',')[2]}"))  # as engine.read.by_case
    fixed = set(static)
    read: list[tuple[int, tuple[str, tuple[clingo.Symbol, ...]]]] = []
    for sig, arity in sorted(interface):
        for a in ctl.symbolic_atoms.by_signature(sig, arity):
            if a.symbol in fixed:
                continue
            if not a.symbol.arguments or a.symbol.arguments[0] != _ZERO:
                return Unsupported(f"the dated rules read {a.symbol}, which is not an atom of the case (index first)")
            read.append((row(a.literal), (a.symbol.name, tuple(a.symbol.arguments[1:]))))
    return Program(2 * (atoms + 1), facts, levels, row(violation) if violation else None, shown, read, name)


def _strata(rules: list[tuple[int, list[int]]]) -> list[tuple[set[int], bool]] | tuple[int, int]:
    """The defined atoms in levels (each after all it reads), with whether a level holds a positive
    cycle; or an atom and another on one cycle through negation (unstratified)."""
    reads: dict[int, set[int]] = defaultdict(set)
    negative: dict[int, set[int]] = defaultdict(set)
    for head, body in rules:
        for lit in body:
            reads[head].add(abs(lit))
            if lit < 0:
                negative[head].add(-lit)
    defined = {h for h, _ in rules}
    component = _components(defined, {h: reads[h] & defined for h in defined})
    for head in defined:
        for other in negative[head]:
            if component.get(other) == component[head]:
                return head, other
    members: dict[int, set[int]] = defaultdict(set)
    for atom, c in component.items():
        members[c].add(atom)
    level: dict[int, int] = {}
    for c in sorted(members):  # components come out of _components in dependency order
        level[c] = 1 + max(
            (level[component[r]] for a in members[c] for r in reads[a] & defined if component[r] != c), default=0
        )
    cyclic = {c for c, atoms in members.items() if len(atoms) > 1 or any(a in reads[a] for a in atoms)}
    by_level: dict[int, tuple[set[int], bool]] = {}
    for c, atoms in members.items():
        heads, loop = by_level.get(level[c], (set(), False))
        by_level[level[c]] = (heads | atoms, loop or c in cyclic)
    return [by_level[k] for k in sorted(by_level)]


def _components(nodes: set[int], edges: dict[int, set[int]]) -> dict[int, int]:
    """Strongly connected components (Tarjan, iterative), numbered so that a component comes after
    every component it reads (edges point from an atom to what it reads)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    component: dict[int, int] = {}
    count = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component[member] = count
                        if member == node:
                            break
                    count += 1
    return component


class _Culprit:
    """The source rule behind a ground construct: the statements defining the first named atom it leads to."""

    def __init__(
        self,
        statements: Sequence[ast.AST],
        rules: list[tuple[bool, list[int], list[int]]],
        symbols: dict[int, clingo.Symbol],
        relative: Callable[[str], str],
    ):
        self.statements, self.symbols, self.relative = statements, symbols, relative
        self.readers: dict[int, list[int]] = defaultdict(list)
        for _, head, body in rules:
            for lit in body:
                self.readers[abs(lit)].extend(head)

    def explain(self, what: str, atoms: Sequence[int]) -> str:
        seen, todo = set(), list(atoms)
        while todo:
            atom = todo.pop(0)
            if atom in seen:
                continue
            seen.add(atom)
            if (symbol := self.symbols.get(atom)) is not None:
                where = self._defining((symbol.name, len(symbol.arguments)), what)
                return f"{where}: {what}, for {symbol}" if where else f"{what}, for {symbol}"
            todo += self.readers.get(atom, [])
        return f"{what} in the facts-only rules"

    def _defining(self, sig: Signature, what: str) -> str | None:
        found = [s for s in self.statements if s.ast_type == ast.ASTType.Rule and sig in set(signatures(s.head))]
        special = [s for s in found if _special(s)]
        return _where((special or found)[0], self.relative) if found else None


_SPECIAL = {ast.ASTType.BodyAggregate, ast.ASTType.Aggregate, ast.ASTType.Disjunction, ast.ASTType.HeadAggregate}


def _special(statement: ast.AST) -> bool:
    return any(node.ast_type in _SPECIAL for node in walk(statement))


def _where(statement: ast.AST, relative: Callable[[str], str]) -> str:
    begin = statement.location.begin
    return f"{relative(begin.filename)}:{begin.line}: {statement}"


assert FACT in UNPACKED, "input.lp must derive fact/2 from word/3: the compiled evaluator replaces that rule"
