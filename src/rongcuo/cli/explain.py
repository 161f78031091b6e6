"""`rongcuo explain | whynot | whatif`: the analysts' questions about one case."""

from __future__ import annotations

import json
from enum import StrEnum
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
    TimelineOpt,
    TrustOpt,
    answered,
    app,
    ask_of,
    fail,
)
from .words import h

OutcomeOpt = Annotated[Optional[str], typer.Option("--outcome", help=h("explain.outcome"))]


class Detail(StrEnum):
    analyst = "analyst"
    rules = "rules"


DetailOpt = Annotated[Detail, typer.Option("--detail", help=h("explain.detail"))]
ViewFormatOpt = Annotated[Format, typer.Option("--format", help=h("explain.format"))]

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


def _outcome(name: str | None, option: str, consequences: bool = False) -> str | None:
    from ..model import vocabulary as vocab
    from ..model.coded import OptionError, ids, msg, suggest

    outcomes, others = vocab.outcome_names(), list(vocab.vocabulary()["consequences"]) if consequences else []
    if name is not None and name not in outcomes + others:
        hint = suggest(name, outcomes, "outcomes", msg("errors.use_one_of", choices=ids("outcomes", outcomes)))
        if others and hint.key != "errors.did_you_mean":
            hint = suggest(name, others, "consequences", hint)
        code = "errors.not_outcome_or_consequence" if others else "errors.not_outcome"
        fail(OptionError(option, code, value=repr(name), hint=hint))
    return name


def _emit(explanations, format: Format, lang: Lang, asked: Ask, detail: Detail = Detail.analyst) -> None:
    from ..explain.serialize import explanation_json, explanation_text

    if format == Format.json:
        for e in explanations:
            typer.echo(json.dumps(explanation_json(e), ensure_ascii=False))
        return
    typer.echo(explanation_text(explanations, asked, format.value, lang.value, detail == Detail.rules), nl=False)


@app.command(help=h("explain"))
def explain(
    case: Annotated[Path, typer.Argument(help=h("explain.case"))],
    outcome: OutcomeOpt = None,
    profile: ProfileOpt = "default",
    format: ViewFormatOpt = Format.text,
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    detail: DetailOpt = Detail.analyst,
    timeline: TimelineOpt = None,
) -> None:
    from ..explain import explain as explain_cases

    asked = ask_of(profile, rules, trust, as_of, effective_date, timeline)
    explanations = answered(explain_cases, asked, [_case(case)], _outcome(outcome, "--outcome", consequences=True))
    _check(case, explanations[0])
    _emit(explanations, format, lang, asked, detail)


@app.command(help=h("whynot"))
def whynot(
    case: Annotated[Path, typer.Argument(help=h("explain.case"))],
    outcome: Annotated[str, typer.Argument(help=h("whynot.outcome"))],
    profile: ProfileOpt = "default",
    format: ViewFormatOpt = Format.text,
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    detail: DetailOpt = Detail.analyst,
    timeline: TimelineOpt = None,
) -> None:
    from ..explain import explain as explain_cases

    asked = ask_of(profile, rules, trust, as_of, effective_date, timeline)
    explanations = answered(
        explain_cases, asked, [_case(case)], outcome="", why_not_of=(_outcome(outcome, "OUTCOME") or outcome,)
    )
    _check(case, explanations[0])
    _emit(explanations, format, lang, asked, detail)


@app.command(help=h("whatif"))
def whatif(
    case: Annotated[Path, typer.Argument(help=h("explain.case"))],
    to: Annotated[Optional[str], typer.Option("--to", help=h("whatif.to"))] = None,
    avoid: Annotated[Optional[str], typer.Option("--avoid", help=h("whatif.avoid"))] = None,
    fixed: Annotated[Optional[list[str]], typer.Option("--fixed", help=h("whatif.fixed"))] = None,
    free: Annotated[Optional[list[str]], typer.Option("--free", help=h("whatif.free"))] = None,
    actionable: Annotated[bool, typer.Option("--actionable", help=h("whatif.actionable"))] = False,
    show: Annotated[Optional[int], typer.Option("--show", help=h("whatif.show"))] = None,
    max_changes: Annotated[Optional[int], typer.Option("--max-changes", min=0, help=h("whatif.max-changes"))] = None,
    limit: Annotated[int, typer.Option("--limit", help=h("whatif.limit"))] = 10,
    profile: ProfileOpt = "default",
    format: ViewFormatOpt = Format.text,
    as_of: AsOfOpt = None,
    effective_date: EffectiveDateOpt = None,
    lang: LangOpt = Lang.zh,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
) -> None:
    from ..ask import Rejected
    from ..ask import evaluate as evaluate_cases
    from ..explain import held_fixed
    from ..explain import whatif as whatif_case
    from ..explain.serialize import alternative_json, derivers
    from ..model import vocabulary as vocab
    from ..model.coded import OptionError, msg, suggest
    from ..present.render import render

    if not (to or avoid):
        fail("errors.cli_whatif_target")
    asked = ask_of(profile, rules, trust, as_of, effective_date)
    for option, names in (("--fixed", fixed), ("--free", free)):
        for name in names or []:
            if name not in vocab.fact_ids():
                hint = suggest(name, vocab.fact_ids(), "facts", msg("errors.see_vocabulary"))
                fail(OptionError(f"{option}: {name}", "errors.unknown_fact", hint=hint))
    if both := sorted(set(fixed or ()) & set(free or ())):
        fail(OptionError("--fixed, --free", "errors.fixed_and_free", facts=", ".join(both)))
    if show is not None and show < 1:
        fail(OptionError(f"--show: {show}", "errors.show_from_one"))
    the_case = _case(case)
    to, avoid = _outcome(to, "--to"), _outcome(avoid, "--avoid")
    (answer,) = evaluate_cases(asked, [the_case], [str(case)])
    if isinstance(answer, Rejected):
        fail(answer.error)
    fixed_, free_ = tuple(fixed or ()), tuple(free or ())
    alternatives = answered(
        whatif_case,
        asked,
        the_case,
        to=to,
        avoid=avoid,
        fixed=fixed_,
        free=free_,
        actionable=actionable,
        max_changes=max_changes,
        limit=limit,
        deadlines=True,
    )
    if show is not None and show > len(alternatives):
        fail(OptionError(f"--show: {show}", "errors.show_beyond", count=len(alternatives)))
    held = held_fixed(to, fixed_, free_)
    if format == Format.json:
        typer.echo(
            json.dumps(
                {
                    "case": the_case.id,
                    "to": to,
                    "avoid": avoid,
                    "actionable": actionable,
                    "as_of": asked.day_of(the_case).date.isoformat(),
                    "held_fixed": list(held),
                    "freed": sorted(free_),
                    "alternatives": [alternative_json(a) for a in alternatives],
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
            show=show,
            actionable=actionable,
            held=held,
            freed=sorted(free_),
            limit=limit,
            kinds_of={f: vocab.fact_kind(f) for f in vocab.fact_ids()},
            in_order=lambda facts: sorted(facts, key=vocab.fact_ids().index),
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
