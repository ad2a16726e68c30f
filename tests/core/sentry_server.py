"""A local Sentry-compatible receiver: what sentry-sdk sends to a DSN, decoded as Sentry's ingest would (the envelope
endpoint, gzip or brotli bodies; https://develop.sentry.dev/sdk/data-model/envelopes/)."""

from __future__ import annotations

import gzip
import json
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    dsn: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)
    auth: list[str] = field(default_factory=list)


def _decode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        import brotli

        return bytes(brotli.decompress(body))
    return body


def _items(envelope: bytes) -> Iterator[tuple[dict[str, Any], bytes]]:
    """The (item header, payload) pairs of an envelope: a header line, then per item a header line and its payload
    (`length` bytes when given, else up to the next newline)."""
    _header, _newline, rest = envelope.partition(b"\n")
    while rest.strip():
        line, _newline, rest = rest.partition(b"\n")
        header = json.loads(line)
        length = header.get("length")
        if length is None:
            payload, _newline, rest = rest.partition(b"\n")
        else:
            payload, rest = rest[:length], rest[length:].lstrip(b"\n")
        yield header, payload


def sentry_receiver() -> Iterator[Receiver]:
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            data = _decode(body, self.headers.get("Content-Encoding", ""))
            received.raw.append(data)
            received.auth.append(self.headers.get("X-Sentry-Auth", ""))
            if self.path.endswith("/envelope/"):
                for header, payload in _items(data):
                    if header.get("type") == "event":
                        received.events.append(json.loads(payload))
            elif self.path.endswith("/store/"):
                received.events.append(json.loads(data))
            answer = json.dumps({"id": "0" * 32}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.dsn = f"http://public@127.0.0.1:{server.server_address[1]}/42"
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()
