"""The unfinished state of a batch, kept in OUT/.rongcuo-batch/ until the outputs are written.

- ``manifest.json``: what the run is (inputs, rule sets, date, chunk size);
  ``--resume`` continues only a run with the same manifest;
- ``results.partial``: the results lines of the finished chunks;
- ``labels.partial``: per chunk, one JSON line with the a18 labels of its cases;
- ``disagreements.partial``: the disagreements.jsonl lines of the finished chunks;
- ``chunk-N.*``: a chunk's results lines, labels and disagreements lines as
  its worker wrote them, appended to the three files above (a kernel copy)
  when the chunk's turn comes, then removed;
- ``journal.jsonl``: one line per finished chunk — where the three files above
  ended and the chunk's summary; a line is written after its chunk's data,
  so the journal's last whole line says what is finished;
- ``ids.sqlite``: the case ids seen so far, on disk (duplicates across a
  batch of any size, without holding the ids in memory).

The outputs appear in OUT only when everything is done, each by a rename.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, NamedTuple

import orjson

from ..model.coded import Coded, os_reason
from .summary import Summary

WORK = ".rongcuo-batch"
LOCK = ".rongcuo-batch.lock"


class ResumeError(Coded):
    """An unfinished run that --resume cannot continue."""


class OutError(Coded):
    """An output folder a run cannot use: not writable, or another run's."""


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """One run at a time in ``out``: an exclusive lock on OUT/.rongcuo-batch.lock for the whole run
    (the file stays; the lock goes with the process, however it ends)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = (out / LOCK).open("a")
    except OSError as e:
        raise OutError("errors.out_not_writable", out=str(out), reason=os_reason(e)) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutError("errors.out_locked", out=str(out)) from None
        yield
    finally:
        handle.close()


class WorkDir:
    def __init__(self, out: Path):
        self.out = out
        self.path = out / WORK
        self.results = self.path / "results.partial"
        self.labels = self.path / "labels.partial"
        self.disagreements = self.path / "disagreements.partial"
        self.journal = self.path / "journal.jsonl"
        self.manifest = self.path / "manifest.json"

    def open(self, manifest: dict, resume: bool) -> int:
        """Start afresh, or continue the unfinished run: the number of chunks already finished."""
        found = self._resumable(manifest) if resume and self.manifest.exists() else None
        if found is None:
            shutil.rmtree(self.path, ignore_errors=True)
            self.path.mkdir(parents=True)
            self.manifest.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
            found = 0, (0, 0, 0, 0)
        done, ends = found
        for path, end in zip(self._paths, ends, strict=True):
            with path.open("ab") as f:
                f.truncate(end)  # drop what a chunk that did not finish left behind
        self.ids = Ids(self.path / "ids.sqlite", done)
        for spooled in self.path.glob("chunk-*"):
            spooled.unlink()  # what the workers wrote of chunks that did not finish
        # The parts unbuffered and not in append mode: the kernel copies into them (copy_file_range).
        self._files: list[BinaryIO] = [_at_end(path) for path in self._paths[:3]]
        self._files.append(self.journal.open("ab"))
        return done

    def started_as_of(self) -> dt.date | None:
        """The evaluation date of the unfinished run, so that a resumed run keeps it."""
        try:
            return dt.date.fromisoformat(json.loads(self.manifest.read_text(encoding="utf-8"))["as_of"])
        except (OSError, ValueError, KeyError, TypeError):  # none, or not one this version wrote: the resume
            return None  # check names what differs

    @property
    def _paths(self) -> tuple[Path, Path, Path, Path]:
        """The files a chunk appends to, the journal last."""
        return self.results, self.labels, self.disagreements, self.journal

    def _resumable(self, manifest: dict) -> tuple[int, tuple[int, int, int, int]]:
        try:
            before = json.loads(self.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            before = None
        before = before if isinstance(before, dict) else {}  # garbled: it differs in everything
        changed = [key for key in sorted(set(before) | set(manifest)) if before.get(key) != manifest.get(key)]
        if changed == ["timeline"] and before.get("timeline") is None:  # begun before batch took the law's timeline
            raise ResumeError("errors.resume_without_timeline", out=str(self.out))
        if changed:
            raise ResumeError("errors.resume_differs", out=str(self.out), changed=changed)
        done, ends, journal_end = 0, (0, 0, 0), 0
        with self.journal.open("rb") as f:
            for line in f:
                if not line.endswith(b"\n"):
                    break  # the chunk being written when the run stopped
                entry = json.loads(line)
                done, ends, journal_end = (
                    entry["chunk"] + 1,
                    (entry["results"], entry["labels"], entry["disagreements"]),
                    journal_end + len(line),
                )
        self._restore_results(ends[0], ends[2])
        every = (*ends, journal_end)
        for path, end in zip(self._paths, every, strict=True):
            if not path.exists() or path.stat().st_size < end:
                raise ResumeError("errors.resume_short", path=str(path))
        return done, every

    def _restore_results(self, end: int, disagreements_end: int) -> None:
        # A run stopped between moving the results out and removing this folder.
        for partial, name, size in (
            (self.results, "results.jsonl", end),
            (self.disagreements, "disagreements.jsonl", disagreements_end),
        ):
            final = self.out / name
            if not partial.exists() and final.exists() and final.stat().st_size == size:
                os.replace(final, partial)

    def spool(self, chunk: int) -> Spool:
        """Where a worker writes the chunk's outputs."""
        return Spool(self.path / f"chunk-{chunk}")

    def append(self, chunk: int, spool: Spool, summary: Summary) -> None:
        """The chunk's spooled outputs appended, then the journal line that says so."""
        *appended, journal = self._files
        for f, part in zip(appended, spool.parts, strict=True):
            _append(f, part)
            part.unlink()
        results, labels, disagreements = (f.tell() for f in appended)
        entry = {
            "chunk": chunk,
            "results": results,
            "labels": labels,
            "disagreements": disagreements,
            "summary": summary.to_json(),
        }
        journal.write(orjson.dumps(entry) + b"\n")  # a chunk's summary: ~10 ms a chunk by the json module
        journal.flush()

    def close(self) -> None:
        for f in self._files:
            f.close()
        self.ids.close()

    def summaries(self) -> Iterator[Summary]:
        with self.journal.open("rb") as f:
            for line in f:
                yield Summary.from_json(orjson.loads(line)["summary"])

    def label_chunks(self) -> Iterator[list[list]]:
        """Per chunk: [case, field, error_type, conduct] of each case with a label and a conduct date, in order."""
        with self.labels.open("rb") as f:
            for line in f:
                yield orjson.loads(line)

    def finish(self, outputs: dict[str, str]) -> None:
        """Write the outputs by renames (the results last), then remove the work folder."""
        for name, text in outputs.items():
            tmp = self.out / f".{name}.tmp"
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, self.out / name)
        os.replace(self.disagreements, self.out / "disagreements.jsonl")
        os.replace(self.results, self.out / "results.jsonl")
        shutil.rmtree(self.path)


class Spool(NamedTuple):
    """A chunk's outputs as its worker wrote them: results lines, the a18 labels line, disagreements lines."""

    prefix: Path

    @property
    def parts(self) -> tuple[Path, Path, Path]:
        return tuple(self.prefix.with_suffix(f".{kind}") for kind in ("results", "labels", "disagreements"))  # type: ignore[return-value]

    def write(self, results: bytes, labels: list, disagreements: bytes) -> None:
        for path, data in zip(self.parts, (results, orjson.dumps(labels) + b"\n", disagreements), strict=True):
            path.write_bytes(data)


def _at_end(path: Path) -> BinaryIO:
    f = path.open("r+b", buffering=0)
    f.seek(0, os.SEEK_END)
    return f


def _append(to: BinaryIO, part: Path) -> None:
    """A spooled part at the end of ``to``, copied by the kernel where it can."""
    with part.open("rb") as source:
        size = os.fstat(source.fileno()).st_size
        try:
            copied = 0
            while copied < size:
                n = os.copy_file_range(source.fileno(), to.fileno(), size - copied)
                if n == 0:
                    break
                copied += n
        except OSError:  # a file system without it: copied through this process
            source.seek(copied)
            shutil.copyfileobj(source, to)


class Ids:
    """The ids claimed so far, each with the record that claimed it and the chunk it came in."""

    def __init__(self, path: Path, done: int):
        self.db = sqlite3.connect(path, isolation_level=None)
        # The journal, not this file, says what is finished: the ids of an
        # unfinished chunk are dropped below, so the file need not be durable.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("CREATE TABLE IF NOT EXISTS ids (id TEXT PRIMARY KEY, place TEXT, chunk INTEGER) WITHOUT ROWID")
        self.db.execute("DELETE FROM ids WHERE chunk >= ?", (done,))

    def claim(self, chunk: int, claims: list[tuple[str, str]]) -> dict[int, str]:
        """Claim ids in order: the index of each claim whose id was taken before, with the record that took it."""
        first: dict[str, str] = {}
        duplicates = {}
        for index, (case, place) in enumerate(claims):
            if case in first:
                duplicates[index] = first[case]
            else:
                first[case] = place
        self.db.execute("BEGIN")
        before = self.db.total_changes
        self.db.executemany(
            "INSERT OR IGNORE INTO ids VALUES (?, ?, ?)", ((case, place, chunk) for case, place in first.items())
        )
        if self.db.total_changes - before < len(first):  # some were taken by earlier chunks: which, and where
            taken = dict(self._taken_before(chunk, list(first)))
            duplicates.update({i: taken[case] for i, (case, _) in enumerate(claims) if case in taken})
        self.db.execute("COMMIT")
        return duplicates

    def _taken_before(self, chunk: int, ids: list[str]) -> Iterator[tuple[str, str]]:
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            yield from self.db.execute(
                f"SELECT id, place FROM ids WHERE chunk < ? AND id IN ({','.join('?' * len(part))})", [chunk, *part]
            )

    def close(self) -> None:
        self.db.close()
