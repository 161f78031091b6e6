"""results.xlsx: the ledger of a batch, one row per input record in input order, for Excel.

Read from results.jsonl's lines as the run wrote them (streamed: openpyxl's write-only mode), in the
batch's language: the record's id and place, its status, the recorded decision and the re-evaluated
disposition by their labels, the agreement, the grounds as the measure numbers them, the notice due date,
the correction required, and the reason of a rejected record. A frozen header and filters; a sheet holds at
most ROWS records, the next ones go on the next sheet.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..model import measure
from ..model import vocabulary as vocab
from ..present.render import message

ROWS = 1_000_000  # Excel's sheets end at 1,048,576 rows
COLUMNS = (
    "id",
    "source",
    "place",
    "status",
    "recorded",
    "disposition",
    "agreement",
    "grounds",
    "notice_due",
    "correction",
    "reason",
)


def write_file(results: Path, path: Path, lang: str = "zh") -> int:
    """The ledger of a results.jsonl file, written to ``path`` (in a batch worker: off the main process)."""
    with results.open("rb") as lines:
        return write(lines, path, lang)


def write(lines: Iterable[bytes | str], path: Path, lang: str = "zh") -> int:
    """Write the ledger of these results lines to ``path``; how many rows."""
    import openpyxl  # only the batch's end needs it

    book = openpyxl.Workbook(write_only=True)
    header = [message(f"batch.xlsx_{c}", lang) for c in COLUMNS]
    sheet, rows, total = None, 0, 0
    for raw in lines:
        if not raw.strip():
            continue
        if sheet is None or rows == ROWS:
            if sheet is not None:
                _filter(sheet, rows)
            sheet = book.create_sheet(message("batch.xlsx_sheet", lang) + (f" {total // ROWS + 1}" if total else ""))
            sheet.freeze_panes = "A2"
            sheet.append(header)
            rows = 0
        sheet.append(row(json.loads(raw), lang))
        rows += 1
        total += 1
    if sheet is None:
        sheet = book.create_sheet(message("batch.xlsx_sheet", lang))
        sheet.freeze_panes = "A2"
        sheet.append(header)
    _filter(sheet, rows)
    book.save(str(path))
    return total


def _filter(sheet, rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{chr(ord('A') + len(COLUMNS) - 1)}{rows + 1}"


def row(line: dict, lang: str) -> list:
    """One results line as the ledger's cells."""

    def outcome(name: str | None) -> str:
        return vocab.label("outcomes", name, lang) if name and name in vocab.vocabulary()["outcomes"] else name or ""

    place = line.get("row", line.get("line", ""))
    if line.get("status") == "rejected":
        return (
            [line.get("case") or "", line.get("source", ""), place, message("batch.xlsx_rejected", lang)]
            + [""] * 6
            + [line.get("reason", "")]
        )
    disposition = line.get("disposition")
    chosen = next((o for o in line.get("outcomes", []) if o["outcome"] == disposition), None)
    grounds = (
        ("、" if lang == "zh" else "; ").join(
            measure.cite(g, lang) for g in sorted(dict.fromkeys(chosen["grounds"]), key=measure.order)
        )
        if chosen
        else ""
    )
    consequences = {c["consequence"]: c["args"] for c in line.get("consequences", [])}
    due = (consequences.get("notification_due") or [""])[0]
    correction = ""
    if "correction_required" in consequences:
        correction = vocab.label(
            "consequences",
            "correction_overdue" if "correction_overdue" in consequences else "correction_required",
            lang,
        )
    agreement = line.get("agreement")
    return [
        line.get("case", ""),
        line.get("source", ""),
        place,
        message("batch.xlsx_evaluated", lang),
        outcome(line.get("recorded_decision")),
        outcome(disposition) if "open_world" not in line else message("batch.xlsx_undetermined", lang),
        message(f"batch.xlsx_{agreement}", lang) if agreement else "",
        grounds,
        due,
        correction,
        "",
    ]
