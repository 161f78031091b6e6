"""Golden cases: a case file plus an ``expect:`` block per profile.

The expectation language is small: the disposition, the exact set of
outcomes, grounds that must be cited, modalities, the outcomes resting on a
catch-all item, consequences present and absent, or a rejection for
contradictory facts or dates; a case that expects a ``version`` (or a
``version_reason``) is a transition case, evaluated on the illustrative timeline
(measure/versions.illustrative.yaml: the law's version, a made-up amendment and its repeal; Q12).
See measure/golden/README.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import timeline
from .ask import Answer, Ask, evaluate
from .engine import Result, RuleSet, bundled_root
from .model.case import Case, CaseError, parse_case
from .model.files import case_files, read_file


@dataclass(frozen=True)
class Golden:
    source: str
    case: Case
    title: str
    as_of: dt.date | None
    expect: dict[str, dict[str, Any]]

    def expectation(self, profile: str) -> dict[str, Any] | None:
        return self.expect.get(profile, self.expect.get("all"))

    @property
    def on_timeline(self) -> bool:
        """A transition case: evaluated on the illustrative timeline of rule versions (transitions need two)."""
        return any("version" in block or "version_reason" in block for block in self.expect.values())


@dataclass(frozen=True)
class Check:
    golden: Golden
    profile: str
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def load_golden(path: Path) -> Golden:
    data = read_file(path)
    if not isinstance(data, dict) or "expect" not in data:
        raise CaseError(str(path), "expect", "errors.golden_expect")
    expect = data.pop("expect")
    case = parse_case(data, str(path))
    return Golden(str(path), case, case.title or "", case.as_of, expect)


def run(paths: list[Path], rulesets: list[RuleSet]) -> list[Check]:
    """Evaluate every golden case under every rule set that it has an expectation for."""
    goldens = [load_golden(p) for p in case_files(paths)]
    checks = []
    for rules in rulesets:
        group = [(g, expect) for g in goldens if (expect := g.expectation(rules.profile)) is not None]
        # The transition cases, on the illustrative timeline (the law's has one version: no transition):
        # only for the bundled rules (another rule base is not a version of them).
        timed = [(g, e) for g, e in group if g.on_timeline]
        group = [(g, e) for g, e in group if not g.on_timeline]
        asks = [(Ask(rules, open_world=False), group)]
        if timed and rules.root == bundled_root().resolve():
            line = timeline.load(timeline.illustrative_timeline(), profile=rules.profile)
            asks.append((Ask.on(line, open_world=False), timed))
        for ask, cases in asks:
            # Each case on the date its file states (Ask.day_of): those sharing one are evaluated in one grounding.
            found = evaluate(ask, [g.case for g, _ in cases], [g.source for g, _ in cases])
            for (g, expect), a in zip(cases, found, strict=True):
                checks.append(Check(g, rules.profile, tuple(compare(expect, _result(a)))))
    return sorted(checks, key=lambda c: (c.golden.source, c.profile))


def _result(answer: Answer) -> Result:
    """What the rules said of a golden case: a rejected one was rejected for a contradiction (its result)."""
    if answer.result is None:  # golden cases are valid case files: a rejection is a contradiction
        raise answer.error
    return answer.result


def compare(expect: dict[str, Any], got: Result) -> list[str]:
    """What differs between an expectation and a result, one line each."""
    if "error" in expect:  # two facts, or two date keys, contradict each other
        want = sorted(expect["error"].get("facts") or expect["error"].get("dates", []))
        found = [sorted(pair) for pair in got.contradictions]
        return [] if want in found else [f"expected rejection for contradiction {want}, got {found or 'none'}"]
    problems = []
    for key in ("version", "version_reason"):  # the version a timeline applied, and why (Q12)
        if key in expect and expect[key] != getattr(got, key):
            problems.append(f"{key}: expected {expect[key]}, got {getattr(got, key)}")
    if got.contradictions:
        problems.append(f"unexpected contradiction {list(got.contradictions)}")
    if "disposition" in expect and expect["disposition"] != got.disposition:
        problems.append(f"disposition: expected {expect['disposition']}, got {got.disposition}")
    outcomes = sorted(o.outcome for o in got.outcomes)
    if "outcomes" in expect and sorted(expect["outcomes"]) != outcomes:
        problems.append(f"outcomes: expected {sorted(expect['outcomes'])}, got {outcomes}")
    for name, cited in (expect.get("grounds") or {}).items():
        have = got.outcome(name)
        missing = sorted(set(cited) - set(have.grounds if have else ()))
        if missing:
            got_grounds = list(have.grounds) if have else "no such outcome"
            problems.append(f"grounds of {name}: missing {missing}, got {got_grounds}")
    for name, modality in (expect.get("modality") or {}).items():
        have = got.outcome(name)
        if (have.modality if have else None) != modality:
            got_modality = have.modality if have else "no such outcome"
            problems.append(f"modality of {name}: expected {modality}, got {got_modality}")
    if "catch_all" in expect:
        marked = sorted(o.outcome for o in got.outcomes if o.catch_all)
        if sorted(expect["catch_all"]) != marked:
            problems.append(f"resting on a catch-all: expected {sorted(expect['catch_all'])}, got {marked}")
    consequences = expect.get("consequences") or {}
    names = {c.consequence for c in got.consequences} | {c.key for c in got.consequences}
    for key in consequences.get("present", []):
        if key not in names:
            problems.append(f"consequence {key}: expected present, got {sorted(c.key for c in got.consequences)}")
    for key in consequences.get("absent", []):
        if key in names:
            problems.append(f"consequence {key}: expected absent, but it holds")
    return problems
