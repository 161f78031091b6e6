"""Several versions of a rule base in one program, and every rule numbered.

A clingo AST pass rewrites each derived predicate ``p(X…)`` of a rule base to
``p(V, X…)``, V the version's name, so two versions (or a rule base and its
copy with one rule switched off) are ground over one shared scenario and the
solver can compare them. The input predicates (:data:`INPUT`) stay shared.

Rule ``N`` of a version can be instrumented:

    _fires(N) :- Body.            the rule fires in the scenario (``fires``)
    Head :- Body, not _off(N).    the rule can be switched off (``guard``)

and each ``#show p/n`` becomes ``_shown(V, C, p, (X2,…,Xn))`` with C the case
index (the first argument of every shown atom), so versions are compared on
what they show.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import clingo
from clingo import ast

from ..errors import RuleError
from ..inputs import INPUT
from ..program import relative
from ..syntax import Signature, atoms, signatures, symbolic_atoms


@dataclass(frozen=True)
class RuleRef:
    """One rule of a rule base: its number in the program, a stable id, where it is."""

    number: int
    id: str  # sha1 of file and text: stable when other rules move
    file: str
    line: int
    text: str
    heads: frozenset[Signature]  # predicates it derives
    needs: frozenset[Signature]  # predicates of its positive body literals
    reads: frozenset[Signature]  # every predicate of its body

    @property
    def is_fact(self) -> bool:
        return not self.reads


def numbered(statements: Sequence[ast.AST], root: Path) -> list[RuleRef]:
    """The rules of a rule base (integrity constraints aside), numbered in program order."""
    refs = []
    files: dict[str, str] = {}  # each file resolved once, not once per rule
    for number, rule in enumerate(_rules(statements)):
        loc = rule.location.begin
        file = files.get(loc.filename) or files.setdefault(loc.filename, relative(root, Path(loc.filename)))
        text = str(rule)
        body = [(lit, list(signatures(lit))) for lit in rule.body]  # each literal walked once
        refs.append(
            RuleRef(
                number,
                hashlib.sha1(f"{file}\0{text}".encode()).hexdigest()[:10],
                file,
                loc.line,
                text,
                frozenset(signatures(rule.head)),
                frozenset(s for lit, sigs in body if _positive(lit) for s in sigs),
                frozenset(s for _, sigs in body for s in sigs),
            )
        )
    return refs


def shown(statements: Sequence[ast.AST]) -> set[Signature]:
    return {(s.name, s.arity) for s in statements if s.ast_type == ast.ASTType.ShowSignature and s.positive}


def declared(statements: Sequence[ast.AST], predicate: str) -> list[tuple[str, str]]:
    """The constants C of the heads ``predicate(C)`` (the names a drafter gives), with their files."""
    found: dict[str, str] = {}
    for s in statements:
        if s.ast_type == ast.ASTType.Rule:
            for name, args in atoms(s.head):
                if name == predicate and len(args) == 1 and args[0].ast_type == ast.ASTType.SymbolicTerm:
                    path = Path(s.location.begin.filename)
                    found.setdefault(str(args[0].symbol), f"{path.parent.name}/{path.name}")
    return list(found.items())


def versioned(
    statements: Sequence[ast.AST], version: str, *, fires: bool = False, guard: bool = False
) -> list[ast.AST]:
    """The statements of one version, its derived predicates tagged with ``version``."""
    tag = _Tag(version)
    out: list[ast.AST] = []
    number = -1
    for s in statements:
        kind = s.ast_type
        if kind == ast.ASTType.ShowSignature:
            if s.positive:
                out.extend(_observer(version, s.name, s.arity))
        elif kind == ast.ASTType.ShowTerm:
            where = f"{s.location.begin.filename}:{s.location.begin.line}"
            raise RuleError("errors.rules_show_term", where=where)
        elif kind == ast.ASTType.Defined:
            out.append(s if (s.name, s.arity) in INPUT else s.update(arity=s.arity + 1))
        elif kind == ast.ASTType.Rule and not _is_constraint(s):
            number += 1
            out.extend(_instrumented(tag(s), number, fires, guard))
        else:
            out.append(tag(s))
    return out


def _instrumented(rule: ast.AST, number: int, fires: bool, guard: bool) -> Iterator[ast.AST]:
    loc = rule.location
    n = ast.SymbolicTerm(loc, clingo.Number(number))
    if fires:
        yield ast.Rule(
            loc, ast.Literal(loc, ast.Sign.NoSign, ast.SymbolicAtom(ast.Function(loc, "_fires", [n], 0))), rule.body
        )
    if guard:
        off = ast.SymbolicAtom(ast.Function(loc, "_off", [n], 0))
        yield ast.External(loc, off, [], ast.SymbolicTerm(loc, clingo.Function("false")))
        rule = rule.update(body=[*rule.body, ast.Literal(loc, ast.Sign.Negation, off)])
    yield rule


class _Tag:
    """p(X…) → p(V, X…) for every predicate that is not input: on a deep copy of the statement, each
    atom's arguments changed in place (half the cost of rebuilding every node on the way to it)."""

    def __init__(self, version: str):
        self.version = clingo.Function(version)

    def __call__(self, statement: ast.AST) -> ast.AST:
        tagged = copy.deepcopy(statement)
        for atom in symbolic_atoms(tagged):
            self._tag(atom)
        return tagged

    def _tag(self, atom: ast.AST) -> None:
        holder, key, term = atom, "symbol", atom.symbol
        if term.ast_type == ast.ASTType.UnaryOperation:  # classical negation -p(X)
            holder, key, term = term, "argument", term.argument
        loc = term.location
        if term.ast_type == ast.ASTType.SymbolicTerm:  # a constant atom: p
            name, arity = term.symbol.name, len(term.symbol.arguments)
            if (name, arity) not in INPUT:
                arguments = [ast.SymbolicTerm(loc, a) for a in term.symbol.arguments]
                setattr(holder, key, ast.Function(loc, name, [ast.SymbolicTerm(loc, self.version), *arguments], 0))
        elif (term.name, len(term.arguments)) not in INPUT:
            term.arguments.insert(0, ast.SymbolicTerm(loc, self.version))


def _observer(version: str, name: str, arity: int) -> list[ast.AST]:
    """``_shown(V, C, p, (X2,…)) :- p(V, C, X2, …).`` for ``#show p/n``."""
    xs = [f"X{i}" for i in range(arity)]
    case, rest = (xs[0], xs[1:]) if xs else ("none", [])
    args = ", ".join([version, *xs])
    text = f"_shown({version}, {case}, {name}, ({''.join(x + ',' for x in rest)})) :- {name}({args})."
    out: list[ast.AST] = []
    ast.parse_string(text, lambda s: out.append(s) if s.ast_type == ast.ASTType.Rule else None)
    return out


def _rules(statements: Sequence[ast.AST]) -> Iterator[ast.AST]:
    for s in statements:
        if s.ast_type == ast.ASTType.Rule and not _is_constraint(s):
            yield s


def _is_constraint(rule: ast.AST) -> bool:
    head = rule.head
    return head.ast_type == ast.ASTType.Literal and head.atom.ast_type == ast.ASTType.BooleanConstant


def _positive(lit: ast.AST) -> bool:
    return (
        lit.ast_type == ast.ASTType.Literal
        and lit.sign == ast.Sign.NoSign
        and lit.atom.ast_type == ast.ASTType.SymbolicAtom
    )
