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


# What an operating-system error means, in French, by errno: one table for reads and writes, so that the C
# library's English text (strerror) never reaches a user. The second item is that English text, to recognise the
# error in the message of a library that does not set errno (DuckDB, Arrow).
SYSTEM_PROBLEMS = {
    errno.ENOENT: ("fichier ou dossier introuvable", "No such file or directory"),
    errno.EACCES: ("permission refusée", "Permission denied"),
    errno.EPERM: ("opération non permise", "Operation not permitted"),
    errno.EISDIR: ("c'est un dossier, pas un fichier", "Is a directory"),
    errno.ENOTDIR: ("un élément du chemin n'est pas un dossier", "Not a directory"),
    errno.EIO: ("erreur d'entrée-sortie (disque ou clé USB défaillant ou retiré ?)", "Input/output error"),
    errno.ENOSPC: ("disque plein", "No space left on device"),
    errno.EDQUOT: ("quota disque dépassé", "Disk quota exceeded"),
    errno.EROFS: ("système de fichiers en lecture seule", "Read-only file system"),
    errno.EFBIG: ("fichier trop grand (limite de taille de fichier atteinte)", "File too large"),
    errno.ELOOP: ("trop de liens symboliques (un lien qui mène à lui-même ?)", "Too many levels of symbolic links"),
    errno.ENAMETOOLONG: ("nom de fichier trop long", "File name too long"),
    errno.EMFILE: ("trop de fichiers ouverts par la commande", "Too many open files"),
    errno.ENFILE: ("trop de fichiers ouverts sur la machine", "Too many open files in system"),
    errno.ENOMEM: ("mémoire insuffisante", "Cannot allocate memory"),
    errno.EBUSY: ("fichier ou périphérique occupé", "Device or resource busy"),
    errno.ETXTBSY: ("fichier occupé par un programme", "Text file busy"),
    errno.EEXIST: ("le fichier existe déjà", "File exists"),
    errno.ENOTEMPTY: ("dossier non vide", "Directory not empty"),
    errno.EXDEV: ("déplacement impossible d'un disque à un autre", "Invalid cross-device link"),
    errno.ENXIO: ("périphérique absent", "No such device or address"),
    errno.ENODEV: ("périphérique absent", "No such device"),
    errno.EINVAL: ("opération invalide sur ce fichier", "Invalid argument"),
    errno.EAGAIN: ("ressource momentanément indisponible : réessayez", "Resource temporarily unavailable"),
    errno.ETIMEDOUT: ("délai dépassé (disque réseau ?)", "Connection timed out"),
    errno.ESTALE: ("fichier réseau périmé (disque réseau déconnecté ?)", "Stale file handle"),
}
# On a write, these mean that the data folder cannot be written to: said so.
WRITE_PROBLEMS = {
    errno.EROFS: "dossier en lecture seule (système de fichiers monté en lecture seule)",
    errno.EACCES: "dossier en lecture seule (droit d'écriture refusé)",
    errno.EPERM: "dossier en lecture seule (opération non permise)",
}


# The errors recognised by their English text in another library's message: those of a disk that cannot be
# written to (any other English text may be a word of an unrelated message).
STORAGE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EFBIG)


def _errno_of(error: BaseException) -> int | None:
    """The errno of an OSError, else the one of STORAGE_ERRNOS whose English text the message holds; or None."""
    if isinstance(error, OSError) and error.errno is not None:
        return error.errno
    text = str(error)
    return next((number for number in STORAGE_ERRNOS if SYSTEM_PROBLEMS[number][1] in text), None)


def system_problem(error: BaseException, write: bool = False) -> str:
    """What went wrong with a file, in French (`write`: while writing it): by errno, else by the English text
    of a known one, else a generic text naming the errno's code, never the English explanation."""
    number = _errno_of(error)
    if write and number in WRITE_PROBLEMS:
        return WRITE_PROBLEMS[number]
    if number in SYSTEM_PROBLEMS:
        return SYSTEM_PROBLEMS[number][0]
    code = errno.errorcode.get(number) if number is not None else None
    return "erreur du système de fichiers" + (f" (code {code})" if code else "")


def storage_error(error: BaseException, consequence: str = "") -> StorageError | None:
    """The StorageError that `error` stands for: any OSError, or another library's error naming a full disk or a
    read-only folder (STORAGE_ERRNOS); None for any other error."""
    if isinstance(error, OSError):
        file = error.filename
    elif _errno_of(error) is not None:
        quoted = re.search(r'"([^"]+)"', str(error))
        file = quoted.group(1) if quoted else None
    else:
        return None
    where = f" : impossible d'écrire {file}" if file else ""
    return StorageError(f"{system_problem(error, write=True)}{where}" + (f" ; {consequence}" if consequence else ""))


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
