"""Dates in a narrative — 2024年3月5日, 2024-03-05, 二〇二四年三月五日, 同年4月2日 — and their keys.

A date without its year takes the year of the nearest full date before it. Which
key a date is for (conduct, decision, …) comes from the lexicon's phrasings
around it — the verb or cue the date belongs to (作出…决定, 告知, 检查, 限…前, 完成整改).
A cue in the date's own clause wins over one in another clause of the sentence; then
the lexicon's order. A past act (``EVENTS``: the decision, the notice, the conduct, the
completed correction) is keyed only from a cue that is a finding: not in a mood's scope
(拟于…作出决定), not in quoted speech, not negated between the date and its cue
(截至…仍未完成整改) — the scopes the facts use (``affirmed``, from ``propose``). A
deadline may stand in a directive (责成其于…前完成整改): that is where deadlines are.
A date no phrasing claims stays unassigned and is reported as such.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from .lexicon import DATE_SLOT, Lexicon
from .segment import CLAUSE_END, Span, sentences

EVENTS = ("decision", "notified", "conduct", "correction_completed")  # past acts: keyed from findings only
Affirmed = Callable[[int, int, int], bool]  # (match start, date end, match end) in the text → a finding there

_CN = "〇零一二三四五六七八九"
_CN_VALUE = {c: (0 if c in "〇零" else "一二三四五六七八九".index(c) + 1) for c in _CN}
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
_FULL = [
    re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(r"(?<!\d)(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})(?!\d)"),
    re.compile(f"(?P<y>[{_CN}]{{4}})年(?P<m>{_CN_SMALL})月(?P<d>{_CN_SMALL})[日号]"),
]
_PARTIAL = [
    re.compile(r"(?<!\d)(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]"),
    re.compile(f"(?<![{_CN}十])(?P<m>{_CN_SMALL})月(?P<d>{_CN_SMALL})[日号]"),
]


@dataclass(frozen=True)
class FoundDate:
    value: dt.date
    start: int
    end: int


def _number(text: str) -> int:
    """Arabic digits, or Chinese numerals: 二〇二四 (digit by digit), 十一, 二十, 三十一."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_VALUE[tens] if tens else 1) * 10 + (_CN_VALUE[units] if units else 0)
    return int("".join(str(_CN_VALUE[c]) for c in text))


def find_dates(text: str) -> list[FoundDate]:
    """Every valid calendar date in the text, in order."""
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pattern in _FULL:
        for m in pattern.finditer(text):
            if _free(taken, m) and (day := _date(m.group("y"), m.group("m"), m.group("d"))):
                found.append(FoundDate(day, m.start(), m.end()))
                taken.append(m.span())
    full = sorted(found, key=lambda d: d.start)
    for pattern in _PARTIAL:
        for m in pattern.finditer(text):
            before = [d for d in full if d.end <= m.start()]
            if before and _free(taken, m) and (day := _date(before[-1].value.year, m.group("m"), m.group("d"))):
                found.append(FoundDate(day, m.start(), m.end()))
                taken.append(m.span())
    return sorted(found, key=lambda d: d.start)


def _free(taken: list[tuple[int, int]], m: re.Match) -> bool:
    return all(m.end() <= s or m.start() >= e for s, e in taken)


def _date(year, month: str, day: str) -> dt.date | None:
    try:
        return dt.date(_number(str(year)), _number(month), _number(day))
    except (ValueError, KeyError):
        return None


@dataclass(frozen=True)
class KeyedDates:
    dates: dict[str, FoundDate]
    evidence: dict[str, Span]
    unassigned: list[FoundDate]


def key_dates(text: str, lexicon: Lexicon, affirmed: Affirmed | None = None) -> KeyedDates:
    """Each key takes the first date its phrasings claim; the other dates are unassigned."""
    found = find_dates(text)
    claims: dict[int, tuple[str, Span]] = {}
    for sentence in sentences(text):
        inside = [i for i, d in enumerate(found) if sentence.start <= d.start and d.end <= sentence.end]
        for index, key in _claims(text, sentence, [found[i] for i in inside], lexicon, affirmed).items():
            claims[inside[index]] = (key, sentence)
    dates, evidence, unassigned = {}, {}, []
    for i, day in enumerate(found):
        claim = claims.get(i)
        if claim and claim[0] not in dates:
            key, sentence = claim
            dates[key], evidence[key] = day, sentence
        else:
            unassigned.append(day)
    return KeyedDates(dates, evidence, unassigned)


def _claims(
    text: str, sentence: Span, inside: list[FoundDate], lexicon: Lexicon, affirmed: Affirmed | None = None
) -> dict[int, str]:
    """Index of a date in ``inside`` → its key, from phrasings matched on the sentence with dates masked."""
    if not inside:
        return {}
    masked, slots, cursor = [], [], sentence.start
    for day in inside:
        masked.append(text[cursor : day.start])
        slots.append(sum(map(len, masked)))
        masked.append(DATE_SLOT)
        cursor = day.end
    masked.append(text[cursor : sentence.end])
    line = "".join(masked)

    def back(position: int) -> int:
        """A position of the masked line in the text."""
        shift = sum(inside[i].end - inside[i].start - 1 for i, slot in enumerate(slots) if slot < position)
        return sentence.start + position + shift

    best: dict[int, tuple[tuple[int, int, int], str]] = {}
    for order, (key, patterns) in enumerate(lexicon.dates):
        for pattern in patterns:
            for m in pattern.finditer(line):
                slot = slots.index(m.start(1))
                if key in EVENTS and affirmed and not affirmed(back(m.start()), back(m.end(1)), back(m.end())):
                    continue
                between = line[m.start() : m.end()]
                rank = (int(any(c in CLAUSE_END for c in between)), order, len(between))
                if slot not in best or rank < best[slot][0]:
                    best[slot] = (rank, key)
    return {slot: key for slot, (_, key) in best.items()}
