"""A batch run: records streamed in chunks to worker processes, rows settled in input order.

The main process reads records, hands chunks to the workers (each holds its
own rule sets), and settles the finished chunks strictly in input order:
duplicate ids, the results lines, the chunk's summary, one journal line. A
bounded number of chunks is in flight, so memory does not grow with the
input; the order of settling, not of finishing, makes the output the same on
every run, with any number of workers.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path

from ..engine.budget import within_budget
from ..model.case import CaseError
from . import worker
from .inputs import Chunk, Reader
from .recurrence import Occurrences
from .report import write_outputs
from .summary import Summary
from .workdir import WorkDir, locked
from .worker import Settings

RECYCLE = 250_000  # cases a worker evaluates before a fresh process replaces it (see _pool)

# A context manager that shows progress: entered with the input's size in
# bytes, it gives a function to call with each settled chunk's records and bytes.
Progress = Callable[[int], AbstractContextManager[Callable[[int, int], None]]]


@dataclass(frozen=True)
class Batch:
    inputs: list[Path]
    out: Path
    settings: Settings
    workers: int
    chunk_size: int
    resume: bool
    threshold: int
    window: int
    lang: str


def run(batch: Batch, progress: Progress) -> tuple[Summary, Reader]:
    """Evaluate every record of the inputs and write results.jsonl, report.md and report.html to ``batch.out``."""
    reader = Reader(batch.inputs, batch.settings.layout)
    if not reader.files:  # refused before anything is written: no empty report in --out
        raise CaseError(", ".join(map(str, batch.inputs)), "(file)", "errors.no_input_files")
    rules, compare = batch.settings.load()  # in this process too: a bad rule set stops the run before it starts
    if batch.settings.rules is not None:  # rules from outside the bundle: within the grounding budget first
        within_budget(rules, str(batch.settings.rules))
    if batch.settings.timeline is not None:  # a bad timeline, too, stops the run before it starts
        from .. import timeline as versions

        versions.load(batch.settings.timeline, batch.settings.profile, trusted=batch.settings.trusted)
    manifest = {
        "inputs": [str(p) for p in batch.inputs],
        "files": reader.fingerprint(),
        "rules": rules.digest,
        "profile": rules.profile,
        "compare": compare and [compare.digest, compare.profile],
        "as_of": batch.settings.as_of.isoformat(),
        "effective_date": batch.settings.effective_date and batch.settings.effective_date.isoformat(),
        "layout": batch.settings.layout.model_dump_json(),
        "chunk_size": batch.chunk_size,
        "lang": batch.settings.lang,  # of the rejected records' reasons in results.jsonl
        "timeline": batch.settings.timeline and str(batch.settings.timeline),
        "outputs": ["results.jsonl", "disagreements.jsonl"],  # what the journal's offsets are of
    }
    with locked(batch.out):
        return _run(batch, reader, rules, compare, manifest, progress)


def _run(batch: Batch, reader: Reader, rules, compare, manifest: dict, progress: Progress) -> tuple[Summary, Reader]:
    pool = _pool(batch)
    work = WorkDir(batch.out)
    try:
        done = work.open(manifest, batch.resume)
        occurrences, summary = Occurrences(), Summary()
        for rows in work.label_chunks():  # of the chunks a resumed run finished before
            occurrences.add(rows)
        for part in work.summaries():
            summary.merge(part)
        try:
            with progress(reader.size) as advance:
                _evaluate(reader, batch, work, pool, done, advance, occurrences, summary)
        finally:
            work.close()
        write_outputs(work, batch, reader, rules, compare, occurrences, summary, pool)
    finally:
        pool.terminate()  # every chunk is settled by now, or the run is stopping
        pool.join()
    return summary, reader


def _evaluate(
    reader: Reader,
    batch: Batch,
    work: WorkDir,
    pool: Pool,
    done: int,
    advance: Callable[[int, int], None],
    occurrences: Occurrences,
    summary: Summary,
) -> None:
    depth = 2 * batch.workers  # chunks in flight: enough to keep every worker busy, few enough to bound memory
    pending: deque[tuple[int, Chunk, AsyncResult]] = deque()
    for number, chunk in enumerate(reader.chunks(batch.chunk_size)):
        if number < done:
            advance(chunk.how_many, chunk.size)
            continue
        pending.append((number, chunk, pool.apply_async(worker.evaluate_chunk, (chunk, work.spool(number)))))
        while len(pending) > depth or (pending and pending[0][2].ready()):
            _settle(work, pool, *pending.popleft(), advance, occurrences, summary)
    while pending:
        _settle(work, pool, *pending.popleft(), advance, occurrences, summary)


def _settle(
    work: WorkDir,
    pool: Pool,
    number: int,
    chunk: Chunk,
    evaluated: AsyncResult,
    advance: Callable[[int, int], None],
    occurrences: Occurrences,
    summary: Summary,
) -> None:
    settled = evaluated.get()
    duplicates = work.ids.claim(number, [(case, place) for _, case, place in settled.claims])
    if duplicates:  # rare: the chunk again, its duplicates rejected (a worker keeps no rows between chunks)
        rows = {settled.claims[k][0]: first for k, first in duplicates.items()}
        settled = pool.apply(worker.evaluate_chunk, (chunk, work.spool(number), rows))
    work.append(number, work.spool(number), settled.summary)
    occurrences.update(settled.occurrences)
    summary.merge(settled.summary)  # in input order, as the report reads them: here, not all at the end
    advance(chunk.how_many, chunk.size)


def _pool(batch: Batch) -> Pool:
    """The worker processes. Each is replaced after RECYCLE cases: clingo keeps every symbol it ever
    made (a case's index with its dates, its fact words), so a long-lived worker would grow with the
    input. Workers fork from a fresh server process, not from this one with its threads and open files."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["rongcuo.batch.worker"])
    return context.Pool(
        batch.workers,
        initializer=_start_worker,
        initargs=(batch.settings,),
        maxtasksperchild=max(1, RECYCLE // batch.chunk_size),
    )


def _start_worker(settings: Settings) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    worker.start(settings)
