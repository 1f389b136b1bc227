"""Errors a user can act on: each names the file and says what is wrong, in French."""


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
