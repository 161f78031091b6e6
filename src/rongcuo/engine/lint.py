"""Rule lint at load, before any solving: what a drafter most likely mistyped or left unlabelled.

One finding a line, ``file:line: …``:

- a fact id the vocabulary does not have (``fact(C, cooperated_with_inquiry)``), with a did-you-mean;
- a predicate a rule reads that no rule derives, the input does not bring and nothing shows;
- a clause id cited — in an atom (``a12_p9_i9``) or in a ``[a12.p1.i2]`` comment — that the measure lacks;
- an outcome or a consequence the vocabulary has no zh/en labels for (shown by its id).

Only the first is an *error*: a misspelt fact id never holds, so the rule silently never fires;
``evaluate`` refuses it unless ``--trust``. The others are warnings.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from clingo import ast

from ..model import measure
from ..model import vocabulary as vocab
from .inputs import INPUT
from .program import RuleSet, relative
from .syntax import signatures, survey

COMMENT_CLAUSE = re.compile(r"%.*?\[(a\d+(?:\.p\d+(?:\.i\d+)?)?)\]")
# Read from the engine's own programs, not derived by a rule file: the scenario space and the switches;
# the timeline layer (engine/timeline.lp), which the Q12 readings read.
PROVIDED = {
    ("_date_key", 1),
    ("_day", 1),
    ("_window", 1),
    ("_calendar", 3),
    ("version_at", 3),
    ("version_disposition", 3),
}


@dataclass(frozen=True, order=True)
class Finding:
    where: str  # file:line
    kind: str  # unknown_fact | undefined | unknown_clause | unlabelled
    code: str  # its words: a key of present/messages/errors.yaml
    values: tuple[tuple[str, str], ...] = ()

    @property
    def error(self) -> bool:
        return self.kind == "unknown_fact"

    @property
    def message(self) -> str:
        return self.reason("en")

    def reason(self, lang: str) -> str:
        from ..model.coded import render

        return render(self.code, lang, dict(self.values))

    def text(self, lang: str = "en") -> str:
        from ..model.coded import render

        level = render("errors.lint_error" if self.error else "errors.lint_warning", lang, {})
        return f"{self.where}: {level}: {self.reason(lang)}"

    def __str__(self) -> str:
        return self.text("en")


def lint(rules: RuleSet, extra: tuple[ast.AST, ...] = ()) -> list[Finding]:
    """The findings of a rule set (and of statements beside it, such as the drafters' checks)."""
    statements = [*rules.statements, *extra]
    facts = set(vocab.fact_ids())
    clauses = measure.clauses()
    vocabulary = vocab.vocabulary()
    outcomes, consequences = set(vocabulary["outcomes"]), set(vocabulary.get("consequences", {}))
    found: set[Finding] = set()
    # Each rule's head and body literals surveyed once: their atoms and the clause constants they name.
    surveyed = [
        (s, survey(s.head), [survey(lit) for lit in s.body]) for s in statements if s.ast_type == ast.ASTType.Rule
    ]
    defined = _defined(statements) | {(name, len(args)) for _, (heads, _), _ in surveyed for name, args in heads}

    def where(s: ast.AST) -> str:
        loc = s.location.begin
        return f"{relative(rules.root, Path(loc.filename))}:{loc.line}"

    for s, (heads, cited), body in surveyed:
        for name, args in [*heads, *(atom for atoms, _ in body for atom in atoms)]:
            if name == "fact" and len(args) == 2 and (fact := _constant(args[1])) and fact not in facts:
                close = difflib.get_close_matches(fact, facts, n=1)
                code = "errors.lint_unknown_fact_close" if close else "errors.lint_unknown_fact"
                values = (("fact", repr(fact)), ("close", repr(close[0]) if close else ""))
                found.add(Finding(where(s), "unknown_fact", code, values))
        for atoms, _ in body:
            for sig in {(name, len(args)) for name, args in atoms} - defined:
                found.add(Finding(where(s), "undefined", "errors.lint_undefined", (("sig", f"{sig[0]}/{sig[1]}"),)))
        for constant in cited.union(*(constants for _, constants in body)):
            clause = constant.replace("_", ".")
            if clause not in clauses:
                found.add(Finding(where(s), "unknown_clause", "errors.lint_unknown_clause", (("clause", clause),)))
        for name, args in heads:
            if name in ("grant", "outcome") and len(args) >= 2 and (o := _constant(args[1])) and o not in outcomes:
                found.add(Finding(where(s), "unlabelled", "errors.lint_unlabelled_outcome", (("name", repr(o)),)))
            if name == "consequence" and len(args) == 3 and (c := _name(args[1])) and c not in consequences:
                named = (("name", repr(c)),)
                found.add(Finding(where(s), "unlabelled", "errors.lint_unlabelled_consequence", named))
    for file in rules.files:
        for number, line in enumerate(_lines(file), 1):
            for m in COMMENT_CLAUSE.finditer(line):
                if m[1] not in clauses:
                    at = f"{relative(rules.root, file)}:{number}"
                    found.add(Finding(at, "unknown_clause", "errors.lint_comment_clause", (("clause", m[1]),)))
    return sorted(found, key=lambda f: (not f.error, f.where, f.code, f.values))


def _defined(statements: list[ast.AST]) -> set[tuple[str, int]]:
    """What the input, the engine, externals, #defined and #show make known (rule heads aside)."""
    defined = set(INPUT) | PROVIDED
    for s in statements:
        if s.ast_type in (ast.ASTType.External, ast.ASTType.Defined):
            defined |= set(signatures(s)) if s.ast_type == ast.ASTType.External else {(s.name, s.arity)}
        elif s.ast_type == ast.ASTType.ShowSignature:
            defined.add((s.name, s.arity))
    return defined


def _lines(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _constant(term: ast.AST) -> str | None:
    if term.ast_type == ast.ASTType.SymbolicTerm and term.symbol.type.name == "Function" and not term.symbol.arguments:
        return term.symbol.name
    if term.ast_type == ast.ASTType.Function and not term.arguments:
        return term.name
    return None


def _name(term: ast.AST) -> str | None:
    """The name of a consequence term: notification_due(day(D)) → notification_due."""
    if term.ast_type == ast.ASTType.Function:
        return term.name
    return _constant(term)
