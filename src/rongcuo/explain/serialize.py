"""Explanations as JSON (the same content the templates render, for the API) and as the text, Markdown
or HTML `rongcuo explain` prints."""

from __future__ import annotations

from ..ask import Ask, open_world_json
from ..engine import RuleSet
from ..model import vocabulary as vocab
from . import Alternative, Explanation
from .tree import Node
from .whynot import Candidate
from .whynot import derivers as _derivers


def derivers(rules: RuleSet) -> dict[str, tuple[str, ...]]:
    return _derivers(rules.tracer.infos)


def explanation_text(
    explanations: list[Explanation], asked: Ask, format: str = "text", lang: str = "zh", detail: bool = False
) -> str:
    """The explanations as `rongcuo explain` prints them: text, md or html; ``detail``, the drafter's view."""
    from ..model import vocabulary as vocab
    from ..present.render import render

    template = "explain/explain.html.j2" if format == "html" else "explain/explain.txt.j2"
    return render(
        template,
        lang,
        explanations=explanations,
        md=format == "md",
        # the rule set of the version applied, under a timeline (explain is asked of one case)
        derivers=derivers(asked.rules_of(explanations[0].result) if explanations else asked.rules),
        outcome_names=vocab.outcome_names(),
        days={e.case.id: asked.day_of(e.case).source for e in explanations},
        detail=detail,
        notes=asked.timeline.notes if asked.timeline else {},  # what the timeline says of each version
    )


def explanation_json(e: Explanation) -> dict:
    """The result's JSON (model/shapes.py) with the trees (why) and the candidates (why_not)."""
    out: dict = dict(e.result.to_json())
    out["why"] = {name: [node_json(n) for n in nodes] for name, nodes in e.trees.items()}
    out["why_not"] = {name: [candidate_json(c) for c in cands] for name, cands in e.why_not.items()}
    if e.open_world:
        out["open_world"] = open_world_json(e.case, e.open_world)
    return out


def node_json(n: Node) -> dict:
    """A node as the templates see it: what it states (kind, atom, status), its clauses and its children."""
    out: dict = {"kind": n.kind, "status": n.status, "atom": list(n.atom)}
    if n.rule:
        out.update(clauses=list(n.clauses), modality=n.modality, rule=f"{n.rule.file}:{n.rule.line}")
    if n.kind == "fact":
        out["value"] = n.value
    if n.operands:
        out["operands"] = list(n.operands)
    if n.evidence:
        out["evidence"] = n.evidence
    if n.gives:
        out["gives"] = {str(v).lower(): d for v, d in n.gives.items()}
    if n.alternatives:
        out["alternatives"] = True
    if n.children:
        out["children"] = [node_json(c) for c in n.children]
    return out


def candidate_json(c: Candidate) -> dict:
    return {
        "rule": f"{c.rule.file}:{c.rule.line}",
        "clauses": list(c.rule.clauses),
        "conditions": [node_json(n) for n in c.conditions],
        "blocked_by": list(c.blocked_by),
        "establish": [dict(sorted(s.items())) for s in c.establish],
        "verified": c.verified,
    }


def alternative_json(a: Alternative) -> dict:
    return {
        "set_true": sorted(a.changes.true),
        "set_false": sorted(a.changes.false),
        "kinds": {f: vocab.fact_kind(f) for f in sorted(a.changes.true | a.changes.false)},
        "deadlines": [{"date": d.date, "day": d.day.isoformat(), "avoids": d.avoids} for d in a.deadlines],
        "result": explanation_json(a.explanation),
    }
