"""A fake group-robot webhook on loopback: answers from a script of replies and keeps every request it got."""

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    query: dict
    payload: dict


@dataclass
class FakeRobot:
    """Replies are (status, JSON body) pairs used in order; the last one repeats."""

    replies: list = field(default_factory=lambda: [(200, {"errcode": 0, "errmsg": "ok"})])
    secret: str = ""
    received: list = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/robot/send?access_token=t0ken"

    def sign_ok(self, query: dict) -> bool:
        """The DingTalk check: our own HMAC of "timestamp\\nsecret" must equal the request's sign."""
        timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
        digest = hmac.new(self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256).digest()
        return bool(timestamp) and sign == base64.b64encode(digest).decode()

    def reply(self) -> tuple[int, dict]:
        return self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]


def start(robot: FakeRobot) -> FakeRobot:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length", 0))
            parts = urlsplit(self.path)
            payload = json.loads(self.rfile.read(length))
            robot.received.append(Received(parts.path, parse_qs(parts.query), payload))
            status, body = robot.reply()
            if robot.secret and not robot.sign_ok(parse_qs(parts.query)):
                status, body = 200, {"errcode": 310000, "errmsg": "sign not match"}
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    robot.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=robot.server.serve_forever, daemon=True).start()
    return robot
