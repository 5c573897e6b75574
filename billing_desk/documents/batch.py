"""Issue preparation for many cases at once, spread over worker processes.

The caller (the ``issue-batch`` command, the app's batch dialog) feeds
:class:`~.model.DocumentInput` values — lazily, straight from the case file — and stores
each result as it arrives: :class:`Prepared` (the checked documents of one case) or
:class:`Refused` (why that case cannot be issued). Every input yields exactly one
result, so a batch reconciles: cases selected = prepared + refused. Results come in
completion order, a chunk of cases at a time; at most a few chunks are in flight, so
memory stays flat however long the batch.

Cancelling (setting the ``cancel`` event) stops handing out work; cases already being
rendered finish and are yielded, the rest are not attempted (and yield nothing), so a
cancelled batch can simply be run again.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from typing import Callable, Iterable, Iterator

from .errors import DocumentError
from .reportlab_setup import prepare_reportlab
from .issue import IssuedDocument, prepare_issue
from .layout import styles
from .model import DocumentInput
from .settings import SUPPORTED_LOCALES
from .wording import wording_for

DEFAULT_CHUNK = 16


@dataclass(frozen=True, slots=True)
class Prepared:
    """A case's documents, checked and ready to store (with what a manifest lists), and
    the determination they were rendered from (``determination@1`` JSON values, computed
    here from the case and checked against its fingerprint: the snapshot the case file
    keeps with the issue, so the parent process need not compute it again)."""

    case_number: str
    account_number: str
    customer_name: str
    documents: tuple[IssuedDocument, ...]
    determination: dict


@dataclass(frozen=True, slots=True)
class Refused:
    """A case that cannot be issued, and why (for the reconciliation line)."""

    case_number: str
    account_number: str
    customer_name: str
    reason: str


BatchResult = Prepared | Refused
ProgressCallback = Callable[[int, "int | None"], None]


class BatchInterrupted(DocumentError):
    """A worker process died (killed, out of memory): the batch stopped part-way."""


def prepare_one(inp: DocumentInput) -> BatchResult:
    """One case's documents, or the reason it is refused. A failure that is not a
    document refusal (a defect) is reported as a refusal naming it, so one bad case
    never stops the other cases of a batch and the counts still reconcile."""
    account = inp.case.account
    who = (inp.case_number, account.number, account.customer_name)
    try:
        return Prepared(*who, prepare_issue(inp), inp.determination.to_json())
    except DocumentError as e:
        return Refused(*who, str(e))
    except Exception as e:  # noqa: BLE001 - reported per case, see docstring
        return Refused(*who, f"Internal error while preparing the documents "
                             f"({type(e).__name__}: {e}). Report this case to support.")


def _prepare_chunk(chunk: list[DocumentInput]) -> list[BatchResult]:
    return [prepare_one(inp) for inp in chunk]


def _warm_worker() -> None:
    """Worker start-up: fonts, styles and texts loaded once, before the first case."""
    prepare_reportlab()
    styles()
    for locale in SUPPORTED_LOCALES:
        wording_for(locale)


def _start_worker() -> None:
    """A worker process ignores Ctrl+C: the terminal sends it to the whole process
    group, and the batch in the parent decides what stops (it cancels, lets the cases
    in flight come back and stores them), so a worker must not die under it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _warm_worker()


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def prepare_batch(inputs: Iterable[DocumentInput], *, workers: int | None = None,
                  chunk_size: int = DEFAULT_CHUNK, progress: ProgressCallback | None = None,
                  cancel: threading.Event | None = None,
                  total: int | None = None) -> Iterator[BatchResult]:
    """Prepare every input's documents on ``workers`` processes (default: one per core;
    ``1`` works in this process), yielding one result per case as chunks complete.
    ``progress(done, total)`` is called after each chunk (``total`` from ``len(inputs)``
    when it has one). See the module docstring for cancelling."""
    if total is None and hasattr(inputs, "__len__"):
        total = len(inputs)  # type: ignore[arg-type]
    workers = workers or default_workers()
    cancel = cancel or threading.Event()
    source = iter(inputs)
    done = 0

    def report(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    if workers == 1:
        _warm_worker()
        while not cancel.is_set():
            chunk = list(islice(source, chunk_size))
            if not chunk:
                return
            results = _prepare_chunk(chunk)
            report(len(results))
            yield from results
        return

    # spawn, not fork: the parent may be the Qt application, whose threads fork badly
    context = multiprocessing.get_context("spawn")
    pending: set[Future] = set()
    with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                             initializer=_start_worker) as pool:
        try:
            while True:
                while not cancel.is_set() and len(pending) < 3 * workers:
                    chunk = list(islice(source, chunk_size))
                    if not chunk:
                        break
                    pending.add(pool.submit(_prepare_chunk, chunk))
                if not pending:
                    return
                finished, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
                for future in finished:
                    if future.cancelled():
                        continue
                    results = future.result()
                    report(len(results))
                    yield from results
                if cancel.is_set():
                    for future in pending:
                        future.cancel()
        except BrokenProcessPool:
            raise BatchInterrupted(
                f"A worker process stopped unexpectedly after {done} case(s). Nothing is "
                f"lost: run the batch again to issue the rest.") from None
        finally:
            for future in pending:
                future.cancel()
