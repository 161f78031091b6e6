"""Extraction in the service: a pasted narrative proposed as a case record, the analyst's answers confirmed.

The same code as `rongcuo extract --review`: ``extract.propose`` reads the narrative,
``extract.review`` applies the answers, and a fact confirmed true gives its evidence
sentence to the bank — only when the server was started with one (``rongcuo serve
--bank FILE``); otherwise confirmations are not kept. The bank is read again after a
sentence joins it, so the next narrative is ranked with it.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..model.case import CaseError, parse_case

if TYPE_CHECKING:
    from ..extract import Lexicon
    from ..extract.semantic import Bank

SOURCE = "(pasted)"  # extraction.source of a narrative that came in a request
MAX_CHARS = 100_000  # characters of one narrative: a report runs to a few thousand
ANSWERS = {"accept": "y", "reject": "n", "true": "t", "false": "f", "unknown": "u"}


class Extractor:
    def __init__(self, bank: Path | None = None):
        self.bank_path = bank
        self._lock = threading.Lock()
        self._lexicon: Lexicon | None = None
        self._bank: Bank | None = None

    def _loaded(self) -> tuple[Lexicon, Bank]:
        from ..extract import Lexicon, semantic

        with self._lock:
            if self._lexicon is None or self._bank is None:
                self._lexicon = Lexicon.load()
                self._bank = semantic.load([self.bank_path] if self.bank_path else [])
            return self._lexicon, self._bank

    def propose(self, narrative: Any, case_id: Any = "WEB-1") -> dict[str, Any]:
        """The proposed case record of a narrative, as /v1/extract answers it."""
        from ..extract import case_record, propose

        if not isinstance(narrative, str) or not narrative.strip():
            raise CaseError("request", "narrative", "errors.review_no_narrative")
        if len(narrative) > MAX_CHARS:
            raise CaseError("request", "narrative", "errors.review_too_long", limit=f"{MAX_CHARS:,}")
        lexicon, bank = self._loaded()
        text = narrative.strip().replace("\r\n", "\n").replace("\r", "\n")
        record = case_record(str(case_id), propose(text, lexicon, bank), Path(SOURCE), "utf-8", lexicon)
        record["extraction"]["source"] = SOURCE
        parse_case(record, "request")  # an id the schema refuses is named here
        return json_ready(record)

    def confirm(self, record: Any, answers: Any) -> tuple[dict[str, Any], list[str]]:
        """The record after the answers (fact → accept | reject | true | false | unknown), and the facts
        confirmed true; their evidence sentences joined the bank if there is one."""
        from ..extract.review import items, review

        if not isinstance(record, dict) or not isinstance(record.get("narrative"), str):
            raise CaseError("request", "case", "errors.review_no_record")
        parse_case(record, "case")  # evidence offsets checked against the narrative: the bank gets only its text
        if not isinstance(answers, dict):
            raise CaseError("request", "answers", "errors.review_answers", choices=", ".join(ANSWERS))
        proposed = {i.fact for i in items(record)}
        for fact, answer in answers.items():
            if fact not in proposed:
                raise CaseError("request", f"answers.{fact}", "errors.review_not_proposed")
            if answer not in ANSWERS:
                raise CaseError(
                    "request", f"answers.{fact}", "errors.review_answer", value=repr(answer), choices=", ".join(ANSWERS)
                )
        record.setdefault("extraction", {}).setdefault("candidates", [])
        with self._lock:
            out, confirmed = review(record, lambda item: ANSWERS.get(str(answers.get(item.fact)), "s"), self.bank_path)
            if confirmed and self.bank_path is not None:
                self._bank = None  # read again with the new sentences on the next proposal
        parse_case(out, "case")
        return json_ready(out), confirmed


def json_ready(record: dict[str, Any]) -> dict[str, Any]:
    """Dates as YYYY-MM-DD text: the record as JSON carries it."""
    out = dict(record)
    out["dates"] = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in record.get("dates", {}).items()}
    return out
