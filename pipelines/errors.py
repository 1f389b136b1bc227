"""Errors a user can act on: each names the file and says what is wrong, in French."""

import errno
import re
from contextlib import contextmanager


class InputError(Exception):
    """A file that cannot be loaded as it is (unknown, damaged, missing columns, bad values)."""

    def __init__(self, file, problem: str, details: str = ""):
        self.file = str(file)
        super().__init__(f"{self.file} : {problem}" + (f"\n{details}" if details else ""))


class BuildError(Exception):
    """A build that did not pass its checks; the previous marts are still in place."""


class DownloadError(Exception):
    """A download or API call that failed. Any previous file at the destination is untouched.

    The message names the URL (secrets masked), the problem in French, the HTTP status if
    there was one, and the first bytes of the body the server sent.
    """

    def __init__(self, url: str, problem: str, *, status: int | None = None,
                 body: str = "", detail: str = "", attempts: int | None = None):
        self.url = url
        self.status = status
        self.body = body
        self.detail = detail
        self.attempts = attempts
        message = f"{url} : {problem}"
        if status is not None:
            message += f" (HTTP {status})"
        if attempts is not None:
            plural = "s" if attempts > 1 else ""
            message += f" ; abandon après {attempts} tentative{plural}"
        if detail:
            message += f"\n{detail}"
        if body:
            message += f"\ndébut de la réponse : {body!r}"
        super().__init__(message)


class OfflineError(DownloadError):
    """A download given up without retries, or not tried, because the machine has no network: this host and
    the other publishers tried could not even be connected to (DNS failure, connection refused, network
    unreachable, connect timeout). `hosts`: the hosts tried, none of which answered."""

    def __init__(self, url: str, hosts: list[str], *, detail: str = "", attempts: int | None = None):
        self.hosts = list(hosts)
        super().__init__(url, f"pas de connexion réseau : aucun éditeur n'a répondu ({', '.join(self.hosts)})",
                         detail=detail, attempts=attempts)


class StorageError(Exception):
    """A write into the data folder that failed (disk full, read-only folder...): the command changed nothing, and
    its message says so (`consequence`). Raised by `writing()`."""


# Why a write failed, by errno; libraries that do not set errno (DuckDB, Arrow) are read by the C library's text.
STORAGE_PROBLEMS = {
    errno.ENOSPC: ("disque plein", "No space left on device"),
    errno.EDQUOT: ("quota disque dépassé", "Disk quota exceeded"),
    errno.EROFS: ("dossier en lecture seule (système de fichiers monté en lecture seule)", "Read-only file system"),
    errno.EACCES: ("dossier en lecture seule (droit d'écriture refusé)", "Permission denied"),
    errno.EPERM: ("dossier en lecture seule (opération non permise)", "Operation not permitted"),
    errno.EFBIG: ("fichier trop grand (limite de taille de fichier atteinte)", "File too large"),
}


def storage_error(error: BaseException, consequence: str = "") -> StorageError | None:
    """The StorageError that `error` stands for: any OSError, or another library's error naming a full disk or a
    read-only folder; None for any other error."""
    problem = None
    if isinstance(error, OSError):
        problem = STORAGE_PROBLEMS.get(error.errno, (None,))[0]
        problem = problem or f"opération sur le disque impossible ({error.strerror or error})"
        file = error.filename
    else:
        text = str(error)
        problem = next((name for name, words in STORAGE_PROBLEMS.values() if words in text), None)
        if problem is None:
            return None
        quoted = re.search(r'"([^"]+)"', text)
        file = quoted.group(1) if quoted else None
    where = f" : impossible d'écrire {file}" if file else ""
    return StorageError(f"{problem}{where}" + (f" ; {consequence}" if consequence else ""))


@contextmanager
def writing(consequence: str):
    """Turn a failed write inside the block into a StorageError saying what happened, in French, then
    `consequence` (what stayed as it was)."""
    try:
        yield
    except StorageError:
        raise
    except Exception as error:
        storage = storage_error(error, consequence)
        if storage is None:
            raise
        raise storage from error
