"""One writer at a time in the data folder.

Every command that writes under data/ (`import`, `fetch`, `build`, `make demo`) holds an exclusive OS lock
(flock) on data/.writing.lock for its whole run, so that two of them never read and rewrite the manifest or
the marts over each other. A second writer waits, says so, and gives up after WAIT_ENV seconds (`build
--si-besoin`, with marts in service, does not wait: `make run` starts the dashboard on those). The kernel
releases the lock when its process ends, however it ends (kill -9 too): there is no stale lock to remove.
Readers (the dashboard, `figures`, `export`, `status`) never take it: the marts are replaced atomically.

The lock file also says who holds it (command, pid, start time), for the message of the one that waits."""

import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from pipelines import errors, paths
from pipelines.frformat import PARIS, fmt_decimal

WAIT_ENV = "ZOOM_SECTEURS_LOCK_WAIT"  # seconds a second writer waits before it is refused
DEFAULT_WAIT = 600.0
POLL = 0.2  # seconds between two tries while waiting

_held = False  # this process holds the lock: a nested writer runs inside it


class Busy(Exception):
    """Another command kept the data folder for longer than this one would wait: nothing was written."""


class Held(Exception):
    """Another command writes the data folder, and this one was asked not to wait (`wait=False`): nothing was
    written. Its message: who holds it, and where ("Une autre commande (fetch, …) écrit dans data/")."""


def wait_limit() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _duration(seconds: float) -> str:
    if seconds >= 60:
        return f"{fmt_decimal(seconds / 60, 0 if seconds % 60 == 0 else 1)} min"
    return f"{fmt_decimal(seconds, 0 if seconds == int(seconds) else 1)} s"


def _holder() -> str:
    """'Une autre commande (import, pid 1234, depuis 14:02:10)', from what the holder wrote in the lock file."""
    try:
        holder = json.loads(paths.LOCK_FILE.read_text(encoding="utf-8"))
        since = datetime.fromisoformat(holder["since"]).astimezone(PARIS).strftime("%H:%M:%S")
        return f"Une autre commande ({holder['command']}, pid {holder['pid']}, depuis {since})"
    except (OSError, ValueError, KeyError, TypeError):  # not written yet, or being written
        return "Une autre commande"


@contextmanager
def writing(command: str, say=lambda message: print(message, file=sys.stderr, flush=True),
            wait: bool = True) -> Iterator[None]:
    """Run the block as the only writer of the data folder: wait for the one there is, for at most
    wait_limit() seconds (then raise Busy); or, with wait=False, not at all (raise Held)."""
    global _held
    if _held:
        yield
        return
    with errors.writing(""):  # a read-only or full data/ is said (StorageError), not a traceback
        paths.LOCK_FILE.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(paths.LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(descriptor, say, wait)
        # Who holds it, for a command that would wait (written only now: truncating before would erase
        # the holder's own line).
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps({"command": command, "pid": os.getpid(),
                                          "since": datetime.now(UTC).isoformat()}).encode(), 0)
        _held = True
        try:
            yield
        finally:
            _held = False
            os.ftruncate(descriptor, 0)
    finally:
        os.close(descriptor)  # releases the lock


def _acquire(descriptor: int, say, wait: bool = True) -> None:
    where = f"{paths.shown(paths.DATA_DIR)}/"
    limit = wait_limit() if wait else 0.0
    deadline = time.monotonic() + limit
    waited = False
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            pass
        if not wait:
            raise Held(f"{_holder()} écrit dans {where}")
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Busy(f"{_holder()} écrit toujours dans {where} après {_duration(limit)} d'attente : commande "
                       f"abandonnée, rien n'a changé ; relancez-la quand l'autre aura fini ({WAIT_ENV} : "
                       "attente en secondes).")
        if not waited:
            say(f"{_holder()} écrit dans {where} : attente (au plus {_duration(limit)})…")
            waited = True
        time.sleep(min(POLL, remaining))
    if waited:
        say(f"Dossier {where} libéré : la commande reprend.")
