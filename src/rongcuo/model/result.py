"""What an evaluation returns: a case's disposition, outcomes, consequences and defeated grounds.

Pure data, read by the engine from the solver's answer (engine.read); no clingo here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .shapes import ResultJSON


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
    disposition_modality: str | None = None  # the modality the rules give the disposition
    outcomes: tuple[Outcome, ...] = ()
    consequences: tuple[Consequence, ...] = ()
    defeated: tuple[Defeat, ...] = ()
    contradictions: tuple[tuple[str, str], ...] = ()
    rules_sha256: str = ""  # the full sha256 of the rule set (``rules`` is its short form): rongcuo rules show
    # Under a timeline (--timeline): the version applied, why (Q12, readings/q12_*.lp), and the versions
    # consulted with the disposition each gives (both, when the conduct and determination dates differ in version).
    version: str | None = None
    version_reason: str | None = None
    versions_consulted: tuple[tuple[str, str], ...] = ()

    def outcome(self, name: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.outcome == name), None)

    def to_json(self, parts: tuple | None = None) -> ResultJSON:
        """The result as JSON; ``parts``: its outcomes, consequences and defeated grounds already
        serialised (orjson.Fragment), as a batch gives the cases that share them."""
        out = self._json(parts or self.parts())
        if self.version is not None or self.version_reason is not None:
            out["version"] = self.version
            out["version_reason"] = self.version_reason
            out["versions_consulted"] = [{"version": v, "disposition": d} for v, d in self.versions_consulted]
        return out

    def parts(self) -> tuple[list, list, list]:
        """The outcomes, consequences and defeated grounds as JSON."""
        return (
            [
                {"outcome": o.outcome, "modality": o.modality, "grounds": list(o.grounds), "catch_all": o.catch_all}
                for o in self.outcomes
            ],
            [
                {"consequence": c.consequence, "args": list(c.args), "grounds": list(c.grounds)}
                for c in self.consequences
            ],
            [{"outcome": d.outcome, "grounds": list(d.grounds), "blocked_by": d.blocked_by} for d in self.defeated],
        )

    def _json(self, parts: tuple) -> ResultJSON:
        outcomes, consequences, defeated = parts
        return {
            "case": self.case,
            "profile": self.profile,
            "rules": self.rules,
            "as_of": self.as_of,
            "disposition": self.disposition,
            "disposition_modality": self.disposition_modality,
            "outcomes": outcomes,
            "consequences": consequences,
            "defeated": defeated,
            "rules_sha256": self.rules_sha256,  # the full hash: rongcuo rules show resolves it
        }
