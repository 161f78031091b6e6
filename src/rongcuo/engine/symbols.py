"""Cases in, atoms out: the symbols that cross between Python and clingo."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from functools import cache, lru_cache

import clingo

from .. import vocabulary as vocab
from ..cases import Case

EPOCH = dt.date(1970, 1, 1)
CLAUSE_CONST = re.compile(r"^a\d+(?:_p\d+(?:_i\d+)?)?$")


def day(d: dt.date) -> int:
    return (d - EPOCH).days


def clause_id(name: str) -> str:
    """ASP constant a11_p1_i6 → citation id a11.p1.i6."""
    return name.replace("_", ".")


FACT_NUMBER = {fact: n for n, fact in enumerate(vocab.fact_ids())}
_WORD_BITS = 30  # asp/rules/input.lp unpacks words of this many bits
# A case's dates travel in one atom, dates(C, D1, …, Dn), in the vocabulary's order of the
# date keys (asp/rules/input.lp unpacks it): one symbol per case instead of one per date.
_DATE_KEYS = tuple(vocab.date_keys())
DATES = ("dates", 1 + len(_DATE_KEYS))
_NO_DATE = clingo.Function("none")


def add_fact(backend: clingo.Backend, symbol: clingo.Symbol) -> None:
    backend.add_rule([backend.add_atom(symbol)])


def add_case(backend: clingo.Backend, index: int, case: Case) -> None:
    """The case as symbols keyed by its index: case/1, its facts packed in word/3, date/3."""
    add_facts(backend, index, fact_words(case))
    add_dates(backend, index, case)


def fact_words(case: Case) -> tuple[tuple[int, int], ...]:
    """The case's true facts as bit words (word number, bits): what word/3 carries, and a key for the fact set."""
    words: dict[int, int] = defaultdict(int)
    for fact in case.true_facts():
        word, bit = divmod(FACT_NUMBER[fact], _WORD_BITS)
        words[word] |= 1 << bit
    return tuple(sorted(words.items()))


def add_facts(backend: clingo.Backend, index: int, words: tuple[tuple[int, int], ...]) -> None:
    c = number(index)
    add_fact(backend, clingo.Function("case", [c]))
    for word, bits in words:
        add_fact(backend, clingo.Function("word", [c, number(word), number(bits)]))


def add_dates(backend: clingo.Backend, index: int, case: Case) -> None:
    if case.dates:
        days = [number(day(d)) if (d := case.dates.get(key)) else _NO_DATE for key in _DATE_KEYS]
        add_fact(backend, clingo.Function(DATES[0], [number(index), *days]))


@lru_cache(maxsize=1 << 16)
def number(n: int) -> clingo.Symbol:
    """clingo.Number, kept: case indexes and days recur in every chunk."""
    return clingo.Number(n)


def add_labels(backend: clingo.Backend, index: int, case: Case) -> None:
    """The a18 labels, as strings: they are compared, never parsed."""
    for kind in ("field", "error_type"):
        if value := getattr(case, kind):
            label = clingo.Function("label", [clingo.Number(index), clingo.Function(kind), clingo.String(value)])
            add_fact(backend, label)


@cache
def parse_atom(tail: str) -> tuple:
    """The arguments after the case index, as Python values: "exempt,a11_p2,a11_p1_i6)"."""
    return tuple(value(arg) for arg in clingo.parse_term(f"t({tail}").arguments)


def value(sym: clingo.Symbol):
    """A shown term as Python: clause constants → ids, day(N) → ISO date, f(x) → (f, x)."""
    if sym.type == clingo.SymbolType.String:
        return sym.string
    if sym.type == clingo.SymbolType.Number:
        return sym.number
    if sym.name == "day" and len(sym.arguments) == 1:
        return (EPOCH + dt.timedelta(days=sym.arguments[0].number)).isoformat()
    if sym.arguments:
        return (sym.name, *(value(a) for a in sym.arguments))
    return clause_id(sym.name) if CLAUSE_CONST.match(sym.name) else sym.name
