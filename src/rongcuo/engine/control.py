"""A Control holding rules: one way to build it, to ground it, and to read its one answer.

Every solver run of the engine — evaluation, traces, what-if, open world, the
corpus rules, the drafting space — starts from :func:`control`: the rules as
clingo AST statements plus the vocabulary's fact numbers. Case facts are then
added through the backend (engine.inputs), never as program text.
"""

from __future__ import annotations

import re
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
    errors: list[str] = []  # what clingo says when it will not ground the rules (ground reads it)
    ctl = clingo.Control(["--warn=none", *arguments], logger=lambda _, message: errors.append(message))
    ctl.errors = errors  # type: ignore[attr-defined]  # a Control is a plain Python object
    with ast.ProgramBuilder(ctl) as builder:
        for statement in statements:
            builder.add(statement)
    with ctl.backend() as backend:
        add_all(backend, fact_numbers())
    return ctl


def ground(ctl: clingo.Control, context: object = None) -> None:
    """The base program ground; rules clingo will not ground (an unsafe variable: it says so only here) are
    refused in one line, with clingo's own words and the rule's place."""
    try:
        ctl.ground([("base", [])], context=context)
    except RuntimeError as e:
        said = [" ".join(line.strip() for line in m.splitlines()) for m in getattr(ctl, "errors", ())]
        if not said:  # not the rules' fault (an allocation that failed): as it is
            raise
        more = f" (+{len(said) - 1})" if len(said) > 1 else ""
        raise RuleError("errors.rules_do_not_ground", detail=_WHERE.sub(r"\1/", said[0]) + more) from e


# A rule file's place as clingo writes it, from the rule base's folder on (a draft is merged in a temporary one).
_WHERE = re.compile(r"/(?:[^\s:]*/)?(rules|readings|profiles|checks|corpus)/")


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
