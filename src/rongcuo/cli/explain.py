"""`rongcuo explain | whynot | whatif`: the analysts' questions about one case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import (
    AsOfOpt,
    EffectiveDateOpt,
    Format,
    Lang,
    LangOpt,
    ProfileOpt,
    RulesOpt,
    TrustOpt,
    answered,
    app,
    ask_of,
    fail,
)

OutcomeOpt = Annotated[Optional[str], typer.Option("--outcome", help="Only this outcome.")]
ViewFormatOpt = Annotated[Format, typer.Option("--format", help="text, md, html or json.")]

if TYPE_CHECKING:
    from ..ask import Ask
    from ..explain import Explanation
    from ..model.case import Case


def _case(path: Path) -> Case:
    from ..model.case import CaseError
    from ..model.files import load_case

    try:
        return load_case(path)
    except CaseError as e:
        fail(e)


def _outcome(name: str | None, option: str) -> str | None:
    from ..model import vocabulary as vocab
    from ..model.coded import OptionError, ids, msg, suggest

    if name is not None and name not in vocab.outcome_names():
        names = vocab.outcome_names()
        hint = suggest(name, names, "outcomes", msg("errors.use_one_of", choices=ids("outcomes", names)))
        fail(OptionError(option, "errors.not_outcome", value=repr(name), hint=hint))
    return name


def _emit(explanations, format: Format, lang: Lang, asked: Ask) -> None:
    from ..explain.serialize import derivers, explanation_json
    from ..model import vocabulary as vocab
    from ..present.render import render

    if format == Format.json:
        for e in explanations:
            typer.echo(json.dumps(explanation_json(e, asked.rules), ensure_ascii=False))
        return
    template = "explain/explain.html.j2" if format == Format.html else "explain/explain.txt.j2"
    typer.echo(
        render(
            template,
            lang.value,
            explanations=explanations,
            md=format == Format.md,
            derivers=derivers(asked.rules),
            outcome_names=vocab.outcome_names(),
            days={e.case.id: asked.day_of(e.case).source for e in explanations},
        ),
        nl=False,
    )


@app.command()
def explain(
    case: Annotated[Path, typer.Argument(help="A case file.")],
    outcome: OutcomeOpt = None,
    profile: ProfileOpt = "default",
    format: ViewFormatOpt = Format.text,
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
) -> None:
    """Why each outcome holds — a tree from the outcome down to the case's facts — and the defeated grounds."""
    from ..explain import explain as explain_cases

    asked = ask_of(profile, rules, trust, as_of, effective_date)
    explanations = answered(explain_cases, asked, [_case(case)], _outcome(outcome, "--outcome"))
    _check(case, explanations[0])
    _emit(explanations, format, lang, asked)


@app.command()
def whynot(
    case: Annotated[Path, typer.Argument(help="A case file.")],
    outcome: Annotated[str, typer.Argument(help="The outcome that does not hold.")],
    profile: ProfileOpt = "default",
    format: ViewFormatOpt = Format.text,
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
) -> None:
    """Every rule that could derive OUTCOME, with the conditions that fail and the defeaters that block it."""
    from ..explain import explain as explain_cases

    asked = ask_of(profile, rules, trust, as_of, effective_date)
    explanations = answered(
        explain_cases, asked, [_case(case)], outcome="", why_not_of=(_outcome(outcome, "OUTCOME") or outcome,)
    )
    _check(case, explanations[0])
    _emit(explanations, format, lang, asked)


@app.command()
def whatif(
    case: Annotated[Path, typer.Argument(help="A case file.")],
    to: Annotated[Optional[str], typer.Option("--to", help="Make this the disposition.")] = None,
    avoid: Annotated[Optional[str], typer.Option("--avoid", help="Make the disposition anything but this.")] = None,
    fixed: Annotated[Optional[list[str]], typer.Option("--fixed", help="A fact that may not change.")] = None,
    max_changes: Annotated[Optional[int], typer.Option("--max-changes", help="At most this many changes.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many alternatives.")] = 10,
    profile: ProfileOpt = "default",
    format: ViewFormatOpt = Format.text,
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
) -> None:
    """The smallest sets of fact changes that make TO the disposition (or avoid AVOID), each verified."""
    from ..ask import Rejected
    from ..ask import evaluate as evaluate_cases
    from ..explain import whatif as whatif_case
    from ..explain.serialize import alternative_json, derivers
    from ..model import vocabulary as vocab
    from ..model.coded import OptionError, msg, suggest
    from ..present.render import render

    if not (to or avoid):
        fail("errors.cli_whatif_target")
    asked = ask_of(profile, rules, trust, as_of, effective_date)
    for name in fixed or []:
        if name not in vocab.fact_ids():
            hint = suggest(name, vocab.fact_ids(), "facts", msg("errors.see_vocabulary"))
            fail(OptionError(f"--fixed: {name}", "errors.unknown_fact", hint=hint))
    the_case = _case(case)
    to, avoid = _outcome(to, "--to"), _outcome(avoid, "--avoid")
    (answer,) = evaluate_cases(asked, [the_case], [str(case)])
    if isinstance(answer, Rejected):
        fail(answer.error)
    alternatives = answered(
        whatif_case, asked, the_case, to=to, avoid=avoid, fixed=tuple(fixed or ()), max_changes=max_changes, limit=limit
    )
    if format == Format.json:
        typer.echo(
            json.dumps(
                {
                    "case": the_case.id,
                    "to": to,
                    "avoid": avoid,
                    "alternatives": [alternative_json(a, asked.rules) for a in alternatives],
                },
                ensure_ascii=False,
            )
        )
        return
    template = "explain/whatif.html.j2" if format == Format.html else "explain/whatif.txt.j2"
    typer.echo(
        render(
            template,
            lang.value,
            case=the_case,
            day=asked.day_of(the_case),
            to=to,
            avoid=avoid,
            alternatives=alternatives,
            md=format == Format.md,
            derivers=derivers(asked.rules),
            outcome_names=vocab.outcome_names(),
        ),
        nl=False,
    )


def _check(path: Path, explanation: Explanation) -> None:
    """A contradictory case is refused, as `evaluate` refuses it."""
    from ..ask import contradiction

    if problem := contradiction(str(path), explanation.case, explanation.result):
        fail(problem)
