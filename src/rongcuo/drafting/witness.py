"""Witnesses: minimal scenarios as case files a drafter can run and explain."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..ask import Ask, results
from ..engine import Result, RuleError, RuleSet, Timeline
from ..engine.space import Scenario
from ..model.case import Case, parse_case

if TYPE_CHECKING:
    from ..explain import Explanation


@dataclass
class Witness:
    key: str  # the file name, without .yaml
    title: str
    case: Case
    as_of: dt.date
    effective_date: dt.date | None
    results: dict[str, Result] = field(default_factory=dict)  # version name → its answer
    explanations: dict[str, Explanation] = field(default_factory=dict)  # … and why (rongcuo.explain)
    found_under: list[tuple[str, str]] = field(default_factory=list)  # (version name, profile) it was evaluated under

    @property
    def size(self) -> int:
        return len(self.case.true_facts())

    def command(self, path: str) -> str:
        """How to run it: ``rongcuo evaluate PATH --as-of …`` (and ``--effective-date …`` when the scenario sets it)
        under the rules it was found under (``--rules DRAFT``, ``--profile …``); two versions: joined by ``;``."""
        return " ; ".join(self.commands(path))

    def commands(self, path: str) -> list[str]:
        """One replay command per rule set the witness was found under."""
        effective = f" --effective-date {self.effective_date.isoformat()}" if self.effective_date else ""
        base = f"rongcuo evaluate {path} --as-of {self.as_of.isoformat()}{effective}"
        return [base + _rules_options(name, profile) for name, profile in self.found_under] or [base]


def witness(scenario: Scenario, key: str, title: str) -> Witness:
    data = {
        "id": f"W-{slug(key).upper()}",  # a check's name is a drafter's text: the id is a slug of it
        "title": title,
        "facts": {fact: True for fact in scenario.facts},
        "dates": {k: scenario.date(d).isoformat() for k, d in sorted(scenario.dates.items())},
    }
    effective = scenario.params.get("effective_date")
    return Witness(
        key,
        title,
        parse_case(data, key),
        scenario.date(scenario.params.get("as_of", 0)),
        None if effective is None else scenario.date(effective),
    )


Rules = RuleSet | Timeline  # a version, or a timeline of them (its witnesses run with --timeline)


def _ask(rules: Rules, as_of: dt.date, effective: dt.date | None = None) -> Ask:
    if isinstance(rules, Timeline):
        return Ask.on(rules, as_of, effective)
    return Ask(rules, as_of, effective)


def evaluate(witnesses: Sequence[Witness], versions: dict[str, Rules]) -> None:
    """Each witness's answer under each version: one grounding per version and evaluation date."""
    for (as_of, effective), group in _by_day(witnesses).items():
        for name, rules in versions.items():
            found = results(_ask(rules, as_of, effective), [w.case for w in group])  # contradictory inputs too
            for w, result in zip(group, found, strict=True):
                if isinstance(result, RuleError):  # a scenario of the space has one answer: this is a fault
                    raise result
                w.results[name] = result
                w.found_under.append((name, rules.profile))


def _rules_options(name: str, profile: str) -> str:
    """The options that load a version again: ``profile:NAME`` is the bundled rules under --profile NAME,
    ``timeline:T`` the timeline T (bundled, or a versions file) under the profile."""
    under = "" if profile == "default" else f" --profile {profile}"
    if name.startswith("timeline:"):
        return f" --timeline {name.removeprefix('timeline:')}{under}"
    if name.startswith("profile:"):
        return "" if name == "profile:default" else f" --profile {name.removeprefix('profile:')}"
    return f" --rules {name}{under}"


def explain_all(witnesses: Sequence[Witness], versions: dict[str, Rules]) -> None:
    """Why each witness's outcomes hold under each version (the trees of rongcuo.explain).
    Outcomes never read the commencement date, so the trees do without it."""
    from ..explain import explain  # md and html only: text and JSON show no explanation

    for (as_of, _), group in _by_day([w for w in witnesses if not w.explanations]).items():
        for name, rules in versions.items():
            for w, e in zip(group, explain(_ask(rules, as_of), [w.case for w in group]), strict=True):
                w.explanations[name] = e


def _by_day(witnesses: Sequence[Witness]) -> dict[tuple, list[Witness]]:
    groups: dict[tuple, list[Witness]] = defaultdict(list)
    for w in witnesses:
        groups[(w.as_of, w.effective_date)].append(w)
    return groups


_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)} | {c: f"\\u{c:04x}" for c in (0x85, 0x2028, 0x2029)}


def inert(text: str) -> str:
    """A comment line's text with its control characters written out: a line break in a check's name
    would end the comment (and start YAML), an escape would steer the terminal of whoever reads it."""
    return text.translate(_CONTROL)


def slug(key: str) -> str:
    """A witness's file name inside its folder: a check's name is a drafter's text, never a path."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", key).strip(".-")[:80]
    return name or "witness"


def write(witnesses: Sequence[Witness], folder: Path, header: str) -> list[Path]:
    """One YAML case file per witness, in the case schema, with how to run it on top."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for w in witnesses:
        path = folder / f"{slug(w.key)}.yaml"
        lines = [f"# {inert(w.title)}", f"# {inert(header)}", *(f"# {inert(c)}" for c in w.commands(str(path)))]
        data = {
            "id": w.case.id,
            "title": w.title,
            "facts": w.case.facts,
            "dates": {k: v.isoformat() for k, v in w.case.dates.items()},
        }
        body = yaml.safe_dump({k: v for k, v in data.items() if v}, allow_unicode=True, sort_keys=False)
        path.write_text("\n".join(lines) + "\n" + body, encoding="utf-8")
        paths.append(path)
    return paths
