"""The command line: `rongcuo evaluate | test | clauses | vocabulary`."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import golden, ledger as ledger_mod, vocabulary as vocab
from .cases import Case, CaseError, case_files, load_case
from .engine import Result, RuleError, RuleSet, profiles
from .render import render

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="容错 — the 奈曼旗 tolerance measure as Answer Set Programming.")

CHUNK = 10_000  # cases per grounding


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class Format(str, Enum):
    text = "text"
    json = "json"
    md = "md"


LangOpt = Annotated[Lang, typer.Option("--lang", help="Language of the output.")]
ProfileOpt = Annotated[str, typer.Option("--profile", help="Interpretation profile (asp/profiles/NAME.lp).")]
RulesOpt = Annotated[Optional[Path], typer.Option("--rules", help="A rule base directory instead of the bundled one.")]
TrustOpt = Annotated[bool, typer.Option("--trust", help="Allow #script and #include outside the rule base.")]


def fail(message: str) -> None:
    typer.echo(f"rongcuo: {message}", err=True)
    raise typer.Exit(2)


def load_rules(profile: str, rules: Path | None, trust: bool) -> RuleSet:
    try:
        return RuleSet.load(profile, rules, trusted=trust)
    except RuleError as e:
        fail(str(e))


def parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date — write it as YYYY-MM-DD")


def read_cases(paths: list[Path]) -> tuple[list[tuple[str, Case]], list[str]]:
    """The valid cases with their files, and one error line per rejected file."""
    cases, errors, seen = [], [], {}
    try:
        found = list(case_files(paths))
    except CaseError as e:
        fail(str(e))
    for path in found:
        try:
            case = load_case(path)
            if case.unknown_facts():
                raise CaseError(str(path), f"facts.{case.unknown_facts()[0]}",
                                "`unknown` is not evaluated yet — set the fact to true or false")
            if case.id in seen:
                raise CaseError(str(path), "id", f"{case.id!r} is also the id of {seen[case.id]} — ids must be unique")
        except CaseError as e:
            errors.append(str(e))
            continue
        seen[case.id] = str(path)
        cases.append((str(path), case))
    return cases, errors


def evaluate_all(rules: RuleSet, cases: list[tuple[str, Case]], as_of: dt.date | None,
                 errors: list[str]) -> list[tuple[Case, Result]]:
    """Evaluate in chunks; contradictory cases join the errors."""
    out = []
    for start in range(0, len(cases), CHUNK):
        chunk = cases[start:start + CHUNK]
        for (source, case), result in zip(chunk, rules.evaluate([c for _, c in chunk], as_of=as_of)):
            if result.contradictions:
                f, g = result.contradictions[0]
                errors.append(str(CaseError(source, "facts", f"{f} and {g} contradict each other — set one of them to false")))
            else:
                out.append((case, result))
    return out


@app.command()
def evaluate(
    cases: Annotated[list[Path], typer.Argument(help="Case files (YAML/JSON) or folders of them.")],
    profile: ProfileOpt = "default",
    format: Annotated[Format, typer.Option("--format", help="text, or json (one object per case and line).")] = Format.text,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Evaluation date (YYYY-MM-DD); default today.")] = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write results.jsonl and report.md here.")] = None,
) -> None:
    """Evaluate cases: the disposition and each outcome with its modality and grounds."""
    ruleset = load_rules(profile, rules, trust)
    day = parse_day(as_of, "--as-of") or dt.date.today()
    found, errors = read_cases(cases)
    evaluated = evaluate_all(ruleset, found, day, errors)
    if out:
        write_report(out, ruleset, day, evaluated, errors, lang.value)
        typer.echo(f"{len(evaluated)} evaluated, {len(errors)} rejected → {out}")
        return
    for line in errors:
        typer.echo(f"rongcuo: {line}", err=True)
    if format == Format.json:
        for _, result in evaluated:
            typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        typer.echo(render("evaluate.txt.j2", lang.value, results=[r for _, r in evaluated]), nl=False)
    if errors:
        raise typer.Exit(2)


def write_report(out: Path, rules: RuleSet, as_of: dt.date, evaluated: list[tuple[Case, Result]],
                 rejected: list[str], lang: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps(r.to_json(), ensure_ascii=False) for _, r in evaluated]
    (out / "results.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    recorded = [(c, r) for c, r in evaluated if c.recorded_decision]
    counts = Counter(r.disposition for _, r in evaluated)
    report = render(
        "report.md.j2", lang, rules=rules.digest, profile=rules.profile, as_of=as_of.isoformat(),
        results=[r for _, r in evaluated], rejected=rejected, recorded=len(recorded),
        agreed=sum(c.recorded_decision == r.disposition for c, r in recorded),
        disagreements=[(c, r) for c, r in recorded if c.recorded_decision != r.disposition],
        distribution=[(name, counts[name]) for name in vocab.outcome_names() if counts[name]],
    )
    (out / "report.md").write_text(report, encoding="utf-8")


@app.command()
def test(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Golden case files or folders.")] = None,
    profile: Annotated[Optional[list[str]], typer.Option("--profile", help="Only these profiles.")] = None,
    lang: LangOpt = Lang.zh,
) -> None:
    """Run the golden cases under every profile they state expectations for."""
    rulesets = [load_rules(p, None, False) for p in (profile or profiles())]
    try:
        checks = golden.run(paths or [Path("cases/golden")], rulesets)
    except CaseError as e:
        fail(str(e))
    typer.echo(render("golden.txt.j2", lang.value, checks=checks), nl=False)
    if not checks or not all(c.passed for c in checks):
        raise typer.Exit(1)


@app.command()
def clauses(
    format: Annotated[Format, typer.Option("--format", help="text, md or json.")] = Format.text,
    lang: LangOpt = Lang.zh,
) -> None:
    """The clause ledger: every article, paragraph and item and how it is encoded."""
    rulesets = [RuleSet.load(p, corpus=True) for p in profiles()]
    entries = ledger_mod.ledger(rulesets)
    if format == Format.json:
        for e in entries:
            typer.echo(json.dumps({"clause": e.clause, "status": e.status, "reason": e.reason,
                                   "rules": [f"{r.file}:{r.line}" for r in e.rules]}, ensure_ascii=False))
        return
    template = "clauses.md.j2" if format == Format.md else "clauses.txt.j2"
    typer.echo(render(template, lang.value, entries=entries), nl=False)


@app.command()
def vocabulary(lang: LangOpt = Lang.zh) -> None:
    """The fact ids a case file may use, grouped by article, with their labels."""
    facts = vocab.vocabulary()["facts"]
    groups = [(g, [(i, f) for i, f in facts.items() if f["group"] == g]) for g in vocab.vocabulary()["groups"]]
    typer.echo(render("vocabulary.txt.j2", lang.value, groups=groups), nl=False)


def main() -> None:  # pragma: no cover - console entry
    sys.exit(app())
