"""The dated rules evaluated vectorised: relational algebra over a chunk's day numbers.

The top of the split (engine.split) is the part of the rules that reads dates,
parameters and the calendar: a handful of rules that compare day numbers and
add constants. Grounding it per case in clingo costs more than everything else
of an evaluation, so here its rules run for all of a chunk's cases at once:
each predicate is a table (a numpy array, one row per atom, every argument an
integer code), a rule is a join of its body's tables on their shared variables
(the case index among them), filtered by its comparisons and negations, and
its head a projection, added to the head's table. The rules run stratum by
stratum of the predicate dependency graph; a recursive stratum (a period moved
over rest days) is iterated to its least fixpoint.

Nothing here names a predicate of the measure: the plan is read off the AST,
so a drafter's dated rule is evaluated the same way. What it does not handle
— an aggregate, a choice, a disjunction, a pool or an interval, a function
term with variables in a body atom, division, a negation inside a recursive
stratum — makes :func:`compile_top` return the reason, naming the rule; the
rule set then grounds its dated rules in clingo as before. A number outside
:data:`LIMIT` in a chunk's input (or made by its arithmetic) sends that chunk
to clingo too. tests/test_compiled.py holds it to clingo's answer, case by case.

Terms are coded as int64: a number is itself; any other term (a constant, a
string, a function term) is ``TERM + i`` for its index ``i`` in a table that
lives for one chunk beyond the rules' own constants — nothing per case is made
a clingo symbol, so nothing accumulates in clingo's symbol table.
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, Union, overload

import clingo
import numpy as np
from clingo import ast

from ..model import calendar
from ..model.case import Case
from ..model.days import day
from .compiled import Unsupported, _components
from .errors import RuleError
from .inputs import CALENDAR, DATE_KEYS, DATES, calendar_days
from .memory import remembering
from .syntax import Signature

if TYPE_CHECKING:
    from .evaluate import Interface

Term = Union[int, tuple]  # a number, or ("f", name, *args) / ("s", text) / ("inf",) / ("sup",)
LIMIT = 1 << 30  # numbers this evaluator keeps exact (clingo's are 32-bit)
CODED = 1 << 16  # readings whose coded interface a rule set remembers
TERM = 1 << 40  # codes from here on are terms of the table, not numbers

_COMPARE: dict[int, Callable[[Any, Any], Any]] = {
    ast.ComparisonOperator.Equal: operator.eq,
    ast.ComparisonOperator.NotEqual: operator.ne,
    ast.ComparisonOperator.LessThan: operator.lt,
    ast.ComparisonOperator.LessEqual: operator.le,
    ast.ComparisonOperator.GreaterThan: operator.gt,
    ast.ComparisonOperator.GreaterEqual: operator.ge,
}
_ARITHMETIC: dict[int, Callable[[Any, Any], Any]] = {
    ast.BinaryOperator.Plus: operator.add,
    ast.BinaryOperator.Minus: operator.sub,
    ast.BinaryOperator.Multiplication: operator.mul,
}


class OutOfRange(Exception):
    """A number the vectorised evaluation does not keep exact: the chunk goes to clingo."""


# ---- terms -------------------------------------------------------------------------------------


def term_of(symbol: clingo.Symbol) -> Term:
    """A clingo symbol as a term of this module."""
    kind = symbol.type
    if kind == clingo.SymbolType.Number:
        return symbol.number
    if kind == clingo.SymbolType.String:
        return ("s", symbol.string)
    if kind == clingo.SymbolType.Infimum:
        return ("inf",)
    if kind == clingo.SymbolType.Supremum:
        return ("sup",)
    return ("f", symbol.name, *(term_of(a) for a in symbol.arguments))


def symbol_of(term: Term) -> clingo.Symbol:
    """A term back as a clingo symbol (only to compare terms that are not numbers, in clingo's order)."""
    if isinstance(term, int):
        return clingo.Number(term)
    if term[0] == "s":
        return clingo.String(term[1])
    if term[0] == "inf":
        return clingo.Infimum
    if term[0] == "sup":
        return clingo.Supremum
    return clingo.Function(term[1], [symbol_of(a) for a in term[2:]])


def text_of(term: Term) -> str:
    """A term as clingo prints it."""
    if isinstance(term, int):
        return str(term)
    kind = term[0]
    if kind == "s":
        return '"' + term[1].replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"') + '"'
    if kind in ("inf", "sup"):
        return f"#{kind}"
    name, args = term[1], term[2:]
    if not args:
        return name
    inner = ",".join(text_of(a) for a in args)
    return f"({inner},)" if not name and len(args) == 1 else f"{name}({inner})"


class Terms:
    """Codes of the terms that are not numbers: the rules' own, and those of one chunk after them."""

    def __init__(self, base: Terms | None = None):
        self.terms: list[Term] = list(base.terms) if base else []
        self.codes: dict[Term, int] = dict(base.codes) if base else {}

    def code(self, term: Term) -> int:
        if isinstance(term, int):
            if not -LIMIT < term < LIMIT:
                raise OutOfRange(term)
            return term
        found = self.codes.get(term)
        if found is None:
            found = self.codes[term] = TERM + len(self.terms)
            self.terms.append(term)
        return found

    def term(self, code: int) -> Term:
        return code if code < TERM else self.terms[code - TERM]


# ---- the plan ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Atom:
    sig: Signature
    args: tuple[tuple[str, Any], ...]  # per argument: ("var", name), ("any", None) or ("const", term)

    @functools.cached_property
    def columns(self) -> dict[str, int]:
        """Each variable's first column."""
        found: dict[str, int] = {}
        for i, (kind, value) in enumerate(self.args):
            if kind == "var":
                found.setdefault(value, i)
        return found

    @functools.cached_property
    def constants(self) -> tuple[tuple[int, Term], ...]:
        return tuple((i, value) for i, (kind, value) in enumerate(self.args) if kind == "const")

    @functools.cached_property
    def repeated(self) -> tuple[tuple[int, int], ...]:
        """The columns of a variable named again, each with its first."""
        first = self.columns
        return tuple((i, first[v]) for i, (kind, v) in enumerate(self.args) if kind == "var" and first[v] != i)


@dataclass(frozen=True)
class _Rule:
    head: _Atom | None  # None: a constraint
    head_terms: tuple[Any, ...]  # the head's arguments as expressions
    # ("join", atom) ("filter", (op, left, right)) ("bind", (var, expr)) ("not", atom) ("never", None)
    steps: tuple[tuple[str, Any], ...]
    where: str


def _expr(term: ast.AST, where: str) -> Any:
    """A term as an expression: ("var", X) ("const", term) ("op", f, a, b) ("fun", name, args)."""
    t = term.ast_type
    if t == ast.ASTType.Variable:
        if term.name == "_":
            raise _Refused(f"{where}: an anonymous variable outside a body atom")
        return ("var", term.name)
    if t == ast.ASTType.SymbolicTerm:
        return ("const", term_of(term.symbol))
    if t == ast.ASTType.UnaryOperation and term.operator_type == ast.UnaryOperator.Minus:
        return ("op", operator.sub, ("const", 0), _expr(term.argument, where))
    if t == ast.ASTType.BinaryOperation and term.operator_type in _ARITHMETIC:
        return ("op", _ARITHMETIC[term.operator_type], _expr(term.left, where), _expr(term.right, where))
    if t == ast.ASTType.Function and not term.external:
        args = tuple(_expr(a, where) for a in term.arguments)
        if all(a[0] == "const" for a in args):
            return ("const", ("f", term.name, *(a[1] for a in args)))
        return ("fun", term.name, args)
    raise _Refused(f"{where}: a term this evaluator does not handle ({term})")


def _variables(expr: Any) -> set[str]:
    if expr[0] == "var":
        return {expr[1]}
    if expr[0] == "op":
        return _variables(expr[2]) | _variables(expr[3])
    if expr[0] == "fun":
        return set().union(*(_variables(a) for a in expr[2]))
    return set()


def _body_atom(atom: ast.AST, where: str, fresh: list[tuple[int, Any, Any]]) -> _Atom:
    """A body atom's pattern; a computed argument becomes a fresh variable and, in ``fresh``, the
    comparison that equates them (a filter once its variables are bound)."""
    symbol = atom.symbol
    if symbol.ast_type == ast.ASTType.SymbolicTerm and symbol.symbol.type == clingo.SymbolType.Function:
        return _Atom((symbol.symbol.name, 0), ())
    if symbol.ast_type != ast.ASTType.Function or symbol.external:
        raise _Refused(f"{where}: an atom this evaluator does not handle ({symbol})")
    args: list[tuple[str, Any]] = []
    for a in symbol.arguments:
        if a.ast_type == ast.ASTType.Variable:
            args.append(("any", None) if a.name == "_" else ("var", a.name))
            continue
        e = _expr(a, where)
        if e[0] == "const":
            args.append(e)
        elif e[0] == "op":
            name = f"#{len(fresh)}"  # no ASP variable is named so
            fresh.append((ast.ComparisonOperator.Equal, ("var", name), e))
            args.append(("var", name))
        else:
            raise _Refused(f"{where}: a body atom with a structured argument ({a})")
    return _Atom((symbol.name, len(args)), tuple(args))


class _Refused(Exception):
    pass


def _plan(rule: ast.AST, relative: Callable[[str], str]) -> _Rule:
    begin = rule.location.begin
    where = f"{relative(begin.filename)}:{begin.line}: {rule}"
    head = rule.head
    literal = head.ast_type == ast.ASTType.Literal
    head_terms: tuple[Any, ...] = ()
    head_atom: _Atom | None
    if literal and head.atom.ast_type == ast.ASTType.BooleanConstant and not head.atom.value:
        head_atom = None
    elif literal and head.sign == ast.Sign.NoSign and head.atom.ast_type == ast.ASTType.SymbolicAtom:
        symbol = head.atom.symbol
        if symbol.ast_type == ast.ASTType.SymbolicTerm and symbol.symbol.type == clingo.SymbolType.Function:
            head_atom = _Atom((symbol.symbol.name, 0), ())
        elif symbol.ast_type == ast.ASTType.Function and not symbol.external:
            head_terms = tuple(_expr(a, where) for a in symbol.arguments)
            head_atom = _Atom((symbol.name, len(head_terms)), ())
        else:
            raise _Refused(f"{where}: a head this evaluator does not handle")
    else:
        raise _Refused(f"{where}: a head this evaluator does not handle (a choice, a disjunction or a negation)")

    joins, negations, comparisons = [], [], []
    for literal in rule.body:
        if literal.ast_type != ast.ASTType.Literal:
            raise _Refused(f"{where}: a body element this evaluator does not handle (an aggregate or a condition)")
        atom = literal.atom
        if atom.ast_type == ast.ASTType.BooleanConstant:
            if literal.sign == ast.Sign.NoSign and atom.value or literal.sign == ast.Sign.Negation and not atom.value:
                continue
            return _Rule(head_atom, head_terms, (("never", None),), where)
        if atom.ast_type == ast.ASTType.Comparison:
            if literal.sign != ast.Sign.NoSign:
                raise _Refused(f"{where}: a negated comparison")
            left = _expr(atom.term, where)
            for guard in atom.guards:
                right = _expr(guard.term, where)
                comparisons.append((guard.comparison, left, right))
                left = right
            continue
        if atom.ast_type in (ast.ASTType.BodyAggregate, ast.ASTType.Aggregate):
            raise _Refused(f"{where}: an aggregate")
        if atom.ast_type != ast.ASTType.SymbolicAtom:
            raise _Refused(f"{where}: a body atom this evaluator does not handle")
        if literal.sign == ast.Sign.NoSign:
            joins.append(_body_atom(atom, where, comparisons))
        elif literal.sign == ast.Sign.Negation:
            negations.append(_body_atom(atom, where, comparisons))
        else:
            raise _Refused(f"{where}: a double negation")

    steps: list[tuple[str, Any]] = []
    bound: set[str] = set()

    def settle() -> None:  # the comparisons and assignments the bound variables allow, as early as they can run
        progress = True
        while progress:
            progress = False
            for c in list(comparisons):
                op, left, right = c
                free_l, free_r = _variables(left) - bound, _variables(right) - bound
                if not free_l and not free_r:
                    steps.append(("filter", c))
                elif op == ast.ComparisonOperator.Equal and left[0] == "var" and free_l == {left[1]} and not free_r:
                    steps.append(("bind", (left[1], right)))
                    bound.add(left[1])
                elif op == ast.ComparisonOperator.Equal and right[0] == "var" and free_r == {right[1]} and not free_l:
                    steps.append(("bind", (right[1], left)))
                    bound.add(right[1])
                else:
                    continue
                comparisons.remove(c)
                progress = True

    settle()
    while joins:  # next the atom sharing most bound variables (a product only when nothing is shared)
        best = max(joins, key=lambda a: len({v for k, v in a.args if k == "var"} & bound))
        joins.remove(best)
        steps.append(("join", best))
        bound |= {v for k, v in best.args if k == "var"}
        settle()
    if comparisons:
        raise _Refused(f"{where}: a comparison whose variables no atom binds")
    for atom in negations:
        if {v for k, v in atom.args if k == "var"} - bound:
            raise _Refused(f"{where}: a negated atom with a variable no atom binds")
        steps.append(("not", atom))
    head_variables = set().union(*(_variables(t) for t in head_terms))
    if head_atom is not None and head_variables - bound:
        raise _Refused(f"{where}: a head variable no body atom binds")
    return _Rule(head_atom, head_terms, tuple(steps), where)


# ---- evaluation --------------------------------------------------------------------------------


class _Binding:
    """A table of variable bindings: a column per variable, ``n`` rows."""

    def __init__(self, columns: dict[str, np.ndarray], n: int):
        self.columns, self.n = columns, n

    def take(self, rows: np.ndarray) -> _Binding:
        return _Binding({v: c[rows] for v, c in self.columns.items()}, len(rows))


def _keys(columns: Sequence[np.ndarray], other: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One int64 key per row for two tables' key columns, equal where the rows are equal."""
    if len(columns) == 1:
        return columns[0], other[0]
    n = len(columns[0])
    stacked = [np.concatenate([mine, theirs]) for mine, theirs in zip(columns, other, strict=True)]
    if not len(stacked[0]):
        return stacked[0][:n], stacked[0][n:]
    lows = [int(c.min()) for c in stacked]
    spans = [int(c.max()) - low + 1 for c, low in zip(stacked, lows, strict=True)]
    if np.prod(np.array(spans, dtype=object)) < 1 << 62:  # the columns side by side as digits of one number
        key = np.zeros(len(stacked[0]), dtype=np.int64)
        for c, low, span in zip(stacked, lows, spans, strict=True):
            key = key * span + (c - low)
    else:
        key = np.unique(np.stack(stacked, axis=1), axis=0, return_inverse=True)[1].ravel()
    return key[:n], key[n:]


def _member(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Whether each of ``left`` is among ``right``."""
    if not len(right):
        return np.zeros(len(left), dtype=bool)
    ordered = right if bool((right[1:] >= right[:-1]).all()) else np.sort(right)
    at = np.minimum(np.searchsorted(ordered, left), len(ordered) - 1)
    return ordered[at] == left


def _join(left: np.ndarray, right: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row pairs (i, j) with left[i] == right[j]."""
    if len(right) < 2 or bool((right[1:] >= right[:-1]).all()):  # tables of the input come sorted by case
        order, ordered = np.arange(len(right)), right
    else:
        order = np.argsort(right)
        ordered = right[order]
    start = np.searchsorted(ordered, left, "left")
    counts = np.searchsorted(ordered, left, "right") - start
    i = np.repeat(np.arange(len(left)), counts)
    first = np.repeat(start - np.cumsum(counts) + counts, counts)
    return i, order[first + np.arange(len(i))]


@overload
def _both(mask: np.ndarray | None, other: np.ndarray) -> np.ndarray: ...
@overload
def _both(mask: np.ndarray | None, other: np.ndarray | None) -> np.ndarray | None: ...
def _both(mask: np.ndarray | None, other: np.ndarray | None) -> np.ndarray | None:
    """Two masks of the same rows (None: every row) as one."""
    return other if mask is None else mask if other is None else mask & other


def _none(arity: int) -> np.ndarray:
    return np.zeros((0, arity), dtype=np.int64)


class Top:
    """The dated rules, planned: evaluated for a chunk of cases over integer-coded tables."""

    def __init__(self, strata: list[tuple[list[_Rule], bool]], shown: list[Signature], terms: Terms, name: str):
        self.strata, self.shown, self.terms, self.name = strata, shown, terms, name
        self._coded: dict[Interface, list[tuple[Signature, tuple[int, ...]]]] = {}
        self._static: tuple[Sequence[clingo.Symbol], dict[Signature, list[tuple[int, ...]]]] | None = None

    def chunk(self) -> Chunk:
        """A fresh evaluation: the rules' terms, and room for the chunk's own."""
        return Chunk(self, Terms(self.terms))

    def coded(self, interface: Interface, terms: Terms) -> list[tuple[Signature, tuple[int, ...]]]:
        """A reading's interface atoms as coded rows (without the case index), remembered across chunks
        when every term is one of the rules' own (the compiled bottom's are: engine.evaluate.Evaluator.dated)."""
        found = self._coded.get(interface)
        if found is None:
            found = [((name, 1 + len(args)), tuple(terms.code(_term(a)) for a in args)) for name, args in interface]
            if all(c < TERM + len(self.terms.terms) for _, row in found for c in row):
                if len(self._coded) > CODED:
                    self._coded.clear()  # bounded, whatever the readings
                self._coded[interface] = found
        return found

    def static(self, symbols: Sequence[clingo.Symbol], terms: Terms) -> dict[Signature, list[tuple[int, ...]]]:
        """The case-free atoms every chunk is given (the vocabulary's fact numbers, the bottom's static
        tables) as coded rows, coded once when every term is one of the rules' own (compile_top was
        given them): a call of a few cases — a service's — would spend most of its time coding them."""
        if self._static is not None and self._static[0] is symbols:
            return self._static[1]
        rows: dict[Signature, list[tuple[int, ...]]] = defaultdict(list)
        for symbol in symbols:
            arguments = symbol.arguments
            rows[(symbol.name, len(arguments))].append(tuple(terms.code(_term(a)) for a in arguments))
        if all(c < TERM + len(self.terms.terms) for found in rows.values() for row in found for c in row):
            self._static = (symbols, rows)
        return rows


class Chunk:
    """One evaluation of the dated rules: the tables of the chunk's atoms and the codes of its terms."""

    def __init__(self, top: Top, terms: Terms):
        self.top, self.terms = top, terms
        self.tables: dict[Signature, np.ndarray] = {}

    def give(self, sig: Signature, rows: Sequence[Sequence[int]]) -> None:
        """Atoms of the input, already coded (Terms.code)."""
        self.give_table(sig, np.array(rows, dtype=np.int64).reshape(len(rows), sig[1]))

    def give_table(self, sig: Signature, table: np.ndarray) -> None:
        old = self.tables.get(sig)
        self.tables[sig] = table.astype(np.int64, copy=False) if old is None else np.concatenate([old, table])

    def run(self) -> dict[Signature, np.ndarray]:
        """The least model, stratum by stratum: every table of a shown signature (coded rows).

        A table may hold a row twice (what reads it, and what it is read back as, are sets). A
        recursive stratum runs semi-naively: after its first round, a rule reads one of the
        stratum's atoms from the rows the last round added, until a round adds none."""
        for rules, recursive in self.top.strata:
            if recursive:
                self._fixpoint(rules)
            else:
                for rule in rules:
                    self._add(rule, self._fire(rule))
        return {sig: self.tables.get(sig, _none(sig[1])) for sig in self.top.shown}

    def _fixpoint(self, rules: list[_Rule]) -> None:
        own = {rule.head.sig for rule in rules if rule.head is not None}
        again = [r for r in rules if any(k == "join" and a.sig in own for k, a in r.steps)]
        delta = {sig: self._new(sig, self._derived(rules, sig, self._fire)) for sig in own}
        while any(len(rows) for rows in delta.values()):
            for sig, rows in delta.items():
                self.tables[sig] = np.concatenate([self.tables.get(sig, _none(sig[1])), rows])
            fire = functools.partial(self._fire_delta, own=own, delta=delta)
            delta = {sig: self._new(sig, self._derived(again, sig, fire)) for sig in own}

    @staticmethod
    def _derived(rules: list[_Rule], sig: Signature, fire: Callable[[_Rule], np.ndarray]) -> np.ndarray:
        found = [fire(r) for r in rules if r.head is not None and r.head.sig == sig]
        return np.concatenate(found) if found else _none(sig[1])

    def _new(self, sig: Signature, found: np.ndarray) -> np.ndarray:
        """The rows of ``found`` not yet in the table of ``sig``, each once."""
        if not len(found) or not sig[1]:
            return found[:0] if sig in self.tables and len(self.tables[sig]) else found[:1]
        old = self.tables.get(sig, _none(sig[1]))
        mine, theirs = _keys(list(found.T), list(old.T))
        _, first = np.unique(mine, return_index=True)
        first = first[~_member(mine[first], theirs)]
        return found[np.sort(first)]

    def _fire_delta(self, rule: _Rule, own: set[Signature], delta: dict[Signature, np.ndarray]) -> np.ndarray:
        """The rule's head rows with one of its atoms of the stratum read from the last round's rows."""
        found = []
        for at, (kind, atom) in enumerate(rule.steps):
            if kind == "join" and atom.sig in own:
                found.append(self._fire(rule, {at: delta[atom.sig]}))
        return np.concatenate(found) if found else _none(len(rule.head_terms))

    def text(self, code: int) -> str:
        return text_of(self.terms.term(code))

    def _add(self, rule: _Rule, found: np.ndarray) -> None:
        """The rule's head rows added to its table (a constraint's: no answer set)."""
        if rule.head is None:
            if len(found):
                raise RuleError("errors.no_answer_set", name=self.top.name)
            return
        old = self.tables.get(rule.head.sig)
        self.tables[rule.head.sig] = found if old is None else np.concatenate([old, found])

    def _fire(self, rule: _Rule, instead: dict[int, np.ndarray] | None = None) -> np.ndarray:
        """The head rows a rule derives from the tables (``instead``: the rows its i-th step reads)."""
        tables = self.tables
        for at, (kind, what) in enumerate(rule.steps):  # a table it joins is empty: nothing, at no numpy cost
            if kind == "join" and not (instead and at in instead) and not len(tables.get(what.sig, ())):
                return _none(len(rule.head_terms))
        binding = _Binding({}, 1)
        for at, (kind, what) in enumerate(rule.steps):
            if kind == "never":
                binding = _Binding({}, 0)
            elif kind == "join":
                binding = self._join_atom(binding, what, instead.get(at) if instead else None)
            elif kind == "not":
                binding = self._anti(binding, what)
            elif kind == "bind":
                var, expr = what
                values, ok = self._value(expr, binding)
                if ok is not None:
                    binding, values = binding.take(np.flatnonzero(ok)), values[ok]
                binding.columns[var] = values
            else:
                binding = binding.take(np.flatnonzero(self._compare(what, binding)))
            if not binding.n:
                break
        arity = len(rule.head_terms)
        if not binding.n:
            return _none(arity)
        columns, ok = [], None
        for expr in rule.head_terms:
            values, valid = self._value(expr, binding)
            columns.append(values)
            ok = _both(ok, valid)
        if not arity:
            return np.zeros((1 if ok is None or ok.any() else 0, 0), dtype=np.int64)
        table = np.stack(columns, axis=1)
        return table if ok is None else table[ok]

    def _select(self, atom: _Atom, rows: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, int]]:
        """The rows of an atom's table (or ``rows``) that match its constants and repeated variables;
        each variable's column."""
        table = self.tables.get(atom.sig) if rows is None else rows
        if table is None:
            table = _none(atom.sig[1])
        keep = None
        for i, value in atom.constants:
            keep = _both(keep, table[:, i] == self.terms.code(value))
        for i, j in atom.repeated:
            keep = _both(keep, table[:, i] == table[:, j])
        return (table if keep is None else table[keep]), atom.columns

    def _join_atom(self, binding: _Binding, atom: _Atom, rows: np.ndarray | None = None) -> _Binding:
        table, where = self._select(atom, rows)
        if not binding.columns and binding.n == 1:  # a rule's first atom: its rows are the bindings
            return _Binding({v: table[:, col] for v, col in where.items()}, len(table))
        shared = [v for v in where if v in binding.columns]
        if shared:
            left, right = _keys([binding.columns[v] for v in shared], [table[:, where[v]] for v in shared])
            i, j = _join(left, right)
        else:  # nothing shared: every binding with every row
            i = np.repeat(np.arange(binding.n), len(table))
            j = np.tile(np.arange(len(table)), binding.n)
        joined = binding.take(i)
        for v, col in where.items():
            if v not in binding.columns:
                joined.columns[v] = table[j, col]
        return joined

    def _anti(self, binding: _Binding, atom: _Atom) -> _Binding:
        table, where = self._select(atom)
        if not where:  # a ground atom (after its constants): it holds or not
            return binding if not len(table) else binding.take(np.zeros(0, dtype=np.intp))
        left, right = _keys([binding.columns[v] for v in where], [table[:, c] for c in where.values()])
        return binding.take(np.flatnonzero(~_member(left, right)))

    def _value(self, expr: Any, binding: _Binding) -> tuple[np.ndarray, np.ndarray | None]:
        """An expression's codes for every binding, and where it is defined (arithmetic on numbers only;
        None: everywhere, which spares an array of every binding per variable and constant)."""
        kind = expr[0]
        if kind == "var":
            return binding.columns[expr[1]], None
        if kind == "const":
            return np.full(binding.n, self.terms.code(expr[1]), dtype=np.int64), None
        if kind == "op":
            (a, ok_a), (b, ok_b) = self._value(expr[2], binding), self._value(expr[3], binding)
            ok = _both(_both(ok_a, ok_b), (a < TERM) & (b < TERM))
            values = np.where(ok, expr[1](np.where(ok, a, 0), np.where(ok, b, 0)), 0)
            if (np.abs(values) >= LIMIT).any():
                raise OutOfRange(expr)
            return values, ok
        return self._function(expr, binding)

    def _function(self, expr: Any, binding: _Binding) -> tuple[np.ndarray, np.ndarray | None]:
        """A function term with variables: one term per distinct combination of its arguments."""
        parts = [self._value(a, binding) for a in expr[2]]
        ok = functools.reduce(_both, (valid for _, valid in parts), None)
        if len(parts) == 1:
            distinct, inverse = np.unique(parts[0][0], return_inverse=True)
            rows = distinct[:, None]
        else:
            rows, inverse = np.unique(np.stack([v for v, _ in parts], axis=1), axis=0, return_inverse=True)
        term, code = self.terms.term, self.terms.code
        codes = np.array([code(("f", expr[1], *(term(c) for c in row))) for row in rows.tolist()], dtype=np.int64)
        return codes[inverse.ravel()], ok

    def _compare(self, comparison: tuple, binding: _Binding) -> np.ndarray:
        op, left, right = comparison
        (a, ok_a), (b, ok_b) = self._value(left, binding), self._value(right, binding)
        ok = _both(ok_a, ok_b)
        if op in (ast.ComparisonOperator.Equal, ast.ComparisonOperator.NotEqual):
            return _both(ok, _COMPARE[op](a, b))  # equal codes ⇔ equal terms
        numbers = (a < TERM) & (b < TERM)
        result = _both(ok, numbers & _COMPARE[op](a, b))
        for i in np.flatnonzero(_both(ok, ~numbers)):  # a term that is not a number: clingo's order of symbols
            left_symbol, right_symbol = (symbol_of(self.terms.term(int(x[i]))) for x in (a, b))
            result[i] = _COMPARE[op](left_symbol, right_symbol)
        return result


# ---- compiling -----------------------------------------------------------------------------------


def compile_top(
    top: Sequence[ast.AST], name: str, relative: Callable[[str], str] = str, known: Iterable[clingo.Symbol] = ()
) -> Top | Unsupported:
    """The dated rules planned for vectorised evaluation, or why they cannot be (naming the rule).
    ``known``: symbols whose terms are coded once for all chunks (the interface, the static tables)."""
    rules, shown = [], []
    for statement in top:
        t = statement.ast_type
        if t == ast.ASTType.Rule:
            try:
                rules.append(_plan(statement, relative))
            except _Refused as refused:
                return Unsupported(str(refused))
        elif t == ast.ASTType.ShowSignature:
            if not statement.positive:
                return Unsupported(f"#show {statement.name}/{statement.arity} of a classically negated atom")
            shown.append((statement.name, statement.arity))
        elif t not in (ast.ASTType.Program, ast.ASTType.Defined, ast.ASTType.Comment):
            return Unsupported(f"{_where(statement, relative)}: a statement this evaluator does not handle")
    strata = _strata(rules)
    if isinstance(strata, str):
        return Unsupported(strata)
    terms = Terms()
    for symbol in known:
        _code_all(term_of(symbol), terms)
    for rule in rules:
        for term in _constants(rule):
            _code_all(term, terms)
    return Top(strata, sorted(set(shown)), terms, name)


def _where(statement: ast.AST, relative: Callable[[str], str]) -> str:
    begin = statement.location.begin
    return f"{relative(begin.filename)}:{begin.line}: {statement}"


def _code_all(term: Term, terms: Terms) -> None:
    """A term and the terms inside it, coded (numbers need no code)."""
    if isinstance(term, tuple):
        terms.code(term)
        if term[0] == "f":
            for inner in term[2:]:
                _code_all(inner, terms)


def _constants(rule: _Rule) -> Iterable[Term]:
    def of(expr: Any) -> Iterable[Term]:
        if expr[0] == "const":
            yield expr[1]
        elif expr[0] == "op":
            yield from of(expr[2])
            yield from of(expr[3])
        elif expr[0] == "fun":
            for a in expr[2]:
                yield from of(a)

    for expr in rule.head_terms:
        yield from of(expr)
    for kind, what in rule.steps:
        if kind in ("join", "not"):
            yield from (value for k, value in what.args if k == "const")
        elif kind == "bind":
            yield from of(what[1])
        elif kind == "filter":
            yield from of(what[1])
            yield from of(what[2])


def _strata(rules: list[_Rule]) -> list[tuple[list[_Rule], bool]] | str:
    """The rules in strata of the predicate dependency graph, each after all it reads, with whether
    a stratum is recursive; or why the rules are not stratified at the level of predicates."""
    heads = {r.head.sig for r in rules if r.head is not None}
    nodes = sorted(heads)
    number = {sig: i for i, sig in enumerate(nodes)}
    reads: dict[int, set[int]] = defaultdict(set)
    negated: dict[int, set[int]] = defaultdict(set)
    for r in rules:
        if r.head is None:
            continue
        for kind, what in r.steps:
            if kind in ("join", "not") and what.sig in heads:
                reads[number[r.head.sig]].add(number[what.sig])
                if kind == "not":
                    negated[number[r.head.sig]].add(number[what.sig])
    component = _components(set(number.values()), {n: reads[n] for n in number.values()})
    for head, others in negated.items():
        for other in others:
            if component[other] == component[head]:
                culprit = next(r for r in rules if r.head is not None and number[r.head.sig] == head)
                return f"{culprit.where}: a negation inside a recursion (with {nodes[other][0]}/{nodes[other][1]})"
    members: dict[int, list[_Rule]] = defaultdict(list)
    for r in rules:
        if r.head is not None:
            members[component[number[r.head.sig]]].append(r)
    strata = []
    for c in sorted(members):  # _components numbers a component after every component it reads
        atoms = {number[r.head.sig] for r in members[c] if r.head is not None}
        recursive = len(atoms) > 1 or any(a in reads[a] for a in atoms)
        strata.append((members[c], recursive))
    constraints = [r for r in rules if r.head is None]
    if constraints:
        strata.append((constraints, False))
    return strata


# ---- the chunk's input -----------------------------------------------------------------------------


class Reading(Protocol):
    """What the facts-only rules give a fact set, as far as the dated rules read it (engine.evaluate's
    FactReading, engine.trace's FactTrace)."""

    @property
    def interface(self) -> Interface: ...


def given_tables(
    top: Top,
    cases: Sequence[Case],
    distinct: Sequence[Reading],
    which: np.ndarray,
    static: Sequence[clingo.Symbol],
    inputs: Sequence[clingo.Symbol],
    labels: bool,
) -> tuple[Chunk, dict[Signature, np.ndarray]]:
    """The dated rules for a chunk of cases, given what the split's top is given in clingo
    (engine.evaluate.Evaluator.split): the case-free inputs (``static``, the same in every call, and the
    call's own: its parameters), each case's dates and labels, and the interface atoms of its reading
    (``distinct[which[i]]``). The chunk and its shown atoms as tables: rows of codes, the case index first
    (:func:`grouped` gives them as engine.read groups clingo's)."""
    chunk = top.chunk()
    code = chunk.terms.code
    given: dict[Signature, list[tuple[int, ...]]] = defaultdict(list)
    for sig, rows in top.static(static, chunk.terms).items():
        given[sig].extend(rows)
    for symbol in inputs:
        given[(symbol.name, len(symbol.arguments))].append(tuple(code(_term(a)) for a in symbol.arguments))
    for number in calendar_days(cases):
        if (kind := calendar.kind_of_day(number)) is not None:
            given[CALENDAR[kind]].append((number,))
    none = code(_NONE)
    dated = given[DATES]
    for i, case in enumerate(cases):
        if dates := case.dates:
            dated.append((i, *[_day(d) if (d := dates.get(k)) else none for k in DATE_KEYS]))
        if labels:
            for label in ("field", "error_type"):
                if value := getattr(case, label):
                    given[("label", 3)].append((i, code(("f", label)), code(("s", value))))
    by_reading: dict[Signature, list[tuple[int, ...]]] = defaultdict(list)  # (reading, arguments…)
    for k, reading in enumerate(distinct):
        for sig, args in top.coded(reading.interface, chunk.terms):
            by_reading[sig].append((k, *args))
    for sig, rows in given.items():
        chunk.give(sig, rows)
    for sig, rows in by_reading.items():  # each case's reading's atoms, under the case's index
        table = np.array(rows, dtype=np.int64)
        index, row = _join(which, table[:, 0])
        chunk.give_table(sig, np.column_stack([index, table[row, 1:]]))
    return chunk, chunk.run()


def grouped(chunk: Chunk, shown: dict[Signature, np.ndarray], n: int) -> dict[int, list[str]]:
    """Shown rows as engine.read.by_case groups clingo's atoms: "name(rest" per case index."""
    own: dict[int, list[str]] = defaultdict(list)
    texts: dict[int, str] = {}
    for (name, _), table in shown.items():
        for index, *rest in table.tolist():
            if not 0 <= index < n:
                continue
            parts = []
            for c in rest:
                t = texts.get(c)
                if t is None:
                    t = texts[c] = chunk.text(c)
                parts.append(t)
            own[index].append(f"{name}({','.join(parts)})")
    return own


@remembering(1 << 16)
def _term(symbol: clingo.Symbol) -> Term:
    return term_of(symbol)


@remembering(1 << 16)  # a bureau's dates recur
def _day(d: dt.date) -> int:
    return day(d)


_NONE: Term = ("f", "none")
