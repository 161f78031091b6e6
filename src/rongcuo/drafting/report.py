"""Check and diff reports: text, Markdown, self-contained HTML (jinja2) and JSON."""

from __future__ import annotations

from ..engine import RuleSet, Timeline
from ..engine.inputs import SPAN
from ..model import calendar
from ..model import vocabulary as vocab
from ..model.shapes import (
    CheckReportJSON,
    ClassJSON,
    DiffReportJSON,
    RuleRefJSON,
    SpaceJSON,
    VersionJSON,
    WitnessJSON,
)
from ..present.render import message, render
from .check import Report
from .diff import Class, DiffReport
from .transition import SEGMENTS, TransitionReport
from .witness import Rules, Witness, explain_all
from .words import Words

Reports = Report | DiffReport | TransitionReport


def rendered(report: Reports, format: str, lang: str, files: dict[str, str], ids: bool = False) -> str:
    """The report in ``format``; ``files`` names the written witness file of each witness key.
    Markdown and HTML show each witness's explanation too. Outcomes, facts, consequences, dates and
    clauses are named in words (drafting.words); ``ids`` adds each one's id in a code span."""
    name = "check" if isinstance(report, Report) else "transition" if isinstance(report, TransitionReport) else "diff"
    compared = _compared(report)
    explained = format in ("md", "html")
    if explained:
        for witnesses, versions in compared:
            explain_all(witnesses, versions)
    template = f"drafting/{name}.html.j2" if format == "html" else f"drafting/{name}.txt.j2"
    every = {n: rules for _, versions in compared for n, rules in versions.items()}
    return render(
        template,
        lang,
        r=report,
        md=format == "md",
        files=files,
        date_keys=vocab.date_keys(),
        span=SPAN,
        anchors=[a.isoformat() for a in report.size.anchors],
        last=calendar.LAST.isoformat(),
        # the rules deriving what an explanation shows: text and JSON, showing none, do without (most of their cost)
        derivers=_derivers(every) if explained else {},
        bounded="_bounded" if report.size.short else "",  # the window is no proof: "proved" reads "not found"
        n=Words(lang, ids, html=format == "html"),
        ids=ids,
        roles={} if isinstance(report, Report) else _roles(report, lang),
        segments=SEGMENTS,
    )


def _derivers(every: dict[str, Rules]) -> dict:
    """Which rules derive each predicate, per version, read off the trace's instrumentation."""
    from ..explain.serialize import derivers  # rongcuo.explain only for the reports that explain

    return {n: derivers(_first(rules)) for n, rules in every.items()}


def _first(rules: Rules) -> RuleSet:
    """A timeline's trees name the rules of its first version (every version's rules share their names)."""
    return rules.rules_of(None) if isinstance(rules, Timeline) else rules


def _roles(report: DiffReport | TransitionReport, lang: str) -> dict[str, str]:
    """How a witness's answers are headed: old, new (the versions' names are in the header); in a
    transition, each version alone and the timeline."""
    if isinstance(report, TransitionReport):
        return {
            report.old.name: message("drafting.old_alone", lang),
            report.new.name: message("drafting.new_alone", lang),
            report.timeline_name: message("drafting.on_timeline", lang),
        }
    return {report.old.name: message("drafting.old", lang), report.new.name: message("drafting.new", lang)}


def _compared(report: Reports) -> list[tuple[list[Witness], dict[str, Rules]]]:
    """The witnesses and the rule sets (or the timeline) each group of them was evaluated under."""
    if isinstance(report, Report):
        return [(report.witnesses, {report.version.name: report.version.rules})]
    if isinstance(report, DiffReport):
        return [(report.witnesses, {report.old.name: report.old.rules, report.new.name: report.new.rules})]
    on = report.timeline_name
    return [
        ([c.witness for c in report.classes], {report.old.name: report.old.rules, on: report.timeline}),
        ([c.witness for c in report.kept], {report.new.name: report.new.rules, on: report.timeline}),
    ]


def to_json(report: Reports, files: dict[str, str]) -> CheckReportJSON | DiffReportJSON:
    if isinstance(report, Report):
        return _check_json(report, files)
    if isinstance(report, TransitionReport):
        return _transition_json(report, files)
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
        "classes": [_class(c, files) for c in r.classes],
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


def _transition_json(r: TransitionReport, files: dict[str, str]) -> DiffReportJSON:
    """The diff report's shape: both versions, the space, every class — each with its segment and the
    version alone it compares the timeline's answer with — and what the transition is."""
    return {
        "command": "diff",
        "transition": {
            "timeline": r.source,
            "timeline_rules": r.timeline.digest,
            "old": r.before.id,
            "new": r.after.id,
            "switch": r.switch.isoformat(),
            "reading": r.timeline.reading,
        },
        "old": _version(r.old),
        "new": _version(r.new),
        "space": _space(r.size),
        "same": r.same,
        "complete": r.complete,
        "classes": [
            {**_class(c, files), "segment": c.segment or "", "baseline": baseline}
            for baseline, found in (("old", r.classes), ("new", r.kept))
            for c in found
        ],
        "cases": None,
        "seconds": round(r.seconds, 3),
    }


def _class(c: Class, files: dict[str, str]) -> ClassJSON:
    return {
        "old": c.old,
        "new": c.new,
        "changes": [{"sign": x.sign, "kind": x.kind, "name": x.name} for x in c.changes],
        "witness": _witness(c.witness, files),
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
        "calendar_windows": [a.isoformat() for a in size.anchors] if size.days else [],
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
