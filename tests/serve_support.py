"""A real `slp serve` on loopback for tests and benchmarks, and a phone that speaks plain HTTP to it.

The server is uvicorn in a thread, bound to 127.0.0.1 on a free port; the phone is http.client
with a cookie jar of its own, so every request goes through the same sockets, headers and limits
as a phone in the room.
"""

from __future__ import annotations

import http.client
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import uvicorn

from slp_assess.loading import load_questionnaire
from slp_assess.serve.app import create_app
from slp_assess.serve.room import Workshop
from slp_assess.serve.security import Limits

# Rate limits no test meets: tests that are not about the limits send requests as fast as they can.
MANY = Limits(joins=(10_000, 1000.0), answers=(10_000, 1000.0), requests=(10_000, 1000.0))
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
STEP = re.compile(r'name="step" value="([^"]+)"')


class LiveServer:
    """``slp serve``'s app for one workshop, listening on 127.0.0.1:PORT until ``stop``."""

    def __init__(self, workshop: Workshop, limits: Limits | None = None, poll_ms: int = 1500) -> None:
        self.workshop = workshop
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        self.port = listener.getsockname()[1]
        config = uvicorn.Config(create_app(workshop, limits, poll_ms), log_level="warning", access_log=False, lifespan="off",
                                proxy_headers=False, server_header=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [listener]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.01)

    @property
    def join_path(self) -> str:
        return f"/w/{self.workshop.room.join_token}"

    @property
    def presenter_path(self) -> str:
        return f"/p/{self.workshop.room.presenter_token}"

    def stop(self, close: bool = True) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        if close:
            self.workshop.close()


def start_workshop(folder: Path, mode: str = "moderated", lang: str = "de", questionnaire: str = "slp-quickcheck",
                   limits: Limits | None = None, poll_ms: int = 1500) -> LiveServer:
    q = load_questionnaire(questionnaire)
    return LiveServer(Workshop.create(q, folder, "Lindenau", lang, mode, force=False), limits, poll_ms)  # type: ignore[arg-type]


@contextmanager
def workshops(folder: Path, default_mode: str) -> Iterator[Callable[..., LiveServer]]:
    """Start workshops in ``folder`` (``start(mode, limits, lang)``); every one still running is stopped at the end."""
    servers: list[LiveServer] = []

    def start(mode: str = default_mode, limits: Limits | None = MANY, lang: str = "de") -> LiveServer:
        server = start_workshop(folder, mode, lang, limits=limits)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            if server.thread.is_alive():
                server.stop()


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: str

    def csrf(self) -> str:
        match = CSRF.search(self.body)
        assert match, self.body[:500]
        return match.group(1)

    def step(self) -> str | None:
        match = STEP.search(self.body)
        return match.group(1) if match else None


@dataclass
class Phone:
    """One participant's browser, reduced to what matters here: cookies and forms."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        text = response.read().decode("utf-8")
        for header in response.headers.get_all("set-cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or morsel.value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        connection.close()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, text)

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str] | list[tuple[str, str]], follow: bool = True) -> Reply:
        reply = self.request("POST", path, urlencode(fields).encode())
        if follow and reply.status == 303:
            return self.get(reply.headers["location"])
        return reply

    def join(self, server: LiveServer, name: str, side: str) -> Reply:
        page = self.get(f"{server.join_path}/")
        return self.post(f"{server.join_path}/join", {"csrf": page.csrf(), "name": name, "side": side})

    def answer(self, server: LiveServer, page: Reply, value: str | list[str], note: str = "") -> Reply:
        fields: list[tuple[str, str]] = [("csrf", page.csrf()), ("step", page.step() or ""), ("action", "answer"), ("note", note)]
        values = value if isinstance(value, list) else [value]
        fields += [("text", v) for v in values] if "<textarea id=\"text\"" in page.body else [("value", v) for v in values]
        return self.post(f"{server.join_path}/answer", fields)
