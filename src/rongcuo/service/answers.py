"""The service's requests, asked of the application layer (rongcuo.ask): the same answers as the CLI's.

One :class:`Service` holds the rule sets fixed at start, the limits, the gate
and the coalescer; the API and the page both ask it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import ask as asking
from ..ask import RULES_FAILED, Ask, Evaluated, Rejected, contradiction
from ..engine import Result, RuleSet, Timeline
from ..engine.deadline import TimeLimit, time_limit
from ..explain import Alternative, Explanation, explain, whatif
from ..model.case import Case, CaseError
from ..model.coded import OptionError, msg, suggest
from ..replay import DecisionLog
from .coalesce import Coalescer
from .extraction import Extractor
from .limits import Gate, Limits, solving
from .problems import Problem, invalid


@dataclass
class Service:
    rulesets: dict[str, RuleSet]  # served name → rule set, fixed at start
    default: str  # the profile a request gets when it names none
    limits: Limits = field(default_factory=Limits)
    bank: Path | None = None  # the bank file confirmed evidence sentences join (`serve --bank`); None: not kept
    log: DecisionLog | None = None  # the decision log every evaluated case is appended to (`serve --decision-log`)
    # served name → its timeline (`serve --timeline`): each case under the version Q12 applies, as
    # `evaluate --timeline`; a name without one is asked of its rule set alone.
    timelines: dict[str, Timeline] = field(default_factory=dict)
    gate: Gate = field(init=False)
    coalescer: Coalescer = field(init=False)
    extractor: Extractor = field(init=False)

    def __post_init__(self):
        if self.default not in self.rulesets:
            raise ValueError(f"--profile: {self.default!r} is not served — available: {', '.join(self.rulesets)}")
        self.gate = Gate(self.limits.concurrency)
        self.coalescer = Coalescer(max(self.limits.max_cases, 64), self.limits.time_limit)
        self.extractor = Extractor(self.bank)
        versions = [s.rules for t in self.timelines.values() for s in t.spans]
        for rules in {id(r): r for r in [*self.rulesets.values(), *versions]}.values():
            with time_limit(self.limits.time_limit):  # at start, before `serve --workers` forks: built once, shared
                try:
                    rules.prepare()
                except TimeLimit:
                    pass  # rules clingo cannot solve in time: each request meets the limit, as it would

    def served(self, name: str | None) -> str:
        """The served name a request's ``profile`` gives (none: the default); one not served is a 400."""
        if name is None:
            return self.default
        if name not in self.rulesets:
            names = list(self.rulesets)
            hint = suggest(name, names, "", msg("errors.served", names=names))
            raise Problem("invalid-parameter", OptionError("profile", "errors.not_served", value=repr(name), hint=hint))
        return name

    def ask(self, profile: str | None, as_of: dt.date | None, effective_date: dt.date | None = None) -> Ask:
        """A request's Ask: the served rule set it names (or its timeline, as cli.app.ask_of asks one), its
        evaluation date (none: each case's own, else today — Ask.day_of) and the commencement (a20)."""
        name = self.served(profile)
        if (timeline := self.timelines.get(name)) is not None:
            return Ask.on(timeline, as_of, effective_date)
        return Ask(self.rulesets[name], as_of, effective_date)

    async def applied(self, ask: Ask, case: Case) -> tuple[Ask, Result | None]:
        """Under a timeline, the Ask of the version the case's result applies (Ask.rules_of), for what is
        computed over one rule set (what-if), and that result; without one, ``ask`` and None."""
        if ask.timeline is None:
            return ask, None
        (answer,) = await self._answers(replace(ask, open_world=False), [case])
        return ask.applying(answer.result), answer.result

    async def evaluate(self, ask: Ask, cases: list[Case]) -> list[dict]:
        """Each case's result as `rongcuo evaluate --format json` prints it (with open_world for unknowns);
        a contradictory case makes the request a problem listing every rejected case."""
        answers = await self._answers(ask, cases)
        await self.logged(ask, answers)
        return [dict(a.to_json()) for a in answers]

    async def _answers(self, ask: Ask, cases: list[Case]) -> list[Evaluated]:
        """The cases' answers, or the problem of the request: a rejected case, a rule set without an answer."""
        found = await self.coalescer.results(ask, cases)
        sources = ["case"] if len(cases) == 1 else [f"cases[{i}]" for i in range(len(cases))]
        if ask.open_world and any(case.unknown_facts() for case in cases):  # the open world asks clingo
            answers = await solving(self.limits.time_limit, asking.answers, ask, cases, found, sources)
        else:  # reading the results: cheaper than a worker thread's round trip
            answers = asking.answers(ask, cases, found, sources)
        rejected = [a.error for a in answers if isinstance(a, Rejected)]
        if failed := [e for e in rejected if e.field == RULES_FAILED]:  # the rule set's fault, not the case's
            raise Problem("rules-failed", failed[0])
        if rejected:
            raise invalid(rejected)
        return [a for a in answers if isinstance(a, Evaluated)]

    async def logged(self, ask: Ask, answers: Sequence[asking.Answer]) -> None:
        """The evaluated answers appended to the decision log, off the event loop (one write per line)."""
        if self.log is not None:
            await asyncio.to_thread(self.log.answers, ask, answers)

    async def explain(
        self, ask: Ask, case: Case, outcome: str | None = None, why_not_of: tuple[str, ...] = ()
    ) -> Explanation:
        (found,) = await solving(self.limits.time_limit, explain, ask, [case], outcome, why_not_of)
        if problem := contradiction("case", case, found.result):
            raise invalid([problem])
        return found

    async def whatif(
        self,
        ask: Ask,
        case: Case,
        *,
        to: str | None,
        avoid: str | None,
        fixed: tuple[str, ...] = (),
        free: tuple[str, ...] = (),
        actionable: bool = False,
        max_changes: int | None = None,
        limit: int = 10,
    ) -> list[Alternative]:
        if not (to or avoid):
            raise Problem("invalid-parameter", msg("errors.whatif_target"))

        def alternatives() -> list[Alternative]:
            return whatif(
                ask,
                case,
                to=to,
                avoid=avoid,
                fixed=fixed,
                free=free,
                actionable=actionable,
                max_changes=max_changes,
                limit=limit,
                deadlines=True,
            )

        return await solving(self.limits.time_limit, alternatives)

    async def opinion(self, ask: Ask, case: Case, format: str, lang: str) -> bytes:
        """The draft 认定意见 of the case (present.opinion), in docx, html or md; under a timeline, naming the
        version applied and why, as `rongcuo opinion --timeline` writes it."""
        from ..present import opinion as documents

        def write() -> bytes:
            (answer,) = asking.evaluate(ask, [case], ["case"])
            if isinstance(answer, Rejected):
                raise invalid([answer.error])
            d = documents.draft(case, answer.result, ask, lang)
            return documents.docx(d) if format == "docx" else documents.text(d, format).encode("utf-8")

        return await solving(self.limits.time_limit, write)

    async def extract(self, narrative: Any, case_id: Any = "WEB-1") -> dict[str, Any]:
        """The proposed case record of a pasted narrative (extract.propose), with its ranked candidates."""
        return await solving(self.limits.time_limit, self._checked, self.extractor.propose, narrative, case_id)

    async def confirm(self, record: Any, answers: Any) -> tuple[dict[str, Any], list[str]]:
        """The record after the analyst's answers, and the facts confirmed true (their sentences banked)."""
        return await solving(self.limits.time_limit, self._checked, self.extractor.confirm, record, answers)

    @staticmethod
    def _checked(work, *args):
        try:
            return work(*args)
        except CaseError as e:
            raise invalid([e]) from None
