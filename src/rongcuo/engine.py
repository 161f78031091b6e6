"""The one place that talks to clingo.

A :class:`RuleSet` is the rule base of one profile, parsed once and checked;
:meth:`RuleSet.evaluate` grounds many cases in one program (the case index is
an argument of every atom), solves once, and reads the answer set into
:class:`Result` objects. Case facts reach clingo as symbols through the
backend, never as program text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

import clingo
from clingo import ast

from . import measure
from . import vocabulary as vocab
from .cases import Case

EPOCH = dt.date(1970, 1, 1)
_CLAUSE_CONST = re.compile(r"^a\d+(?:_p\d+(?:_i\d+)?)?$")


class RuleError(Exception):
    """A rule set that cannot be used: missing, unsafe, or without a unique answer."""


def bundled_root() -> Path:
    """The bundled rule base: inside the installed package, or asp/ of a checkout."""
    packaged = Path(str(files("rongcuo").joinpath("asp")))
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "asp"


def profiles(root: Path | None = None) -> list[str]:
    return sorted(p.stem for p in ((root or bundled_root()) / "profiles").glob("*.lp"))


def day(d: dt.date) -> int:
    return (d - EPOCH).days


def clause_id(sym: clingo.Symbol) -> str:
    """ASP constant a11_p1_i6 → citation id a11.p1.i6."""
    return sym.name.replace("_", ".")


@dataclass(frozen=True)
class Citation:
    """A rule statement that names a clause id."""

    clause: str
    file: str
    line: int
    head: str


@dataclass(frozen=True)
class Outcome:
    outcome: str
    modality: str | None
    grounds: tuple[str, ...]
    catch_all: bool = False


@dataclass(frozen=True)
class Defeat:
    """A ground that would give ``outcome`` but is blocked by clause ``blocked_by``."""

    outcome: str
    grounds: tuple[str, ...]
    blocked_by: str


@dataclass(frozen=True)
class Consequence:
    consequence: str
    args: tuple[str, ...]
    grounds: tuple[str, ...]

    @property
    def key(self) -> str:
        """name, or name(arg,…) — how golden files and reports name it."""
        return f"{self.consequence}({','.join(self.args)})" if self.args else self.consequence


@dataclass(frozen=True)
class Result:
    case: str
    profile: str
    rules: str
    as_of: str
    disposition: str | None
    outcomes: tuple[Outcome, ...] = ()
    consequences: tuple[Consequence, ...] = ()
    defeated: tuple[Defeat, ...] = ()
    contradictions: tuple[tuple[str, str], ...] = ()

    def outcome(self, name: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.outcome == name), None)

    def to_json(self) -> dict:
        return {
            "case": self.case,
            "profile": self.profile,
            "rules": self.rules,
            "as_of": self.as_of,
            "disposition": self.disposition,
            "outcomes": [
                {"outcome": o.outcome, "modality": o.modality, "grounds": list(o.grounds),
                 "catch_all": o.catch_all}
                for o in self.outcomes
            ],
            "consequences": [
                {"consequence": c.consequence, "args": list(c.args), "grounds": list(c.grounds)}
                for c in self.consequences
            ],
            "defeated": [
                {"outcome": d.outcome, "grounds": list(d.grounds), "blocked_by": d.blocked_by}
                for d in self.defeated
            ],
        }


@dataclass(frozen=True)
class RuleSet:
    """The rule base of one profile, parsed and checked once, evaluated many times."""

    root: Path
    profile: str
    statements: tuple[ast.AST, ...] = field(repr=False)
    files: tuple[Path, ...]
    digest: str

    @classmethod
    def load(cls, profile: str = "default", root: Path | None = None, *,
             trusted: bool = False, corpus: bool = False) -> RuleSet:
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

    def control(self, arguments: Sequence[str] = ()) -> clingo.Control:
        """A fresh Control holding the rules and the vocabulary (cases are added by the caller)."""
        ctl = clingo.Control(["--warn=none", *arguments])
        with ast.ProgramBuilder(ctl) as builder:
            for statement in self.statements:
                builder.add(statement)
        with ctl.backend() as backend:
            for fact, number in _FACT_NUMBER.items():
                add_fact(backend, clingo.Function("fact_number", [clingo.Function(fact), clingo.Number(number)]))
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
                yield Citation(const.replace("_", "."), rel, loc.line, head)

    def static_atoms(self, name: str, arity: int) -> list[tuple]:
        """Atoms the rules derive without any case (tables such as not_computable/2)."""
        ctl = self.control()
        ctl.ground([("base", [])])
        return sorted(tuple(_value(a) for a in atom.symbol.arguments)
                      for atom in ctl.symbolic_atoms.by_signature(name, arity))

    def evaluate(self, cases: Sequence[Case], as_of: dt.date | None = None,
                 effective_date: dt.date | None = None,
                 recurrence: tuple[int, int] | None = None) -> list[Result]:
        """Evaluate many cases in one grounding; results in input order.

        ``recurrence`` = (threshold, window days) adds the cases' labels for the
        a18 rules over the whole set (a rule set loaded with ``corpus=True``).
        """
        as_of = as_of or dt.date.today()
        params = {"as_of": day(as_of)}
        if effective_date:
            params["effective_date"] = day(effective_date)
        if recurrence:
            params["recurrence_threshold"], params["recurrence_window"] = recurrence
        ctl = self.control(["--models=2"])
        with ctl.backend() as backend:
            for name, value in params.items():
                add_fact(backend, clingo.Function("param", [clingo.Function(name), clingo.Number(value)]))
            for index, case in enumerate(cases):
                add_case(backend, index, case)
                if recurrence:
                    add_labels(backend, index, case)
        ctl.ground([("base", [])])
        symbols = self._solve(ctl)
        return self._read(symbols, cases, as_of)

    def _solve(self, ctl: clingo.Control) -> Sequence[clingo.Symbol]:
        models = []
        with ctl.solve(yield_=True) as handle:
            for model in handle:
                models.append(model.symbols(shown=True))
        if not models:
            raise RuleError(f"rule set {self.digest} ({self.profile}) has no answer set for these cases")
        if len(models) > 1:
            raise RuleError(f"rule set {self.digest} ({self.profile}) is ambiguous: several answer sets "
                            "(a cycle of defeats?)")
        return models[0]

    def _read(self, symbols: Sequence[clingo.Symbol], cases: Sequence[Case], as_of: dt.date) -> list[Result]:
        # One str() per symbol is the cheapest way out of clingo; the part after
        # the case index repeats across cases, so it is parsed once (_atom).
        by_case: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for sym in symbols:
            name, _, rest = str(sym).partition("(")
            index, _, tail = rest.partition(",")
            by_case[int(index)][name].append(_atom(tail))
        return [self._result(case, by_case.get(i, {}), as_of) for i, case in enumerate(cases)]

    def _result(self, case: Case, atoms: dict[str, list], as_of: dt.date) -> Result:
        grounds: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for outcome, source, item in atoms.get("ground", ()):
            grounds[outcome].add((source, item))
        modality = dict(atoms.get("outcome_modality", ()))
        catch_all = {o for (o,) in atoms.get("rests_on_catch_all", ())}
        outcomes = tuple(
            Outcome(name, modality.get(name), _cited(grounds[name]), name in catch_all)
            for name in vocab.outcome_names() if name in grounds
        )
        consequences: dict[tuple[str, tuple[str, ...]], set[str]] = defaultdict(set)
        for term, source in atoms.get("consequence", ()):
            name, *args = term if isinstance(term, tuple) else (term,)
            consequences[(name, tuple(args))].add(source)
        order = list(vocab.vocabulary()["consequences"])
        defeats: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
        for outcome, source, item, by in atoms.get("blocked", ()):
            defeats[(outcome, by)].add((source, item))
        (disposition,) = atoms.get("disposition", [(None,)])[0]
        return Result(
            case=case.id,
            profile=self.profile,
            rules=self.digest,
            as_of=as_of.isoformat(),
            disposition=disposition,
            outcomes=outcomes,
            consequences=tuple(
                Consequence(name, args, _in_order(cites))
                for (name, args), cites in sorted(consequences.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1]))
            ),
            defeated=tuple(Defeat(o, _cited(g), by) for (o, by), g in sorted(defeats.items())),
            contradictions=tuple(sorted(atoms.get("contradiction", ()))),
        )


_FACT_NUMBER = {fact: n for n, fact in enumerate(vocab.fact_ids())}
_WORD_BITS = 30  # asp/rules/input.lp unpacks words of this many bits
_DATE_KEY = {key: clingo.Function(key) for key in vocab.date_keys()}


def add_fact(backend: clingo.Backend, symbol: clingo.Symbol) -> None:
    backend.add_rule([backend.add_atom(symbol)])


def add_case(backend: clingo.Backend, index: int, case: Case) -> None:
    """The case as symbols keyed by its index: case/1, its facts packed in word/3, date/3."""
    c = clingo.Number(index)
    add_fact(backend, clingo.Function("case", [c]))
    words: dict[int, int] = defaultdict(int)
    for fact in case.true_facts():
        word, bit = divmod(_FACT_NUMBER[fact], _WORD_BITS)
        words[word] |= 1 << bit
    for word, bits in words.items():
        add_fact(backend, clingo.Function("word", [c, clingo.Number(word), clingo.Number(bits)]))
    for key, value in case.dates.items():
        add_fact(backend, clingo.Function("date", [c, _DATE_KEY[key], clingo.Number(day(value))]))


def add_labels(backend: clingo.Backend, index: int, case: Case) -> None:
    """The a18 labels, as strings: they are compared, never parsed."""
    for kind in ("field", "error_type"):
        if value := getattr(case, kind):
            add_fact(backend, clingo.Function("label", [clingo.Number(index), clingo.Function(kind), clingo.String(value)]))


@cache
def _atom(tail: str) -> tuple:
    """The arguments after the case index, as Python values: "exempt,a11_p2,a11_p1_i6)"."""
    return tuple(_value(arg) for arg in clingo.parse_term(f"t({tail}").arguments)


def _value(sym: clingo.Symbol):
    """A shown term as Python: clause constants → ids, day(N) → ISO date, f(x) → (f, x)."""
    if sym.type == clingo.SymbolType.String:
        return sym.string
    if sym.type == clingo.SymbolType.Number:
        return sym.number
    if sym.name == "day" and len(sym.arguments) == 1:
        return (EPOCH + dt.timedelta(days=sym.arguments[0].number)).isoformat()
    if sym.arguments:
        return (sym.name, *(_value(a) for a in sym.arguments))
    return clause_id(sym) if _CLAUSE_CONST.match(sym.name) else sym.name


def _in_order(clause_ids: set[str]) -> tuple[str, ...]:
    return tuple(sorted(clause_ids, key=measure.order))


def _cited(pairs: set[tuple[str, str]]) -> tuple[str, ...]:
    """Grounds as cited: each item before the clause that gives it effect
    (a10.p1.i2, a10.p1), in the measure's order of the items."""
    ordered = sorted(pairs, key=lambda p: (measure.order(p[1]), measure.order(p[0])))
    return tuple(dict.fromkeys(c for source, item in ordered for c in (item, source)))


def _refuse_untrusted(root: Path, statements: list[ast.AST], used: set[Path]) -> None:
    for path in sorted(used):
        if not path.is_relative_to(root):
            raise RuleError(f"{path}: included from outside the rule base {root} — pass --trust to allow it")
    for s in statements:
        if s.ast_type == ast.ASTType.Script:
            raise RuleError(f"{s.location.begin.filename}:{s.location.begin.line}: #script in a rule file — "
                            "rules must stay declarative; pass --trust to allow it")


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
    if node.ast_type == ast.ASTType.Function and not node.arguments and _CLAUSE_CONST.match(node.name):
        found.add(node.name)
    if node.ast_type == ast.ASTType.SymbolicTerm and node.symbol.type == clingo.SymbolType.Function \
            and _CLAUSE_CONST.match(node.symbol.name):
        found.add(node.symbol.name)
    for key in node.child_keys:
        child = getattr(node, key)
        for item in child if isinstance(child, (list, ast.ASTSequence)) else [child]:
            if isinstance(item, ast.AST):
                found |= _clause_constants(item)
    return found
