"""Mentions of facts in a narrative, and the facts they propose, each with its evidence.

A mention is a phrasing of the lexicon found in a sentence. Its value is
  true       an `establish` phrasing, not negated;
  false      an `establish` phrasing negated in its clause, or a `deny` phrasing;
  unknown    either, in a clause with a hedge (是否, 尚需…).
A fact takes the value of its decided mentions when they agree; when they
disagree, or all are hedged, it is unknown. Nothing is proposed without a mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import vocabulary as vocab
from ..model.case import FactValue
from .dates import FoundDate, key_dates
from .lexicon import FactPatterns, Lexicon
from .segment import Span, clause_at, sentences, words

TITLE_MAX = 60  # a first line this short, without a sentence mark, is the document's title


@dataclass(frozen=True)
class Mention:
    fact: str
    value: FactValue
    sentence: Span
    reason: str  # establish | negated | deny | hedged | conflict


@dataclass(frozen=True)
class Proposal:
    narrative: str
    title: str | None
    facts: dict[str, Mention]
    dates: dict[str, FoundDate]
    date_evidence: dict[str, Span]
    unassigned: list[FoundDate]


def propose(narrative: str, lexicon: Lexicon) -> Proposal:
    """The facts and dates a narrative states, in vocabulary order."""
    found = mentions(narrative, lexicon)
    by_fact = {f: [m for m in found if m.fact == f] for f in vocab.fact_ids()}
    decided = {f: decide(ms) for f, ms in by_fact.items() if ms}
    keyed = key_dates(narrative, lexicon)
    return Proposal(narrative, _title(narrative), decided, keyed.dates, keyed.evidence, keyed.unassigned)


def mentions(text: str, lexicon: Lexicon) -> list[Mention]:
    found = []
    for sentence in sentences(text):
        tokens = words(text, sentence, lexicon.words() + lexicon.hedges)
        for fact, patterns in lexicon.facts.items():
            for m, polarity in _matches(text, sentence, patterns):
                clause = clause_at(text, sentence, m.start)
                value: tuple[FactValue, str] | None = _value(
                    text[clause.start : clause.end], clause, m, polarity, tokens, lexicon, patterns
                )
                if value is None:
                    continue
                if any(w in lexicon.hedges for w, start, end in tokens if clause.start <= start and end <= clause.end):
                    value = ("unknown", "hedged")
                found.append(Mention(fact, value[0], sentence, value[1]))
    return found


def _matches(text: str, sentence: Span, patterns: FactPatterns) -> list[tuple[Span, str]]:
    """Matches of one fact's phrasings in a sentence; a match inside a longer one is dropped."""
    found = [
        (Span(m.start(), m.end()), polarity)
        for polarity, group in (("establish", patterns.establish), ("deny", patterns.deny))
        for pattern in group
        for m in pattern.finditer(text, sentence.start, sentence.end)
    ]
    return [(s, p) for s, p in found if not any(_inside(s, o) for o, _ in found)]


def _inside(span: Span, other: Span) -> bool:
    """``span`` lies within ``other``, which is longer."""
    return other.start <= span.start and span.end <= other.end and other.end - other.start > span.end - span.start


def _value(
    clause_text: str,
    clause: Span,
    match: Span,
    polarity: str,
    tokens: list[tuple[str, int, int]],
    lexicon: Lexicon,
    patterns: FactPatterns,
) -> tuple[bool, str] | None:
    """(value, reason) of one match, or None when a blocking word in its clause says it is not about the fact."""
    if any(word in clause_text for word in lexicon.block + patterns.block):
        return None
    negated = _negated(clause, match, tokens, lexicon.cues, lexicon.breaks, patterns.reach)
    if polarity == "deny":
        # A negated denial (未…为法律所禁止) says nothing sure: the `establish` phrasings speak for it.
        return None if negated else (False, "deny")
    return (False, "negated") if negated else (True, "establish")


def _negated(
    clause: Span,
    match: Span,
    tokens: list[tuple[str, int, int]],
    cues: tuple[str, ...],
    breaks: tuple[str, ...],
    reach: int,
) -> bool:
    """A cue word in the clause shortly before the match, with no contrast word between them."""
    scope = max(clause.start, match.start - reach)
    for word, start, end in reversed(tokens):
        if end > match.start or start < scope:
            continue
        if word in breaks:
            return False
        if word in cues:
            return True
    return False


def decide(found: list[Mention]) -> Mention:
    """One value per fact: agreeing decided mentions, else unknown (hedged or in conflict)."""
    decided = [m for m in found if m.value != "unknown"]
    if not decided:
        return found[0]
    if len({m.value for m in decided}) > 1:
        return Mention(decided[0].fact, "unknown", decided[0].sentence, "conflict")
    return decided[0]


def _title(narrative: str) -> str | None:
    first, _, rest = narrative.partition("\n")
    first = first.strip()
    if rest.strip() and first and len(first) <= TITLE_MAX and not re.search("[。！？；，]", first):
        return first
    return None
