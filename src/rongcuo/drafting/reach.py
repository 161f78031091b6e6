"""How far the rules look across dates: the day window that makes check and diff proofs.

A date enters the rules as ``date(C, K, D)`` or ``param(as_of | effective_date, D)``;
a rule moves it by a constant (``notice_due(C, D + 7)``), carries it into a
derived predicate, and compares it with another (``N > Due``, ``N > D + 20``).
Read off the rules' AST, the *reach* is the largest distance between two dates
any rule can tell apart: for a comparison, the offsets each side's dates carry
plus its constants plus one (a strict comparison needs the next day too).

A recursion that moves a date along the official calendar (``period_day(C, E + 1)
:- period_day(C, E), rest_day(E)``) is bounded by the longest run of days of a
kind in the calendar windows (engine.space.WINDOWS): its :data:`CALENDAR_SLACK`.
Date arithmetic the reading cannot bound — a recursion that is not held to the
calendar, multiplication, an aggregate over dates — makes the window no proof;
:func:`reach` returns why, and check and diff say "not a proof" instead of "proved".

The window is the reach, a slack of days around the two compared dates — for
the other dates the orders of input (date_order) put before, between or after
them (:data:`ORDER_SLACK`), or the calendar run, whichever is longer: the two
are taken not to be needed at once (an assumption, not a proof) — and one day
more for the evaluation date to lie after them all: 17 days for the bundled
rules (a14's seven days: 7 + 1, the National Day run of 8 days, 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from clingo import ast

from ..engine.program import relative
from ..engine.syntax import children, walk

CALENDAR = {"working_day", "rest_day"}  # the calendar atoms of input.lp
CALENDAR_SLACK = (
    8  # the longest run of rest days a period meets in the windows (National Day, 2024-10-01 … 07, + a Sunday)
)
ORDER_SLACK = 8  # a day for each other date (six keys, as_of, effective_date) the orders may put between or after two
DATE_PARAMS = {"as_of", "effective_date"}
ROUNDS = 40  # offsets still growing after this many passes come from a recursion


@dataclass(frozen=True)
class Reach:
    distance: int  # the largest distance between two dates a rule can tell apart
    calendar: bool  # some recursion walks the calendar
    unbounded: tuple[str, ...] = field(default=())  # file:line — what the reading cannot bound
    where: str = ""  # the comparison that looks furthest (file:line)

    @property
    def days(self) -> int:
        """The window in which every distance the rules tell apart occurs."""
        return self.distance + max(ORDER_SLACK, CALENDAR_SLACK if self.calendar else 0) + 1

    def short(self, days: int) -> str | None:
        """Why a window of ``days`` is no proof (None: it is one)."""
        if self.unbounded:
            return f"date arithmetic the window cannot bound ({', '.join(self.unbounded[:3])})"
        if days < self.days:
            return f"the rules look {self.distance} days apart ({self.where}): a proof needs --days {self.days}"
        return None


def combined(reaches: Iterable[Reach]) -> Reach:
    found = list(reaches)
    far = max(found, key=lambda r: r.distance)
    return Reach(
        far.distance,
        any(r.calendar for r in found),
        tuple(u for r in found for u in r.unbounded),
        far.where,
    )


def reach(statements: Sequence[ast.AST], root=None) -> Reach:
    rules = [_read(s) for s in statements if s.ast_type == ast.ASTType.Rule]  # the AST read once, not each round
    offsets: dict[tuple[str, int], int] = {}  # (predicate, argument) → the largest offset a date there carries
    recursive: set[tuple[str, int]] = set()
    calendar = False
    unbounded: dict[str, None] = {}
    distance, where = 0, ""

    def place(rule: _Rule) -> str:
        loc = rule.location.begin
        return f"{relative(root, _path(loc.filename)) if root else loc.filename}:{loc.line}"

    for round in range(ROUNDS + 1):
        changed = False
        for rule in rules:
            bound = _bound(rule.positive, offsets)
            if not bound:
                continue
            on_calendar = bool(rule.body_preds & CALENDAR)
            for a, b in rule.comparisons:
                d = _distance(a, b, bound)
                if d is None:
                    unbounded[place(rule)] = None
                elif d > distance:
                    distance, where = d, place(rule)
            for name, args in rule.heads:
                for i, term in enumerate(args):
                    if term.ast_type == ast.ASTType.Function and term.name != "day":
                        continue  # a date inside a term (notification_due(day(D))): shown, not compared again
                    o = _offset(term, bound)
                    if o is None:
                        if _mentions(term, bound):
                            unbounded[place(rule)] = None
                        continue
                    key = (name, i)
                    if name in rule.body_preds and o > 0:  # a recursion moving a date
                        if on_calendar:
                            calendar = True
                            recursive.add(key)
                            continue
                        if round == ROUNDS:
                            unbounded[place(rule)] = None
                    if key in recursive:
                        continue
                    if o > offsets.get(key, -1):
                        offsets[key] = o
                        changed = True
        if not changed:
            break
    distance = max([distance, *offsets.values()])
    return Reach(distance, calendar, tuple(unbounded), where)


@dataclass(frozen=True)
class _Rule:
    """What reach reads of a rule: its atoms (name, argument terms) and the comparisons in its body."""

    location: ast.Location
    positive: list[tuple[str, list]]  # the atoms of its positive literals
    body_preds: set[str]
    comparisons: list[tuple[ast.AST, ast.AST]]
    heads: list[tuple[str, list]]


def _read(rule: ast.AST) -> _Rule:
    body = [(literal, *_scan(literal)) for literal in rule.body]
    return _Rule(
        rule.location,
        [atom for literal, atoms, _ in body if _positive(literal) for atom in atoms],
        {name for _, atoms, _ in body for name, _ in atoms},
        [pair for _, _, pairs in body for pair in pairs],
        _scan(rule.head)[0],
    )


def _positive(literal: ast.AST) -> bool:
    return literal.ast_type == ast.ASTType.Literal and literal.sign == ast.Sign.NoSign


def _path(name: str):
    from pathlib import Path

    return Path(name)


def _scan(node: ast.AST) -> tuple[list[tuple[str, list]], list[tuple[ast.AST, ast.AST]]]:
    """The atoms under ``node`` (name, argument terms; not a classical negation) and the pairs of terms
    its comparisons compare (X < Y < Z: (X, Y), (Y, Z)), in one walk that stops at atoms and comparisons."""
    atoms: list[tuple[str, list]] = []
    pairs: list[tuple[ast.AST, ast.AST]] = []

    def visit(node: ast.AST) -> None:
        kind = node.ast_type
        if kind == ast.ASTType.SymbolicAtom:
            if node.symbol.ast_type == ast.ASTType.Function:
                atoms.append((node.symbol.name, list(node.symbol.arguments)))
        elif kind == ast.ASTType.Comparison:
            left = node.term
            for guard in node.guards:
                pairs.append((left, guard.term))
                left = guard.term
        else:
            for child in children(node):
                visit(child)

    visit(node)
    return atoms, pairs


def _bound(positive: list[tuple[str, list]], offsets: dict[tuple[str, int], int]) -> dict[str, int]:
    """The variables of the body's positive atoms that hold a date, with the offset each carries."""
    bound: dict[str, int] = {}

    def take(term: ast.AST, o: int) -> None:
        if term.ast_type == ast.ASTType.Variable:
            bound[term.name] = max(bound.get(term.name, 0), o)
        elif term.ast_type == ast.ASTType.Function and term.name == "day" and len(term.arguments) == 1:
            take(term.arguments[0], o)

    for name, args in positive:
        if name == "date" and len(args) == 3:
            take(args[2], 0)
        elif name == "param" and len(args) == 2 and _constant(args[0]) in DATE_PARAMS:
            take(args[1], 0)
        else:
            for i, term in enumerate(args):
                if (name, i) in offsets:
                    take(term, offsets[(name, i)])
    return bound


def _constant(term: ast.AST) -> str | None:
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type.name == "Function":
        return term.symbol.name
    return None


def _linear(term: ast.AST, bound: dict[str, int]) -> tuple[int, int] | None:
    """(the date offset, the constant) of a term over dates: V, V ± c, c; None otherwise."""
    t = term.ast_type
    if t == ast.ASTType.Variable:
        return (bound[term.name], 0) if term.name in bound else (0, 0)
    if t == ast.ASTType.SymbolicTerm and term.symbol.type.name == "Number":
        return 0, abs(term.symbol.number)
    if t == ast.ASTType.BinaryOperation and term.operator_type in (ast.BinaryOperator.Plus, ast.BinaryOperator.Minus):
        left, right = _linear(term.left, bound), _linear(term.right, bound)
        if left is None or right is None:
            return None
        return left[0] + right[0], left[1] + right[1]
    if t == ast.ASTType.Function and term.name == "day" and len(term.arguments) == 1:
        return _linear(term.arguments[0], bound)
    return None if _mentions(term, bound) else (0, 0)


def _mentions(term: ast.AST, bound: dict[str, int]) -> bool:
    return any(n.ast_type == ast.ASTType.Variable and n.name in bound for n in walk(term))


def _offset(term: ast.AST, bound: dict[str, int]) -> int | None:
    """The offset a head argument's date carries (None: no date, or none the reading can bound)."""
    if not _mentions(term, bound):
        return None
    found = _linear(term, bound)
    return None if found is None else found[0] + found[1]


def _distance(a: ast.AST, b: ast.AST, bound: dict[str, int]) -> int | None:
    """How far apart two dates compared as ``a`` and ``b`` must be for the rule to tell: their offsets,
    the constants and a day for a strict comparison (0 when no date is compared)."""
    if not (_mentions(a, bound) or _mentions(b, bound)):
        return 0
    left, right = _linear(a, bound), _linear(b, bound)
    if left is None or right is None:
        return None
    return left[0] + right[0] + left[1] + right[1] + 1
