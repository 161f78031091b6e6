"""The measure's text: every clause id resolves to its Chinese text and citation.

The text lives in ``measure/text.zh.md`` (one article, paragraph or item per
line, ``[a11.p2.i3]`` ids); this module parses that layout once. :func:`root`
is the measure folder itself: text, analysis, vocabulary, rules, readings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

_LINE = re.compile(r"^\s*-\s*\[(?P<id>a\d+(?:\.p\d+(?:\.i\d+)?)?)\]\s*(?P<text>.+?)\s*$")
_ARTICLE = re.compile(r"^###\s*(?P<title>\S+)\s*\[(?P<id>a\d+)\]")
_ID = re.compile(r"^a(?P<a>\d+)(?:\.p(?P<p>\d+)(?:\.i(?P<i>\d+))?)?$")
_DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Clause:
    id: str
    text: str
    parent: str | None
    order: int

    @property
    def article(self) -> str:
        return self.id.split(".")[0]


def numeral(n: int) -> str:
    """Chinese numeral for 1..99 as legal citations write it (十一, 二十)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones or not tens else "")


@cache
def root() -> Path:
    """The measure folder: shipped inside the installed package, or measure/ of a checkout."""
    packaged = Path(str(files("rongcuo").joinpath("measure")))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "measure"


@cache
def clauses() -> dict[str, Clause]:
    """All clauses of the measure, in document order."""
    text = (root() / "text.zh.md").read_text(encoding="utf-8")
    found: dict[str, Clause] = {}
    for line in text.splitlines():
        if m := _ARTICLE.match(line):
            found[m["id"]] = Clause(m["id"], m["title"], None, len(found))
        elif m := _LINE.match(line):
            cid = m["id"]
            parent = cid.rsplit(".", 1)[0]
            found[cid] = Clause(cid, m["text"], parent, len(found))
    return found


def order(clause_id: str) -> int:
    """Its place in the document; a clause the measure lacks (a draft's new one) after all it has."""
    found = clauses().get(clause_id)
    return len(clauses()) if found is None else found.order


def _paragraph_count(article: str) -> int:
    return sum(1 for c in clauses().values() if c.parent == article)


def cite(clause_id: str, lang: str = "zh") -> str:
    """The measure's own numbering: 第十一条第二款第（三）项 / Art. 11(2)(iii).

    A paragraph is named only when its article has more than one.
    """
    m = _ID.match(clause_id)
    if not m:
        raise ValueError(f"not a clause id: {clause_id}")
    a = int(m["a"])
    p = int(m["p"]) if m["p"] else None
    i = int(m["i"]) if m["i"] else None
    several = p is not None and _paragraph_count(f"a{a}") > 1
    if lang == "zh":
        out = f"第{numeral(a)}条"
        if several and p:
            out += f"第{numeral(p)}款"
        if i:
            out += f"第（{numeral(i)}）项"
        return out
    out = f"Art. {a}"
    if several:
        out += f"({p})"
    if i:
        out += f"({_roman(i)})"
    return out


def _roman(n: int) -> str:
    table = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, sym in table:
        while n >= value:
            out += sym
            n -= value
    return out


def text(clause_id: str) -> str:
    """The clause's Chinese text; an article's is the text of its paragraphs (a clause the measure
    lacks, a draft's new one, says so)."""
    c = clauses().get(clause_id)
    if c is None:
        return f"（本办法无此条款：{clause_id}）"
    if c.parent is not None:
        return c.text
    return "".join(p.text for p in clauses().values() if p.parent == clause_id)
