"""`rongcuo test`: the golden cases under every profile."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import (
    Lang,
    LangOpt,
    RulesOpt,
    TextFormat,
    TrustOpt,
    app,
    fail,
    load_rules,
    one_line,
    rule_root,
    warn,
    writing,
)
from .words import h

if TYPE_CHECKING:
    from ..coverage import Coverage
    from ..engine import RuleSet
    from ..golden import Check
    from ..model.shapes import TestReportJSON


class CoverageFormat(StrEnum):
    text = "text"
    md = "md"
    html = "html"
    json = "json"


CoverageOpt = Annotated[bool, typer.Option("--coverage", help=h("test.coverage"))]
CoverageFormatOpt = Annotated[CoverageFormat, typer.Option("--coverage-format", help=h("test.coverage-format"))]
CoverageOutputOpt = Annotated[Optional[Path], typer.Option("--coverage-output", help=h("test.coverage-output"))]
WriteMissingOpt = Annotated[Optional[Path], typer.Option("--write-missing", help=h("test.write-missing"))]
FailUnderOpt = Annotated[Optional[float], typer.Option("--fail-under", min=0, max=100, help=h("test.fail-under"))]


@app.command(help=h("test"))
def test(
    paths: Annotated[Optional[list[Path]], typer.Argument(help=h("test.paths"))] = None,
    profile: Annotated[Optional[list[str]], typer.Option("--profile", help=h("test.profile"))] = None,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    format: Annotated[TextFormat, typer.Option("--format", help=h("test.format"))] = TextFormat.text,
    junit: Annotated[Optional[Path], typer.Option("--junit", help=h("test.junit"))] = None,
    lang: LangOpt = Lang.zh,
    coverage: CoverageOpt = False,
    coverage_format: CoverageFormatOpt = CoverageFormat.text,
    coverage_output: CoverageOutputOpt = None,
    write_missing: WriteMissingOpt = None,
    fail_under: FailUnderOpt = None,
) -> None:
    from .. import golden
    from ..engine import profiles
    from ..model import measure
    from ..model.case import CaseError
    from ..present.render import render

    rulesets = [load_rules(p, rules, trust) for p in (profile or profiles(rule_root(rules)))]
    try:
        checks = golden.run(paths or [measure.root() / "golden"], rulesets)
    except CaseError as e:
        fail(e)
    if junit is not None:
        with writing(junit):
            junit.write_bytes(_junit(checks))
    if format == TextFormat.json:
        typer.echo(json.dumps(report(checks), ensure_ascii=False))
    else:
        typer.echo(render("reference/golden.txt.j2", lang.value, checks=checks), nl=False)
    failed = not checks or not all(c.passed for c in checks)
    if coverage or write_missing or fail_under is not None:
        per = [(r, [c.golden.case for c in checks if c.profile == r.profile]) for r in rulesets]
        if not report_coverage(per, coverage_format, coverage_output, write_missing, fail_under, lang.value):
            failed = True
    if failed:
        raise typer.Exit(1)


def report_coverage(
    per: list[tuple[RuleSet, list]],
    format: CoverageFormat,
    output: Path | None,
    write_missing: Path | None,
    fail_under: float | None,
    lang: str,
) -> bool:
    """The coverage of each rule set by its cases (rongcuo.coverage), rendered; the missing cases written
    as golden files to review; False when a rule set's coverage is under ``fail_under``."""
    from ..coverage import coverage as measure_coverage
    from ..engine import RuleError
    from ..model import measure
    from ..present.render import render

    try:
        reports = [measure_coverage(rules, cases) for rules, cases in per]
    except RuleError as e:
        fail(str(e))
    if format == CoverageFormat.json:
        text = json.dumps({"coverage": [c.to_json() for c in reports]}, ensure_ascii=False) + "\n"
    else:
        text = render(
            f"coverage/report.{'txt' if format == CoverageFormat.text else format.value}.j2",
            lang,
            reports=reports,
            clauses=measure.clauses(),
        )
    if output is None:
        typer.echo(text, nl=False)
    else:
        with writing(output):
            output.write_text(text, "utf-8")
    if write_missing is not None:
        _write_missing(reports, write_missing, lang)
    ok = True
    for c in reports:
        if fail_under is not None and c.percent() < fail_under:
            warn(
                render_line(
                    "coverage.fail_under", lang, percent=c.percent(), profile=c.rules.profile, threshold=fail_under
                )
            )
            ok = False
    return ok


def render_line(key: str, lang: str, **values) -> str:
    from ..present.render import message

    return message(key, lang, **values)


def _write_missing(reports: list[Coverage], folder: Path, lang: str) -> None:
    """A golden file per gap the solver filled, its expectation the rules' answer today (to review)."""
    import yaml

    from ..coverage import missing

    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
    written = unfilled = 0
    for c in reports:
        found, none = missing(c)
        unfilled += len(none)
        for m in found:
            data = m.golden()
            specifies = ", ".join(m.item.clauses) or m.item.key
            head = f"# Specifies {specifies}: a case for the coverage gap {m.item.kind} {m.item.key}, found by the "
            head += "solver (rongcuo test --coverage --write-missing). Review the expectation.\n"
            path = folder / f"{data['id'].lower()}.yaml"
            path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
            written += 1
    warn(render_line("coverage.written", lang, n=written, dir=folder))
    if unfilled:
        warn(render_line("coverage.not_found", lang, n=unfilled))


def report(checks: list[Check]) -> TestReportJSON:
    """The JSON report of `rongcuo test --format json`: the counts and each check."""
    failed = sum(not c.passed for c in checks)
    return {
        "passed": bool(checks) and not failed,
        "total": len(checks),
        "failed": failed,
        "checks": [
            {
                "case": c.golden.case.id,
                "source": c.golden.source,
                "title": c.golden.title,
                "profile": c.profile,
                "passed": c.passed,
                "problems": list(c.problems),
            }
            for c in checks
        ],
    }


def _junit(checks: list[Check]) -> bytes:
    """The checks as JUnit XML: one testsuite per profile, one testcase per golden case, a failure
    element listing its problems."""
    from xml.etree import ElementTree as ET

    suites = ET.Element("testsuites", name="rongcuo test", tests=str(len(checks)))
    suites.set("failures", str(sum(not c.passed for c in checks)))
    for profile in dict.fromkeys(c.profile for c in checks):
        mine = [c for c in checks if c.profile == profile]
        suite = ET.SubElement(suites, "testsuite", name=profile, tests=str(len(mine)))
        suite.set("failures", str(sum(not c.passed for c in mine)))
        suite.set("errors", "0")
        for c in mine:
            case = ET.SubElement(suite, "testcase", classname=profile, name=c.golden.case.id, file=c.golden.source)
            if not c.passed:
                # one_line: a control character is not allowed in XML 1.0 (nor, raw, in a CI log)
                failure = ET.SubElement(case, "failure", message=one_line(c.problems[0]))
                failure.text = "\n".join(one_line(p) for p in c.problems)
    ET.indent(suites)
    return ET.tostring(suites, encoding="utf-8", xml_declaration=True) + b"\n"
