"""The lexicon: phrasings, negation cues, hedges and blocking words, as data.

The bundled lexicon is extract/lexicon.yaml; ``Lexicon.load(path)`` reads another.
Phrasings are literal text where "…" is a bounded gap inside one sentence; they
are compiled here once, so adding a phrasing never needs a code change.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ..model import vocabulary as vocab
from ..model.case import CaseError

GAP_MARK = "…"
DATE_MARK = "{date}"
DATE_SLOT = "\ue000"  # a date in a masked sentence (private-use character: never in real text)
_NOT_IN_GAP = "。！？；!?;\n" + DATE_SLOT


@dataclass(frozen=True)
class FactPatterns:
    establish: tuple[re.Pattern, ...]
    deny: tuple[re.Pattern, ...]
    block: tuple[str, ...]
    reach: int  # how far before a phrasing a negation cue may stand, in characters


@dataclass(frozen=True)
class Lexicon:
    source: str
    digest: str
    cues: tuple[str, ...]
    breaks: tuple[str, ...]
    hedges: tuple[str, ...]
    block: tuple[str, ...]
    facts: dict[str, FactPatterns]
    dates: tuple[tuple[str, tuple[re.Pattern, ...]], ...]

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """The bundled lexicon, or the one at ``path``; a CaseError names what is wrong."""
        source = str(path) if path else "lexicon.yaml (bundled)"
        try:
            raw = path.read_bytes() if path else files("rongcuo").joinpath("extract/lexicon.yaml").read_bytes()
            data = yaml.safe_load(raw.decode("utf-8"))
        except (OSError, UnicodeDecodeError) as e:
            raise CaseError(source, "(file)", f"cannot read: {e}") from None
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark else "(file)"
            raise CaseError(source, where, f"not well-formed YAML: {getattr(e, 'problem', None) or e}") from None
        return _build(source, hashlib.sha256(raw).hexdigest()[:16], data)

    def words(self) -> tuple[str, ...]:
        """Words the segmenter must keep whole: the negation cues and the contrast words."""
        return self.cues + self.breaks


def _build(source: str, digest: str, data: Any) -> Lexicon:
    section = _Reader(source, data)
    negation = _Reader(source, section.mapping("negation"), "negation")
    reach = negation.number("reach")
    return Lexicon(
        source=source,
        digest=digest,
        cues=negation.words("cues"),
        breaks=negation.words("breaks"),
        hedges=section.words("hedges"),
        block=section.words("block"),
        facts=_facts(source, section.mapping("facts"), section.number("gap"), reach),
        dates=_dates(source, section.mapping("dates"), section.number("date_gap")),
    )


def _facts(source: str, data: dict, gap: int, reach: int) -> dict[str, FactPatterns]:
    known = vocab.fact_ids()
    out = {}
    for fact, entry in data.items():
        if fact not in known:
            hint = vocab.did_you_mean(str(fact), known, "see `rongcuo vocabulary`")
            raise CaseError(source, f"facts.{fact}", f"unknown fact id — {hint}")
        reader = _Reader(source, entry or {}, f"facts.{fact}", allowed=("establish", "deny", "block", "reach"))
        out[fact] = FactPatterns(
            establish=tuple(compile_phrase(p, gap) for p in reader.words("establish")),
            deny=tuple(compile_phrase(p, gap) for p in reader.words("deny", required=False)),
            block=reader.words("block", required=False),
            reach=reader.number("reach") if "reach" in reader.data else reach,
        )
    return out


def _dates(source: str, data: dict, gap: int) -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    keys = vocab.date_keys()
    out = []
    for key, phrases in data.items():
        if key not in keys:
            hint = vocab.did_you_mean(str(key), keys, "use one of " + ", ".join(keys))
            raise CaseError(source, f"dates.{key}", f"unknown date key — {hint}")
        reader = _Reader(source, {key: phrases}, "dates")
        patterns = reader.words(key)
        if any(p.count(DATE_MARK) != 1 for p in patterns):
            raise CaseError(source, f"dates.{key}", f"every phrasing needs exactly one {DATE_MARK}")
        out.append((key, tuple(compile_phrase(p, gap) for p in patterns)))
    return tuple(out)


def compile_phrase(phrase: str, gap: int) -> re.Pattern:
    """'隐瞒…情况' → a regex: the literal parts, with at most ``gap`` characters of one sentence between them."""
    between = f"[^{re.escape(_NOT_IN_GAP)}]{{0,{gap}}}?"
    parts = [re.escape(part).replace(re.escape(DATE_MARK), f"({DATE_SLOT})") for part in phrase.split(GAP_MARK)]
    return re.compile(between.join(parts))


class _Reader:
    """Typed access to one mapping of the lexicon, with errors that name the field."""

    def __init__(self, source: str, data: Any, where: str = "", allowed: tuple[str, ...] | None = None):
        self.source, self.where = source, where
        if not isinstance(data, dict):
            raise CaseError(source, where or "(lexicon)", "must be a mapping")
        extra = set(data) - set(allowed or data)
        if extra:
            raise CaseError(source, self._at(sorted(extra)[0]), f"not a lexicon field — use {', '.join(allowed or ())}")
        self.data = data

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def mapping(self, key: str) -> dict:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise CaseError(self.source, self._at(key), "required mapping — see the bundled extract/lexicon.yaml")
        return value

    def number(self, key: str) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CaseError(self.source, self._at(key), f"{value!r} is not a whole number of characters")
        return value

    def words(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self.data.get(key, None if required else [])
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip(GAP_MARK) for w in value):
            raise CaseError(self.source, self._at(key), "must be a list of non-empty phrasings")
        if required and not value:
            raise CaseError(self.source, self._at(key), "needs at least one phrasing")
        return tuple(value)
