"""The input contract: what a case brings to the rules, declared once, in one encoding.

The input predicates are the ``#defined`` signatures of
``measure/rules/_mechanism/input.lp`` (:data:`GIVEN`); the rules there unpack
them into what every other rule reads (:data:`UNPACKED`: ``fact/2``,
``date/3``). Every Control that holds a case gets it from :func:`add_case`
(``case/1``, the true facts packed in ``word/3``, the dates in one ``dates/7``,
and the official calendar: ``working_day/1`` and ``rest_day/1`` for the days
after its decision that a period may need, :data:`SPAN` of them, none for a
day the calendar does not cover) and its parameters from :func:`params`; the
fast path adds the parts itself (the calendar once for all its cases:
:func:`add_calendar`), the drafting space and the what-if search choose facts
themselves and add the rest the same way. Free text never crosses: labels go
in as strings, compared and never parsed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import clingo
from clingo import ast

from ..model import calendar, measure
from ..model import vocabulary as vocab
from ..model.case import Case
from ..model.days import date_of, day
from .memory import remembering
from .syntax import CLAUSE_CONST, Signature, signatures

INPUT_FILE = "rules/_mechanism/input.lp"


def _contract() -> tuple[frozenset[Signature], frozenset[Signature]]:
    """The #defined signatures of input.lp, and what its rules derive from them."""
    statements: list[ast.AST] = []
    ast.parse_files([str(measure.root() / INPUT_FILE)], statements.append)
    given = {(s.name, s.arity) for s in statements if s.ast_type == ast.ASTType.Defined}
    derived = {sig for s in statements if s.ast_type == ast.ASTType.Rule for sig in signatures(s.head)}
    return frozenset(given), frozenset(derived)


GIVEN, UNPACKED = _contract()
INPUT = GIVEN | UNPACKED  # the predicates a case brings, packed and unpacked: never derived by an article
# What a case's facts bring; the rest of the input (dates, parameters, labels) is read by the dated rules
# (engine.split). The unpacking table bit/3 and the fact numbers depend on no case.
FACT_INPUT = frozenset({("case", 1), ("word", 3), ("fact_number", 2), ("fact", 2), ("bit", 3)})
DATED_INPUT = INPUT - FACT_INPUT
PLUMBING = frozenset({"case", "word", "fact_number", "bit", "dates"})  # input no explanation shows
# The official calendar: day D is a working day or a rest day (model.calendar). Like param/2 it
# belongs to no case: the days are shared by every case of a grounding.
CALENDAR = {"work": ("working_day", 1), "rest": ("rest_day", 1)}
CASE_FREE = frozenset({"bit", "fact_number", "param", *(name for name, _ in CALENDAR.values())})  # no case index
assert set(CALENDAR.values()) <= GIVEN, f"{INPUT_FILE} must declare #defined working_day/1 and rest_day/1"
# How many days after a decision the calendar is given: room for the longest period a reading
# counts (seven working days span at most 19 calendar days in the covered years; a seventh day
# moved over rest days, 17). tests/test_engine.py checks it against the whole calendar.
SPAN = 31

FACT_NUMBER = {fact: n for n, fact in enumerate(vocab.fact_ids())}
_WORD_BITS = 30  # input.lp unpacks words of this many bits
# A case's dates travel in one atom, dates(C, D1, …, Dn), in the vocabulary's order of the
# date keys (input.lp unpacks it): one symbol per case instead of one per date.
DATE_KEYS = tuple(vocab.date_keys())
DATES = ("dates", 1 + len(DATE_KEYS))
_NO_DATE = clingo.Function("none")
assert DATES in GIVEN, f"{INPUT_FILE} must declare #defined {DATES[0]}/{DATES[1]} (one date per vocabulary key)"


def clause_id(name: str) -> str:
    """ASP constant a11_p1_i6 → citation id a11.p1.i6."""
    return name.replace("_", ".")


def add_fact(backend: clingo.Backend, symbol: clingo.Symbol) -> None:
    backend.add_rule([backend.add_atom(symbol)])


def add_case(backend: clingo.Backend, index: int, case: Case) -> None:
    """The case as symbols keyed by its index: case/1, its facts packed in word/3, its dates in dates/7;
    and the calendar of the days after its decision (shared by every case: a day another case brought
    too is the same atom)."""
    add_facts(backend, index, fact_words(case))
    add_dates(backend, index, case)
    add_calendar(backend, [case])


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
    """The case's dates as day numbers in one dates/7 atom, ``none`` for a date it lacks."""
    if case.dates:
        days = [number(day(d)) if (d := case.dates.get(key)) else _NO_DATE for key in DATE_KEYS]
        add_fact(backend, clingo.Function(DATES[0], [number(index), *days]))


def calendar_days(cases: Sequence[Case]) -> list[int]:
    """The days the calendar is given for: the SPAN days after each case's decision date."""
    days: set[int] = set()
    for start in {day(d) for case in cases if (d := case.dates.get("decision"))}:  # cases share decision days
        days.update(range(start + 1, start + SPAN + 1))
    return sorted(days)


def calendar_atoms(days: Sequence[int]) -> list[clingo.Symbol]:
    """working_day(D) / rest_day(D) for the days the calendar covers; nothing for the others."""
    return [atom for d in days if (atom := _calendar_atom(d)) is not None]


@remembering(1 << 16)
def _calendar_atom(d: int) -> clingo.Symbol | None:
    kind = calendar.kind_of_day(d)
    return None if kind is None else clingo.Function(CALENDAR[kind][0], [number(d)])


def add_calendar(backend: clingo.Backend, cases: Sequence[Case]) -> None:
    """The official calendar over the days the cases' periods may need, once for all of them."""
    add_all(backend, calendar_atoms(calendar_days(cases)))


def params(as_of=None, effective_date=None, recurrence: tuple[int, int] | None = None) -> list[clingo.Symbol]:
    """param/2: the evaluation date, the measure's commencement (a20), the a18 threshold and window."""
    values = {}
    if as_of:
        values["as_of"] = day(as_of)
    if effective_date:
        values["effective_date"] = day(effective_date)
    if recurrence:
        values["recurrence_threshold"], values["recurrence_window"] = recurrence
    return [clingo.Function("param", [clingo.Function(name), clingo.Number(v)]) for name, v in values.items()]


def fact_numbers() -> list[clingo.Symbol]:
    """fact_number/2: the vocabulary's fact ids and their numbers, which every Control holds."""
    return [clingo.Function("fact_number", [clingo.Function(f), clingo.Number(n)]) for f, n in FACT_NUMBER.items()]


def add_all(backend: clingo.Backend, symbols: Sequence[clingo.Symbol]) -> None:
    for symbol in symbols:
        add_fact(backend, symbol)


@remembering(1 << 16)
def number(n: int) -> clingo.Symbol:
    """clingo.Number, kept: case indexes and days recur in every chunk."""
    return clingo.Number(n)


def add_labels(backend: clingo.Backend, index: int, case: Case) -> None:
    """The a18 labels, as strings: they are compared, never parsed."""
    for kind in ("field", "error_type"):
        if value := getattr(case, kind):
            label = clingo.Function("label", [clingo.Number(index), clingo.Function(kind), clingo.String(value)])
            add_fact(backend, label)


@remembering(1 << 16)
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
        return date_of(sym.arguments[0].number).isoformat()
    if sym.arguments:
        return (sym.name, *(value(a) for a in sym.arguments))
    return clause_id(sym.name) if CLAUSE_CONST.match(sym.name) else sym.name
