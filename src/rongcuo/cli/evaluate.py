"""`rongcuo evaluate`: cases in, dispositions with modality and grounds out."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated

import typer

from .app import (
    AsOfOpt,
    EffectiveDateOpt,
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
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
) -> None:
    """Evaluate cases: the disposition and each outcome with its modality and grounds."""
    from ..engine import open_world
    from ..model import vocabulary as vocab
    from ..present.render import render

    ruleset = load_rules(profile, rules, trust)
    day = parse_day(as_of, "--as-of") or dt.date.today()
    found, errors = read_cases(cases)
    evaluated = evaluate_all(ruleset, found, day, errors, parse_day(effective_date, "--effective-date"))
    for line in errors:
        typer.echo(f"rongcuo: {line}", err=True)
    worlds = {c.id: open_world(ruleset, c, c.unknown_facts(), day) for c, _ in evaluated if c.unknown_facts()}
    if format == Format.json:
        from ..explain.serialize import open_world_json  # the explanation stack: for JSON only

        for case, result in evaluated:
            out = result.to_json()
            if case.id in worlds:
                out["open_world"] = open_world_json(case, worlds[case.id])
            typer.echo(json.dumps(out, ensure_ascii=False))
    else:
        typer.echo(
            render(
                "explain/evaluate.txt.j2",
                lang.value,
                results=[r for _, r in evaluated],
                cases={c.id: c for c, _ in evaluated},
                worlds=worlds,
                outcome_names=vocab.outcome_names(),
            ),
            nl=False,
        )
    if errors:
        raise typer.Exit(2)
