"""Scoring extraction against a labelled set: NAME.txt (narrative) beside NAME.yaml (the true case).

Per fact: a true positive is a fact labelled true and extracted true; unknown
counts as not extracted. The disposition agreement evaluates the labelled and
the extracted case with the same rule set (unknown facts are then false, as in
any closed-world evaluation). Recall@10 is the share of labelled-true facts
among each narrative's ranked candidates (at most 10). The time is the mean
extraction time per narrative once the segmenter and the bank are loaded.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import ask as asking
from ..ask import Answer, Ask, Rejected
from ..engine import RuleSet
from ..model import vocabulary as vocab
from ..model.case import Case, CaseError
from ..model.files import load_case
from .casefile import case_record, to_case
from .lexicon import Lexicon
from .propose import TOP, propose
from .source import narrative_files, read_narrative

REJECTED = "rejected"  # the disposition slot of a case the rules reject (contradictory facts), as diff names it


if TYPE_CHECKING:
    from .semantic import Bank

WARM_UP = "2024年3月5日，执法人员王某对某超市开展检查，未造成重大损失。"


@dataclass(frozen=True)
class Labelled:
    narrative: Path
    truth: Case
    extracted: Case
    seconds: float = 0.0


@dataclass(frozen=True)
class Score:
    name: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(frozen=True)
class Disagreement:
    case: str
    expected: str
    got: str
    missed: list[str]
    spurious: list[str]


@dataclass(frozen=True)
class Evaluation:
    folder: str
    lexicon: str
    profile: str
    rules: str
    cases: int
    facts: list[Score]
    micro: Score
    dates: list[Score]
    negations: dict[str, int]  # labelled-false facts by what extraction said: false, unknown, true, silent
    unknown: int
    agreed: int
    disagreements: list[Disagreement]
    candidates: Score  # labelled-true facts among the ranked candidates (tp) or not (fn)
    seconds: float  # mean extraction time per narrative, after warm-up

    @property
    def recall_at(self) -> float:
        return self.candidates.recall

    @property
    def top(self) -> int:
        return TOP

    @property
    def agreement(self) -> float:
        return self.agreed / self.cases if self.cases else 1.0

    def worst(self, n: int = 5) -> list[Score]:
        scored = [s for s in self.facts if s.tp + s.fp + s.fn]
        return sorted(scored, key=lambda s: (min(s.precision, s.recall), s.name))[:n]


def load_labelled(folder: Path, lexicon: Lexicon, bank: Bank | None = None) -> list[Labelled]:
    """Every narrative under the folder, with its label file and its extracted case."""
    items = []
    propose(WARM_UP, lexicon, bank)  # the segmenter's dictionary and the bank load once, outside the timing
    for path in narrative_files([folder]):
        label = path.with_suffix(".yaml")
        if not label.is_file():
            raise CaseError(str(path), "(label)", "errors.no_label_file", name=label.name)
        text, encoding = read_narrative(path)
        started = time.perf_counter()
        proposal = propose(text.strip(), lexicon, bank)
        seconds = time.perf_counter() - started
        record = case_record(path.stem, proposal, path, encoding, lexicon)
        items.append(Labelled(path, load_case(label), to_case(record, str(path)), seconds))
    return items


def evaluate(
    folder: Path, items: Sequence[Labelled], rules: RuleSet, lexicon: Lexicon, as_of: dt.date | None = None
) -> Evaluation:
    facts = [
        _score(f, [(i.truth.facts.get(f) is True, i.extracted.facts.get(f) is True) for i in items])
        for f in vocab.fact_ids()
    ]
    micro = Score("micro", *(sum(getattr(s, k) for s in facts) for k in ("tp", "fp", "fn")))
    results = asking.evaluate(
        Ask(rules, as_of, open_world=False), [i.truth for i in items] + [i.extracted for i in items]
    )
    truth, got = results[: len(items)], results[len(items) :]
    disagreements = [
        _disagreement(i, t, g) for i, t, g in zip(items, truth, got, strict=True) if _disposition(t) != _disposition(g)
    ]
    return Evaluation(
        folder=str(folder),
        lexicon=lexicon.digest,
        profile=rules.profile,
        rules=rules.digest,
        cases=len(items),
        facts=facts,
        micro=micro,
        dates=[_date_score(k, items) for k in vocab.date_keys()],
        negations=_negations(items),
        unknown=sum(len(i.extracted.unknown_facts()) for i in items),
        agreed=len(items) - len(disagreements),
        disagreements=disagreements,
        candidates=_candidates(items),
        seconds=sum(i.seconds for i in items) / len(items) if items else 0.0,
    )


def _candidates(items: Sequence[Labelled]) -> Score:
    found = missed = 0
    for item in items:
        listed = {c.fact for c in item.extracted.extraction.candidates} if item.extracted.extraction else set()
        true = set(item.truth.true_facts())
        found, missed = found + len(true & listed), missed + len(true - listed)
    return Score("candidates", found, 0, missed)


def _score(name: str, pairs: list[tuple[bool, bool]]) -> Score:
    return Score(
        name, sum(t and g for t, g in pairs), sum(g and not t for t, g in pairs), sum(t and not g for t, g in pairs)
    )


def _date_score(key: str, items: Sequence[Labelled]) -> Score:
    pairs = [(i.truth.dates.get(key), i.extracted.dates.get(key)) for i in items]
    return Score(
        key,
        sum(t is not None and t == g for t, g in pairs),
        sum(g is not None and t != g for t, g in pairs),
        sum(t is not None and t != g for t, g in pairs),
    )


def _negations(items: Sequence[Labelled]) -> dict[str, int]:
    said = {False: "false", "unknown": "unknown", True: "true", None: "silent"}
    counts = dict.fromkeys(said.values(), 0)
    for item in items:
        for fact, value in item.truth.facts.items():
            if value is False:
                counts[said[item.extracted.facts.get(fact)]] += 1
    return counts


def _disposition(answer: Answer) -> str:
    return REJECTED if isinstance(answer, Rejected) else answer.result.disposition or "none"


def _disagreement(item: Labelled, truth: Answer, got: Answer) -> Disagreement:
    true, extracted = set(item.truth.true_facts()), set(item.extracted.true_facts())
    return Disagreement(
        item.truth.id, _disposition(truth), _disposition(got), sorted(true - extracted), sorted(extracted - true)
    )
