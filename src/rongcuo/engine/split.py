"""The rule base split at the dates, so that most of it is evaluated once per distinct set of facts.

Most rules read only a case's facts; a few read its dates or the parameters
(a14's notice, a17's deadline, a20's commencement, a18's labels). The rules
that read nothing dated — the *bottom* — give the same atoms to every case
with the same true facts, so they are grounded once per distinct fact set;
the *top* is grounded per case, on its dates and on the bottom atoms its
rules read (the *interface*), which it is given as facts. By the splitting
set theorem (Lifschitz and Turner, 1994) the bottom's answer and the top's
together are the answer of the whole program: nothing in the bottom depends
on the top, because every rule that reads a top predicate is itself top.

The split is read off the rules' AST (a fixpoint over the predicates the
rules read and define), so a drafter's rule that makes an outcome depend on a
date simply moves into the top, with what it reads. Like the rest of the
engine it assumes the rules are case-local: a case's atoms carry its index
first and depend only on that case's input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from clingo import ast

from .inputs import DATED_INPUT
from .syntax import Signature, signatures

TOP_INPUT: frozenset[Signature] = DATED_INPUT  # the input the facts do not carry: dates, parameters, labels
# Statements without atoms, which both parts keep: #show p/n, #defined, #program, #const, #script.
SHARED = frozenset(
    {ast.ASTType.ShowSignature, ast.ASTType.Defined, ast.ASTType.Program, ast.ASTType.Definition, ast.ASTType.Script}
)


@dataclass(frozen=True)
class Split:
    bottom: tuple[ast.AST, ...]  # rules that read facts only (and the SHARED statements)
    top: tuple[ast.AST, ...]  # rules that read dates, parameters, labels, or what such rules define
    interface: frozenset[Signature]  # what top rules read of the bottom


def split(statements: Iterable[ast.AST]) -> Split:
    statements = [s for s in statements if s.ast_type != ast.ASTType.Comment]
    shared = [s for s in statements if s.ast_type in SHARED]
    rules = [(s, *_signatures(s)) for s in statements if s.ast_type not in SHARED]
    top_defined: set[Signature] = set()
    top: set[int] = set()
    while True:  # a rule is top when it reads a top input or what a top rule defines
        more = {i for i, (_, _, reads) in enumerate(rules) if i not in top and reads & (TOP_INPUT | top_defined)}
        if not more:
            break
        top |= more
        top_defined |= {sig for i in more for sig in rules[i][1]}
    bottom_defined = {sig for i, (_, defines, _) in enumerate(rules) if i not in top for sig in defines}
    top_reads = {sig for i in top for sig in rules[i][2]}
    interface = {sig for sig in top_reads - TOP_INPUT if sig in bottom_defined or sig not in top_defined}
    return Split(
        bottom=tuple([*shared, *(r for i, (r, _, _) in enumerate(rules) if i not in top)]),
        top=tuple([*shared, *(r for i, (r, _, _) in enumerate(rules) if i in top)]),
        interface=frozenset(interface),
    )


def _signatures(statement: ast.AST) -> tuple[set[Signature], set[Signature]]:
    """What a statement defines and what it reads. A plain head only defines; the
    atoms of a choice or disjunction, and of any other statement, count as both."""
    if statement.ast_type == ast.ASTType.Rule:
        head, body = statement.head, statement.body
        defines = set(signatures(head))
        reads = {sig for literal in body for sig in signatures(literal)}
        if head.ast_type != ast.ASTType.Literal:
            reads |= defines
        return defines, reads
    found = set(signatures(statement))
    return found, found
