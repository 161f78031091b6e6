"""Mentions of facts in a narrative, and the facts they propose, each with its evidence.

A mention is a phrasing of the lexicon found in a sentence. Its value is
  true       an `establish` phrasing, not negated;
  false      an `establish` phrasing negated in its clause, or a `deny` phrasing;
  unknown    either, in a clause with a hedge (是否, 尚需…).
A mention after a mood cue of its sentence (担心, 扬言, 如…将, 责成), or inside a quotation
of someone else's words (举报称“…”, 当事人辩称“…”: ``quote``), is no finding: it is
dropped, and only ranked as a candidate. Negation reads the sentence's structure:
a cue inside a 的-modifier (不愿透露姓名的群众举报) or negating an attribute right
after it (未署名举报信) does not reach the mention, and a copula (不属于) negates the
head of a 的-phrase, not its modifier (不属于执法大队的工作范围).
A fact takes the value of its decided mentions when they agree; when they
disagree, or all are hedged, it is unknown. Cross-sentence rules (lexicon ``rules``)
propose a fact no phrasing states, with every sentence they rest on.
Beside the decided facts, every narrative has its ranked candidates (``rank``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import vocabulary as vocab
from ..model.case import FactValue
from .dates import FoundDate, key_dates
from .lexicon import FactPatterns, Lexicon, Rule
from .quote import inside, reported
from .segment import Span, Word, clause_at, sentences, tagged

if TYPE_CHECKING:
    from .semantic import Bank

TITLE_MAX = 60  # a first line this short, without a sentence mark, is the document's title
TOP = 10  # candidates listed per narrative
MODIFIER = "的"
CATEGORY = ("范畴", "之列", "行列", "身份")  # 不属于执法人员的范畴: here the head is the modifier's own class

# Candidate scores: a decided mention first, then what the analyst should look at.
SCORES = {"establish": 1.0, "deny": 1.0, "negated": 1.0, "inferred": 0.9, "conflict": 0.75, "hedged": 0.7}
SCORE_CANDIDATE_RULE = 0.65
SCORE_MOOD = 0.45
SCORE_QUOTED = 0.5


@dataclass(frozen=True)
class Mention:
    fact: str
    value: FactValue
    sentence: Span  # the evidence: the sentence, or first to last of the sentences a rule rests on
    reason: str  # establish | negated | deny | hedged | conflict | inferred | mood | quoted | candidate | semantic
    source: str = "pattern"  # pattern | rule | semantic
    support: str | None = None  # the rule's name, or the bank sentence a semantic candidate is near
    score: float = 1.0


@dataclass(frozen=True)
class Proposal:
    narrative: str
    title: str | None
    facts: dict[str, Mention]
    dates: dict[str, FoundDate]
    date_evidence: dict[str, Span]
    unassigned: list[FoundDate]
    candidates: list[Mention] = field(default_factory=list)  # ranked, at most TOP, each a fact not decided false


def propose(narrative: str, lexicon: Lexicon, bank: Bank | None = None) -> Proposal:
    """The facts and dates a narrative states, in vocabulary order, and its ranked candidate facts."""
    reading = read(narrative, lexicon)
    by_fact = {f: [m for m in reading.mentions if m.fact == f] for f in vocab.fact_ids()}
    decided = {f: decide(ms) for f, ms in by_fact.items() if ms}
    inferred = infer(narrative, reading, lexicon, decided)
    for mention in inferred:
        if mention.source == "rule" and mention.reason == "inferred" and mention.fact not in decided:
            decided[mention.fact] = mention
    decided = {f: decided[f] for f in vocab.fact_ids() if f in decided}
    semantic = bank.near(narrative, reading.sentences, exclude=set(decided)) if bank else []
    keyed = key_dates(narrative, lexicon, _affirmed(narrative, reading, lexicon))
    candidates = rank(decided, inferred + reading.dropped + semantic)
    return Proposal(narrative, _title(narrative), decided, keyed.dates, keyed.evidence, keyed.unassigned, candidates)


def rank(decided: dict[str, Mention], others: list[Mention]) -> list[Mention]:
    """The TOP candidates: facts proposed true or unknown, then the rules', the dropped and the semantic ones."""
    best: dict[str, Mention] = {}
    for m in [*decided.values(), *others]:
        if m.fact in decided and decided[m.fact].value is False:
            continue
        if m.fact in decided and m is not decided[m.fact]:
            continue
        score = SCORES.get(m.reason, m.score) if m.source != "semantic" else m.score
        m = Mention(m.fact, m.value, m.sentence, m.reason, m.source, m.support, score)
        if m.fact not in best or score > best[m.fact].score:
            best[m.fact] = m
    order = {f: i for i, f in enumerate(vocab.fact_ids())}
    return sorted(best.values(), key=lambda m: (-m.score, order[m.fact]))[:TOP]


@dataclass(frozen=True)
class Reading:
    sentences: list[Span]
    words: list[list[Word]]
    mentions: list[Mention]
    dropped: list[Mention]  # mentions in an irrealis or directive scope, or quoted speech: candidates only
    quotes: list[Span] = field(default_factory=list)  # the insides of quotations of someone else's words


@dataclass(frozen=True)
class _Match:
    fact: str
    span: Span
    polarity: str  # establish | deny


def read(text: str, lexicon: Lexicon) -> Reading:
    spans = sentences(text)
    tokens = [tagged(text, s, lexicon.words() + lexicon.hedges) for s in spans]
    found, dropped = [], []
    quotes = reported(text, lexicon)
    for sentence, words in zip(spans, tokens, strict=True):
        matches = [
            _Match(fact, span, polarity)
            for fact, patterns in lexicon.facts.items()
            for span, polarity in _matches(text, sentence, patterns)
        ]
        moods = _moods(text, sentence, words, lexicon)
        for match in matches:
            patterns = lexicon.facts[match.fact]
            clause = clause_at(text, sentence, match.span.start)
            value: tuple[FactValue, str] | None = _value(text, clause, match, words, lexicon, patterns)
            if value is None:
                continue
            if inside(quotes, match.span.start):  # hedged or not (辩称“…”): someone else's words
                if value[0] is True:
                    dropped.append(Mention(match.fact, "unknown", sentence, "quoted", score=SCORE_QUOTED))
                continue
            if any(w.text in lexicon.hedges for w in words if clause.start <= w.start and w.end <= clause.end):
                value = ("unknown", "hedged")
            if any(start <= match.span.start for start in moods):
                if value[0] is True:
                    dropped.append(Mention(match.fact, "unknown", sentence, "mood", score=SCORE_MOOD))
                continue
            found.append(Mention(match.fact, value[0], sentence, value[1]))
    return Reading(spans, tokens, found, dropped, quotes)


def _affirmed(text: str, reading: Reading, lexicon: Lexicon):
    """Whether a date phrasing's match (start, the date's end, end) is a finding: not in quoted speech,
    not after a mood cue of its sentence, no negation cue before the first verb after the date (仍未完成整改)."""

    def affirmed(start: int, date_end: int, end: int) -> bool:
        if inside(reading.quotes, start):
            return False
        for sentence, words in zip(reading.sentences, reading.words, strict=True):
            if sentence.start <= start < sentence.end:
                if any(m < end for m in _moods(text, sentence, words, lexicon)):
                    return False
                for word in (w for w in words if date_end <= w.start and w.end <= end):
                    if word.text in lexicon.cues:
                        return False  # 仍未完成整改: the act did not happen
                    if word.flag.startswith("v"):
                        break  # 作出不予处罚决定: the verb came first, the negation is its object's
        return True

    return affirmed


def mentions(text: str, lexicon: Lexicon) -> list[Mention]:
    return read(text, lexicon).mentions


def _moods(text: str, sentence: Span, words: list[Word], lexicon: Lexicon) -> list[int]:
    """Where an irrealis or directive cue starts in the sentence (at a word boundary): its scope runs to the end."""
    starts = {w.start for w in words}
    ends = {w.end for w in words}
    return [
        m.start()
        for pattern in lexicon.mood
        for m in pattern.finditer(text, sentence.start, sentence.end)
        if m.start() in starts and m.end() in ends
    ]


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
    text: str,
    clause: Span,
    match: _Match,
    words: list[Word],
    lexicon: Lexicon,
    patterns: FactPatterns,
) -> tuple[bool, str] | None:
    """(value, reason) of one match, or None when a blocking word in its clause says it is not about the fact."""
    clause_text = text[clause.start : clause.end]
    if any(word in clause_text for word in lexicon.block + patterns.block):
        return None
    negated = negates(text, clause, match.span, words, lexicon, patterns.reach)
    if match.polarity == "deny":
        # A negated denial (未…为法律所禁止) says nothing sure: the `establish` phrasings speak for it.
        return None if negated else (False, "deny")
    return (False, "negated") if negated else (True, "establish")


def negates(text: str, clause: Span, match: Span, words: list[Word], lexicon: Lexicon, reach: int) -> bool:
    """A cue word in the clause shortly before the match, with no contrast word between them, whose scope reaches it.

    The scope stops at a 的 that closes a modifier the cue opens (不愿透露姓名的群众举报), and at a nearer
    attribute (未署名举报信: 未 negates 署名, not 举报); a copula before a 的-phrase
    negates its head (不属于执法大队的工作范围 says nothing against 执法大队).
    """
    scope = max(clause.start, match.start - reach)
    before = [w for w in words if w.end <= match.start and w.start >= scope]
    for i in range(len(before) - 1, -1, -1):
        word = before[i]
        if word.text in lexicon.breaks:
            return False
        if word.text not in lexicon.cues and word.text not in lexicon.copulas:
            continue
        between = before[i + 1 :]
        if between and between[0].flag.startswith("v") and any(w.text == MODIFIER for w in between):
            return False  # the cue is inside a 的-modifier: [不愿透露姓名]的群众
        if any(text.startswith(a, word.end) and word.end + len(a) <= match.start for a in lexicon.attributes):
            return False  # the cue negates an attribute before the mention: 未[署名]举报信 is still a report
        head = text[match.end + 1 : match.end + 3]
        if word.text in lexicon.copulas and text[match.end : match.end + 1] == MODIFIER and head not in CATEGORY:
            return False  # 不属于 [执法大队]的 工作范围: the copula negates the head
        return True
    return False


def infer(text: str, reading: Reading, lexicon: Lexicon, decided: dict[str, Mention]) -> list[Mention]:
    """Facts the cross-sentence rules read, where no mention decided them (or an ``unless`` fact is true)."""
    out = []
    for rule in lexicon.rules:
        if rule.fact in decided or any(decided.get(f) and decided[f].value is True for f in rule.unless):
            continue
        found = _steps(text, reading, rule, lexicon)
        if found is None:
            continue
        evidence = Span(reading.sentences[found[0]].start, reading.sentences[found[-1]].end)
        reason, score = ("inferred", SCORES["inferred"]) if rule.propose else ("candidate", SCORE_CANDIDATE_RULE)
        out.append(Mention(rule.fact, True if rule.propose else "unknown", evidence, reason, "rule", rule.name, score))
    return out


def _steps(text: str, reading: Reading, rule: Rule, lexicon: Lexicon) -> list[int] | None:
    """The sentences (indexes) where the rule's steps are read in order, within its window; None if they are not."""
    hits: list[list[tuple[int, int]]] = []  # per step: (sentence, position) of each affirmed match
    for patterns in rule.steps:
        step = []
        for i, (sentence, words) in enumerate(zip(reading.sentences, reading.words, strict=True)):
            moods = _moods(text, sentence, words, lexicon)
            for pattern in patterns:
                for m in pattern.finditer(text, sentence.start, sentence.end):
                    span = Span(m.start(), m.end())
                    clause = clause_at(text, sentence, span.start)
                    if any(start <= span.start for start in moods) or inside(reading.quotes, span.start):
                        continue
                    if negates(text, clause, span, words, lexicon, lexicon.reach):
                        continue
                    step.append((i, span.start))
        hits.append(sorted(step))
    for first in hits[0]:
        chain = [first]
        for step in hits[1:]:
            following = [h for h in step if h > chain[-1] and h[0] - first[0] <= rule.window]
            if not following:
                break
            chain.append(following[0])
        if len(chain) == len(hits):
            return sorted({i for i, _ in chain})
    return None


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
