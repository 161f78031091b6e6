"""Walking the clingo AST of the rules: every node under a statement, and the atoms in it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import clingo
from clingo import ast

Signature = tuple[str, int]
CLAUSE_CONST = re.compile(r"^a\d+(?:_p\d+(?:_i\d+)?)?$")  # a11_p1_i6: how the rules name a clause


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and every node under it, parents first."""
    yield node
    for key in node.child_keys:
        child = getattr(node, key)
        for item in child if isinstance(child, (list, ast.ASTSequence)) else [child]:
            if isinstance(item, ast.AST):
                yield from walk(item)


def _symbolic_atoms(node: ast.AST) -> Iterator[ast.AST]:
    """The symbolic atoms under ``node``; what is under an atom (its terms) is not walked: it holds no atom."""
    if node.ast_type == ast.ASTType.SymbolicAtom:
        yield node
        return
    for key in node.child_keys:
        child = getattr(node, key)
        for item in child if isinstance(child, (list, ast.ASTSequence)) else [child]:
            if isinstance(item, ast.AST):
                yield from _symbolic_atoms(item)


def _atom_terms(node: ast.AST) -> Iterator[ast.AST]:
    """The term of every symbolic atom under ``node``, a Function or a SymbolicTerm (a classical negation -p as p)."""
    for found in _symbolic_atoms(node):
        term = found.symbol
        if term.ast_type == ast.ASTType.UnaryOperation:
            term = term.argument
        if term.ast_type in (ast.ASTType.Function, ast.ASTType.SymbolicTerm):
            yield term


def atoms(node: ast.AST) -> Iterator[tuple[str, list]]:
    """Name and arguments of every symbolic atom under ``node`` (a classical negation -p counts as p)."""
    for term in _atom_terms(node):
        if term.ast_type == ast.ASTType.Function:
            yield term.name, list(term.arguments)
        else:
            yield term.symbol.name, []


def signatures(node: ast.AST) -> Iterator[Signature]:
    """Name and arity of every symbolic atom under ``node`` (as atoms(), without copying the arguments)."""
    for term in _atom_terms(node):
        if term.ast_type == ast.ASTType.Function:
            yield term.name, len(term.arguments)
        else:
            yield term.symbol.name, 0


def clause_constants(node: ast.AST) -> set[str]:
    """The clause constants (a11_p1_i6) a statement names."""
    found = set()
    for n in walk(node):
        if n.ast_type == ast.ASTType.Function and not n.arguments and CLAUSE_CONST.match(n.name):
            found.add(n.name)
        if (
            n.ast_type == ast.ASTType.SymbolicTerm
            and n.symbol.type == clingo.SymbolType.Function
            and CLAUSE_CONST.match(n.symbol.name)
        ):
            found.add(n.symbol.name)
    return found
