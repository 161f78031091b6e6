"""Rule sets: the rule base of one profile, parsed once, checked, hashed.

A :class:`RuleSet` is the statements (clingo AST) of the measure's rules under
one profile — the mechanism files, the articles, the readings the profile
includes — refused when unsafe, with a digest over everything that decides an
answer (:class:`Provenance`: the files loaded — rules, readings, the profile —,
the vocabulary, the holiday calendar's version and data, the engine's version):
a full sha256, and its first 16 hex digits for display (``digest``). It is
evaluated through engine.evaluate and traced through engine.trace; both are
built on first use and kept with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import clingo
from clingo import ast

from ..model import measure
from ..model.case import Case
from ..model.result import Result
from .control import control, ground
from .errors import RuleError
from .evaluate import Evaluator
from .inputs import clause_id, value
from .read import SHORT, SHOWN
from .syntax import clause_constants
from .trace import Tracer, not_case_local


def bundled_root() -> Path:
    """The bundled rule base: the measure folder (measure/ of a checkout, or inside the installed package)."""
    return measure.root()


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
class Covered:
    """One file a rule set's hash covers, with its own sha256."""

    kind: str  # mechanism | rule | reading | profile | corpus | vocabulary | other
    path: str  # relative to the rule base (the vocabulary: to the measure folder it is read from)
    sha256: str


@dataclass(frozen=True)
class Provenance:
    """Everything that decides a rule set's answers, and the sha256 over it all."""

    files: tuple[Covered, ...]
    calendar: str  # chinese-calendar and its version
    calendar_data: str  # sha256 of the calendar data the rules read
    calendar_years: str  # the years it covers: 2004–2026
    engine: str  # rongcuo's and clingo's versions

    @cached_property
    def sha256(self) -> str:
        h = hashlib.sha256()
        for f in self.files:
            h.update(f"file {f.kind} {f.path} {f.sha256}\n".encode())
        h.update(f"calendar {self.calendar} {self.calendar_years} {self.calendar_data}\n".encode())
        h.update(f"engine {self.engine}\n".encode())
        return h.hexdigest()

    @property
    def short(self) -> str:
        return self.sha256[:SHORT]


@dataclass(frozen=True)
class RuleSet:
    """The rule base of one profile, parsed and checked once, evaluated many times."""

    root: Path
    profile: str
    statements: tuple[ast.AST, ...] = field(repr=False)
    files: tuple[Path, ...]
    provenance: Provenance = field(repr=False)

    @classmethod
    def load(
        cls, profile: str = "default", root: Path | None = None, *, trusted: bool = False, corpus: bool = False
    ) -> RuleSet:
        root = (root or bundled_root()).resolve()
        profile_file = root / "profiles" / f"{profile}.lp"
        if not profile_file.is_file():
            raise RuleError("errors.no_profile", root=str(root), profile=repr(profile), available=profiles(root) or "-")
        parts = sorted((root / "rules").rglob("*.lp"))
        if corpus:
            parts += sorted((root / "corpus").glob("*.lp"))
        statements = parse([*parts, profile_file], root, trusted=trusted)
        _check_shown(root, statements)
        if root != bundled_root().resolve():  # the bundled rules are held to it by the test suite
            _check_case_local(root, statements)
        used = _files(statements)
        return cls(root, profile, statements, tuple(sorted(used)), provenance(root, used))

    @property
    def sha256(self) -> str:
        """The full sha256 of everything that decides this rule set's answers (JSON shows it)."""
        return self.provenance.sha256

    @property
    def digest(self) -> str:
        """The short form of :attr:`sha256`, as results and reports show it."""
        return self.provenance.short

    @property
    def name(self) -> str:
        return f"{self.digest} ({self.profile})"

    def provenance_json(self) -> dict:
        """What the hash covers, as `rongcuo rules show --format json` prints it (content, not location:
        the root is not part of it)."""
        p = self.provenance
        return {
            "sha256": self.sha256,
            "rules": self.digest,
            "profile": self.profile,
            "files": [{"kind": f.kind, "path": f.path, "sha256": f.sha256} for f in p.files],
            "calendar": {"package": p.calendar, "years": p.calendar_years, "data_sha256": p.calendar_data},
            "engine": p.engine,
        }

    def control(self, arguments: Sequence[str] = (), extra: Sequence[ast.AST] = ()) -> clingo.Control:
        """A fresh Control holding the rules and the vocabulary (cases are added by the caller)."""
        return control((*self.statements, *extra), arguments)

    def evaluate(
        self,
        cases: Sequence[Case],
        as_of: dt.date | None = None,
        effective_date: dt.date | None = None,
        recurrence: tuple[int, int] | None = None,
    ) -> list[Result]:
        """Evaluate many cases in one grounding; results in input order (engine.evaluate).

        ``recurrence`` = (threshold, window days) adds the cases' labels for the a18
        rules over the whole set (a rule set loaded with ``corpus=True``).
        """
        return self.evaluator.evaluate(cases, as_of or dt.date.today(), effective_date, recurrence)

    @cached_property
    def evaluator(self) -> Evaluator:
        """The evaluation fast path of this rule set (engine.evaluate), built on first use."""
        return Evaluator(self.statements, self.profile, self.sha256, lambda filename: self.relative(filename))

    @cached_property
    def tracer(self) -> Tracer:
        """The recording rules of engine.trace for this rule set, built once."""
        return Tracer(self)

    def prepare(self) -> None:
        """The evaluation and the tracing of many cases made ready now, not at a first call that needs
        them: the compiled facts-only part and the vectorised dated part of both (engine.compiled,
        engine.dated; what cannot be, its reason kept). A server does this before it forks its workers:
        they share what is built, and a request about one case takes the compiled path — no grounding,
        no clingo symbol made for it (a call of a few cases otherwise grounds while nothing is built)."""
        for part in (self.evaluator, self.tracer):
            _ = part.compiled, part.dated  # cached properties: built here once

    def citations(self) -> Iterator[Citation]:
        """Every statement that names a clause id, with its file and line."""
        for statement in self.statements:
            if statement.ast_type != ast.ASTType.Rule:
                continue
            head = _head_name(statement.head)
            loc = statement.location.begin
            rel = self.relative(loc.filename)
            for const in sorted(clause_constants(statement)):
                yield Citation(clause_id(const), rel, loc.line, head)

    def static_atoms(self, name: str, arity: int) -> list[tuple]:
        """Atoms the rules derive without any case (tables such as not_computable/2)."""
        ctl = self.control()
        ground(ctl)
        return sorted(
            tuple(value(a) for a in atom.symbol.arguments) for atom in ctl.symbolic_atoms.by_signature(name, arity)
        )

    def relative(self, filename: str) -> str:
        """A rule file's path as messages name it: relative to the rule base when inside it."""
        return relative(self.root, Path(filename))


def parse(files: Sequence[Path], root: Path, *, trusted: bool = False) -> tuple[ast.AST, ...]:
    """Rule files as clingo AST statements, refused when untrusted and unsafe (#script, #include from outside)."""
    if not files:
        return ()
    if not trusted:
        _check_includes(files, root.resolve())
    statements: list[ast.AST] = []
    try:
        ast.parse_files([str(f) for f in files], statements.append)
    except RuntimeError as e:
        raise RuleError("errors.rules_do_not_parse", root=str(root), detail=str(e)) from None
    if not trusted:
        _refuse_untrusted(root.resolve(), statements)
    return tuple(statements)


_INCLUDE = re.compile(r'#include\s*(?:"([^"]*)"|<([^>]*)>)\s*\.')
MAX_RULE_FILE = 2_000_000  # bytes of one rule file
MAX_NESTING = 64  # brackets inside brackets (100,000 crashed the parser and the AST walks)


def _nesting(text: str) -> int:
    """The deepest bracket nesting of a rule file's text (comments and strings counted too: stricter)."""
    depth = deepest = 0
    for c in text:
        if c in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif c in ")}]":
            depth -= 1
    return deepest


def _check_includes(files: Sequence[Path], root: Path) -> None:
    """Every file the rules would read, found before clingo reads any: regular files inside the rule base,
    of a bounded size (a FIFO or a device would hang the parser, a file outside leaks or steers it).
    The directive is found by its text, so one inside a comment is checked too: harmless, stricter."""
    pending, seen = [Path(f) for f in files], set()
    while pending:
        path = pending.pop()
        resolved = path.resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        if not resolved.is_relative_to(root):
            raise RuleError("errors.rules_outside", path=str(path), root=str(root))
        if not resolved.is_file() or resolved.stat().st_size > MAX_RULE_FILE:
            raise RuleError("errors.not_rule_file", path=str(path), max=MAX_RULE_FILE)
        text = resolved.read_text(encoding="utf-8", errors="replace")
        if _nesting(text) > MAX_NESTING:
            raise RuleError("errors.rules_too_deep", path=str(path), max=MAX_NESTING)
        for quoted, library in _INCLUDE.findall(text):
            if library:
                raise RuleError("errors.rules_library", path=str(path), library=library)
            pending.append(resolved.parent / quoted)


def _refuse_untrusted(root: Path, statements: list[ast.AST]) -> None:
    for path in sorted(_files(statements)):
        if not path.is_relative_to(root):
            raise RuleError("errors.rules_outside", path=str(path), root=str(root))
    for s in statements:
        if s.ast_type == ast.ASTType.Script:
            raise RuleError("errors.rules_script", where=f"{s.location.begin.filename}:{s.location.begin.line}")


def _files(statements: Sequence[ast.AST]) -> set[Path]:
    """The files the statements come from, resolved: each file once, not each statement (~35 µs a resolve)."""
    return {Path(name).resolve() for name in {s.location.begin.filename for s in statements}}


def _check_shown(root: Path, statements: Sequence[ast.AST]) -> None:
    """The rules show only what engine.read reads (SHOWN, with those arities): anything else shown
    would be read as a case's atom. (A rule base may show less: what it does not show reads as absent.)"""
    shown = {(s.name, s.arity) for s in statements if s.ast_type == ast.ASTType.ShowSignature and s.positive}
    if extra := shown - set(SHOWN.items()):
        listed = ", ".join(f"{n}/{a}" for n, a in sorted(extra))
        expected = ", ".join(f"{n}/{a}" for n, a in SHOWN.items())
        raise RuleError("errors.rules_show", root=str(root), listed=listed, expected=expected)


def _check_case_local(root: Path, statements: Sequence[ast.AST]) -> None:
    """Refuse a rule that reads another case's atoms: many cases share one grounding, so it would let
    one case change another's answer. The corpus rules (a18) are over many cases by design."""
    corpus = root / "corpus"
    own = [s for s in statements if not Path(s.location.begin.filename).is_relative_to(corpus)]
    for rule, cases in not_case_local(own):
        where = f"{relative(root, Path(rule.location.begin.filename))}:{rule.location.begin.line}"
        raise RuleError("errors.rules_not_case_local", where=where, cases=str(cases))


def provenance(root: Path, used: set[Path]) -> Provenance:
    """What decides a rule set's answers: the files loaded, the vocabulary the engine reads, the
    calendar, the engine. Content, not location: a copy of the rule base hashes the same."""
    import clingo

    from .. import __version__
    from ..model import calendar
    from ..model import vocabulary as vocab

    files = [
        Covered(_kind(rel), rel, hashlib.sha256(path.read_bytes()).hexdigest())
        for rel, path in sorted((relative(root, p), p) for p in used)
    ]
    words = vocab.source()
    files.append(Covered("vocabulary", words.name, hashlib.sha256(words.read_bytes()).hexdigest()))
    years = f"{calendar.FIRST.year}–{calendar.LAST.year}"
    engine = f"rongcuo {__version__}, clingo {clingo.__version__}"
    return Provenance(tuple(files), calendar.version(), calendar.data_sha256(), years, engine)


def _kind(rel: str) -> str:
    for prefix, kind in (
        ("rules/_mechanism/", "mechanism"),
        ("rules/", "rule"),
        ("readings/", "reading"),
        ("profiles/", "profile"),
        ("corpus/", "corpus"),
    ):
        if rel.startswith(prefix):
            return kind
    return "other"


def relative(root: Path, path: Path) -> str:
    path = path.resolve()
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _head_name(head: ast.AST) -> str:
    atom = getattr(head, "atom", None)
    symbol = getattr(atom, "symbol", None)
    return getattr(symbol, "name", "") or str(head).split("(")[0]
