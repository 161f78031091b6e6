"""The fact vocabulary (the input contract) and the labels of all derived names."""

from __future__ import annotations

import difflib
from functools import cache
from typing import Any

import yaml

from .measure import root


@cache
def vocabulary() -> dict[str, Any]:
    text = (root() / "vocabulary.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # the C loader: ~9x faster


def fact_ids() -> list[str]:
    return list(vocabulary()["facts"])


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
