"""The lexicon: phrasings, negation cues, hedges and blocking words, as data.

The bundled lexicon is extract/lexicon.yaml; ``Lexicon.load(path)`` reads another.
Phrasings are literal text where "…" is a bounded gap inside one sentence and a
space a small one (a particle, an adverb: 立即 撤销 also reads 立即予以撤销). A word
of a synonym class (`synonyms`) stands for every word of its class, with a small
gap after it: 立即撤销 also reads 当即撤销, 随即将…撤销. Phrasings are compiled here
once, so adding a phrasing or a synonym never needs a code change.

Beyond the per-fact phrasings the lexicon holds the mood cues (担心, 扬言, 如…将:
what follows them in the sentence is not a finding), the copular negations whose
scope is the head of a 的-phrase (不属于执法大队的工作范围), the speech cues that make
a quotation someone else's words (举报称“…”, 当事人辩称“…”), and the cross-sentence
rules (``rules``): steps that must be read in order within a few sentences.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..model import vocabulary as vocab
from ..model.case import CaseError
from ..model.coded import ids, msg, os_reason, suggest
from ..model.decode import DecodeError, decode_yaml

GAP_MARK = "…"
DATE_MARK = "{date}"
DATE_SLOT = "\ue000"  # a date in a masked sentence (private-use character: never in real text)
_NOT_IN_GAP = "。！？；!?;\n" + DATE_SLOT
SMALL_MARK = " "


@dataclass(frozen=True)
class FactPatterns:
    establish: tuple[re.Pattern, ...]
    deny: tuple[re.Pattern, ...]
    block: tuple[str, ...]
    reach: int  # how far before a phrasing a negation cue may stand, in characters


@dataclass(frozen=True)
class Rule:
    """A fact read from several statements: each step's phrasings, in order, within ``window`` sentences."""

    fact: str
    name: str
    steps: tuple[tuple[re.Pattern, ...], ...]
    window: int
    unless: tuple[str, ...]  # facts whose own mention (true) keeps the rule from firing
    propose: bool  # True: a proposed fact; False: a ranked candidate only


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
    mood: tuple[re.Pattern, ...] = ()
    copulas: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()  # words a cue right before them negates alone (未署名举报信)
    rules: tuple[Rule, ...] = ()
    reach: int = 12  # negation.reach
    speech: tuple[str, ...] = ()  # quotation.speech: 称, 辩称… before a quotation mark: someone else's words
    records: tuple[str, ...] = ()  # quotation.records: 载明, 简称… before one: a record or a term, not speech

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """The bundled lexicon, or the one at ``path``; a CaseError names what is wrong."""
        source = str(path) if path else "lexicon.yaml"
        try:
            raw = path.read_bytes() if path else files("rongcuo").joinpath("extract/lexicon.yaml").read_bytes()
            data = decode_yaml(raw.decode("utf-8"))  # the bounded loader case files have
        except (OSError, UnicodeDecodeError) as e:
            raise CaseError(source, "(file)", "errors.cannot_read", reason=os_reason(e)) from None
        except DecodeError as e:
            raise CaseError(source, e.where, e.code, **e.values) from None
        return _build(source, hashlib.sha256(raw).hexdigest()[:16], data)

    def words(self) -> tuple[str, ...]:
        """Words the segmenter must keep whole: the negation cues and the contrast words."""
        return self.cues + self.breaks + self.copulas


def _build(source: str, digest: str, data: Any) -> Lexicon:
    section = _Reader(source, data)
    negation = _Reader(source, section.mapping("negation"), "negation")
    reach = negation.number("reach")
    quotation = _Reader(source, section.data.get("quotation") or {}, "quotation", allowed=("speech", "records"))
    gap = section.number("gap")
    classes = _synonyms(source, section.data.get("synonyms") or {})
    small = section.number("small_gap") if "small_gap" in section.data else 2

    def compile_(phrase: str, reach: int = gap) -> re.Pattern:
        return compile_phrase(phrase, reach, classes, small)

    facts = _facts(source, section.mapping("facts"), compile_, reach)
    if section.data.get("labels", False) is True:
        facts = {f: _with_label(f, p, compile_) for f, p in facts.items()}
    return Lexicon(
        source=source,
        digest=digest,
        cues=negation.words("cues"),
        breaks=negation.words("breaks"),
        hedges=section.words("hedges"),
        block=section.words("block"),
        facts=facts,
        dates=_dates(source, section.mapping("dates"), lambda p: compile_(p, section.number("date_gap"))),
        mood=tuple(compile_(p) for p in section.words("mood", required=False)),
        copulas=negation.words("copulas", required=False),
        attributes=negation.words("attributes", required=False),
        rules=_rules(source, section.data.get("rules") or {}, compile_),
        reach=reach,
        speech=quotation.words("speech", required=False),
        records=quotation.words("records", required=False),
    )


def _with_label(fact: str, patterns: FactPatterns, compile_) -> FactPatterns:
    """The measure's own wording of the fact (its vocabulary label) as one more `establish` phrasing."""
    label = vocab.label("facts", fact, "zh")
    return FactPatterns(patterns.establish + (compile_(label),), patterns.deny, patterns.block, patterns.reach)


def _synonyms(source: str, data: Any) -> tuple[tuple[str, ...], ...]:
    """The synonym classes: each a tuple of words, longest first."""
    reader = _Reader(source, data, "synonyms")
    return tuple(tuple(sorted(reader.words(name), key=len, reverse=True)) for name in reader.data)


def _rules(source: str, data: Any, compile_) -> tuple[Rule, ...]:
    known = vocab.fact_ids()
    out = []
    for fact, entries in _Reader(source, data, "rules").data.items():
        if fact not in known:
            hint = suggest(str(fact), known, "facts", msg("errors.see_vocabulary"))
            raise CaseError(source, f"rules.{fact}", "errors.unknown_fact", hint=hint)
        if not isinstance(entries, list) or not entries:
            raise CaseError(source, f"rules.{fact}", "errors.lexicon_rules")
        for i, entry in enumerate(entries):
            where = f"rules.{fact}[{i}]"
            reader = _Reader(source, entry, where, allowed=("name", "steps", "window", "unless", "propose"))
            steps = reader.data.get("steps")
            if not isinstance(steps, list) or not steps:
                raise CaseError(source, f"{where}.steps", "errors.lexicon_steps")
            compiled = tuple(
                tuple(compile_(p) for p in _Reader(source, {"step": step}, f"{where}.steps[{j}]").words("step"))
                for j, step in enumerate(steps)
            )
            unless = reader.words("unless", required=False)
            if bad := [f for f in unless if f not in known]:
                raise CaseError(source, f"{where}.unless", "errors.unknown_fact_named", fact=repr(bad[0]))
            out.append(
                Rule(
                    fact=fact,
                    name=str(reader.data.get("name") or f"{fact}[{i}]"),
                    steps=compiled,
                    window=reader.number("window") if "window" in reader.data else 0,
                    unless=unless,
                    propose=bool(reader.data.get("propose", True)),
                )
            )
    return tuple(out)


def _facts(source: str, data: dict, compile_, reach: int) -> dict[str, FactPatterns]:
    known = vocab.fact_ids()
    out = {}
    for fact, entry in data.items():
        if fact not in known:
            hint = suggest(str(fact), known, "facts", msg("errors.see_vocabulary"))
            raise CaseError(source, f"facts.{fact}", "errors.unknown_fact", hint=hint)
        reader = _Reader(source, entry or {}, f"facts.{fact}", allowed=("establish", "deny", "block", "reach"))
        out[fact] = FactPatterns(
            establish=tuple(compile_(p) for p in reader.words("establish")),
            deny=tuple(compile_(p) for p in reader.words("deny", required=False)),
            block=reader.words("block", required=False),
            reach=reader.number("reach") if "reach" in reader.data else reach,
        )
    return out


def _dates(source: str, data: dict, compile_) -> tuple[tuple[str, tuple[re.Pattern, ...]], ...]:
    keys = vocab.date_keys()
    out = []
    for key, phrases in data.items():
        if key not in keys:
            hint = suggest(str(key), keys, "dates", msg("errors.use_one_of", choices=ids("dates", keys)))
            raise CaseError(source, f"dates.{key}", "errors.unknown_date_key", hint=hint)
        reader = _Reader(source, {key: phrases}, "dates")
        patterns = reader.words(key)
        if any(p.count(DATE_MARK) != 1 for p in patterns):
            raise CaseError(source, f"dates.{key}", "errors.lexicon_date_mark", mark=DATE_MARK)
        out.append((key, tuple(compile_(p) for p in patterns)))
    return tuple(out)


def compile_phrase(phrase: str, gap: int, classes: tuple[tuple[str, ...], ...] = (), small: int = 2) -> re.Pattern:
    """'隐瞒…情况' → a regex: the literal parts, with at most ``gap`` characters of one sentence between them.

    A space is a gap of at most ``small`` characters; a word of a synonym class matches any word of
    its class, and may be followed by a small gap (立即撤销 → 当即予以撤销).
    """
    between = f"[^{re.escape(_NOT_IN_GAP)}]{{0,{gap}}}?"
    little = f"[^{re.escape(_NOT_IN_GAP + CLAUSE_MARKS)}]{{0,{small}}}?"
    parts = [
        little.join(_literal(word, classes, little) for word in part.split(SMALL_MARK) if word)
        for part in phrase.split(GAP_MARK)
    ]
    return re.compile(between.join(parts))


CLAUSE_MARKS = "，,：:、"


def _literal(text: str, classes: tuple[tuple[str, ...], ...], little: str) -> str:
    """One word of a phrasing as a regex: synonyms become alternatives, {date} the date slot."""
    out, i = [], 0
    while i < len(text):
        if text.startswith(DATE_MARK, i):
            out.append(f"({DATE_SLOT})")
            i += len(DATE_MARK)
            continue
        member = max((w for group in classes for w in group if text.startswith(w, i)), key=len, default=None)
        if member is None:
            out.append(re.escape(text[i]))
            i += 1
            continue
        group = next(g for g in classes if member in g)
        i += len(member)
        out.append("(?:" + "|".join(re.escape(w) for w in group) + ")" + (little if i < len(text) else ""))
    return "".join(out)


class _Reader:
    """Typed access to one mapping of the lexicon, with errors that name the field."""

    def __init__(self, source: str, data: Any, where: str = "", allowed: tuple[str, ...] | None = None):
        self.source, self.where = source, where
        if not isinstance(data, dict):
            raise CaseError(source, where or "(lexicon)", "errors.must_be_mapping")
        extra = set(data) - set(allowed or data)
        if extra:
            raise CaseError(source, self._at(sorted(extra)[0]), "errors.lexicon_field", fields=list(allowed or ()))
        self.data = data

    def _at(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def mapping(self, key: str) -> dict:
        value = self.data.get(key)
        if not isinstance(value, dict):
            raise CaseError(self.source, self._at(key), "errors.lexicon_mapping")
        return value

    def number(self, key: str) -> int:
        value = self.data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise CaseError(self.source, self._at(key), "errors.lexicon_number", value=repr(value))
        return value

    def words(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self.data.get(key, None if required else [])
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip(GAP_MARK) for w in value):
            raise CaseError(self.source, self._at(key), "errors.lexicon_phrasings")
        if required and not value:
            raise CaseError(self.source, self._at(key), "errors.lexicon_no_phrasing")
        return tuple(value)
