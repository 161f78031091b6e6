"""An extracted case as a case file: the mapping, its validation, its YAML.

The record goes through ``parse_case`` like any case file, so a proposal that
the case schema would refuse is never written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ..model import vocabulary as vocab
from ..model.case import Case, parse_case
from .lexicon import Lexicon
from .propose import Mention, Proposal
from .segment import Span


def _evidence(narrative: str, span: Span) -> dict[str, Any]:
    return {"text": narrative[span.start : span.end], "start": span.start, "end": span.end, "needs_confirmation": True}


def _fact_evidence(narrative: str, mention: Mention) -> dict[str, Any]:
    out = _evidence(narrative, mention.sentence)
    if mention.source != "pattern":
        out["source"] = mention.source
    if mention.support:
        out["support"] = mention.support
    return out


def _candidate(narrative: str, mention: Mention) -> dict[str, Any]:
    return {"fact": mention.fact, "score": round(mention.score, 3), "reason": mention.reason} | _fact_evidence(
        narrative, mention
    )


def case_record(case_id: str, proposal: Proposal, source: Path, encoding: str, lexicon: Lexicon) -> dict[str, Any]:
    """The proposed case as a case-file mapping: facts, dates, the narrative, and where each was read."""
    text = proposal.narrative
    record: dict[str, Any] = {"id": case_id}
    if proposal.title:
        record["title"] = proposal.title
    record["facts"] = {f: m.value for f, m in proposal.facts.items()}
    record["dates"] = {k: d.value for k, d in _in_key_order(proposal.dates).items()}
    record["narrative"] = text
    record["evidence"] = {f: _fact_evidence(text, m) for f, m in proposal.facts.items()}
    record["extraction"] = {
        "source": str(source),
        "encoding": encoding,
        "lexicon": lexicon.digest,
        "dates": {k: _evidence(text, s) for k, s in _in_key_order(proposal.date_evidence).items()},
        "candidates": [_candidate(text, m) for m in proposal.candidates],
    }
    return record


def _in_key_order(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: mapping[k] for k in vocab.date_keys() if k in mapping}


def to_case(record: dict[str, Any], source: str) -> Case:
    """The record through the normal case path: the same validation as any case file."""
    return parse_case(record, source)


class _Dumper(yaml.SafeDumper):
    """Block style for the narrative, so the case file reads like the document."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _text)


def dump(record: dict[str, Any]) -> str:
    """The case file text; the narrative last, as it is the longest."""
    ordered = {k: record[k] for k in record if k != "narrative"} | {"narrative": record["narrative"]}
    return yaml.dump(ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)
