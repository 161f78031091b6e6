"""Legal coverage (issue 17.5): which cases fire each clause, rule, fact condition and defeat edge, which
block it, and which make it *decisive* — flipping that one fact alone changes the disposition (MC/DC for law).

What fired comes from the solver's trace (engine.trace: ``_why`` records), every case of one evaluation date
in one grounding. Decisiveness comes from the flipped variants: each case with one fact flipped (the facts
the rules' conditions read), all evaluated in one batch through the application layer (:func:`ask.evaluate`)
and traced in one grounding. A condition (a rule's ``fact(C, f)`` or ``not fact(C, f)``) is decisive in a
case when flipping ``f`` changes both whether its rule fires and the case's disposition; a rule, a clause it
cites, or a defeat edge (``blocks/2`` of the readings) is decisive when one of its flips is. Conditions on a
derived predicate are covered through the rules that derive it. Unknown facts read as false, dates are not
flipped. Python decides nothing here: it counts what the solver answered.

For each gap, :func:`missing` asks the scenario space (engine.space) for a minimal case that fills it — one
that fires a rule no case fires, or in which one of its conditions is decisive — and keeps only those that
the same counting confirms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from .ask import Ask, Evaluated, by_day, evaluate
from .engine import Result, RuleSet
from .engine.inputs import clause_id
from .model import measure
from .model.case import Case

KINDS = ("clause", "rule", "condition", "edge")
MECHANISM = "rules/_mechanism/"  # how grounds become outcomes, contradictions, input: no clause of the measure


@dataclass
class Item:
    """One thing to cover, and the cases that fire, block and make it decisive."""

    kind: str  # clause | rule | condition | edge
    key: str  # a11.p2 | rules/a11_tolerance.lp:12 | rules/a11_tolerance.lp:12 not fact(C,x) | a13>a11.p2
    clauses: tuple[str, ...] = ()  # the clause ids it stands for (a rule's citations, an edge's two ends)
    text: str = ""  # the rule or the literal as written
    rule: int | None = None  # engine.trace's number of the rule (rules and conditions)
    fact: str | None = None  # the fact a condition reads
    outcome: str | None = None  # the outcome a grant or ground rule gives: a flip decides it when it gives or takes it
    fired: set[str] = field(default_factory=set)
    blocked: set[str] = field(default_factory=set)
    decisive: set[str] = field(default_factory=set)

    @property
    def covered(self) -> bool:
        """A clause, a rule, an edge: some case fires it; a condition: some case makes it decisive."""
        return bool(self.decisive if self.kind == "condition" else self.fired)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "clauses": list(self.clauses),
            "text": self.text,
            "fired": sorted(self.fired),
            "blocked": sorted(self.blocked),
            "decisive": sorted(self.decisive),
            "covered": self.covered,
        }


@dataclass
class Coverage:
    """The coverage of one rule set by a set of cases."""

    rules: RuleSet
    cases: int
    items: list[Item]
    variants: int = 0  # flipped variants evaluated

    def of_kind(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind]

    def percent(self, kind: str | None = None) -> float:
        """The share of items covered (of one kind, or of all), in per cent; nothing to cover is 100."""
        items = self.of_kind(kind) if kind else self.items
        return 100.0 * sum(i.covered for i in items) / len(items) if items else 100.0

    def gaps(self) -> list[Item]:
        return [i for i in self.items if not i.covered]

    def clause_items(self) -> dict[str, Item]:
        return {i.key: i for i in self.of_kind("clause")}

    def clause_status(self) -> dict[str, str]:
        """Every clause of the measure: decisive, fired, blocked (only), uncovered, or uncited (no rule cites it)."""
        status = {cid: "uncited" for cid in measure.clauses()}
        for item in self.of_kind("clause"):
            status[item.key] = (
                "decisive" if item.decisive else "fired" if item.fired else "blocked" if item.blocked else "uncovered"
            )
        return status

    def to_json(self) -> dict:
        return {
            "profile": self.rules.profile,
            "rules": self.rules.digest,
            "rules_sha256": self.rules.sha256,
            "cases": self.cases,
            "variants": self.variants,
            "percent": {"all": self.percent(), **{k: self.percent(k) for k in KINDS}},
            "items": [i.to_json() for i in self.items],
        }


def coverage(rules: RuleSet, cases: Sequence[Case], effective_date: dt.date | None = None) -> Coverage:
    """The coverage of ``rules`` by ``cases`` (each on its own evaluation date, closed world)."""
    items = _items(rules)
    ask = Ask(rules, effective_date=effective_date, open_world=False)
    fired, defeats, dispositions = _run(ask, cases)
    flippable = sorted({i.fact for i in items if i.fact})
    variants, origin = [], []
    for index, case in enumerate(cases):
        for fact in flippable:
            variants.append(_flipped(case, fact))
            origin.append((index, fact))
    v_fired, v_defeats, v_dispositions = _run(ask, variants)
    by_rule: dict[int, list[Item]] = {}
    for item in items:
        if item.rule is not None:
            by_rule.setdefault(item.rule, []).append(item)
    clauses = {i.key: i for i in items if i.kind == "clause"}
    edges = [i for i in items if i.kind == "edge"]
    for index, case in enumerate(cases):
        for number in fired[index]:
            for item in by_rule.get(number, ()):
                if item.kind == "rule":
                    item.fired.add(case.id)
                    for cid in item.clauses:
                        if cid in clauses:
                            clauses[cid].fired.add(case.id)
                else:  # a rule fires when all its conditions hold
                    item.fired.add(case.id)
        for blocker, grounds in defeats[index]:
            for cid in grounds:
                if cid in clauses:
                    clauses[cid].blocked.add(case.id)
            for edge in edges:
                if edge.clauses[0] == blocker and edge.clauses[1] in grounds:
                    edge.fired.add(case.id)
    for v, (index, fact) in enumerate(origin):
        if dispositions[index] is None or v_dispositions[v] is None or dispositions[index] == v_dispositions[v]:
            continue  # a flip that is rejected, or that leaves the disposition as it is, decides nothing
        case_id = cases[index].id
        changed = {dispositions[index], v_dispositions[v]}
        for number in fired[index] ^ v_fired[v]:
            for item in by_rule.get(number, ()):
                if item.outcome and item.outcome not in changed:
                    continue  # the flip changed the disposition through another rule (out of scope, excluded…)
                if item.kind == "rule":
                    item.decisive.add(case_id)
                    for cid in item.clauses:
                        if cid in clauses:
                            clauses[cid].decisive.add(case_id)
                elif item.fact == fact:
                    item.decisive.add(case_id)
        for edge in edges:
            if _edge_in(edge, defeats[index]) != _edge_in(edge, v_defeats[v]):
                edge.decisive.add(case_id)
    return Coverage(rules, len(cases), items, len(variants))


def _items(rules: RuleSet) -> list[Item]:
    """What there is to cover: the case-level rules with a body, their fact conditions, the clauses they cite,
    and the defeat edges of the profile's readings."""
    items: list[Item] = []
    cited: set[str] = set()
    for number, info in sorted(rules.tracer.infos.items()):
        if not info.case_level or not info.body or info.file.startswith(MECHANISM):
            continue
        where = f"{info.file}:{info.line}"
        gives = info.head_args[1] if info.head in ("grant", "ground") and len(info.head_args) > 1 else ""
        outcome = gives if gives[:1].islower() else None
        items.append(Item("rule", where, info.clauses, info.text, number, outcome=outcome))
        cited |= set(info.clauses)
        for lit in info.body:
            if lit.predicate == "fact" and len(lit.args) == 2 and lit.args[1][:1].islower():
                text = f"{where} {lit.text}"
                items.append(Item("condition", text, info.clauses, lit.text, number, lit.args[1], outcome))
    order = measure.clauses()
    known = sorted((c for c in cited if c in order), key=lambda c: order[c].order)
    items += [Item("clause", c, (c,)) for c in known]
    for blocker, blocked in rules.static_atoms("blocks", 2):
        ends = (clause_id(str(blocker)), clause_id(str(blocked)))
        items.append(Item("edge", f"{ends[0]}>{ends[1]}", ends))
    return items


def _edge_in(edge: Item, defeats: set[tuple[str, tuple[str, ...]]]) -> bool:
    return any(blocker == edge.clauses[0] and edge.clauses[1] in grounds for blocker, grounds in defeats)


def _flipped(case: Case, fact: str) -> Case:
    facts = dict(case.facts)
    facts[fact] = facts.get(fact) is not True
    return case.model_copy(update={"facts": facts, "id": f"{case.id}~{fact}", "open_world": False})


def _run(ask: Ask, cases: Sequence[Case]) -> tuple[list[set[int]], list[set], list[str | None]]:
    """The rules each case fires (traced, one grounding per evaluation date), its defeats, and its disposition
    through the application layer (None: rejected)."""
    fired: list[set[int]] = [set() for _ in cases]
    defeats: list[set] = [set() for _ in cases]
    for day, positions in by_day(ask, cases).items():
        traced, _ = ask.rules.tracer.trace([cases[i] for i in positions], day, ask.effective_date)
        for i, (result, trace) in zip(positions, traced, strict=True):
            fired[i] = {n for records in trace.derivations.values() for n, _ in records}
            defeats[i] = {(d.blocked_by, tuple(d.grounds)) for d in result.defeated}
    answers = evaluate(ask, cases)
    dispositions = [a.result.disposition or "none" if isinstance(a, Evaluated) else None for a in answers]
    return fired, defeats, dispositions


@dataclass
class Missing:
    """A case the solver found for a gap, with what it fills and the answer to expect (to review)."""

    item: Item
    case: Case
    as_of: dt.date
    result: Result  # its answer under the rule set

    def golden(self) -> dict:
        """The case as a golden file (measure/golden/README.md) with the expectation the rules give it today."""
        r = self.result
        expect = {
            "disposition": r.disposition or "none",
            "outcomes": sorted(o.outcome for o in r.outcomes),
            "grounds": {o.outcome: list(o.grounds) for o in r.outcomes if o.grounds},
            "modality": {o.outcome: o.modality for o in r.outcomes if o.modality},
            "consequences": {"present": [c.key for c in r.consequences]},
        }
        return {
            "id": self.case.id,
            "title": self.case.title,
            "facts": {f: True for f in self.case.true_facts()},
            "dates": {k: d.isoformat() for k, d in sorted(self.case.dates.items())},
            "as_of": self.as_of.isoformat(),
            "expect": {r.profile: expect},
        }


def missing(cov: Coverage) -> tuple[list[Missing], list[Item]]:
    """For every rule no case fires and every condition no case makes decisive, a minimal case from the
    scenario space that does, confirmed by counting it as :func:`coverage` counts; and the gaps none was
    found for (a rule over the commencement date (a20), which a golden case cannot state; a consequence-only
    condition, which never changes the disposition)."""
    from .drafting.reach import reach
    from .drafting.witness import witness
    from .engine.space import Space, numbered, programs, versioned

    rules = cov.rules
    gaps = [i for i in cov.gaps() if i.kind in ("rule", "condition")]
    if not gaps:
        return [], []
    statements = rules.statements
    space = Space(
        [*versioned(statements, "full", fires=True), *programs("observe.lp", "coverage.lp")],
        days=reach(statements, rules.root).days,
        twin=True,
    )
    refs = {(r.file, r.line, r.text): r.number for r in numbered(statements, rules.root)}
    infos = rules.tracer.infos
    found: list[Missing] = []
    none: list[Item] = []
    for n, item in enumerate(gaps):
        assert item.rule is not None
        info = infos[item.rule]
        number = refs.get((info.file, info.line, info.text))
        ask = [f"_fires({number})"] if number is not None else []
        if item.kind == "condition":
            ask += [f"_flip({item.fact})", f"fact(0,{item.fact})", "differ(flip,disposition)"]
        scenario = space.find(*ask) if number is not None else None
        if scenario is None or scenario.params.get("effective_date") is not None:
            none.append(item)
            continue
        title = f"{item.kind} {item.key}"
        w = witness(scenario, f"gap-{rules.profile}-{n + 1}", title)
        case = w.case.model_copy(update={"id": f"G-GAP-{rules.profile.upper()}-{n + 1}", "as_of": w.as_of})
        check = coverage(rules, [case])
        if not any(i.key == item.key and i.kind == item.kind and i.covered for i in check.items):
            none.append(item)
            continue
        (answer,) = evaluate(Ask(rules, open_world=False), [case])
        if not isinstance(answer, Evaluated):
            none.append(item)
            continue
        found.append(Missing(item, case, w.as_of, answer.result))
    return found, none
