"""Walking the clingo AST of the rules: every node under a statement, and the atoms in it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import clingo
from clingo import ast

Signature = tuple[str, int]
CLAUSE_CONST = re.compile(r"^a\d+(?:_p\d+(?:_i\d+)?)?$")  # a11_p1_i6: how the rules name a clause


_CHILD_KEYS: dict[ast.ASTType, list[str]] = {}  # child_keys by node type: clingo builds the list on every access


def children(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes right under ``node``, in the order of its child keys."""
    keys = _CHILD_KEYS.get(node.ast_type)
    if keys is None:
        keys = _CHILD_KEYS[node.ast_type] = node.child_keys
    for key in keys:
        child = getattr(node, key)  # a node, an optional node (None) or a sequence of nodes
        if isinstance(child, ast.AST):
            yield child
        elif child is not None:
            for item in child:
                if isinstance(item, ast.AST):
                    yield item


def walk(node: ast.AST) -> Iterator[ast.AST]:
    """``node`` and every node under it, parents first."""
    yield node
    for child in children(node):
        yield from walk(child)


def symbolic_atoms(node: ast.AST) -> Iterator[ast.AST]:
    """The symbolic atoms under ``node``; what is under an atom (its terms) is not walked: it holds no atom."""
    if node.ast_type == ast.ASTType.SymbolicAtom:
        yield node
        return
    for child in children(node):
        yield from symbolic_atoms(child)


def _atom_terms(node: ast.AST) -> Iterator[ast.AST]:
    """The term of every symbolic atom under ``node``, a Function or a SymbolicTerm (a classical negation -p as p)."""
    for found in symbolic_atoms(node):
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
    return survey(node)[1]


def survey(node: ast.AST) -> tuple[list[tuple[str, list]], set[str]]:
    """atoms(node) and clause_constants(node) in one walk (each walk costs a call into clingo per node)."""
    found: list[tuple[str, list]] = []
    constants = set()
    for n in walk(node):
        kind = n.ast_type
        if kind == ast.ASTType.SymbolicAtom:
            term = n.symbol
            if term.ast_type == ast.ASTType.UnaryOperation:
                term = term.argument
            if term.ast_type == ast.ASTType.Function:
                found.append((term.name, list(term.arguments)))
            elif term.ast_type == ast.ASTType.SymbolicTerm:
                found.append((term.symbol.name, []))
        elif kind == ast.ASTType.Function and not n.arguments and CLAUSE_CONST.match(n.name):
            constants.add(n.name)
        elif kind == ast.ASTType.SymbolicTerm:
            symbol = n.symbol
            if symbol.type == clingo.SymbolType.Function and CLAUSE_CONST.match(symbol.name):
                constants.add(symbol.name)
    return found, constants
