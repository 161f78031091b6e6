"""The confirmation loop: an analyst accepts, rejects or corrects each proposed fact with its evidence.

``review`` walks a proposed case record — its decided facts, then its ranked
candidates not yet decided — and asks, for each, one of
  y  accept as proposed (a candidate: true)      n  reject (the fact is left out)
  t  set true                                     f  set false
  u  set unknown (left open for the evaluation)   s  skip (left as proposed; a candidate stays one)
Confirmed items lose ``needs_confirmation``; a fact confirmed true gives its
evidence sentence to the bank (``semantic.add_to_bank``), so the next extraction
ranks the bureau's own wording without a code or lexicon edit.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ANSWERS = ("y", "n", "t", "f", "u", "s")


@dataclass(frozen=True)
class Item:
    fact: str
    value: Any  # True, False, "unknown"; a candidate's proposed value is "unknown"
    evidence: dict[str, Any]
    candidate: bool


def items(record: dict[str, Any]) -> list[Item]:
    evidence = record.get("evidence") or {}
    out = [Item(f, v, evidence.get(f, {}), False) for f, v in record.get("facts", {}).items()]
    decided = set(record["facts"])
    for c in record.get("extraction", {}).get("candidates", []):
        if c["fact"] not in decided:
            decided.add(c["fact"])
            evidence = {k: c[k] for k in ("text", "start", "end", "needs_confirmation", "source", "support") if k in c}
            out.append(Item(c["fact"], "unknown", evidence, True))
    return out


def review(
    record: dict[str, Any], ask: Callable[[Item], str], bank: Path | None = None
) -> tuple[dict[str, Any], list[str]]:
    """The record after the analyst's answers, and the facts confirmed true (their sentences joined the bank)."""
    from .semantic import add_to_bank

    out = deepcopy(record)
    confirmed: list[str] = []
    for item in items(record):
        answer = ask(item)
        if answer not in ANSWERS or answer == "s":
            continue
        if answer == "n":
            out["facts"].pop(item.fact, None)
            out.get("evidence", {}).pop(item.fact, None)
            continue
        value = {"y": True if item.candidate else item.value, "t": True, "f": False, "u": "unknown"}[answer]
        out["facts"][item.fact] = value
        if item.evidence:
            out.setdefault("evidence", {})[item.fact] = item.evidence | {"needs_confirmation": False}
        if value is True:
            confirmed.append(item.fact)
            if bank is not None and item.evidence.get("text"):
                add_to_bank(bank, item.fact, item.evidence["text"])
    out["extraction"]["candidates"] = [c for c in out["extraction"]["candidates"] if c["fact"] not in out["facts"]]
    return out, confirmed
