"""The fact vocabulary (the input contract) and the labels of all derived names."""

from __future__ import annotations

import difflib
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .measure import root


def source() -> Path:
    """The vocabulary file the engine reads (the measure folder's): rule-set hashes cover it."""
    return root() / "vocabulary.yaml"


@cache
def vocabulary() -> dict[str, Any]:
    text = source().read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # the C loader: ~9x faster


def fact_ids() -> list[str]:
    return list(vocabulary()["facts"])


# What a fact is, for what-if: what happened (the counterparty's deception, a major loss), what is still to be
# found out (whether the law prohibited it), or what the officer or the bureau can still do (remedy, cooperate).
HISTORICAL, INVESTIGABLE, ACTIONABLE = "historical", "investigable", "actionable"
FACT_KINDS = (HISTORICAL, INVESTIGABLE, ACTIONABLE)


def fact_kind(fact: str) -> str:
    """The fact's ``kind:`` in the vocabulary (one of FACT_KINDS)."""
    return vocabulary()["facts"][fact]["kind"]


def facts_of_kind(kind: str) -> list[str]:
    return [f for f, entry in vocabulary()["facts"].items() if entry["kind"] == kind]


def date_keys() -> list[str]:
    return list(vocabulary()["dates"])


def outcome_names() -> list[str]:
    """The six outcomes in priority order."""
    return list(vocabulary()["outcomes"])


def label(kind: str, name: str, lang: str = "zh") -> str:
    """Label of a fact, date, outcome, modality, consequence or group."""
    entry = vocabulary()[kind].get(name)
    return entry[lang] if entry else name


def did_you_mean(word: str, choices: list[str], otherwise: str) -> str:
    """A fix for a misspelt name: the closest choice, or where to look."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"did you mean {close[0]}?" if close else otherwise
