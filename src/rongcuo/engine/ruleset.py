"""Rule sets: the rule base of one profile, parsed once, checked, hashed, evaluated."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib.resources import files
from pathlib import Path

import clingo
from clingo import ast

from ..cases import Case
from .deadline import models as limited
from .errors import RuleError
from .results import Result, Shared, by_case, read_results
from .split import Split, split
from .symbols import (
    CLAUSE_CONST,
    FACT_NUMBER,
    add_case,
    add_dates,
    add_fact,
    add_facts,
    add_labels,
    clause_id,
    day,
    fact_words,
    number,
    value,
)
from .syntax import Signature, walk
from .trace import RuleInfo, Trace, instrument, read_traces


def bundled_root() -> Path:
    """The bundled rule base: inside the installed package, or asp/ of a checkout."""
    packaged = Path(str(files("rongcuo").joinpath("asp")))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "asp"


def profiles(root: Path | None = None) -> list[str]:
    return sorted(p.stem for p in ((root or bundled_root()) / "profiles").glob("*.lp"))


@dataclass(frozen=True)
class Citation:
    """A rule statement that names a clause id."""

    clause: str
    file: str
    line: int
    head: str


@dataclass(frozen=True)
class RuleSet:
    """The rule base of one profile, parsed and checked once, evaluated many times."""

    root: Path
    profile: str
    statements: tuple[ast.AST, ...] = field(repr=False)
    files: tuple[Path, ...]
    digest: str
    # What the bottom of the split gives each fact set seen so far (engine.split).
    _shared: dict[frozenset, _FactReading] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def load(
        cls, profile: str = "default", root: Path | None = None, *, trusted: bool = False, corpus: bool = False
    ) -> RuleSet:
        root = (root or bundled_root()).resolve()
        profile_file = root / "profiles" / f"{profile}.lp"
        if not profile_file.is_file():
            raise RuleError(f"{root}: no profile {profile!r} — available: {', '.join(profiles(root)) or 'none'}")
        parts = sorted((root / "rules").glob("*.lp"))
        if corpus:
            parts += sorted((root / "corpus").glob("*.lp"))
        statements: list[ast.AST] = []
        try:
            ast.parse_files([str(p) for p in [*parts, profile_file]], statements.append)
        except RuntimeError as e:
            raise RuleError(f"{root}: the rules do not parse: {e}") from None
        used = {Path(s.location.begin.filename).resolve() for s in statements}
        if not trusted:
            _refuse_untrusted(root, statements, used)
        return cls(root, profile, tuple(statements), tuple(sorted(used)), _digest(root, used))

    def control(self, arguments: Sequence[str] = (), extra: Sequence[ast.AST] = ()) -> clingo.Control:
        """A fresh Control holding the rules and the vocabulary (cases are added by the caller)."""
        return self._control((*self.statements, *extra), arguments)

    def _control(self, statements: Sequence[ast.AST], arguments: Sequence[str] = ()) -> clingo.Control:
        ctl = clingo.Control(["--warn=none", *arguments])
        with ast.ProgramBuilder(ctl) as builder:
            for statement in statements:
                builder.add(statement)
        with ctl.backend() as backend:
            for fact, n in FACT_NUMBER.items():
                add_fact(backend, clingo.Function("fact_number", [clingo.Function(fact), clingo.Number(n)]))
        return ctl

    def citations(self) -> Iterator[Citation]:
        """Every statement that names a clause id, with its file and line."""
        for statement in self.statements:
            if statement.ast_type != ast.ASTType.Rule:
                continue
            head = _head_name(statement.head)
            loc = statement.location.begin
            rel = _relative(self.root, Path(loc.filename))
            for const in sorted(_clause_constants(statement)):
                yield Citation(clause_id(const), rel, loc.line, head)

    def static_atoms(self, name: str, arity: int) -> list[tuple]:
        """Atoms the rules derive without any case (tables such as not_computable/2)."""
        ctl = self.control()
        ctl.ground([("base", [])])
        return sorted(
            tuple(value(a) for a in atom.symbol.arguments) for atom in ctl.symbolic_atoms.by_signature(name, arity)
        )

    def evaluate(
        self,
        cases: Sequence[Case],
        as_of: dt.date | None = None,
        effective_date: dt.date | None = None,
        recurrence: tuple[int, int] | None = None,
    ) -> list[Result]:
        """Evaluate many cases in one grounding; results in input order.

        The rules are split at the dates (engine.split): the part that reads
        facts only is evaluated once per distinct fact set, the dated part for
        every case in one grounding. ``recurrence`` = (threshold, window days)
        adds the cases' labels for the a18 rules over the whole set (a rule set
        loaded with ``corpus=True``).
        """
        as_of = as_of or dt.date.today()
        readings = self._fact_readings(cases)
        ctl = self._control(self._split.top, ["--models=2"])
        with ctl.backend() as backend:
            for param in _params(as_of, effective_date, recurrence):
                add_fact(backend, param)
            for symbol in self._static_interface:
                add_fact(backend, symbol)
            for index, (case, reading) in enumerate(zip(cases, readings, strict=True)):
                add_dates(backend, index, case)
                for name, args in reading.interface:
                    add_fact(backend, clingo.Function(name, [number(index), *args]))
                if recurrence:
                    add_labels(backend, index, case)
        ctl.ground([("base", [])])
        atoms = [str(s) for s in self._solve(ctl)[0]]
        return read_results(atoms, cases, self.profile, self.digest, as_of, [r.shown for r in readings])

    @cached_property
    def _split(self) -> Split:
        return split(self.statements)

    @cached_property
    def _static_interface(self) -> tuple[clingo.Symbol, ...]:
        """The interface atoms no case carries (tables the dated rules read): the bottom without cases."""
        ctl = self._control(self._split.bottom, ["--models=2"])
        ctl.ground([("base", [])])
        return tuple(self._solve(ctl, self._split.interface)[1])

    def _fact_readings(self, cases: Sequence[Case]) -> list[_FactReading]:
        """What the bottom of the split gives each case, grounding only the fact sets not seen before."""
        if len(self._shared) > _FACT_READINGS:
            self._shared.clear()  # bounded memory for endless novel inputs
        keys = [frozenset(case.facts.items()) for case in cases]  # cheaper than the words, as good a key
        found = {k: self._shared.get(k) for k in keys}  # read once: another thread may clear the memory
        new = {k: case for k, case in zip(keys, cases, strict=True) if found[k] is None}
        if new:
            ctl = self._control(self._split.bottom, ["--models=2"])
            with ctl.backend() as backend:
                for index, case in enumerate(new.values()):
                    add_facts(backend, index, fact_words(case))
            ctl.ground([("base", [])])
            shown, kept = self._solve(ctl, self._split.interface)
            own = by_case([str(s) for s in shown])
            static = set(self._static_interface)
            interface: dict[int, list] = {}
            for symbol in kept:
                if symbol not in static and symbol.arguments[0].type == clingo.SymbolType.Number:
                    interface.setdefault(symbol.arguments[0].number, []).append(
                        (symbol.name, tuple(symbol.arguments[1:]))
                    )
            for index, key in enumerate(new):
                found[key] = self._shared[key] = _FactReading(
                    Shared.of(own.get(index, ())), tuple(interface.get(index, ()))
                )
        return [found[k] for k in keys]

    @cached_property
    def tracer(self) -> tuple[tuple[ast.AST, ...], dict[int, RuleInfo]]:
        """The recording rules of engine.trace for this rule set, built once."""
        return self._tracer(True)

    @cached_property
    def _tracer_fired_only(self) -> tuple[tuple[ast.AST, ...], dict[int, RuleInfo]]:
        return self._tracer(False)

    def _tracer(self, why_not: bool) -> tuple[tuple[ast.AST, ...], dict[int, RuleInfo]]:
        extra, infos = instrument(
            self.statements,
            lambda f: _relative(self.root, Path(f)),
            lambda rule: tuple(clause_id(c) for c in sorted(_clause_constants(rule))),
            why_not,
        )
        return tuple(extra), infos

    def trace(
        self,
        cases: Sequence[Case],
        as_of: dt.date | None = None,
        effective_date: dt.date | None = None,
        why_not: bool = True,
    ) -> tuple[list[tuple[Result, Trace]], dict]:
        """Evaluate with the derivations recorded: each result with its trace, and the
        derivations of the case-free atoms (tables such as modality/2, blocks/2).
        Without ``why_not`` only the rules that fired are recorded (cheaper for many cases)."""
        as_of = as_of or dt.date.today()
        extra, infos = self.tracer if why_not else self._tracer_fired_only
        ctl = self._grounded(cases, as_of, effective_date, extra=extra)
        atoms = [str(s) for s in self._solve(ctl)[0]]
        traces, shared = read_traces([a for a in atoms if a[0] == "_"], len(cases), infos, why_not)
        results = read_results([a for a in atoms if a[0] != "_"], cases, self.profile, self.digest, as_of)
        return list(zip(results, traces, strict=True)), shared

    def _grounded(
        self, cases: Sequence[Case], as_of: dt.date, effective_date: dt.date | None, extra: Sequence[ast.AST] = ()
    ) -> clingo.Control:
        """The whole program (not split) over the cases: what the trace records."""
        ctl = self.control(["--models=2"], extra)
        with ctl.backend() as backend:
            for param in _params(as_of, effective_date, None):
                add_fact(backend, param)
            for index, case in enumerate(cases):
                add_case(backend, index, case)
        ctl.ground([("base", [])])
        return ctl

    def _solve(
        self, ctl: clingo.Control, keep: frozenset[Signature] = frozenset()
    ) -> tuple[Sequence[clingo.Symbol], list[clingo.Symbol]]:
        """The shown atoms of the one answer set, and its atoms of the signatures in ``keep``."""
        models = []
        with ctl.solve(yield_=True, async_=True) as handle:
            for model in limited(handle):
                kept = [
                    a.symbol
                    for name, arity in sorted(keep)
                    for positive in (True, False)
                    for a in ctl.symbolic_atoms.by_signature(name, arity, positive)
                    if model.is_true(a.literal)
                ]
                models.append((model.symbols(shown=True), kept))
        if not models:
            raise RuleError(f"rule set {self.digest} ({self.profile}) has no answer set for these cases")
        if len(models) > 1:
            raise RuleError(
                f"rule set {self.digest} ({self.profile}) is ambiguous: several answer sets (a cycle of defeats?)"
            )
        return models[0]


_FACT_READINGS = 20_000  # fact sets remembered per rule set (a bureau's cases share far fewer)


@dataclass(frozen=True)
class _FactReading:
    """What the bottom of the split gives one fact set: the shown atoms, and the
    interface atoms (name, arguments after the case index) the dated rules read."""

    shown: Shared
    interface: tuple[tuple[str, tuple[clingo.Symbol, ...]], ...]


def _params(as_of: dt.date, effective_date: dt.date | None, recurrence: tuple[int, int] | None) -> list[clingo.Symbol]:
    params = {"as_of": day(as_of)}
    if effective_date:
        params["effective_date"] = day(effective_date)
    if recurrence:
        params["recurrence_threshold"], params["recurrence_window"] = recurrence
    return [clingo.Function("param", [clingo.Function(name), clingo.Number(v)]) for name, v in params.items()]


def _refuse_untrusted(root: Path, statements: list[ast.AST], used: set[Path]) -> None:
    for path in sorted(used):
        if not path.is_relative_to(root):
            raise RuleError(f"{path}: included from outside the rule base {root} — pass --trust to allow it")
    for s in statements:
        if s.ast_type == ast.ASTType.Script:
            raise RuleError(
                f"{s.location.begin.filename}:{s.location.begin.line}: #script in a rule file — "
                "rules must stay declarative; pass --trust to allow it"
            )


def _digest(root: Path, used: set[Path]) -> str:
    h = hashlib.sha256()
    for path in sorted(used, key=lambda p: _relative(root, p)):
        h.update(_relative(root, path).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _relative(root: Path, path: Path) -> str:
    path = path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _head_name(head: ast.AST) -> str:
    atom = getattr(head, "atom", None)
    symbol = getattr(atom, "symbol", None)
    return getattr(symbol, "name", "") or str(head).split("(")[0]


def _clause_constants(node: ast.AST) -> set[str]:
    found = set()
    for n in walk(node):
        if n.ast_type == ast.ASTType.Function and not n.arguments and CLAUSE_CONST.match(n.name):
            found.add(n.name)
        if (
            n.ast_type == ast.ASTType.SymbolicTerm
            and n.symbol.type == clingo.SymbolType.Function
            and CLAUSE_CONST.match(n.symbol.name)
        ):
            found.add(n.symbol.name)
    return found
