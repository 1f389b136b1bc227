"""A scriptable HTTP server on 127.0.0.1 for the HTTP-layer tests: the faults real portals throw.

Each path serves a queue of planned replies, one per request, then its `always` reply if any (else a
404 saying the request was not planned). A reply can wait before answering (read timeouts), send only
part of its body then close the connection (drops), or stall mid-body (a read timeout mid-download).
Every request is recorded with its headers, so tests can check what the client sent.

    with FaultServer() as server:
        server.plan("/data.csv", Reply(500, b"oops"), Reply(body=b"a;b\\n1;2\\n"))
        download(server.url("/data.csv"), ...)
        assert len(server.requests("/data.csv")) == 2
"""

import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before sending anything (a read timeout before the headers)
    drop_after: int | None = None  # send only this many body bytes, then close the connection
    stall: float = 0.0  # with drop_after: seconds to wait before closing (a read timeout mid-body)
    chunked: bool = False  # Transfer-Encoding: chunked instead of Content-Length


@dataclass
class Seen:
    method: str
    path: str  # with its query string, as sent
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class FaultServer:
    def __init__(self):
        self._lock = threading.Lock()
        self._planned: dict[str, deque[Reply]] = {}
        self._always: dict[str, Reply] = {}
        self.seen: list[Seen] = []
        self.stopping = threading.Event()  # wakes handlers that are waiting, so close() is quick
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fault = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def plan(self, path: str, *replies: Reply) -> None:
        """Serve these replies, one per request, in order."""
        with self._lock:
            self._planned.setdefault(path, deque()).extend(replies)

    def always(self, path: str, reply: Reply) -> None:
        """Serve this reply to every request once the planned ones are used up."""
        with self._lock:
            self._always[path] = reply

    def requests(self, path: str) -> list[Seen]:
        with self._lock:
            return [seen for seen in self.seen if urlsplit(seen.path).path == path]

    def _next(self, seen: Seen) -> Reply:
        path = urlsplit(seen.path).path
        with self._lock:
            self.seen.append(seen)
            queue = self._planned.get(path)
            if queue:
                return queue.popleft()
            return self._always.get(path) or Reply(404, f"unplanned request: {seen.method} {path}".encode())

    def close(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FaultServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # the client keeps idle keep-alive connections open: do not wait for them
    fault: FaultServer

    def handle_error(self, request, client_address):
        pass  # a client that gave up (timeout) makes writes fail: expected here, not worth a traceback


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and Content-Length, as real servers
    timeout = 5  # an idle keep-alive connection ends its thread after this many seconds

    def log_message(self, format, *args):
        pass  # quiet tests

    def do_GET(self):
        self._answer()

    def do_POST(self):
        self._answer()

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault: FaultServer = self.server.fault
        reply = fault._next(Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        if reply.delay and fault.stopping.wait(reply.delay):
            self.close_connection = True
            return
        try:
            self._send(reply, fault)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, reply: Reply, fault: FaultServer):
        self.send_response(reply.status)
        has_body = reply.status not in (204, 304)
        headers = dict(reply.headers)
        if has_body and reply.chunked:
            headers.setdefault("Transfer-Encoding", "chunked")
        elif has_body:
            headers.setdefault("Content-Length", str(len(reply.body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if not has_body:
            return
        body = reply.body if reply.drop_after is None else reply.body[: reply.drop_after]
        if reply.chunked:
            for start in range(0, len(body), 1000):
                piece = body[start:start + 1000]
                self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            if reply.drop_after is None:
                self.wfile.write(b"0\r\n\r\n")
        else:
            self.wfile.write(body)
        self.wfile.flush()
        if reply.drop_after is not None:
            if reply.stall:
                fault.stopping.wait(reply.stall)
            self.close_connection = True  # the server closes the socket: the client sees a short body
