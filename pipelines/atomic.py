"""Writing a file whole or not at all: into a temporary file beside it, then renamed over it (atomic on one
filesystem). Every writer of data/ (import's copies, fetch's downloads, parsed tables, the manifest) goes through
`replacing`, so that what a writer killed mid-way leaves has one name pattern (TEMP_GLOB) for leftovers to find."""

import os
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


@contextmanager
def replacing(destination: Path) -> Iterator[Path]:
    """Yield the path of an empty temporary file beside `destination` (its folder made if need be) for the block
    to write; when the block ends normally, the file gets an ordinary mode and replaces `destination`. On any
    failure, in the block or in the rename, the temporary file is removed and `destination` is untouched."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=destination.parent, prefix=f"{TEMP_PREFIX}{destination.name}.",
                                    suffix=TEMP_SUFFIX)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        give_ordinary_mode(temporary)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
