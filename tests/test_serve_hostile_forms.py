"""Whatever body a phone or anyone on the Wi-Fi posts, `slp serve` answers with a page in the room's language, never a 500.

Bodies are generated: raw bytes, fields with hostile names and values, with and without the right
CSRF token (so that they reach the answer, join and moderator code), and more fields than any form has.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytest.importorskip("starlette", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")
pytest.importorskip("uvicorn", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")

from serve_support import MANY, Phone, start_workshop  # noqa: E402
from slp_assess.i18n import MESSAGES  # noqa: E402
from slp_assess.loading import QuestionnaireCatalog, load_answer_file  # noqa: E402
from slp_assess.serve.security import MAX_FIELDS  # noqa: E402

REFUSED_TEXTS = {lang: [text[lang] for key, text in MESSAGES.items() if key.startswith("serve.refused.")] for lang in ("de", "en")}


def _many_fields(csrf: str, step: str, count: int) -> bytes:
    return (f"csrf={csrf}&step={step}&value=3&" + "&".join(f"x={n}" for n in range(count))).encode()


@pytest.mark.parametrize("lang", ["de", "en"])
def test_more_fields_than_any_form_has_get_the_refused_form_page(tmp_path, capfd, lang):
    server = start_workshop(tmp_path / "ws", "self", lang, limits=MANY)
    try:
        phone = Phone(server.port)
        page = phone.join(server, "Anna", "stadt")  # type: ignore[arg-type]
        reply = phone.request("POST", f"{server.join_path}/answer", _many_fields(page.csrf(), page.step() or "", 70))
        assert reply.status == 400 and MESSAGES["serve.refused.form"][lang] in reply.body
        assert server.workshop.state.seats[0].answered == 0
        fresh = Phone(server.port)
        form = fresh.get(f"{server.join_path}/").csrf()
        crowded = f"csrf={form}&name=Eve&side=stadt&".encode() + b"&".join(b"y=%d" % n for n in range(MAX_FIELDS))
        assert fresh.request("POST", f"{server.join_path}/join", crowded).status == 400
        presenter = Phone(server.port)
        form = presenter.get(f"{server.presenter_path}/").csrf()
        assert presenter.request("POST", f"{server.presenter_path}/moderate", _many_fields(form, "next", 200)).status == 400
        assert [s.participant.name for s in server.workshop.state.seats] == ["Anna"] and server.workshop.state.position == 0
    finally:
        server.stop()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ERROR" not in err


TEXT = st.characters(exclude_categories=["Cs"])  # a browser cannot send a lone surrogate
NAMES = st.sampled_from(["csrf", "step", "value", "note", "text", "action", "name", "side", "", "value[]", "csrf "]) | st.text(TEXT, max_size=8)
WORDS = st.sampled_from(["answer", "back", "skip", "next", "prev", "reveal", "finish", "self", "moderated", "n/a", "3", "stadt", "land", ""])


@st.composite
def _bodies(draw, csrf: str, step: str) -> bytes:
    """A body as a browser never sends it: bytes, hostile fields, or too many fields, often with the right token."""
    kind = draw(st.sampled_from(["bytes", "fields", "signed", "crowded"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "crowded":
        return _many_fields(csrf, step, draw(st.integers(MAX_FIELDS - 3, 4 * MAX_FIELDS)))
    fields = draw(st.lists(st.tuples(NAMES, WORDS | st.text(TEXT, max_size=60)), max_size=12))
    if kind == "signed":
        fields = [("csrf", csrf), ("step", step), *fields]
    return urlencode(fields).encode()


def test_generated_hostile_bodies_never_give_a_500_or_a_traceback(tmp_path, capfd):
    server = start_workshop(tmp_path / "ws", "self", "de", limits=MANY)
    try:
        phone, joiner, presenter = Phone(server.port), Phone(server.port), Phone(server.port)
        page = phone.join(server, "Anna", "stadt")  # type: ignore[arg-type]
        join_form = joiner.get(f"{server.join_path}/").csrf()
        stranger = dict(joiner.cookies)
        targets = {
            "answer": (phone, f"{server.join_path}/answer", page.csrf(), page.step() or ""),
            "join": (joiner, f"{server.join_path}/join", join_form, ""),
            "moderate": (presenter, f"{server.presenter_path}/moderate", presenter.get(f"{server.presenter_path}/").csrf(), "next"),
        }

        @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
        @given(target=st.sampled_from(sorted(targets)), data=st.data())
        def post(target: str, data: st.DataObject) -> None:
            who, path, csrf, step = targets[target]
            body = data.draw(_bodies(csrf, step))
            reply = who.request("POST", path, body)
            seen.add(reply.status)
            assert reply.status in (200, 303) or 400 <= reply.status < 500, (reply.status, body)
            if reply.status >= 400:
                assert any(text in reply.body for text in REFUSED_TEXTS["de"]), reply.body
            if who is joiner:  # a stranger again, with the cookie its join form is signed for
                joiner.cookies = dict(stranger)

        seen: set[int] = set()
        post()
        assert {303, 400, 403} <= seen  # the bodies got past the token to the answers, and were refused before it
        # Every answer file written meanwhile is valid for the questionnaire.
        for seat in server.workshop.state.seats:
            load_answer_file(Path(server.workshop.folder) / seat.file, QuestionnaireCatalog())
    finally:
        server.stop()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "ERROR" not in err
