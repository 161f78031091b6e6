"""Quotations that report someone else's words: 举报称“…”, 当事人辩称“…”, 扬言：“…”.

A quotation is text between paired marks (“…”, 「…」, 『…』, ‘…’, "…") on one line. It reports
speech when a speech cue of the lexicon (称, 辩称, 扬言…) or a colon stands right before its
opening mark — unless a record word does (笔录载明：“…”, 简称“三定”): then it is a record or
a term, and reads as the rest of the text. What reported speech says is no finding of the
bureau: ``propose`` drops a mention inside it and ranks it as a candidate, as in a mood's scope.
"""

from __future__ import annotations

from .lexicon import Lexicon
from .segment import Span

PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}
MAX_QUOTE = 500  # characters: a longer stretch between two marks is a stray mark, not a quotation
BEFORE = 8  # characters before the opening mark where its cue is read
_SKIP = " \t：:，,"


def reported(text: str, lexicon: Lexicon) -> list[Span]:
    """The inside of every quotation that reports speech, in order."""
    out, i = [], 0
    while i < len(text):
        close = PAIRS.get(text[i])
        end = text.find(close, i + 1) if close else -1
        if end < 0 or end - i > MAX_QUOTE or "\n" in text[i:end]:
            i += 1
            continue
        if _speech(text[max(0, i - BEFORE) : i], lexicon):
            out.append(Span(i + 1, end))
        i = end + 1
    return out


def _speech(before: str, lexicon: Lexicon) -> bool:
    cue = before.rstrip(_SKIP)
    if any(cue.endswith(word) for word in lexicon.records):
        return False
    return before.rstrip(" \t").endswith(("：", ":")) or any(cue.endswith(word) for word in lexicon.speech)


def inside(quotes: list[Span], position: int) -> bool:
    return any(q.start <= position < q.end for q in quotes)
