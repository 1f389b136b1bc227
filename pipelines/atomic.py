"""Writing a file whole or not at all: into a temporary file beside it, then renamed over it (atomic on one
filesystem). Every writer of data/ (import's copies, fetch's downloads, parsed tables, the manifest) goes through
`replacing`, so that what a writer killed mid-way leaves has one name pattern (TEMP_GLOB) for leftovers to find."""

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# A temporary file is ".<destination's name>.<random>.part" beside the destination: hidden, it says which file it
# was to become, and no publisher's file is named so.
TEMP_PREFIX = "."
TEMP_SUFFIX = ".part"
TEMP_GLOB = f"{TEMP_PREFIX}*{TEMP_SUFFIX}"


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (/proc), else set and restored."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def give_ordinary_mode(path: Path) -> None:
    """Give a file the mode of an ordinary new file: 0o666 less the umask, as `open` would. A temporary file is
    private (mkstemp gives 0o600): without this, the file it becomes would be readable by its owner only."""
    os.chmod(path, 0o666 & ~_umask())


# Of the destination's name, what goes into the temporary one: with the prefix and the random part, a name
# near the filesystem's limit (255 bytes) would otherwise be too long for its temporary file.
NAME_KEPT = 100


@contextmanager
def replacing(destination: Path) -> Iterator[Path]:
    """Yield the path of an empty temporary file beside `destination` (its folder made if need be) for the block
    to write; when the block ends normally, the file is flushed to disk (a power cut then leaves the old file or
    the new one, never an empty one), gets an ordinary mode and replaces `destination`. On any failure, in the
    block or in the rename, the temporary file is removed, `destination` is untouched, and an OSError names
    `destination` (not the temporary file, nor a file the block was copying from)."""
    destination = Path(destination)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=destination.parent, suffix=TEMP_SUFFIX,
                                        prefix=f"{TEMP_PREFIX}{destination.name[:NAME_KEPT]}.")
        os.close(handle)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(destination)) from error
    temporary = Path(name)
    try:
        yield temporary
        give_ordinary_mode(temporary)
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.replace(temporary, destination)
        _sync_folder(destination.parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(destination)) from error
    finally:
        temporary.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk; a filesystem that cannot is left as it is."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


@contextmanager
def creating_folder(destination: Path) -> Iterator[Path]:
    """Yield an empty temporary folder beside `destination` (same name pattern as a temporary file) for the block
    to fill; when the block ends normally, its files are flushed to disk, the folder gets an ordinary mode and is
    renamed to `destination`, in one step: a crash leaves the whole folder or none. `destination` must not exist
    (FileExistsError): a folder is never replaced. On any failure the temporary folder is removed. The caller
    holds the data lock (datalock), so that no other writer creates `destination` meanwhile."""
    destination = Path(destination)
    if destination.exists():
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(destination))
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(dir=destination.parent, suffix=TEMP_SUFFIX,
                                          prefix=f"{TEMP_PREFIX}{destination.name[:NAME_KEPT]}."))
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(destination)) from error
    try:
        yield temporary
        for file in temporary.iterdir():
            with open(file, "rb+") as written:
                os.fsync(written.fileno())
        os.chmod(temporary, 0o777 & ~_umask())  # mkdtemp's folder is private (0o700)
        _sync_folder(temporary)
        os.rename(temporary, destination)
        _sync_folder(destination.parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(destination)) from error
    finally:
        shutil.rmtree(temporary, ignore_errors=True)  # gone already once renamed
