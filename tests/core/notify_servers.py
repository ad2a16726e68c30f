"""Real local servers for the notification tests: the WhatsApp Business Cloud API's message endpoint and SMTP.

The fake Cloud API checks what the real one checks first (the path with the phone-number id, the Bearer token,
the JSON template message) and answers from a script: 200 with a message id, the documented error bodies with
400 or 500, or no answer in time (a timeout).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

PHONE_NUMBER_ID = "106540352242922"
TOKEN = "EAAtest-token"  # noqa: S105 - the fake server's own token

# The Graph API error body (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
ERRORS = {
    400: {
        "error": {
            "message": "(#131026) Message Undeliverable",
            "type": "OAuthException",
            "code": 131026,
            "error_data": {"messaging_product": "whatsapp", "details": "Message Undeliverable."},
            "fbtrace_id": "Az8or2yhqkZfEZ-_4Qn_Bam",
        }
    },
    401: {
        "error": {
            "message": "Error validating access token",
            "type": "OAuthException",
            "code": 190,
            "fbtrace_id": "A1Z2",
        }
    },
    500: {
        "error": {
            "message": "(#131000) Something went wrong",
            "type": "OAuthException",
            "code": 131000,
            "error_data": {"messaging_product": "whatsapp", "details": "Something went wrong"},
            "fbtrace_id": "B3Y4",
        }
    },
}


@dataclass
class CloudApi:
    """The script (one answer per request: 200, 400, 500 or "timeout") and the requests that arrived."""

    url: str = ""
    script: list[Any] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)
    sleep: float = 2.0

    def next_answer(self) -> Any:
        return self.script.pop(0) if self.script else 200


def _handler(api: CloudApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            api.received.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
            if self.path != f"/v21.0/{PHONE_NUMBER_ID}/messages":
                return self._answer(400, {"error": {"message": "Unsupported post request", "code": 100}})
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                return self._answer(401, ERRORS[401])
            template = body.get("template", {})
            if body.get("messaging_product") != "whatsapp" or body.get("type") != "template" or not template:
                return self._answer(400, {"error": {"message": "(#100) Invalid parameter", "code": 100}})
            answer = api.next_answer()
            if answer == "timeout":
                time.sleep(api.sleep)
                return self._answer(200, {})
            if answer == 200:
                return self._answer(
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                        "messages": [{"id": f"wamid.HBgM{len(api.received)}"}],
                    },
                )
            return self._answer(int(answer), ERRORS[int(answer)])

    return Handler


def cloud_api_server() -> Iterator[CloudApi]:
    api = CloudApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}/v21.0"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()


class Inbox:
    """What arrived at the local SMTP server."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's API
        self.messages.append(
            {
                "from": envelope.mail_from,
                "to": list(envelope.rcpt_tos),
                "data": envelope.content.decode("utf-8", errors="replace"),
            }
        )
        return "250 Message accepted for delivery"


def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    with socket.socket() as probe:  # a free port (the controller's own start-up check cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def sms_gateway_server() -> Iterator[CloudApi]:
    """An SMS gateway: takes {"to", "text"} with a Bearer token and answers from the same kind of script."""
    api = CloudApi()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            api.received.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
            answer = api.next_answer()
            status, data = (200, {"message_id": f"sms-{len(api.received)}"}) if answer == 200 else (answer, {})
            encoded = json.dumps(data).encode()
            self.send_response(int(status))
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    api.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
