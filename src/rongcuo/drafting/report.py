"""Check and diff reports: text, Markdown, self-contained HTML (jinja2) and JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..engine.inputs import SPAN
from ..engine.space import WINDOWS
from ..model import calendar
from ..model import vocabulary as vocab
from ..model.shapes import (
    CheckReportJSON,
    DiffReportJSON,
    RuleRefJSON,
    SpaceJSON,
    VersionJSON,
    WitnessJSON,
)
from ..present.render import message, render
from .check import Report
from .witness import Witness, explain_all
from .words import Words

if TYPE_CHECKING:
    from .diff import DiffReport  # check's report does without diff's module


def rendered(report: Report | DiffReport, format: str, lang: str, files: dict[str, str], ids: bool = False) -> str:
    """The report in ``format``; ``files`` names the written witness file of each witness key.
    Markdown and HTML show each witness's explanation too. Outcomes, facts, consequences, dates and
    clauses are named in words (drafting.words); ``ids`` adds each one's id in a code span."""
    name = "check" if isinstance(report, Report) else "diff"
    versions = {v.name: v.rules for v in _versions(report)}
    explained = format in ("md", "html")
    if explained:
        explain_all(report.witnesses, versions)
    template = f"drafting/{name}.html.j2" if format == "html" else f"drafting/{name}.txt.j2"
    return render(
        template,
        lang,
        r=report,
        md=format == "md",
        files=files,
        date_keys=vocab.date_keys(),
        span=SPAN,
        anchors=[a.isoformat() for a in WINDOWS],
        last=calendar.LAST.isoformat(),
        derivers=_derivers(versions) if explained else {},  # the rules deriving what an explanation shows
        bounded="_bounded" if report.size.short else "",  # the window is no proof: "proved" reads "not found"
        n=Words(lang, ids, html=format == "html"),
        ids=ids,
        roles={} if isinstance(report, Report) else _roles(report, lang),
    )


def _derivers(versions: dict) -> dict:
    """Which rules derive each predicate, per version: read off the trace's instrumentation, which text
    and JSON, showing no explanation, do without (its cost is most of a text report's rendering)."""
    from ..explain.serialize import derivers

    return {name: derivers(rules) for name, rules in versions.items()}


def _roles(report: DiffReport, lang: str) -> dict[str, str]:
    """How a witness's answers are headed in a diff: old, new (the versions' names are in the header)."""
    return {report.old.name: message("drafting.old", lang), report.new.name: message("drafting.new", lang)}


def _versions(report: Report | DiffReport) -> list:
    return [report.version] if isinstance(report, Report) else [report.old, report.new]


def to_json(report: Report | DiffReport, files: dict[str, str]) -> CheckReportJSON | DiffReportJSON:
    if isinstance(report, Report):
        return _check_json(report, files)
    return _diff_json(report, files)


def _check_json(r: Report, files: dict[str, str]) -> CheckReportJSON:
    return {
        "command": "check",
        "source": r.version.name,
        "draft": r.version.draft,
        "profile": r.version.rules.profile,
        "rules": r.version.rules.digest,
        "checks": r.version.checks_digest,
        "lint": [
            {"where": f.where, "kind": f.kind, "code": f.code, "error": f.error, "message": f.message}
            for f in r.version.lint
        ],
        "space": _space(r.size),
        "conflicts": [
            {
                "name": c.name,
                "file": c.file,
                "status": c.status,
                "witness": _witness(c.witness, files) if c.witness else None,
            }
            for c in r.checks
        ],
        "rules_examined": r.examined,
        "compiled": r.fallback is None,
        "fallback": r.fallback,
        "dated_vectorised": r.dated_fallback is None,
        "dated_fallback": r.dated_fallback,
        "findings": [
            {
                "kind": f.kind,
                **_rule(f.rule),
                "facts": list(f.facts),
                "witness": _witness(f.witness, files) if f.witness else None,
            }
            for f in r.rules
        ],
        "outside": [_rule(x) for x in r.outside],
        "unread": [_rule(x) for x in r.unread],
        "inert_facts": r.inert,
        "never_decisive_facts": r.never_decisive,
        "seconds": round(r.seconds, 3),
    }


def _diff_json(r: DiffReport, files: dict[str, str]) -> DiffReportJSON:
    return {
        "command": "diff",
        "old": _version(r.old),
        "new": _version(r.new),
        "space": _space(r.size),
        "same": r.same,
        "complete": r.complete,
        "classes": [
            {
                "old": c.old,
                "new": c.new,
                "changes": [{"sign": x.sign, "kind": x.kind, "name": x.name} for x in c.changes],
                "witness": _witness(c.witness, files),
            }
            for c in r.classes
        ],
        "cases": None
        if r.cases is None
        else {
            "compared": r.corpus,
            "changed": [
                {"case": x.case, "old": x.old, "new": x.new, "certain": x.certain, "deciding": list(x.deciding)}
                for x in r.cases
            ],
        },
        "seconds": round(r.seconds, 3),
    }


def _version(v) -> VersionJSON:
    return {"source": v.name, "draft": v.draft, "profile": v.rules.profile, "rules": v.rules.digest}


def _space(size) -> SpaceJSON:
    return {
        "facts": size.facts,
        "combinations": size.combinations,
        "valid": size.valid,
        "days": size.days,
        "ordered_dates": size.valid_dates,
        "calendar_windows": [a.isoformat() for a in WINDOWS] if size.days else [],
        "date_settings": size.day_choices,
        "total": size.total,
        "needed_days": size.needed,
        "proof": size.short is None,
        "not_a_proof": size.short,
    }


def _rule(rule) -> RuleRefJSON:
    return {"id": rule.id, "file": rule.file, "line": rule.line, "text": rule.text}


def _witness(w: Witness, files: dict[str, str]) -> WitnessJSON:
    return {
        "case": w.case.id,
        "file": files.get(w.key),
        "facts": w.case.true_facts(),
        "dates": {k: v.isoformat() for k, v in w.case.dates.items()},
        "as_of": w.as_of.isoformat(),
        "effective_date": w.effective_date.isoformat() if w.effective_date else None,
        "results": {name: result.to_json() for name, result in w.results.items()},
    }
