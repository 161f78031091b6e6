"""`rongcuo evaluate`: cases in, dispositions with modality and grounds out."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import vocabulary as vocab
from ..cases import Case
from ..engine import Result, RuleSet
from ..engine.hypotheses import open_world
from ..explain.serialize import open_world_json
from ..render import render
from .app import (
    AsOfOpt,
    Format,
    FormatOpt,
    Lang,
    LangOpt,
    ProfileOpt,
    RulesOpt,
    TrustOpt,
    app,
    evaluate_all,
    load_rules,
    parse_day,
    read_cases,
)


@app.command()
def evaluate(
    cases: Annotated[list[Path], typer.Argument(help="Case files (YAML/JSON) or folders of them.")],
    profile: ProfileOpt = "default",
    format: FormatOpt = Format.text,
    as_of: AsOfOpt = None,
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
    worlds = {c.id: open_world(ruleset, c, c.unknown_facts(), day) for c, _ in evaluated if c.unknown_facts()}
    if format == Format.json:
        for case, result in evaluated:
            out = result.to_json()
            if case.id in worlds:
                out["open_world"] = open_world_json(case, worlds[case.id])
            typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        typer.echo(render("evaluate.txt.j2", lang.value, results=[r for _, r in evaluated],
                          cases={c.id: c for c, _ in evaluated}, worlds=worlds,
                          outcome_names=vocab.outcome_names()), nl=False)
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
