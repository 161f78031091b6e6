"""The clause ledger: every article, paragraph and item of the measure, with
the rule statements that encode it or the reason it is not computable."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .engine import Citation, RuleSet
from .model import measure


@dataclass(frozen=True)
class Entry:
    clause: str
    status: str  # encoded | partly | not_computable | missing
    rules: tuple[Citation, ...]
    reason: str | None  # key into vocabulary.yaml not_computable


def ledger(rulesets: list[RuleSet]) -> list[Entry]:
    """One entry per clause, in the measure's order, over all the rule sets given."""
    cites: dict[str, set[Citation]] = defaultdict(set)
    reasons: dict[str, str] = {}
    for rules in rulesets:
        for c in rules.citations():
            if c.head != "not_computable":
                for clause in _covers(c.clause):
                    cites[clause].add(c)
        for clause, reason in rules.static_atoms("not_computable", 2):
            for covered in _covers(clause):
                reasons.setdefault(covered, reason)
    entries = []
    for clause in measure.clauses():
        citing = tuple(sorted(cites.get(clause, ()), key=lambda c: (c.file, c.line)))
        encoded = any(c == clause or c.startswith(clause + ".") for c in cites)
        reason = reasons.get(clause)
        status = ("partly" if reason else "encoded") if encoded else ("not_computable" if reason else "missing")
        entries.append(Entry(clause, status, citing, reason))
    return entries


def unknown_citations(rulesets: list[RuleSet]) -> list[Citation]:
    """Rule statements citing a clause id the measure does not have."""
    known = measure.clauses()
    return [c for rules in rulesets for c in rules.citations() if c.clause not in known]


def _covers(clause: str) -> list[str]:
    """An article with a single paragraph and that paragraph are one clause."""
    if clause not in measure.clauses():
        return []
    article = clause.split(".")[0]
    paragraphs = [c.id for c in measure.clauses().values() if c.parent == article]
    if len(paragraphs) == 1 and clause in (article, paragraphs[0]):
        return [article, paragraphs[0]]
    return [clause]
