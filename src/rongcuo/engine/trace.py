"""Derivations read from the solver: which rule instance made each atom true.

A clingo AST pass gives every rule of the rule base a number and adds, beside
it, a rule that records its instances:

    _why(N, Head, (L1, …, Ln))        rule N fired for Head with this instantiated body
    _why_of(C, N, Head, (L1, …, Ln))  the same for a rule about case C, the case written c__ in
                                      Head and the Li: the same derivation in two cases is one text

Negative literals are recorded as neg(Atom), comparisons as cmp(Left, Right),
aggregates as agg; anonymous variables under negation become the constant
`any`. What did not fire is read from what did (explain.absence matches each
rule against the atoms that hold). No rule is read per outcome: a rule a
drafter adds is traced like every other.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import clingo
from clingo import ast

from ..model.case import Case
from ..model.days import date_of
from ..model.result import Result
from .control import control, ground, one_answer
from .evaluate import FEW, MEMORY, remembered, uncollected
from .inputs import (
    CASE_FREE,
    INPUT,
    add_all,
    add_calendar,
    add_dates,
    add_fact,
    add_facts,
    clause_id,
    fact_words,
    params,
    value,
)
from .inputs import (
    number as kept_number,
)
from .memory import Memory, remembering
from .read import Shared, by_case, read_grouped
from .split import Split, split
from .syntax import CLAUSE_CONST, clause_constants, signatures, walk

if TYPE_CHECKING:
    from .compiled import Program, Unsupported
    from .dated import Term, Top
    from .program import RuleSet

_INPUT_NAMES = {name for name, _ in INPUT}  # the leaves: never traced
_CASE_INPUT = _INPUT_NAMES - CASE_FREE  # the input whose first argument is the case


@dataclass(frozen=True)
class Literal:
    """One body literal of a rule, as written."""

    text: str
    kind: str  # atom | neg | cmp | agg
    predicate: str  # name of the atom ('' for cmp/agg)
    args: tuple[str, ...]  # its arguments as written


@dataclass(frozen=True)
class RuleInfo:
    number: int
    file: str
    line: int
    text: str
    head: str  # predicate name of the head
    head_args: tuple[str, ...]  # head arguments as written
    clauses: tuple[str, ...]  # clause ids named in the rule
    body: tuple[Literal, ...]
    case_level: bool  # first head argument is the case variable


def instrument(statements, relative, clauses_of) -> tuple[list[ast.AST], dict[int, RuleInfo]]:
    """The recording rule of every traceable rule, and what each rule is."""
    extra: list[ast.AST] = []
    infos: dict[int, RuleInfo] = {}
    rules = list(_traceable(statements))
    per_case = _case_predicates(rules)
    for number, rule in enumerate(rules):
        loc = rule.location
        case_level = rule.head.atom.symbol.name in per_case and bool(rule.head.atom.symbol.arguments)
        infos[number] = RuleInfo(
            number,
            relative(loc.begin.filename),
            loc.begin.line,
            str(rule),
            rule.head.atom.symbol.name,
            tuple(str(a) for a in rule.head.atom.symbol.arguments),
            clauses_of(rule),
            tuple(_describe(b) for b in rule.body),
            case_level,
        )
        extra.append(_recorder(number, rule, case_level))
    ast.parse_string(
        "#show _why/3. #show _why_of/4.",
        lambda s: extra.append(s) if s.ast_type == ast.ASTType.ShowSignature else None,
    )
    return extra, infos


def _case_predicates(rules: list[ast.AST]) -> set[str]:
    """Predicates whose first argument is a case: the input's, and those derived
    from them with the case variable passed on (a fixpoint over the rules)."""
    links = []  # (head, the predicates of the positive body atoms that pass the head's case variable on)
    for r in rules:
        v, head = _case_variable(r), _function(r.head.atom.symbol)
        if v is not None and head is not None:
            atoms = (_function(b.atom.symbol) for b in r.body if _is_positive_atom(b))
            passing = {_name(a) for a in atoms if a is not None and a.arguments and _first(a) == v.name}
            links.append((_name(head), passing))
    found = set(_CASE_INPUT)
    while more := {head for head, passing in links if head not in found and passing & found}:
        found |= more
    return found


def _function(term: ast.AST) -> ast.AST | None:
    """The function term of an atom, classically negated (`-p(X)`) or not; None for anything else."""
    if term.ast_type == ast.ASTType.UnaryOperation and term.operator_type == ast.UnaryOperator.Minus:
        term = term.argument
    return term if term.ast_type == ast.ASTType.Function else None


def _first(term: ast.AST) -> str:
    first = term.arguments[0]
    return first.name if first.ast_type == ast.ASTType.Variable else str(first)


def not_case_local(statements) -> list[tuple[ast.AST, str]]:
    """The rules that read another case's atoms, with why: many cases are ground in one program (and the
    split remembers answers per fact set), so every atom of a case a rule reads must carry the case its
    head carries. (Rules over many cases belong in corpus/, which is loaded apart.)"""
    rules = [s for s in statements if s.ast_type == ast.ASTType.Rule]
    plain = [
        r for r in rules if r.head.ast_type == ast.ASTType.Literal and r.head.atom.ast_type == ast.ASTType.SymbolicAtom
    ]
    per_case = _case_predicates(plain)
    found = []
    for rule in rules:
        cases = {_first(term) for term in _atoms_with_arguments(rule) if term.name in per_case}
        if len(cases - {"_"}) > 1 or (cases and not cases <= {"_"} and not _head_case(rule, per_case)):
            found.append((rule, ", ".join(sorted(cases))))
    return found


def _atoms_with_arguments(rule: ast.AST) -> Iterator[ast.AST]:
    """The function terms of every atom a rule mentions (head and body, under negation too)."""
    for node in walk(rule):
        if node.ast_type == ast.ASTType.SymbolicAtom:
            term = _function(node.symbol)
            if term is not None and term.arguments:
                yield term


def _head_case(rule: ast.AST, per_case: set[str]) -> bool:
    """Whether the head carries a case: a constraint (it speaks of the cases its body names), a case
    atom, or a choice or disjunction whose atoms take a case first (case-level by what they are given)."""
    head = rule.head
    if head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.BooleanConstant:
        return True
    for node in walk(head):
        term = _function(node.symbol) if node.ast_type == ast.ASTType.SymbolicAtom else None
        if term is None:
            continue
        case_first = bool(term.arguments) and term.arguments[0].ast_type == ast.ASTType.Variable
        if term.name in per_case or (head.ast_type != ast.ASTType.Literal and case_first):
            return True
    return False


def _traceable(statements) -> Iterator[ast.AST]:
    """Rules and facts with a plain atom head, except those that unpack the input."""
    for s in statements:
        if (
            s.ast_type == ast.ASTType.Rule
            and s.head.ast_type == ast.ASTType.Literal
            and s.head.atom.ast_type == ast.ASTType.SymbolicAtom
            and s.head.atom.symbol.ast_type == ast.ASTType.Function
            and s.head.atom.symbol.name not in _INPUT_NAMES
        ):
            yield s


def _describe(lit: ast.AST) -> Literal:
    if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.SymbolicAtom:
        kind = "neg" if lit.sign != ast.Sign.NoSign else "atom"
        term = lit.atom.symbol
        return Literal(str(lit), kind, _name(term), tuple(str(a) for a in getattr(term, "arguments", ())))
    if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.Comparison:
        return Literal(str(lit), "cmp", "", ())
    return Literal(str(lit), "agg", "", ())


def _recorder(number: int, rule: ast.AST, case_level: bool) -> ast.AST:
    loc = rule.location
    body = [_name_anonymous(b, i) for i, b in enumerate(rule.body)]
    head, record = rule.head.atom.symbol, _fn(loc, "", *[_record(loc, b) for b in body])
    if not case_level:
        return _rule(loc, _fn(loc, "_why", _num(loc, number), head, record), body)
    index = head.arguments[0]
    if index.ast_type == ast.ASTType.Variable:
        head, record = _AsCase(index.name)(head), _AsCase(index.name)(record)
    return _rule(loc, _fn(loc, "_why_of", index, _num(loc, number), head, record), body)


def _record(loc, lit: ast.AST) -> ast.AST:
    if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.SymbolicAtom:
        term = lit.atom.symbol
        return term if lit.sign == ast.Sign.NoSign else _fn(loc, "neg", _anonymous_as_any(term))
    if lit.ast_type == ast.ASTType.Literal and lit.atom.ast_type == ast.ASTType.Comparison:
        return _fn(loc, "cmp", lit.atom.term, lit.atom.guards[0].term)
    return _fn(loc, "agg")


def _case_variable(rule: ast.AST) -> ast.AST | None:
    head = _function(rule.head.atom.symbol)
    args = head.arguments if head is not None else ()
    return args[0] if args and args[0].ast_type == ast.ASTType.Variable and args[0].name != "_" else None


def _is_positive_atom(lit: ast.AST) -> bool:
    return (
        lit.ast_type == ast.ASTType.Literal
        and lit.sign == ast.Sign.NoSign
        and lit.atom.ast_type == ast.ASTType.SymbolicAtom
    )


class _Rename(ast.Transformer):
    """Anonymous variables in positive literals get names, so their values are recorded."""

    def __init__(self, prefix: str):
        self.prefix, self.count = prefix, 0

    def visit_Variable(self, node):
        if node.name != "_":
            return node
        self.count += 1
        return node.update(name=f"{self.prefix}{self.count}")


class _AsCase(ast.Transformer):
    """The case variable written CASE where it is a term of its own (in arithmetic it stays a number:
    a constant there would leave the term undefined, and the record with it)."""

    def __init__(self, name: str):
        self.name = name

    def visit_Variable(self, node):
        return ast.SymbolicTerm(node.location, clingo.Function(CASE)) if node.name == self.name else node

    def visit_BinaryOperation(self, node):
        return node

    def visit_UnaryOperation(self, node):
        return node


class _Any(ast.Transformer):
    def visit_Variable(self, node):
        return ast.SymbolicTerm(node.location, clingo.Function("any")) if node.name == "_" else node


def _name_anonymous(lit: ast.AST, index: int) -> ast.AST:
    return _Rename(f"Anon{index}_")(lit) if _is_positive_atom(lit) else lit


def _anonymous_as_any(node: ast.AST) -> ast.AST:
    return _Any()(node)


def _name(term: ast.AST) -> str:
    return getattr(term, "name", "") or str(term)


def _fn(loc, name: str, *args: ast.AST) -> ast.AST:
    return ast.Function(loc, name, list(args), 0)


def _num(loc, n: int) -> ast.AST:
    return ast.SymbolicTerm(loc, clingo.Number(n))


def _atom_literal(loc, term: ast.AST) -> ast.AST:
    return ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(term))


def _rule(loc, head: ast.AST, body: list[ast.AST]) -> ast.AST:
    return ast.Rule(loc, _atom_literal(loc, head), body)


Derivations = dict[tuple, list[tuple[int, tuple]]]  # atom → (rule number, instantiated body) per derivation


@dataclass(eq=False)
class FactTrace:
    """What the facts-only rules (the bottom of engine.split) record for one fact set, shared by every
    case with those facts: the shown atoms and the interface atoms the dated rules read (as
    engine.evaluate keeps them), and the derivations, the case index written CASE."""

    shown: Shared
    interface: tuple[tuple[str, tuple[clingo.Symbol, ...]], ...]
    derivations: Derivations


@dataclass
class Trace:
    """What the solver recorded for one case; atoms as Python terms
    (symbols.value) with the case index written CASE: ("fact", CASE, "major_loss"),
    ("neg", (...)), "a11.p2"."""

    derivations: Derivations
    index: int = 0  # the case's index, which CASE stands for


# In a case's trace the case index is written as this constant: the same
# derivation in two cases is then the same record, parsed once.
CASE = "c__"


def read_records(atoms: Sequence[str]) -> tuple[dict[int, Derivations], Derivations]:
    """The derivations of each case index and those of the case-free atoms, from the recording atoms as
    clingo prints them (what follows a case's index is the same text in every case: parsed once, and its
    derivation one tuple for all)."""
    cases: dict[str, Derivations] = {}  # by the index as printed: int() once per case, not per record
    shared: Derivations = {}
    for text in atoms:
        if text[4] == "_":  # _why_of(
            index, _, rest = text[8:].partition(",")
            head, derivation = _why(rest)
            into = cases.get(index)
            if into is None:
                into = cases[index] = {}
        else:
            head, derivation = _why(text[5:])
            into = shared
        _add(into, head, derivation)
    for derivations in (*cases.values(), shared):
        _ordered(derivations)
    return {int(i): own for i, own in cases.items()}, shared


def _add(into: Derivations, head: tuple, derivation: tuple) -> None:
    found = into.get(head)
    if found is None:
        into[head] = [derivation]
    else:
        found.append(derivation)


def _ordered(derivations: Derivations) -> Derivations:
    """Each atom's derivations in one order, by rule and body, whatever order the grounder gave them in:
    an explanation lists them so, and the same case is explained in the same words on every path."""
    for found in derivations.values():
        if len(found) > 1:
            found.sort(key=_derivation_order)
    return derivations


def _derivation_order(derivation: tuple) -> tuple[int, str]:
    return derivation[0], repr(derivation[1])


@remembering(1 << 16)
def _why(text: str) -> tuple:
    """ "N,Head,(L1,…,Ln))" → (Head, (N, (L1, …, Ln))); value() writes a tuple as ("", …)."""
    term = f"t({text}"
    found = _plain(term)
    _, number, head, body = value(clingo.parse_term(term)) if found is None else found
    return head, (number, body[1:] if isinstance(body, tuple) else ())


# The tokens of a term as clingo prints it, when it holds only numbers, constants, functions and tuples.
_TOKENS = re.compile(r"-?\d+|-?_*[a-z][A-Za-z0-9_']*|[(),]")


def _plain(text: str):
    """What ``value(clingo.parse_term(text))`` gives, read in Python (a tenth of the cost of crossing into
    clingo for every subterm); None for a term with anything else in it (a string, #inf), which clingo reads."""
    tokens = _TOKENS.findall(text)
    if sum(map(len, tokens)) != len(text):
        return None
    found, end = _term(tokens, 0)
    return found if end == len(tokens) else None


def _term(tokens: list[str], i: int) -> tuple:
    """The value of the term at ``tokens[i]`` and the index after it (as inputs.value writes it)."""
    token = tokens[i]
    if token == "(":
        args, i = _arguments(tokens, i + 1)
        return ("", *args) if args else "", i
    if token.lstrip("-").isdigit():
        return int(token), i + 1
    name = token.lstrip("-")  # a classical negation: value() reads the name alone
    if i + 1 < len(tokens) and tokens[i + 1] == "(":
        args, i = _arguments(tokens, i + 2)
        if name == "day" and len(args) == 1:
            return date_of(args[0]).isoformat(), i
        return ((name, *args) if args else _constant(name)), i
    return _constant(name), i + 1


def _arguments(tokens: list[str], i: int) -> tuple[list, int]:
    """The terms from ``tokens[i]`` to the closing parenthesis, and the index after it."""
    args = []
    while tokens[i] != ")":
        found, i = _term(tokens, i)
        args.append(found)
        if tokens[i] == ",":
            i += 1
    return args, i + 1


@remembering(1 << 12)  # the rules' constants: a few hundred
def _constant(name: str) -> str:
    return clause_id(name) if CLAUSE_CONST.match(name) else name


def _derivations(rows: list[list[int]], term: Callable[[int], Term]) -> dict[int, Derivations]:
    """Each case's derivations from the vectorised dated part's recording rows (index, rule number, head,
    body: codes of the chunk's terms), as the text clingo prints would be read (_why): each code once."""
    values: dict[int, Any] = {}
    cases: dict[int, Derivations] = {}
    for index, number, head, body in rows:
        if (h := values.get(head)) is None:
            h = values[head] = _python(term(head))
        if (b := values.get(body)) is None:
            b = values[body] = _python(term(body))
        into = cases.get(index)
        if into is None:
            into = cases[index] = {}
        _add(into, h, (number, b[1:] if isinstance(b, tuple) else ()))
    return {i: _ordered(d) for i, d in cases.items()}


def _python(term: Term):
    """A term of engine.dated as inputs.value gives its symbol (day(N) → ISO date, f(x) → (f, x) …)."""
    if isinstance(term, int):
        return term
    if term[0] == "f":
        name = term[1]
        if len(term) == 2:
            return _constant(name)
        if name == "day" and len(term) == 3 and type(term[2]) is int:
            return date_of(term[2]).isoformat()
        return (name, *[a if type(a) is int else _python(a) for a in term[2:]])  # a call less per number
    if term[0] == "s":
        return term[1]
    from .dated import symbol_of

    return value(symbol_of(term))  # #inf, #sup: rules' constants, never a case's


def _recorded(texts: Iterable[str], into: Derivations) -> list[str]:
    """One case's shown atoms without its index (``_why_of(N,Head,Body)`` for a recording one): the
    derivations recorded added to ``into``, the other atoms returned."""
    shown = []
    for text in texts:
        if text.startswith("_why_of("):
            _add(into, *_why(text[8:]))
        else:
            shown.append(text)
    return shown


def _records(atoms: Sequence[str]) -> tuple[list[str], list[str]]:
    """Shown atoms as clingo prints them: the recording ones, and the others."""
    why: list[str] = []
    shown: list[str] = []
    for a in atoms:
        (why if a.startswith("_why") else shown).append(a)
    return why, shown


def _shows_case_free_records(statement: ast.AST) -> bool:
    return statement.ast_type == ast.ASTType.ShowSignature and (statement.name, statement.arity) == ("_why", 3)


def _merged(bottom: Derivations, top: Derivations | None) -> Derivations:
    """A case's derivations: its fact set's and its own (the dated rules'); the fact set's lists not changed."""
    if not top:
        return bottom
    out = dict(bottom)
    for atom, found in top.items():
        out[atom] = [*out[atom], *found] if atom in out else found
    return out


class Tracer:
    """The recording rules of one rule set, and runs that read them.

    As engine.evaluate does, the rules (with their recording rules) are split at the dates: the
    facts-only part is grounded once per fact set and what it records remembered; the dated part is
    grounded for all the cases of a call in one program, on their dates and the interface atoms.
    """

    def __init__(self, rules: RuleSet, *, compiled: bool = True):
        """``compiled=False``: the facts-only part always grounded by clingo (what the tests compare with)."""
        self.rules, self._compile = rules, compiled
        self._memory = Memory(MEMORY)  # fact set → its FactTrace
        self._answers = Memory(MEMORY)  # a compiled answer's bits → its shown atoms, interface and derivations

    @cached_property
    def _instrumented(self) -> tuple[tuple[ast.AST, ...], dict[int, RuleInfo]]:
        def clauses_of(rule: ast.AST) -> tuple[str, ...]:
            return tuple(clause_id(c) for c in sorted(clause_constants(rule)))

        extra, infos = instrument(self.rules.statements, self.rules.relative, clauses_of)
        return tuple(extra), infos

    @property
    def infos(self) -> dict[int, RuleInfo]:
        """What each numbered rule is."""
        return self._instrumented[1]

    @cached_property
    def _split(self) -> Split:
        """The rules and their recording rules, split at the dates (a recording rule reads what its rule reads)."""
        return split((*self.rules.statements, *self._instrumented[0]))

    @cached_property
    def _static(self) -> tuple[tuple[clingo.Symbol, ...], Derivations]:
        """The facts-only part without cases: the interface atoms no case carries (tables the dated
        rules read) and the derivations of the case-free atoms."""
        ctl = control(self._split.bottom)
        ground(ctl)
        shown, kept = one_answer(ctl, self.rules.name, self._split.interface)
        _, shared = read_records(_records([str(s) for s in shown])[0])
        return tuple(kept), shared

    @cached_property
    def compiled(self) -> Program | Unsupported:
        """The facts-only part with its recording rules as clingo's ground program (engine.compiled), or why
        not. The case-free records are the static ones: not shown there."""
        from .compiled import Unsupported, compile_bottom  # numpy, for the calls that trace many cases

        if not self._compile:
            return Unsupported("not compiled: the tracer was asked for clingo's path")
        bottom = [s for s in self._split.bottom if not _shows_case_free_records(s)]
        rules = self.rules
        return compile_bottom(bottom, self._split.interface, self._static[0], rules.name, rules.relative)

    def trace(
        self,
        cases: Sequence[Case],
        as_of: dt.date | None = None,
        effective_date: dt.date | None = None,
    ) -> tuple[list[tuple[Result, Trace]], dict]:
        """Evaluate the cases with the derivations recorded: each result with its trace, and the
        derivations of the case-free atoms (tables such as modality/2, blocks/2)."""
        with uncollected():  # as engine.evaluate: many small objects, no cycles
            return self._trace(cases, as_of or dt.date.today(), effective_date)

    def _trace(
        self, cases: Sequence[Case], as_of: dt.date, effective_date: dt.date | None
    ) -> tuple[list[tuple[Result, Trace]], dict]:
        facts = remembered(self._memory, cases, self._bottom)
        distinct = list({id(f): f for f in facts}.values())
        which = {id(f): i for i, f in enumerate(distinct)}
        positions = [which[id(f)] for f in facts]
        own, shown, top_shared = self._top(cases, facts, distinct, positions, as_of, effective_date)
        rules = self.rules
        shared = [f.shown for f in distinct]
        results = read_grouped(shown, cases, rules.profile, rules.sha256, as_of, shared, positions)
        traces = [Trace(_merged(f.derivations, own.get(i)), i) for i, f in enumerate(facts)]
        return list(zip(results, traces, strict=True)), _merged(self._static[1], top_shared)

    def _top(
        self,
        cases: Sequence[Case],
        facts: Sequence[FactTrace],
        distinct: Sequence[FactTrace],
        positions: list[int],
        as_of: dt.date,
        effective_date: dt.date | None,
    ) -> tuple[dict[int, Derivations], dict[int, list[str]], Derivations]:
        """The dated part for all the cases of a call: each case's derivations and other shown atoms (as
        engine.read.by_case groups them), and the case-free derivations. Evaluated vectorised as
        engine.evaluate evaluates it (engine.dated) where it can be, else in one grounding."""
        import numpy as np  # as for the compiled bottom: only for the calls that trace many cases

        from .dated import OutOfRange, Top, given_tables, grouped

        top = self.dated if len(cases) > FEW or "dated" in self.__dict__ else None
        if isinstance(top, Top):
            try:
                inputs = params(as_of, effective_date)
                chunk, tables = given_tables(top, cases, distinct, np.array(positions), self._static[0], inputs, False)
            except OutOfRange:
                pass
            else:
                records = tables.pop(("_why_of", 4), None)
                own = _derivations(records.tolist(), chunk.terms.term) if records is not None else {}
                return own, grouped(chunk, tables, len(cases)), {}
        why, shown = _records(self._ground_top(cases, facts, as_of, effective_date))
        own, top_shared = read_records(why)
        return own, by_case(shown), top_shared

    @cached_property
    def dated(self) -> Top | Unsupported:
        """The dated part with its recording rules planned for vectorised evaluation (engine.dated), or why
        not: as engine.evaluate plans its own, unless the dated rules record case-free derivations (the
        vectorised evaluation gives only the cases' atoms)."""
        from .compiled import Unsupported
        from .dated import compile_top

        if not self._compile:
            return Unsupported("not compiled: the tracer was asked for clingo's path")
        top = self._split.top
        if any(s.ast_type == ast.ASTType.Rule and ("_why", 3) in signatures(s.head) for s in top):
            return Unsupported("the dated rules record case-free derivations")
        known = list(self._static[0])
        if not isinstance(program := self.compiled, Unsupported):
            known += [a for _, args in program.interface_atoms for a in args]
        return compile_top(top, self.rules.name, self.rules.relative, known)

    def _ground_top(
        self, cases: Sequence[Case], facts: Sequence[FactTrace], as_of: dt.date, effective_date: dt.date | None
    ) -> list[str]:
        """The shown atoms of the dated part, for all the cases in one grounding."""
        ctl = control(self._split.top)
        with ctl.backend() as backend:
            add_all(backend, params(as_of, effective_date))
            add_all(backend, self._static[0])
            add_calendar(backend, cases)  # once for all: the cases share their days
            for index, (case, fact) in enumerate(zip(cases, facts, strict=True)):
                add_dates(backend, index, case)
                for name, args in fact.interface:
                    add_fact(backend, clingo.Function(name, [kept_number(index), *args]))
        ground(ctl)
        return [str(s) for s in one_answer(ctl, self.rules.name)[0]]

    def _bottom(self, cases: list[Case]) -> list[FactTrace]:
        """The facts-only part for one case of each new fact set: compiled, else in one grounding. Fact sets
        with the same answer share its atoms and derivations, not the trees built from them (an explanation
        of what does not hold reads facts no derivation names)."""
        from .compiled import Unsupported

        if len(cases) <= FEW and "compiled" not in self.__dict__:
            return self._ground_bottom(cases)  # a call about a case or two: not worth compiling for
        program = self.compiled
        if isinstance(program, Unsupported):
            return self._ground_bottom(cases)
        found, which = program.distinct(cases, self._answers, self._read_answers)
        return [
            FactTrace(shown, interface, derivations)
            for shown, interface, derivations in (found[i] for i in which.tolist())
        ]

    def _read_answers(self, bits) -> list[tuple[Shared, tuple, Derivations]]:
        """Compiled answers (a row of bits each): their shown atoms, interface atoms and derivations."""
        from .compiled import Program, columns

        program = self.compiled
        assert isinstance(program, Program)
        texts, interface, out = program.shown, program.interface_atoms, []
        for atoms in columns(bits):
            derivations: Derivations = {}
            shown = _recorded((texts[c] for c in atoms if c < len(texts)), derivations)
            kept = tuple(interface[c - len(texts)] for c in atoms if c >= len(texts))
            out.append((Shared.of(shown), kept, _ordered(derivations)))
        return out

    def _ground_bottom(self, cases: list[Case]) -> list[FactTrace]:
        """The facts-only part for one case of each new fact set, in one grounding."""
        ctl = control(self._split.bottom)
        with ctl.backend() as backend:
            for index, case in enumerate(cases):
                add_facts(backend, index, fact_words(case))
        ground(ctl)
        symbols, kept = one_answer(ctl, self.rules.name, self._split.interface)
        why, shown = _records([str(s) for s in symbols])
        own, _ = read_records(why)  # the case-free records are the static ones
        grouped = by_case(shown)
        static = set(self._static[0])
        interface: dict[int, list] = {}
        for symbol in kept:
            if symbol not in static and symbol.arguments[0].type == clingo.SymbolType.Number:
                interface.setdefault(symbol.arguments[0].number, []).append((symbol.name, tuple(symbol.arguments[1:])))
        return [
            FactTrace(Shared.of(grouped.get(i, ())), tuple(interface.get(i, ())), own.get(i, {}))
            for i in range(len(cases))
        ]
