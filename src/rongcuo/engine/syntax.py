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


def atoms(node: ast.AST) -> Iterator[tuple[str, list]]:
    """Name and arguments of every symbolic atom under ``node`` (a classical negation -p counts as p)."""
    for found in walk(node):
        if found.ast_type == ast.ASTType.SymbolicAtom:
            term = found.symbol
            if term.ast_type == ast.ASTType.UnaryOperation:
                term = term.argument
            if term.ast_type == ast.ASTType.Function:
                yield term.name, list(term.arguments)
            elif term.ast_type == ast.ASTType.SymbolicTerm:
                yield term.symbol.name, []


def signatures(node: ast.AST) -> Iterator[Signature]:
    for name, args in atoms(node):
        yield name, len(args)


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
