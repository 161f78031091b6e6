"""`rongcuo check` and `rongcuo diff`: the drafters' toolkit."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import (
    AsOfOpt,
    Format,
    Lang,
    LangOpt,
    ProfileOpt,
    RulesOpt,
    TrustOpt,
    answered,
    app,
    fail,
    linted,
    parse_day,
    read_cases,
    warn,
    writing,
)
from .words import h

FormatOpt = Annotated[Format, typer.Option("--format", help=h("drafting.format"))]
WitnessOpt = Annotated[Optional[Path], typer.Option("--witnesses", help=h("drafting.witnesses"))]
OutOpt = Annotated[
    Optional[Path],
    typer.Option("--out", help=h("drafting.out")),
]
CasesOpt = Annotated[Optional[list[Path]], typer.Option("--cases", help=h("drafting.cases"))]
DaysOpt = Annotated[
    Optional[int],
    typer.Option(
        "--days",
        min=0,
        help=h("drafting.days"),
    ),
]
IdsOpt = Annotated[bool, typer.Option("--ids", help=h("drafting.ids"))]
DAYS = 17  # rongcuo.drafting.size.DAYS (tests/test_startup.py checks): the default without importing drafting

if TYPE_CHECKING:
    from .. import drafting
    from ..drafting.transition import TransitionReport


def _load(spec: str, profile: str, trust: bool, timeline: str | None = None) -> drafting.Version:
    from .. import drafting
    from ..engine import RuleError, bundled_root
    from ..timeline import spec_of

    try:
        version = drafting.load(spec_of(spec, profile, timeline), profile, trusted=trust)  # version:ID of the timeline
    except RuleError as e:
        fail(e)
    version.lint.extend(linted(version.rules, extra=version.checks))  # first, before any solving
    if version.rules.root != bundled_root().resolve():  # as evaluate and batch do: no solving past the budget
        from ..engine.budget import within_budget

        try:
            within_budget(version.rules, spec)
        except RuleError as e:
            fail(e)
    return version


def _emit(report, format: Format, lang: Lang, witnesses: Path | None, out: Path | None, header: str, ids: bool) -> None:
    from ..drafting.report import rendered, to_json
    from ..drafting.witness import write

    folder = witnesses or (out / "witnesses" if out else None)
    with writing(out or folder):
        paths = write(report.witnesses, folder, header) if folder else []
        files = {w.key: str(p) for w, p in zip(report.witnesses, paths, strict=bool(folder))}
        if out:
            out.mkdir(parents=True, exist_ok=True)
            for name, fmt in (("report.md", "md"), ("report.html", "html")):
                (out / name).write_text(rendered(report, fmt, lang.value, files, ids), encoding="utf-8")
            (out / "report.json").write_text(
                json.dumps(to_json(report, files), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
            )
    if format == Format.json:
        typer.echo(json.dumps(to_json(report, files), ensure_ascii=False))
    else:
        typer.echo(rendered(report, format.value, lang.value, files, ids), nl=False)


@app.command(help=h("check"))
def check(
    rules: RulesOpt = None,
    profile: ProfileOpt = "default",
    format: FormatOpt = Format.text,
    witnesses: WitnessOpt = None,
    out: OutOpt = None,
    days: DaysOpt = None,
    lang: LangOpt = Lang.zh,
    ids: IdsOpt = False,
    trust: TrustOpt = False,
) -> None:
    from ..drafting.check import check as check_rules

    version = _load(str(rules) if rules else f"profile:{profile}", profile, trust)
    report = answered(check_rules, version, days)
    _emit(
        report,
        format,
        lang,
        witnesses,
        out,
        f"rongcuo check: {version.name} ({version.rules.profile}), rule set {version.rules.digest}",
        ids,
    )
    if report.conflicts:
        raise typer.Exit(1)


@app.command(help=h("diff"))
def diff(
    old: Annotated[str, typer.Argument(help=h("diff.old"))],
    new: Annotated[str, typer.Argument(help=h("diff.new"))],
    profile: Annotated[str, typer.Option("--profile", help=h("diff.profile"))] = "default",
    cases: CasesOpt = None,
    as_of: AsOfOpt = None,
    format: FormatOpt = Format.text,
    witnesses: WitnessOpt = None,
    out: OutOpt = None,
    days: DaysOpt = None,
    lang: LangOpt = Lang.zh,
    ids: IdsOpt = False,
    trust: TrustOpt = False,
    transition: Annotated[bool, typer.Option("--transition", help=h("diff.transition"))] = False,
    timeline: Annotated[Optional[str], typer.Option("--timeline", help=h("diff.timeline"))] = None,
) -> None:
    from ..drafting.diff import corpus
    from ..drafting.diff import diff as diff_rules

    path = timeline  # the timeline version:ID names a version of (timeline.named: the law's by default)
    if transition:
        if cases:
            fail("errors.transition_cases")
        across = _transition(old, new, profile, path, timeline or "bundled", days, trust)
        header = (
            f"rongcuo diff --transition: {across.before.id} ({across.old.rules.digest}) → {across.after.id} "
            f"({across.new.rules.digest}) on {across.switch.isoformat()}, timeline {across.source}"
        )
        _emit(across, format, lang, witnesses, out, header, ids)
        raise typer.Exit(0 if across.same else 1)
    before, after = _load(old, profile, trust, path), _load(new, profile, trust, path)
    report = answered(diff_rules, before, after, days)
    if cases:
        found, errors = read_cases(cases)
        for line in errors:
            warn(line)
        corpus(report, [c for _, c in found], parse_day(as_of, "--as-of"))
    _emit(
        report,
        format,
        lang,
        witnesses,
        out,
        f"rongcuo diff: {before.name} ({before.rules.digest}) → {after.name} ({after.rules.digest})",
        ids,
    )
    if not report.same or report.cases:
        raise typer.Exit(1)


def _transition(
    old: str, new: str, profile: str, path: str | None, source: str, days: int | None, trust: bool
) -> TransitionReport:
    """`rongcuo diff version:A version:B --transition`: what the amendment changes at its effective date."""
    from .. import timeline as versions
    from ..drafting.transition import transition

    amendment = answered(versions.amendment, old, new, path)
    before, after = _load(old, profile, trust, path), _load(new, profile, trust, path)
    whole = answered(versions.load, path, profile, trusted=trust)
    return answered(transition, before, after, amendment, whole, source, days)
