"""Walking the clingo AST of the rules: every node under a statement, and the atoms in it."""

from __future__ import annotations

from collections.abc import Iterator

from clingo import ast

Signature = tuple[str, int]


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
