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
)

FormatOpt = Annotated[Format, typer.Option("--format", help="text, md, html or json.")]
WitnessOpt = Annotated[Optional[Path], typer.Option("--witnesses", help="Write each witness here as a case file.")]
OutOpt = Annotated[
    Optional[Path],
    typer.Option(
        "--out", help="Write report.md, report.html and report.json here (and the witnesses, under witnesses/)."
    ),
]
CasesOpt = Annotated[Optional[list[Path]], typer.Option("--cases", help="Which of these cases change disposition.")]
DaysOpt = Annotated[
    Optional[int],
    typer.Option(
        "--days",
        min=0,
        help="Dates range over this many days (0: no dates). Default: the window the rules' date arithmetic needs.",
    ),
]
DAYS = 17  # rongcuo.drafting.size.DAYS (tests/test_startup.py checks): the default without importing drafting

if TYPE_CHECKING:
    from .. import drafting


def _load(spec: str, profile: str, trust: bool) -> drafting.Version:
    from .. import drafting
    from ..engine import RuleError

    try:
        version = drafting.load(spec, profile, trusted=trust)
    except RuleError as e:
        fail(e)
    version.lint.extend(linted(version.rules, extra=version.checks))  # first, before any solving
    return version


def _emit(report, format: Format, lang: Lang, witnesses: Path | None, out: Path | None, header: str) -> None:
    from ..drafting.report import rendered, to_json
    from ..drafting.witness import write

    folder = witnesses or (out / "witnesses" if out else None)
    paths = write(report.witnesses, folder, header) if folder else []
    files = {w.key: str(p) for w, p in zip(report.witnesses, paths, strict=bool(folder))}
    if out:
        out.mkdir(parents=True, exist_ok=True)
        for name, fmt in (("report.md", "md"), ("report.html", "html")):
            (out / name).write_text(rendered(report, fmt, lang.value, files), encoding="utf-8")
        (out / "report.json").write_text(
            json.dumps(to_json(report, files), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    if format == Format.json:
        typer.echo(json.dumps(to_json(report, files), ensure_ascii=False))
    else:
        typer.echo(rendered(report, format.value, lang.value, files), nl=False)


@app.command()
def check(
    rules: RulesOpt = None,
    profile: ProfileOpt = "default",
    format: FormatOpt = Format.text,
    witnesses: WitnessOpt = None,
    out: OutOpt = None,
    days: DaysOpt = None,
    lang: LangOpt = Lang.zh,
    trust: TrustOpt = False,
) -> None:
    """Prove or refute every conflict check over every combination of facts; find dead and
    redundant rules and inert facts. Exit code 1 when a conflict is found."""
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
    )
    if report.conflicts:
        raise typer.Exit(1)


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="A rule directory, a draft, or profile:NAME.")],
    new: Annotated[str, typer.Argument(help="A rule directory, a draft, or profile:NAME.")],
    profile: Annotated[str, typer.Option("--profile", help="The profile of OLD, NEW given as folders.")] = "default",
    cases: CasesOpt = None,
    as_of: AsOfOpt = None,
    format: FormatOpt = Format.text,
    witnesses: WitnessOpt = None,
    out: OutOpt = None,
    days: DaysOpt = None,
    lang: LangOpt = Lang.zh,
    trust: TrustOpt = False,
) -> None:
    """Every behavioural difference between two rule versions, in classes, each with a minimal
    witness — or the proof that there is none. Exit code 1 when they differ."""
    from ..drafting.diff import corpus
    from ..drafting.diff import diff as diff_rules

    before, after = _load(old, profile, trust), _load(new, profile, trust)
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
    )
    if not report.same or report.cases:
        raise typer.Exit(1)
