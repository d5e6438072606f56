"""A small threaded HTTP server on 127.0.0.1 that hands each request to a fake API."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status,
        json.dumps(data).encode(),
        {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


@dataclass
class Failure:
    """An answer given instead of the real one, `times` times, to requests under `path`."""

    path: str
    status: int
    headers: dict[str, str]
    times: int


class FakeApi:
    """Base of the fakes: records requests, injects failures, checks auth, routes the rest."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.failures: list[Failure] = []
        self.lock = threading.Lock()

    def fail(self, path: str, status: int, times: int = 1, headers: dict[str, str] | None = None):
        """Answer `status` to the next `times` requests whose path starts with `path`."""
        self.failures.append(Failure(path, status, headers or {}, times))

    def authorized(self, request: Request) -> bool:  # pragma: no cover - overridden
        return True

    def route(self, request: Request) -> Response:  # pragma: no cover - overridden
        return json_response({"error": "not found"}, 404)

    def handle(self, request: Request) -> Response:
        with self.lock:
            self.requests.append(request)
            for failure in self.failures:
                if failure.times > 0 and request.path.startswith(failure.path):
                    failure.times -= 1
                    return json_response({"error": "injected"}, failure.status, failure.headers)
            if not self.authorized(request):
                return json_response({"error": "unauthorized"}, 401)
            return self.route(request)


class FakeServer:
    """Serves a FakeApi on 127.0.0.1:<free port> in a background thread."""

    def __init__(self, api: FakeApi) -> None:
        self.api = api
        handler = _handler(api)
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _handler(api: FakeApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            parts = urlsplit(self.path)
            query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            request = Request(
                "GET", parts.path, query, {k.lower(): v for k, v in self.headers.items()}
            )
            response = api.handle(request)
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet test output
            pass

    return Handler
