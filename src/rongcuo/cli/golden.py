"""`rongcuo test`: the golden cases under every profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from .app import Lang, LangOpt, RulesOpt, TextFormat, TrustOpt, app, fail, load_rules, one_line, rule_root
from .words import h

if TYPE_CHECKING:
    from ..golden import Check


@app.command(help=h("test"))
def test(
    paths: Annotated[Optional[list[Path]], typer.Argument(help=h("test.paths"))] = None,
    profile: Annotated[Optional[list[str]], typer.Option("--profile", help=h("test.profile"))] = None,
    rules: RulesOpt = None,
    trust: TrustOpt = False,
    format: Annotated[TextFormat, typer.Option("--format", help=h("test.format"))] = TextFormat.text,
    junit: Annotated[Optional[Path], typer.Option("--junit", help=h("test.junit"))] = None,
    lang: LangOpt = Lang.zh,
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
        junit.write_bytes(_junit(checks))
    if format == TextFormat.json:
        typer.echo(json.dumps(report(checks), ensure_ascii=False))
    else:
        typer.echo(render("reference/golden.txt.j2", lang.value, checks=checks), nl=False)
    if not checks or not all(c.passed for c in checks):
        raise typer.Exit(1)


def report(checks: list[Check]) -> dict:
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
