"""The semantic layer: sentences near a bank of confirmed evidence sentences propose candidate facts.

The bank maps fact ids to sentences that state them: the measure's own wording
(the vocabulary labels), the evidence sentences confirmed on the project's
labelled narratives (extract/bank.yaml, built by ``python -m rongcuo.extract.semantic
DIR…``), and any bank file the analyst names (confirmed sentences in the bureau's
own wording: no code or lexicon edit). A sentence is a vector of weighted
character n-grams (1 to 3, tf-idf over the bank); its nearest bank sentences by
cosine similarity propose their facts when the similarity reaches the fact's
threshold, chosen on the labelled narratives by leave-one-narrative-out
cross-validation. Semantic proposals are never decided facts: they are ranked
candidates, ``source: semantic``, with the neighbour sentence that supports them,
always needing confirmation. Pure Python: no model download, no new dependency.
"""

from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from ..model import vocabulary as vocab
from ..model.case import CaseError
from ..model.coded import msg, os_reason
from ..model.decode import DecodeError, decode_yaml
from .propose import Mention
from .segment import Span

N = (1, 2, 3)
DEFAULT_THRESHOLD = 0.35
FLOOR = 0.2  # no threshold below this, whatever the cross-validation says
SCORE_BASE, SCORE_SPAN = 0.2, 0.45  # candidate score: base + span × similarity, below any decided mention
_SKIP = set("，。；：、！？,.;:!?“”\"'（）() \n\t0123456789")


def grams(text: str) -> Counter[str]:
    chars = "".join(c if c not in _SKIP else " " for c in text)
    out: Counter[str] = Counter()
    for piece in chars.split():
        for n in N:
            out.update(piece[i : i + n] for i in range(len(piece) - n + 1))
    return out


@dataclass(frozen=True)
class Entry:
    fact: str
    text: str
    origin: str  # measure | labelled | a bank file's path
    group: str = ""  # the narrative it was confirmed in: left out together in cross-validation


class Bank:
    """Bank sentences as tf-idf vectors, with an inverted index for the nearest-neighbour search."""

    def __init__(self, entries: list[Entry], thresholds: dict[str, float] | None = None):
        self.entries = entries
        self.thresholds = thresholds or {}
        df: Counter[str] = Counter()
        counts = [grams(e.text) for e in entries]
        for c in counts:
            df.update(c.keys())
        total = len(entries) + 1
        self.idf = {g: math.log(total / (1 + n)) + 1 for g, n in df.items()}
        self.index: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, c in enumerate(counts):
            for g, w in _unit(self._weights(c)).items():
                self.index[g].append((i, w))

    def _weights(self, counts: Counter[str]) -> dict[str, float]:
        return {g: (1 + math.log(n)) * self.idf[g] for g, n in counts.items() if g in self.idf}

    def similar(self, text: str, skip: str = "") -> dict[str, tuple[float, Entry]]:
        """Per fact: the best cosine similarity of a bank sentence (outside group ``skip``) and that sentence."""
        scores: dict[int, float] = defaultdict(float)
        for g, w in _unit(self._weights(grams(text))).items():
            for i, v in self.index.get(g, ()):
                scores[i] += w * v
        best: dict[str, tuple[float, Entry]] = {}
        for i, s in scores.items():
            entry = self.entries[i]
            if skip and entry.group == skip:
                continue
            if entry.fact not in best or s > best[entry.fact][0]:
                best[entry.fact] = (s, entry)
        return best

    def threshold(self, fact: str) -> float:
        return self.thresholds.get(fact, DEFAULT_THRESHOLD)

    def near(self, narrative: str, spans: list[Span], exclude: set[str]) -> list[Mention]:
        """Candidate facts of the narrative's sentences, each with its best sentence and bank neighbour."""
        best: dict[str, tuple[float, Span, Entry]] = {}
        for span in spans:
            for fact, (s, entry) in self.similar(narrative[span.start : span.end]).items():
                if fact in exclude or s < self.threshold(fact):
                    continue
                if fact not in best or s > best[fact][0]:
                    best[fact] = (s, span, entry)
        return [
            Mention(fact, "unknown", span, "semantic", "semantic", entry.text, SCORE_BASE + SCORE_SPAN * min(s, 1.0))
            for fact, (s, span, entry) in best.items()
        ]


def _unit(weights: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
    return {g: w / norm for g, w in weights.items()}


def load(extra: Iterable[Path] = ()) -> Bank:
    """The bundled bank (the measure's wording and the labelled narratives' evidence) and the named bank files."""
    raw = yaml.safe_load(files("rongcuo").joinpath("extract/bank.yaml").read_text(encoding="utf-8")) or {}
    entries = [Entry(f, vocab.label("facts", f, "zh"), "measure") for f in vocab.fact_ids()]
    entries += [Entry(e["fact"], e["text"], "labelled", e.get("case", "")) for e in raw.get("sentences", [])]
    for path in extra:
        entries += read_bank(path)
    return Bank(entries, {f: float(t) for f, t in (raw.get("thresholds") or {}).items()})


def read_bank(path: Path) -> list[Entry]:
    """A bank file: a mapping of fact id to the sentences that state it (confirmed by an analyst)."""
    if not path.is_file():
        return []
    try:
        data = decode_yaml(path.read_text(encoding="utf-8")) or {}  # the bounded loader case files have
    except (OSError, UnicodeDecodeError) as e:
        raise CaseError(str(path), "(file)", "errors.bank_unreadable", reason=os_reason(e)) from None
    except DecodeError as e:
        raise CaseError(str(path), e.where, e.code, **e.values) from None
    known = set(vocab.fact_ids())
    if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
        raise CaseError(str(path), "(file)", "errors.bank_shape")
    if bad := sorted(set(data) - known):
        raise CaseError(str(path), bad[0], "errors.unknown_fact", hint=msg("errors.see_vocabulary"))
    return [Entry(f, str(s), str(path)) for f, sentences in data.items() for s in sentences if str(s).strip()]


def add_to_bank(path: Path, fact: str, sentence: str) -> None:
    """One confirmed evidence sentence into a bank file (created if missing)."""
    data: dict[str, Any] = {}
    if path.is_file():
        data = decode_yaml(path.read_text(encoding="utf-8")) or {}
    sentences = data.setdefault(fact, [])
    if sentence not in sentences:
        sentences.append(sentence)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")


# Building the bundled bank -----------------------------------------------------------------------


def build(folders: list[Path]) -> dict[str, Any]:
    """Confirmed evidence sentences of labelled folders, and per-fact thresholds by leave-one-narrative-out."""
    from ..model.files import load_case
    from .lexicon import Lexicon
    from .propose import propose
    from .source import narrative_files, read_narrative

    lexicon = Lexicon.load()
    sentences, narratives = [], []
    for path in narrative_files(folders):
        text = read_narrative(path)[0].strip()
        truth = load_case(path.with_suffix(".yaml"))
        proposal = propose(text, lexicon)
        for fact, m in proposal.facts.items():
            if m.value is True and truth.facts.get(fact) is True and m.source == "pattern":
                sentences.append({"fact": fact, "case": path.stem, "text": text[m.sentence.start : m.sentence.end]})
        narratives.append((path.stem, text, truth, proposal))
    measure = [Entry(f, vocab.label("facts", f, "zh"), "measure") for f in vocab.fact_ids()]
    bank = Bank(measure + [Entry(s["fact"], s["text"], "labelled", s["case"]) for s in sentences])
    # Per narrative, the best similarity per fact with its own sentences left out; a fact's threshold is
    # the one that best separates the narratives that state it (labelled true) from the others, among
    # those where no phrasing decided it.
    seen: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    from .segment import sentences as cut

    for stem, text, truth, proposal in narratives:
        best: dict[str, float] = defaultdict(float)
        for span in cut(text):
            for fact, (s, _) in bank.similar(text[span.start : span.end], skip=stem).items():
                best[fact] = max(best[fact], s)
        for fact in vocab.fact_ids():
            if fact not in proposal.facts:
                seen[fact].append((best.get(fact, 0.0), truth.facts.get(fact) is True))
    thresholds = {f: round(_threshold(seen[f]), 3) for f in vocab.fact_ids()}
    return {"thresholds": thresholds, "sentences": sentences}


def _threshold(pairs: list[tuple[float, bool]]) -> float:
    """The cut with the best F1 (ties: the higher cut); no positives: above every negative."""
    positives = sum(t for _, t in pairs)
    if not positives:
        return max([FLOOR, *(s + 0.01 for s, _ in pairs)])
    best, cut = -1.0, DEFAULT_THRESHOLD
    for candidate in sorted({s for s, _ in pairs}, reverse=True):
        tp = sum(t for s, t in pairs if s >= candidate)
        fp = sum(not t for s, t in pairs if s >= candidate)
        f1 = 2 * tp / (tp + fp + positives)
        if f1 > best:
            best, cut = f1, candidate
    return max(FLOOR, cut)


def main(argv: list[str]) -> None:
    data = build([Path(a) for a in argv])
    header = (
        "# The semantic layer's bank (rongcuo.extract.semantic): evidence sentences confirmed on the labelled\n"
        "# narratives, and per-fact similarity thresholds by leave-one-narrative-out cross-validation.\n"
        "# Built, not edited: python -m rongcuo.extract.semantic cases/narratives/dev cases/narratives/holdout\n"
    )
    sys.stdout.write(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000))


if __name__ == "__main__":
    main(sys.argv[1:])
