"""`rongcuo check`: conflicts, dead and redundant rules, inert facts — each a
search over the whole scenario space, so "none" is a proof, not a sample.

Two programs share the queries of check.lp: one holds the rule base
(``full``, instrumented with ``_fires/1``), the drafters' checks and the twin
case of the inert-fact questions; the other the rule base twice (the same
``full``, and ``cut``, whose rules ``_off/1`` switches off one at a time) for
the questions of redundancy — each search assigns only the atoms its questions
read. Every query is a solver call with assumptions on one of the two
groundings. A family of questions — which checks are violated, which rules
fire, change the result, which facts change anything — is one search of brave
consequences; a minimal witness, one search each.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ..engine import RuleError
from ..engine.inputs import INPUT
from ..engine.space import PRODUCED, RuleRef, Space, declared, numbered, programs, shown, versioned
from ..model import vocabulary as vocab
from .reach import reach
from .size import Size, size
from .sources import Version
from .witness import Witness, evaluate, witness


@dataclass(frozen=True)
class Check:
    """A conflict check of measure/checks/: proved, refuted (with a witness), or not applicable."""

    name: str
    file: str
    status: str  # proved | conflict | not_applicable
    witness: Witness | None = None


@dataclass(frozen=True)
class RuleFinding:
    rule: RuleRef
    kind: str  # dead | rejected_only | redundant | grounds_only
    witness: Witness | None = None
    facts: tuple[str, ...] = ()  # rejected_only: a contradictory input that fires it


@dataclass
class Report:
    version: Version
    size: Size
    checks: list[Check]
    rules: list[RuleFinding]
    inert: list[str]  # facts that never change anything shown
    never_decisive: list[str]  # facts that never change the disposition
    examined: int  # rules searched
    outside: list[RuleRef]  # rules that read input the space does not produce
    unread: list[RuleRef]  # rules no shown atom depends on
    seconds: float = 0.0
    fallback: str | None = None  # why many cases' facts-only rules evaluate on clingo's path, not compiled
    dated_fallback: str | None = None  # … and why their dated rules do, not vectorised (engine.dated)
    witnesses: list[Witness] = field(default_factory=list)

    @property
    def conflicts(self) -> list[Check]:
        return [c for c in self.checks if c.status == "conflict"]

    def of_kind(self, kind: str) -> list[RuleFinding]:
        return [f for f in self.rules if f.kind == kind]


def check(version: Version, days: int | None = None) -> Report:
    """``days``: the window of dates (None: the one the rules' date arithmetic needs, drafting.reach)."""
    start = time.perf_counter()
    statements = version.rules.statements
    looks = reach([*statements, *version.checks], version.rules.root)
    days = looks.days if days is None else days
    refs = numbered(statements, version.rules.root)
    outside, unread = static(refs, shown(statements))
    conditional = [name for name, _ in declared(version.checks, "condition")]
    queries = programs("observe.lp", "check.lp")
    facts = [f"_conditional({n})" for n in conditional]
    full = versioned(statements, "full", fires=True)
    space = Space(
        [*full, *versioned(version.checks, "full"), *queries],
        days=days,
        twin=True,
        facts=facts,
    )
    cut = Space([*full, *versioned(statements, "cut", guard=True), *queries], days=days, facts=facts)
    if not space.holds():  # no scenario at all: every "proved" below would be vacuous
        raise RuleError("errors.rules_inconsistent", name=version.name)
    valid = _asked(space, "valid")
    checks = [
        _check(space, name, file, name in conditional, valid) for name, file in declared(version.checks, "conflict")
    ]
    refs.sort(key=lambda r: (r.file, r.line))  # report in the files' order; numbers stay as ground
    examined = [r for r in refs if r.number not in outside | unread]
    fire = {r.number for r in examined if r.is_fact or f"fires({r.number})" in valid}
    needed = _asked(cut, "changes", "_any_input", free=[f"_off({n})" for n in sorted(fire)])
    findings = [f for r in examined if (f := _rule(space, cut, r, r.number in fire, str(r.number) in needed))]
    inert, never_decisive = _facts(space)
    pairs = [(f, g) for v, c, f, g in space.possible("contradiction", 4) if (v, c) == ("full", 0)]
    orders = [(k, lt, r) for v, k, lt, r in space.possible("date_order", 4) if v == "full"]
    report = Report(
        version,
        replace(size(days, pairs, orders), short=looks.short(days), needed=looks.days),
        checks,
        findings,
        inert,
        never_decisive,
        len(examined),
        [r for r in refs if r.number in outside],
        [r for r in refs if r.number in unread],
    )
    report.witnesses = [w for w in [*(c.witness for c in checks), *(f.witness for f in findings)] if w]
    evaluate(report.witnesses, {version.name: version.rules})
    report.fallback, report.dated_fallback = version.rules.evaluator.fallback, version.rules.evaluator.dated_fallback
    report.seconds = time.perf_counter() - start
    return report


def static(refs: list[RuleRef], shown_signatures: set) -> tuple[set[int], set[int]]:
    """Rules outside the queries, read off the rules' text: those that need input the
    space does not produce (input.lp's unpacking of word/3 and dates/7), and those no shown atom
    depends on (tables for the clause ledger, such as not_computable/2)."""
    missing = INPUT - PRODUCED
    outside: set[int] = set()
    while True:
        more = {r.number for r in refs if r.number not in outside and r.needs & missing}
        if not more:
            break
        outside |= more
        derivable = {s for r in refs if r.number not in outside for s in r.heads}
        missing |= {s for r in refs for s in r.heads if s not in derivable and s not in INPUT}
    needed = set(shown_signatures)
    while reads := {s for r in refs if r.number not in outside and r.heads & needed for s in r.reads} - needed:
        needed |= reads
    return outside, {r.number for r in refs if r.number not in outside and not r.heads & needed}


def _asked(space: Space, family: str, *assume: str, free: Iterable[str] = ()) -> set[str]:
    """The X of check.lp's ``_asked(family, X)`` that some scenario makes true: the family in one search."""
    return {str(x) for k, x in (a.arguments for a in space.brave("_asked", 2, f"_ask({family})", *assume, free=free))}


def _check(space: Space, name: str, file: str, conditional: bool, valid: set[str]) -> Check:
    """``valid``: what some valid scenario makes true (check.lp's family valid)."""
    if f"violated({name})" in valid and (found := space.find(f"violated({name})")):
        return Check(name, file, "conflict", witness(found, f"conflict-{name}", f"conflict {name}"))
    if conditional and f"applies({name})" not in valid:
        return Check(name, file, "not_applicable")
    return Check(name, file, "proved")


def _rule(space: Space, cut: Space, rule: RuleRef, fires: bool, changes: bool) -> RuleFinding | None:
    """``changes``: switching the rule off changes the result of some input (it is needed); ``cut``: the
    program with the rules that can be switched off."""
    n = rule.number
    if not fires:
        rejected = space.find(f"_fires({n})", "_any_input")
        return RuleFinding(rule, "rejected_only", facts=rejected.facts) if rejected else RuleFinding(rule, "dead")
    if changes:
        return None
    if found := cut.find(f"_off({n})", "differ(redundancy,shown)", "_any_input"):
        key = f"grounds-only-{rule.file.rsplit('/', 1)[-1].removesuffix('.lp')}-{rule.line}"
        return RuleFinding(rule, "grounds_only", witness(found, key, f"{rule.file}:{rule.line} {rule.text}"))
    return RuleFinding(rule, "redundant")


def _facts(space: Space) -> tuple[list[str], list[str]]:
    """The facts whose flip changes nothing shown, and those whose flip changes only what is not the disposition."""
    facts = vocab.fact_ids()
    decisive = _asked(space, "decides", free=[f"_flip({f})" for f in facts])
    shows = _asked(space, "shows", free=[f"_flip({f})" for f in facts if f not in decisive])
    return [f for f in facts if f not in decisive | shows], [f for f in facts if f in shows]
