"""A Control holding rules: one way to build it, one way to read its one answer.

Every solver run of the engine — evaluation, traces, what-if, open world, the
corpus rules, the drafting space — starts from :func:`control`: the rules as
clingo AST statements plus the vocabulary's fact numbers. Case facts are then
added through the backend (engine.inputs), never as program text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import clingo
from clingo import ast

from .deadline import models
from .errors import RuleError
from .inputs import add_all, fact_numbers
from .syntax import Signature


def control(statements: Sequence[ast.AST], arguments: Sequence[str] = ()) -> clingo.Control:
    """A fresh Control holding ``statements`` and the fact numbers (cases are added by the caller)."""
    ctl = clingo.Control(["--warn=none", *arguments])
    with ast.ProgramBuilder(ctl) as builder:
        for statement in statements:
            builder.add(statement)
    with ctl.backend() as backend:
        add_all(backend, fact_numbers())
    return ctl


def solving(ctl: clingo.Control) -> clingo.Configuration:
    """The solve options of a Control (clingo types the group loosely)."""
    return cast(clingo.Configuration, ctl.configuration.solve)


def one_answer(
    ctl: clingo.Control, name: str, keep: frozenset[Signature] = frozenset()
) -> tuple[Sequence[clingo.Symbol], list[clingo.Symbol]]:
    """The shown atoms of the one answer set, and its atoms of the signatures in ``keep``.

    The rules are stratified, so there is exactly one; none or several is the rule set's fault (``name``)."""
    solving(ctl).models = "2"  # a second model, if there is one, is the fault to report
    found = []
    with ctl.solve(yield_=True, async_=True) as handle:
        for model in models(handle):
            kept = [
                a.symbol
                for sig, arity in sorted(keep)
                for positive in (True, False)
                for a in ctl.symbolic_atoms.by_signature(sig, arity, positive)
                if model.is_true(a.literal)
            ]
            found.append((model.symbols(shown=True), kept))
            if len(found) > 1:
                raise RuleError("errors.ambiguous", name=name)
    if not found:
        raise RuleError("errors.no_answer_set", name=name)
    return found[0]
