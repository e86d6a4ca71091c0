"""Files are read in a process of their own, under the operating system's limits.

Whatever a file makes a spreadsheet reader do (allocate hundreds of gigabytes for one far cell,
inflate a few kilobytes into gigabytes, loop), it does it in a worker process whose address
space and CPU time are capped by the kernel (``RLIMIT_AS``, ``RLIMIT_CPU``) and whose wall time
is watched: the worker dies, the app and its other users carry on, and the user is told what
happened (the caller says it in their language: the worker never loads the catalogue of
sentences). Nothing is written before a file is read, so nothing is lost.

The worker is a fresh interpreter (``python -m metrics.sheets.isolation``), not a fork of the app's
process: a fork would copy the app's threads' locks, and a multiprocessing child would run the
app's script again. It receives the file on its standard input and answers on its standard
output with progress messages and then the parsed file (pickled: both ends are this module).
``IMPACT_PARSE_IN_PROCESS=1`` reads in the calling process instead (a debugger, a profile).
"""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
import threading
from typing import TYPE_CHECKING, Any

from metrics.base import config, limits
from metrics.base.errors import MetricsError, SpreadsheetError

if TYPE_CHECKING:  # the readers load in the worker, while it waits for its file
    from metrics.sheets.parsed import Parsed, Progress

ENV_IN_PROCESS = "IMPACT_PARSE_IN_PROCESS"
_TIME_SIGNAL = 24  # SIGXCPU: the CPU time limit was reached
_spare: subprocess.Popen[bytes] | None = None
_spare_lock = threading.Lock()


def _start() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "metrics.sheets.isolation"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=config.ROOT,
    )


def warm() -> None:
    """Start a worker now, so that the next file is read without waiting for one to load its
    readers (a third of a second): the CLI calls it before opening the database, the data page
    when it shows its upload box. A worker waits idle for its file, under its limits."""
    global _spare
    if os.environ.get(ENV_IN_PROCESS) == "1":
        return
    with _spare_lock:
        if _spare is None or _spare.poll() is not None:
            _spare = _start()


def _worker() -> subprocess.Popen[bytes]:
    """The spare worker if one is ready, else a new one."""
    global _spare
    with _spare_lock:
        worker, _spare = _spare, None
    if worker is not None and worker.poll() is None:
        return worker
    return _start()


def parse(content: bytes, file_name: str, progress: Progress | None = None) -> Parsed:
    """``ingest.parse`` in a worker process under ``limits.MAX_PARSE_MB`` of memory and
    ``limits.MAX_PARSE_SECONDS`` of time. Raises ``SpreadsheetError`` when the worker is
    stopped by a limit or dies, as ``ingest.parse`` does when a file cannot be read."""
    if os.environ.get(ENV_IN_PROCESS) == "1":
        from metrics.sheets import ingest

        return ingest.parse(content, file_name, progress)
    worker = _worker()
    # The wall clock, beside the kernel's CPU limit (a reader blocked, not computing).
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        worker.kill()

    watchdog = threading.Timer(limits.MAX_PARSE_SECONDS + 10, stop)
    watchdog.daemon = True
    watchdog.start()
    try:
        assert worker.stdin is not None and worker.stdout is not None
        try:
            pickle.dump((content, file_name), worker.stdin, protocol=5)
            worker.stdin.close()
        except BrokenPipeError:
            pass  # the worker died at once: its exit code says why, below
        while True:
            try:
                kind, *rest = pickle.load(worker.stdout)
            except (EOFError, pickle.UnpicklingError):
                break
            if kind == "progress":
                if progress is not None:
                    progress(*rest)
            elif kind == "parsed":
                parsed: Parsed = rest[0]
                parsed.content = content  # not sent back: the caller holds it
                return parsed
            elif kind == "refused":
                raise rest[0]
            elif kind == "memory":
                raise _stopped("err.parse_memory", file_name)
            else:
                raise SpreadsheetError.of("err.parse_failed", file=file_name)
        code = worker.wait()
        # Killed: by the watchdog or the CPU limit (time), or by an allocation beyond the
        # limit that the reader could not survive (SIGABRT, SIGSEGV).
        if timed_out.is_set() or code == -_TIME_SIGNAL:
            raise _stopped("err.parse_time", file_name)
        raise _stopped("err.parse_memory", file_name)
    finally:
        watchdog.cancel()
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        worker.stdout.close()  # type: ignore[union-attr]


def _stopped(key: str, file_name: str) -> SpreadsheetError:
    return SpreadsheetError.of(
        key,
        file=file_name,
        memory=limits.MAX_PARSE_MB,
        seconds=limits.MAX_PARSE_SECONDS,
    )


def _serve() -> None:
    """The worker: cap memory and CPU time, read the request, send the result (or why not)."""
    memory = limits.MAX_PARSE_MB * limits.MB
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits.MAX_PARSE_SECONDS
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    answer = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers on the channel

    def send(*message: Any) -> None:
        pickle.dump(message, answer, protocol=5)
        answer.flush()

    try:
        # The readers load while the worker waits for its file (a spare worker is started
        # ahead: see ``warm``), not after the file has come.
        from metrics.sheets import ingest

        content, file_name = pickle.load(sys.stdin.buffer)
        parsed = ingest.parse(content, file_name, lambda f, s: send("progress", f, s))
        parsed.content = b""
        send("parsed", parsed)
    except MetricsError as e:
        send("refused", e)
    except MemoryError:
        send("memory")
    except Exception as e:  # the worker reports; the caller refuses cleanly
        send("memory" if _out_of_resources(e) else "failed")


# How the libraries under the readers say that the limit was reached (Arrow, DuckDB, the C++
# allocator, a thread whose stack no longer fits in the address space).
_RESOURCE_WORDS = ("memory", "bad_alloc", "malloc", "resource temporarily unavailable")


def _out_of_resources(error: Exception) -> bool:
    text = f"{type(error).__name__} {error}".lower()
    return any(word in text for word in _RESOURCE_WORDS)


if __name__ == "__main__":
    _serve()
