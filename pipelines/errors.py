"""Errors a user can act on: each names the file and says what is wrong, in French."""


class InputError(Exception):
    """A file that cannot be loaded as it is (unknown, damaged, missing columns, bad values)."""

    def __init__(self, file, problem: str, details: str = ""):
        self.file = str(file)
        super().__init__(f"{self.file} : {problem}" + (f"\n{details}" if details else ""))


class BuildError(Exception):
    """A build that did not pass its checks; the previous marts are still in place."""
