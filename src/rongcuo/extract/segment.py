"""Sentences, clauses and words of a narrative, each with its character offsets.

Offsets are indexes into the narrative string, so evidence can quote
``narrative[start:end]`` exactly.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a text is segmented: jieba imports pkg_resources, ~70 ms
    import jieba

SENTENCE_END = "。！？；!?;\n"
CLAUSE_END = "，,：:"
_SENTENCE = re.compile(f"[^{SENTENCE_END}]+[{SENTENCE_END[:-1]}]?")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def sentences(text: str) -> list[Span]:
    """Sentences with their closing mark, surrounding blanks left out."""
    out = []
    for m in _SENTENCE.finditer(text):
        piece = m.group()
        start = m.start() + len(piece) - len(piece.lstrip())
        end = m.end() - (len(piece) - len(piece.rstrip()))
        if end > start:
            out.append(Span(start, end))
    return out


def clause_at(text: str, sentence: Span, position: int) -> Span:
    """The clause of the sentence that holds ``position``: between clause marks."""
    start = max((i + 1 for i in range(sentence.start, position) if text[i] in CLAUSE_END), default=sentence.start)
    end = next((i for i in range(position, sentence.end) if text[i] in CLAUSE_END), sentence.end)
    return Span(start, end)


@cache
def _tokenizer(words: tuple[str, ...]) -> jieba.Tokenizer:
    # A private tokenizer: the cue words become words of its dictionary (so 尚未 or 不属于 is one
    # word) without changing jieba's default tokenizer for anyone else in the process.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for word in words:
        tokenizer.add_word(word)
    return tokenizer


@cache
def _tagger(words: tuple[str, ...]) -> jieba.posseg.POSTokenizer:
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_tokenizer(words))


@dataclass(frozen=True)
class Word:
    text: str
    flag: str  # jieba's part of speech: v verb, n noun, d adverb, uj 的, …
    start: int
    end: int


def tagged(text: str, span: Span, known: Iterable[str]) -> list[Word]:
    """The words of ``text[span]`` (as ``words`` cuts them) with their part of speech and offsets into ``text``.

    The tagger may cut differently (不清 as 不 + 清); a word takes the tag of the tagged word that
    starts where it starts, else x.
    """
    key = tuple(sorted(known))
    flags, cursor = {}, span.start
    for pair in _tagger(key).cut(text[span.start : span.end]):
        flags[cursor] = pair.flag
        cursor += len(pair.word)
    return [Word(w, flags.get(start, "x"), start, end) for w, start, end in words(text, span, key)]


def words(text: str, span: Span, known: Iterable[str]) -> list[tuple[str, int, int]]:
    """The words of ``text[span]`` with offsets into ``text``; ``known`` words are kept whole."""
    tokenizer = _tokenizer(tuple(sorted(known)))
    return [(w, span.start + s, span.start + e) for w, s, e in tokenizer.tokenize(text[span.start : span.end])]
