"""`rongcuo evaluate`: cases in, dispositions with modality and grounds out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from .app import (
    AsOfOpt,
    EffectiveDateOpt,
    FormatOpt,
    Lang,
    LangOpt,
    LogOpt,
    ProfileOpt,
    RulesOpt,
    StoreOpt,
    TextFormat,
    TimelineOpt,
    TrustOpt,
    app,
    ask_of,
    logged,
    read_cases,
    said,
    warn,
)
from .words import h


@app.command(help=h("evaluate"))
def evaluate(
    cases: Annotated[list[Path], typer.Argument(help=h("evaluate.cases"))],
    profile: ProfileOpt = "default",
    format: FormatOpt = TextFormat.text,
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    log: LogOpt = None,
    store: StoreOpt = None,
    timeline: TimelineOpt = None,
) -> None:
    from ..ask import Evaluated, Rejected
    from ..ask import evaluate as evaluate_cases
    from ..model import vocabulary as vocab
    from ..present.render import render

    asked = ask_of(profile, rules, trust, as_of, effective_date, timeline)
    found, errors = read_cases(cases)
    answers = evaluate_cases(asked, [case for _, case in found], [source for source, _ in found])
    errors += [said(a.error) for a in answers if isinstance(a, Rejected)]
    for line in errors:
        warn(line)
    evaluated = [a for a in answers if isinstance(a, Evaluated)]
    if log is not None:
        from ..replay import DecisionLog

        decisions = DecisionLog.at(log, store, "evaluate")
        logged(lambda: decisions.answers(asked, evaluated), log, store)
    if format == TextFormat.json:
        for answer in evaluated:
            typer.echo(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        typer.echo(
            render(
                "explain/evaluate.txt.j2",
                lang.value,
                results=[a.result for a in evaluated],
                cases={a.case.id: a.case for a in evaluated},
                worlds={a.case.id: a.world for a in evaluated if a.world},
                days={a.case.id: asked.day_of(a.case).source for a in evaluated},
                outcome_names=vocab.outcome_names(),
                notes=asked.timeline.notes if asked.timeline else {},  # what the timeline says of each version
            ),
            nl=False,
        )
    if errors:
        raise typer.Exit(2)
