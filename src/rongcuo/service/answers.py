"""The service's questions, asked of the engine: the same answers as the CLI's.

One :class:`Service` holds the rule sets fixed at start, the limits, the gate
and the coalescer; the API and the page both ask it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..engine import Result, RuleSet, open_world
from ..explain import Alternative, Explanation, explain, whatif
from ..explain.serialize import open_world_json
from ..model import vocabulary as vocab
from ..model.case import Case, CaseError
from .coalesce import Coalescer
from .limits import Gate, Limits, solving
from .problems import Problem, invalid


@dataclass
class Service:
    rulesets: dict[str, RuleSet]  # served name → rule set, fixed at start
    default: str  # the profile a request gets when it names none
    limits: Limits = field(default_factory=Limits)
    gate: Gate = field(init=False)
    coalescer: Coalescer = field(init=False)

    def __post_init__(self):
        if self.default not in self.rulesets:
            raise ValueError(f"--profile: {self.default!r} is not served — available: {', '.join(self.rulesets)}")
        self.gate = Gate(self.limits.concurrency)
        self.coalescer = Coalescer(max(self.limits.max_cases, 64), self.limits.time_limit)

    def rules(self, name: str | None) -> RuleSet:
        if name is None:
            return self.rulesets[self.default]
        if name not in self.rulesets:
            names = list(self.rulesets)
            hint = vocab.did_you_mean(name, names, f"served: {', '.join(names)}")
            raise Problem("invalid-parameter", f"profile: {name!r} is not served — {hint}")
        return self.rulesets[name]

    async def evaluate(self, rules: RuleSet, cases: list[Case], as_of: dt.date) -> list[dict]:
        """Each case's result as `rongcuo evaluate --format json` prints it (with open_world for unknowns)."""
        results = await self.coalescer.evaluate(rules, cases, as_of)
        _reject_contradictions(cases, results)
        open_cases = [c for c in cases if c.unknown_facts()]
        worlds = await solving(self.limits.time_limit, _worlds, rules, open_cases, as_of) if open_cases else {}
        out = []
        for case, result in zip(cases, results, strict=True):
            line = result.to_json()
            if case.id in worlds:
                line["open_world"] = open_world_json(case, worlds[case.id])
            out.append(line)
        return out

    async def explain(
        self, rules: RuleSet, case: Case, as_of: dt.date, outcome: str | None = None, why_not_of: tuple[str, ...] = ()
    ) -> Explanation:
        (found,) = await solving(self.limits.time_limit, explain, rules, [case], as_of, outcome, why_not_of)
        _reject_contradictions([case], [found.result])
        return found

    async def whatif(
        self,
        rules: RuleSet,
        case: Case,
        as_of: dt.date,
        *,
        to: str | None,
        avoid: str | None,
        fixed: tuple[str, ...] = (),
        max_changes: int | None = None,
        limit: int = 10,
    ) -> list[Alternative]:
        if not (to or avoid):
            raise Problem("invalid-parameter", "whatif: give to=OUTCOME or avoid=OUTCOME")

        def ask() -> list[Alternative]:
            return whatif(
                rules, case, to=to, avoid=avoid, fixed=fixed, max_changes=max_changes, as_of=as_of, limit=limit
            )

        return await solving(self.limits.time_limit, ask)


def _worlds(rules: RuleSet, cases: list[Case], as_of: dt.date) -> dict:
    return {c.id: open_world(rules, c, c.unknown_facts(), as_of) for c in cases}


def _reject_contradictions(cases: list[Case], results: list[Result]) -> None:
    """A contradictory case is rejected, with the CLI's message."""
    errors = []
    for index, result in enumerate(results):
        if result.contradictions:
            f, g = result.contradictions[0]
            source = "case" if len(cases) == 1 else f"cases[{index}]"
            errors.append(CaseError(source, "facts", f"{f} and {g} contradict each other — set one of them to false"))
    if errors:
        raise invalid(errors)
