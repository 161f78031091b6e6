"""results.xlsx: the ledger of a batch, one row per input record in input order, for Excel.

Read from results.jsonl's lines as the run wrote them (segment by segment, in a batch's workers; the
sheets' XML streamed into the zip in order), in the batch's language: the record's id and place, its
status, the recorded decision and the re-evaluated disposition by their labels, the agreement, the grounds
as the measure numbers them, the notice due date, the correction required, and the reason of a rejected
record. A frozen header and filters; a sheet holds at
most ROWS records, the next ones go on the next sheet.
"""

from __future__ import annotations

import functools
import itertools
import re
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.pool import Pool
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import orjson

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


SEGMENT = 1 << 24  # bytes of results.jsonl whose rows one worker makes at a time (≈ 20,000 records)


def write_file(results: Path, path: Path, lang: str = "zh", pool: Pool | None = None, depth: int = 4) -> int:
    """The ledger of a results.jsonl file, written to ``path``; how many rows. With ``pool``, its workers make
    the rows of the file's segments, ``depth`` at a time, while this process compresses them in order."""
    segments = _segments(results)
    make = functools.partial(_segment_rows, results, lang)
    batches = map(make, segments) if pool is None else _in_order(pool, make, segments, depth)
    return _book(batches, path, lang)


Rows = tuple[bytes, list[int]]  # rows' XML one after the other, and each row's length


def _segments(results: Path) -> list[tuple[int, int]]:
    """The file in byte ranges of about SEGMENT bytes, each from a line's start to another's."""
    size = results.stat().st_size
    starts = [0]
    with results.open("rb") as f:
        while starts[-1] + SEGMENT < size:
            f.seek(starts[-1] + SEGMENT)
            f.readline()  # to the start of the next line
            starts.append(f.tell())
    return list(itertools.pairwise([*starts, max(size, starts[-1])]))


def _segment_rows(results: Path, lang: str, segment: tuple[int, int]) -> Rows:
    """The rows of one segment of results.jsonl (in a worker)."""
    start, end = segment
    with results.open("rb") as f:
        f.seek(start)
        data = f.read(end - start)
    rows = [_line_xml(orjson.loads(raw), lang) for raw in data.splitlines() if raw.strip()]
    return b"".join(rows), [len(r) for r in rows]


def _in_order(pool: Pool, make: Callable[[tuple[int, int]], Rows], segments: list, depth: int) -> Iterator[Rows]:
    """``make`` of each segment in the pool's workers, at most ``depth`` at once, in order."""
    pending: deque = deque()
    for segment in segments:
        pending.append(pool.apply_async(make, (segment,)))
        if len(pending) >= depth:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def _book(batches: Iterable[Rows], path: Path, lang: str) -> int:
    """The workbook of these rows, written as its XML parts straight into the zip, the sheets streamed (inline
    strings, no shared-string table: nothing held per row) — openpyxl's write-only mode costs ~200 µs a row,
    which for a million records is minutes; openpyxl reads the file back in the tests. A row names no
    number: the rows of a sheet are its rows in order, whoever made them."""
    header = [message(f"batch.xlsx_{c}", lang) for c in COLUMNS]
    name = message("batch.xlsx_sheet", lang)
    names: list[str] = []
    total = 0
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        sheet = None
        rows = 0  # in the current sheet
        try:
            for data, lengths in batches:
                at = offset = 0
                while at < len(lengths):  # the batch, split where a sheet is full
                    if sheet is None or rows == ROWS:
                        if sheet is not None:
                            _end_sheet(sheet, rows)
                        names.append(name + (f" {total // ROWS + 1}" if total else ""))
                        sheet = _start_sheet(book, len(names), header)
                        rows = 0
                    taken = lengths[at : at + ROWS - rows]
                    size = sum(taken)
                    sheet.write(memoryview(data)[offset : offset + size])
                    at, offset, rows, total = at + len(taken), offset + size, rows + len(taken), total + len(taken)
            if sheet is None:
                names.append(name)
                sheet = _start_sheet(book, 1, header)
            _end_sheet(sheet, rows)
        finally:
            if sheet is not None:
                sheet.close()
        _parts(book, names)
    return total


_LAST = chr(ord("A") + len(COLUMNS) - 1)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # not allowed in XML 1.0


_CELLS: dict[object, str] = {}  # the XML of the cells seen (labels, sources, grounds repeat on every row)


def _text(value: object) -> str:
    found = _CELLS.get(value)
    if found is None:
        found = _cell(value)
        if len(_CELLS) < 100_000:
            _CELLS[value] = found
    return found


def _cell(value: object) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    text = str(value)
    if not text:
        return "<c/>"
    text = _ILLEGAL.sub("\ufffd", xml_escape(text))
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _row_xml(cells: list) -> bytes:
    return _row("".join(map(_text, cells)))


def _start_sheet(book: zipfile.ZipFile, number: int, header: list[str]):
    sheet = book.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True)
    sheet.write(
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetViews><sheetView workbookViewId="0"'
        + (b' tabSelected="1"' if number == 1 else b"")
        + b'><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        b'<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        b"<sheetData>" + _row_xml(header)
    )
    return sheet


def _end_sheet(sheet, rows: int) -> None:
    sheet.write(f'</sheetData><autoFilter ref="{_filter_ref(rows)}"/></worksheet>'.encode())
    sheet.close()


def _filter_ref(rows: int) -> str:
    return f"A1:{_LAST}{rows + 1}"


def _parts(book: zipfile.ZipFile, names: list[str]) -> None:
    """The workbook's other parts: content types, relationships, the sheets' names, the filters' ranges."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(names) + 1)
    )
    book.writestr(
        "[Content_Types].xml",
        f'{head}<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        f"{sheets}</Types>",
    )
    book.writestr(
        "_rels/.rels",
        f'{head}<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    )
    book.writestr(
        "xl/_rels/workbook.xml.rels",
        f'{head}<Relationships xmlns="{package}/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + f'<Relationship Id="rId{len(names) + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
    )
    book.writestr(
        "xl/workbook.xml",
        f'{head}<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        + "".join(
            f'<sheet name="{xml_escape(n, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
            for i, n in enumerate(names, 1)
        )
        + "</sheets></workbook>",
    )
    book.writestr(
        "xl/styles.xml",
        f'{head}<styleSheet xmlns="{main}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>",
    )


@functools.lru_cache(maxsize=4096)
def _grounds(grounds: tuple[str, ...], lang: str) -> str:
    """The disposition's grounds as the measure numbers them (the same few combinations on many rows)."""
    cited = (measure.cite(g, lang) for g in sorted(dict.fromkeys(grounds), key=measure.order))
    return ("、" if lang == "zh" else "; ").join(cited)


def _line_xml(line: dict, lang: str) -> bytes:
    """One results line as the ledger's row: its own cells (id, source, place, notice due, reason) around
    what many rows share, rendered once (_status_cells, _correction_cell)."""
    place = line.get("row", line.get("line", ""))
    head = _text(line.get("case") or "") + _text(line.get("source", "")) + _text(place)
    if line.get("status") == "rejected":
        return _row(head + _rejected_cells(lang) + _text(line.get("reason", "")))
    disposition = line.get("disposition")
    chosen = next((o for o in line.get("outcomes", []) if o["outcome"] == disposition), None)
    consequences = {c["consequence"]: c["args"] for c in line.get("consequences", [])}
    shared = _status_cells(
        line.get("recorded_decision"),
        disposition,
        "open_world" in line,
        line.get("agreement"),
        tuple(chosen["grounds"]) if chosen else None,
        lang,
    )
    due = (consequences.get("notification_due") or [""])[0]
    correction = ""
    if "correction_required" in consequences:
        correction = "correction_overdue" if "correction_overdue" in consequences else "correction_required"
    return _row(head + shared + _text(due) + _correction_cell(correction, lang))


def _row(cells: str) -> bytes:
    return f"<row>{cells}</row>".encode()


@functools.lru_cache(maxsize=4096)
def _status_cells(
    recorded: str | None,
    disposition: str | None,
    open_world: bool,
    agreement: str | None,
    grounds: tuple[str, ...] | None,
    lang: str,
) -> str:
    """Status, recorded decision, disposition, agreement and grounds: the same few combinations on many rows."""

    def outcome(name: str | None) -> str:
        return vocab.label("outcomes", name, lang) if name and name in vocab.vocabulary()["outcomes"] else name or ""

    cells = [
        message("batch.xlsx_evaluated", lang),
        outcome(recorded),
        outcome(disposition) if not open_world else message("batch.xlsx_undetermined", lang),
        message(f"batch.xlsx_{agreement}", lang) if agreement else "",
        _grounds(grounds, lang) if grounds is not None else "",
    ]
    return "".join(map(_cell, cells))


@functools.lru_cache(maxsize=16)
def _correction_cell(correction: str, lang: str) -> str:
    """The correction required (or overdue), and the empty reason of an evaluated record."""
    return _cell(vocab.label("consequences", correction, lang) if correction else "") + _cell("")


@functools.lru_cache(maxsize=4)
def _rejected_cells(lang: str) -> str:
    return _cell(message("batch.xlsx_rejected", lang)) + _cell("") * 6
