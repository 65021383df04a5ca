"""What keeps a workshop safe on a hotel Wi-Fi: secrets compared in constant time, signed forms,
bounded bodies and texts, rate limits per client, and headers that keep the pages to themselves.

Threat model: anyone on the same network may send any request. Without the join token (192 random
bits, in the URL shown on the projector) they get nothing but 404; with it they can join and
answer as themselves, never as someone else (each phone holds its own token in an HttpOnly
cookie); only the presenter token moves the room. Names and notes are text, escaped wherever they
appear, and become file names only through ``naming.slug``.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

MAX_BODY = 8 * 1024
MAX_NAME = 60
MAX_NOTE = 500
MAX_TEXT = 500
# The longest form (a multiple-choice question) has csrf, step, action, note and one field per option.
MAX_FIELDS = 64

SECURITY_HEADERS = {
    # No inline script or style at all: JS and CSS come from files served by route.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def same_secret(given: str | None, expected: str) -> bool:
    """``given == expected`` in time that does not depend on where they differ."""
    if given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8"))


def csrf_token(secret: str, purpose: str, binding: str) -> str:
    """The token a form carries: an HMAC of what the form is for and whom it belongs to."""
    digest = hmac.new(secret.encode(), f"{purpose}\x00{binding}".encode("utf-8", "replace"), hashlib.sha256)
    return digest.hexdigest()[:40]


def csrf_ok(secret: str, purpose: str, binding: str | None, given: str | None) -> bool:
    """Whether a submitted form carries the token made for it."""
    if not binding:
        return False
    return same_secret(given, csrf_token(secret, purpose, binding))


class FormRefused(Exception):
    """A request body no form of ours sends; ``reason`` names the ``serve.refused.*`` text, ``status`` the HTTP status."""

    reason = "form"
    status = 400


class BodyTooLarge(FormRefused):
    """A request body over ``MAX_BODY``."""

    reason = "large"
    status = 413


class TooManyFields(FormRefused):
    """More fields than ``MAX_FIELDS``."""


def parse_form(body: bytes) -> dict[str, list[str]]:
    """An ``application/x-www-form-urlencoded`` body as lists of values per field (invalid UTF-8 becomes U+FFFD)."""
    if len(body) > MAX_BODY:
        raise BodyTooLarge
    form: dict[str, list[str]] = {}
    try:
        fields = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FIELDS)
    except ValueError:  # the only thing parse_qsl refuses here: more than max_num_fields
        raise TooManyFields from None
    for key, value in fields:
        form.setdefault(key, []).append(value)
    return form


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def clean_line(text: str, limit: int) -> str:
    """One line of user text: control characters and line breaks become spaces, runs of space one, cut to ``limit``."""
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    return " ".join(text.split())[:limit]


def clean_note(text: str, limit: int) -> str:
    """A note: line breaks kept, other control characters dropped, cut to ``limit``."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text).strip()[:limit]


@dataclass(frozen=True)
class Limits:
    """Token buckets: ``burst`` requests at once, then ``per_second``.

    Attributes:
        joins: joins per client address.
        answers: answers per participant.
        requests: all requests per client address.
    """

    joins: tuple[float, float] = (10, 0.2)
    answers: tuple[float, float] = (30, 3.0)
    requests: tuple[float, float] = (300, 50.0)


@dataclass
class RateLimiter:
    """An in-memory token bucket per key; old keys are forgotten so memory stays bounded."""

    burst: float
    per_second: float
    clock: object = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: str) -> bool:
        """Take one token for ``key``; False when its bucket is empty."""
        now = self.clock()  # type: ignore[operator]
        with self._lock:
            tokens, since = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - since) * self.per_second)
            if len(self._buckets) > 10_000:
                self._buckets.clear()
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1, now)
            return True
