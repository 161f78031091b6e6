"""The inputs of a batch, streamed in chunks of records.

A record is one case as it stands in its source — a case file, a JSONL line,
a CSV row — not yet decoded: decoding and validation happen in the worker
processes (records.py), so the main process only reads bytes. A JSONL file
goes out as runs of lines, as read; the worker numbers them into records.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import NamedTuple

from ..model.case import CaseError
from ..model.files import case_files
from .columns import Layout
from .workdir import WORK

JSONL_SUFFIXES = (".jsonl", ".ndjson")
CASE_SUFFIXES = (".yaml", ".yml", ".json")
EXTRA_CELLS = "(extra cells)"  # a row longer than its header: how many cells too many
UNREAD = "(unread)"  # a row that could not be read as CSV: why (its CaseError)
CELL_LINES = 20  # lines one quoted cell may span


class Record(NamedTuple):
    source: str  # the file, as given
    unit: str  # "line" (JSONL), "row" (CSV) or "" (a case file)
    at: int  # line or row number, 1-based; 0 for a case file
    data: bytes | dict | None  # the JSONL line; the CSV cells by target; None: read the case file

    @property
    def where(self) -> str:
        """How messages name the record: cases.jsonl line 17, cases.csv row 5, case.yaml."""
        return f"{self.source} {self.unit} {self.at}" if self.unit else self.source

    def position(self) -> dict:
        """The record's place, as results.jsonl states it."""
        return {"source": self.source, self.unit: self.at} if self.unit else {"source": self.source}


class Lines(NamedTuple):
    """A run of a JSONL file's lines as read, the first of them line ``start``."""

    source: str
    start: int
    lines: list[bytes]

    def records(self) -> list[Record]:
        return [Record(self.source, "line", n, line) for n, line in enumerate(self.lines, self.start) if line.strip()]


class Chunk(NamedTuple):
    """One worker's task: records, or a run of JSONL lines; how many records, and the bytes they took."""

    data: list[Record] | Lines
    how_many: int  # records
    size: int

    def records(self) -> list[Record]:
        return self.data.records() if isinstance(self.data, Lines) else self.data


class Reader:
    """Chunks of the inputs' records in order, counting the bytes read and the blank lines skipped."""

    def __init__(self, paths: list[Path], layout: Layout):
        self.files = list(_files(paths))
        self.layout = layout
        self.bytes_read = 0
        self.blank = 0
        for path in self.files:
            if path.suffix == ".csv":
                _csv_header(path, layout)  # a bad header stops the batch before it starts
            elif path.suffix == ".xlsx":
                for sheet, rows in _sheets(path):
                    if (header := next(rows, None)) is not None:
                        layout.header(_trimmed(header), f"{path} sheet {sheet}")

    @property
    def size(self) -> int:
        return sum(path.stat().st_size for path in self.files)

    def fingerprint(self) -> str:
        """What the inputs are: their names and contents (a resumed run must see the same bytes; an edit
        with its modification time put back is still an edit). BLAKE2b reads ~1 GB/s."""
        h = hashlib.blake2b(digest_size=16)
        for path in self.files:
            h.update(f"{path}\0".encode())
            with path.open("rb") as f:
                while block := f.read(1 << 20):
                    h.update(block)
            h.update(b"\0")
        return h.hexdigest()

    def chunks(self, size: int) -> Iterator[Chunk]:
        """Chunks of ``size`` lines of one JSONL file, or of ``size`` records of the other inputs, in order."""
        records: list[Record] = []
        start = self.bytes_read
        for path in self.files:
            if path.suffix in JSONL_SUFFIXES:
                if records:
                    yield Chunk(records, len(records), self.bytes_read - start)
                    records, start = [], self.bytes_read
                yield from self._lines(path, size)
                start = self.bytes_read
                continue
            found = (
                self._rows(path)
                if path.suffix == ".csv"
                else self._sheet_rows(path)
                if path.suffix == ".xlsx"
                else None
            )
            for record in found if found is not None else self._file(path):
                records.append(record)
                if len(records) == size:
                    yield Chunk(records, size, self.bytes_read - start)
                    records, start = [], self.bytes_read
        if records or self.bytes_read > start:
            yield Chunk(records, len(records), self.bytes_read - start)

    def _lines(self, path: Path, size: int) -> Iterator[Chunk]:
        with path.open("rb") as f:
            start = 1
            while lines := list(islice(f, size)):
                taken = sum(map(len, lines))
                blank = sum(1 for line in lines if not line.strip())
                self.bytes_read += taken
                self.blank += blank
                yield Chunk(Lines(str(path), start, lines), len(lines) - blank, taken)
                start += len(lines)

    def _file(self, path: Path) -> Iterator[Record]:
        self.bytes_read += path.stat().st_size
        yield Record(str(path), "", 0, None)

    def _rows(self, path: Path) -> Iterator[Record]:
        with path.open("rb") as f:
            rows = _csv_rows(self._decoded(f))
            header = next(rows, [])
            if isinstance(header, CaseError):
                raise CaseError(str(path), "header", header.code, **header.values)
            targets = self.layout.header(header, str(path))
            for number, row in enumerate(rows, 2):  # as a spreadsheet numbers them: the header is row 1
                if isinstance(row, CaseError):
                    yield Record(str(path), "row", number, {UNREAD: row})
                    continue
                if not any(cell.strip() for cell in row):
                    self.blank += 1
                    continue
                cells = {t: cell for t, cell in zip(targets, row, strict=False) if t}
                if len(row) > len(targets):
                    cells[EXTRA_CELLS] = str(len(row) - len(targets))
                yield Record(str(path), "row", number, cells)

    def _sheet_rows(self, path: Path) -> Iterator[Record]:
        """An Excel ledger's rows, each sheet read as a CSV file is (its header row, then its rows as Excel
        numbers them), streamed by openpyxl's read-only mode."""
        for sheet, rows in _sheets(path):
            source = f"{path} sheet {sheet}"
            header = next(rows, None)
            if header is None:
                continue
            targets = self.layout.header(_trimmed(header), source)
            for number, row in enumerate(rows, 2):
                if not any(cell.strip() for cell in row):
                    self.blank += 1
                    continue
                while row and not row[-1].strip() and len(row) > len(targets):  # trailing empty cells
                    row = row[:-1]
                cells = {t: cell for t, cell in zip(targets, row, strict=False) if t}
                if len(row) > len(targets):
                    cells[EXTRA_CELLS] = str(len(row) - len(targets))
                yield Record(source, "row", number, cells)
        self.bytes_read += path.stat().st_size

    def _decoded(self, f) -> Iterator[str]:
        # Undecodable bytes travel as surrogates and the record is rejected in
        # the worker, so one bad row does not stop the file. Spreadsheets
        # start UTF-8 files with a byte-order mark.
        for number, line in enumerate(f):
            self.bytes_read += len(line)
            yield line.decode("utf-8-sig" if number == 0 else "utf-8", "surrogateescape")


def _csv_rows(lines: Iterator[str]) -> Iterator[list[str] | CaseError]:
    """The rows of a CSV file, strictly: a quoted cell may hold line breaks, but one left open swallows
    nothing — after CELL_LINES lines (or at the end of the file) its row is an error and the lines after
    it are rows again. A row is complete when its quotes pair up (a quote in a cell is written twice)."""
    pending: list[str] = []
    source = iter(lines)
    while True:
        line = next(source, None)
        if line is None and not pending:
            return
        if line is not None:
            pending.append(line)
            if sum(part.count('"') for part in pending) % 2 == 0:
                yield _one_row("".join(pending))
                pending = []
                continue
            if len(pending) <= CELL_LINES:
                continue
        # an open quote: reject its row, read the lines it took again
        yield CaseError("", "(row)", "errors.csv_open_quote")
        source = itertools.chain(pending[1:], source)
        pending = []


def _one_row(text: str) -> list[str] | CaseError:
    try:
        return next(csv.reader([text], strict=True), [])
    except csv.Error as e:
        return CaseError("", "(row)", "errors.csv_row", detail=str(e))


def _sheets(path: Path) -> Iterator[tuple[str, Iterator[list[str]]]]:
    """Each sheet of a workbook with its rows as text cells, as a CSV file would hold them."""
    import openpyxl  # only an Excel input needs it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # not a workbook openpyxl can read: one line, no traceback
        raise CaseError(str(path), "(file)", "errors.not_xlsx", detail=str(e)) from None
    try:
        for sheet in book.worksheets:
            yield sheet.title, ([_cell(v) for v in row] for row in sheet.iter_rows(values_only=True))
    finally:
        book.close()


def _trimmed(header: list[str]) -> list[str]:
    """A sheet's header without the empty cells after its last column (a sheet's extent may reach past it)."""
    while header and not header[-1].strip():
        header = header[:-1]
    return header


def _cell(value) -> str:
    """A cell as CSV text: dates ISO, true/false, whole numbers without a point."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_header(path: Path, layout: Layout) -> None:
    with path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="") as f:
        header = next(csv.reader(f), None)
    if header is None:
        raise CaseError(str(path), "header", "errors.csv_empty")
    layout.header(header, str(path))


def _files(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            # A batch's own unfinished state is not input, even when --out lies inside a folder of cases.
            yield from (p for p in case_files([path]) if WORK not in p.parts)
        elif not path.exists():
            raise CaseError(str(path), "(file)", "errors.no_such_file")
        elif path.suffix in (*JSONL_SUFFIXES, ".csv", ".xlsx", *CASE_SUFFIXES):
            yield path
        else:
            raise CaseError(str(path), "(file)", "errors.batch_input_kind")
