"""`slp serve` over real HTTP on loopback: joining, answering, saving, restarting, and hostile input.

Each test runs the app in uvicorn on 127.0.0.1 and talks to it like a phone (tests/serve_support.py).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from typer.testing import CliRunner

pytest.importorskip("starlette", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")
pytest.importorskip("uvicorn", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")

from serve_support import MANY, LiveServer, Phone, workshops  # noqa: E402
from slp_assess.cli import app  # noqa: E402
from slp_assess.errors import InvalidInputError  # noqa: E402
from slp_assess.loading import QuestionnaireCatalog, load_answer_file  # noqa: E402
from slp_assess.serve.room import Workshop  # noqa: E402
from slp_assess.serve.security import MAX_BODY, MAX_NAME, MAX_NOTE, Limits  # noqa: E402


def _quickcheck_steps() -> int:
    """Questions a participant of the bundled quick check is asked: its items and context questions."""
    from slp_assess.loading import load_questionnaire

    questionnaire = load_questionnaire("slp-quickcheck")
    return len(questionnaire.items()) + len(questionnaire.context)


STEPS = _quickcheck_steps()


def _third_answer(key: str) -> str:
    """The German label of ``key`` on the scale of the quick check's third question."""
    from slp_assess.loading import load_questionnaire

    questionnaire = load_questionnaire("slp-quickcheck")
    item = questionnaire.items()[2][1]
    return next(o.label["de"] for o in questionnaire.scales[item.scale].options if o.key == key)


THIRD_ANSWER = _third_answer("4")


def _first_scale_ends():
    """The lowest and the highest option of the quick check's first question."""
    from slp_assess.loading import load_questionnaire

    questionnaire = load_questionnaire("slp-quickcheck")
    options = questionnaire.scales[questionnaire.items()[0][1].scale].options
    return options[0], options[-1]


runner = CliRunner()
HEADERS = {
    "content-security-policy": "default-src 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@pytest.fixture
def served(tmp_path):
    with workshops(tmp_path / "ws", "moderated") as start:
        yield start


def _saved(folder: Path, name: str) -> dict:
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


def _assert_headers(headers: dict[str, str]) -> None:
    for name, value in HEADERS.items():
        assert headers[name].startswith(value), name
    assert "unsafe-inline" not in headers["content-security-policy"]


def test_each_answer_is_on_disk_before_the_phone_hears_back(served, tmp_path):
    server = served("self")
    folder = tmp_path / "ws"
    phone = Phone(server.port)
    page = phone.join(server, "Anna Weber", "stadt")
    assert page.status == 200 and f"Frage 1 von {STEPS}" in page.body
    first = page.step()
    page = phone.answer(server, page, "4", note="Ziele stehen im Kreistagsbeschluss")
    # The response came after the save: the file already holds the answer and the note.
    assert _saved(folder, "anna-weber.yaml")["answers"] == {first: {"value": "4", "note": "Ziele stehen im Kreistagsbeschluss"}}
    second = page.step()
    assert second != first and f"Frage 2 von {STEPS}" in page.body
    page = phone.answer(server, page, "n/a")
    assert _saved(folder, "anna-weber.yaml")["answers"][second] == "n/a"
    # The same format as slp assess writes: the loader validates it against the questionnaire.
    answers, _ = load_answer_file(folder / "anna-weber.yaml", QuestionnaireCatalog())
    assert answers.respondent.name == "Anna Weber" and answers.respondent.role == "stadt" and answers.language == "de"
    # Back shows the previous question with the answer given, which can be changed.
    page = phone.post(f"{server.join_path}/answer", {"csrf": page.csrf(), "step": page.step(), "action": "back"})
    assert page.step() == second and 'value="n/a" checked' in page.body
    page = phone.answer(server, page, "2")
    assert _saved(folder, "anna-weber.yaml")["answers"][second] == "2"


def test_moderated_room_reveals_after_everyone_answered_or_when_the_moderator_says_so(served, tmp_path):
    server = served("moderated")
    presenter = Phone(server.port)
    phones = [Phone(server.port) for _ in range(3)]
    pages = [p.join(server, name, side) for p, (name, side) in zip(phones, [("A", "stadt"), ("B", "land"), ("C", "land")], strict=True)]
    step = pages[0].step()
    assert all(p.step() == step for p in pages)
    low, high = _first_scale_ends()
    phones[0].answer(server, pages[0], high.key)
    phones[1].answer(server, pages[1], low.key)
    panel = presenter.get(f"{server.presenter_path}/panel").body
    assert "2 von 3 haben geantwortet" in panel and "Die Verteilung erscheint, wenn alle geantwortet haben." in panel
    assert "<table class=\"dist\">" not in panel
    phones[2].answer(server, pages[2], low.key)
    panel = presenter.get(f"{server.presenter_path}/panel").body
    assert "3 von 3 haben geantwortet" in panel and '<table class="dist">' in panel
    # Per side: Stadt, ländlich, all; the lowest option twice from the rural side, the highest once from the city.
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td class="num">\d+</td>)+)', panel)
    counts = {label: [int(n) for n in re.findall(r">(\d+)<", cells)] for label, cells in rows}
    assert counts[low.label["de"]] == [0, 2, 2] and counts[high.label["de"]] == [1, 0, 1]
    # The moderator moves on: the phones follow; an answer to the old question is refused, nothing saved.
    moderate = presenter.get(f"{server.presenter_path}/")
    presenter.post(f"{server.presenter_path}/moderate", {"csrf": moderate.csrf(), "action": "next"})
    assert phones[0].get(f"{server.join_path}/version").body == "moderated-1-0"
    late = phones[0].post(f"{server.join_path}/answer", {"csrf": pages[0].csrf(), "step": step, "value": low.key})
    assert "Diese Frage ist gerade nicht offen" in late.body and late.step() != step
    assert _saved(tmp_path / "ws", "a.yaml")["answers"] == {step: high.key}
    # Reveal before everyone has answered.
    phones[0].answer(server, late, "3")
    presenter.post(f"{server.presenter_path}/moderate", {"csrf": moderate.csrf(), "action": "reveal"})
    panel = presenter.get(f"{server.presenter_path}/panel").body
    assert "1 von 3 haben geantwortet" in panel and '<table class="dist">' in panel


def test_a_reload_and_a_restart_of_the_laptop_keep_everyones_place(served, tmp_path):
    server = served("moderated")
    phone = Phone(server.port)
    page = phone.join(server, "Jan Roth", "landkreis")
    phone.answer(server, page, "2")
    server.workshop.moderate("next")
    server.workshop.moderate("next")
    server.workshop.moderate("reveal")
    again = phone.get(f"{server.join_path}/q")  # a reload: the cookie keeps the place
    assert f"Frage 3 von {STEPS}" in again.body and "Jan Roth" in again.body
    phone.answer(server, again, "4")
    tokens = (server.workshop.room.join_token, server.workshop.room.presenter_token)
    server.stop()

    resumed = LiveServer(Workshop.resume(tmp_path / "ws", None, None), MANY)
    try:
        assert (resumed.workshop.room.join_token, resumed.workshop.room.presenter_token) == tokens
        assert resumed.workshop.state.position == 2 and resumed.workshop.state.revealed == {again.step()}
        phone.port = resumed.port
        page = phone.get(f"{resumed.join_path}/q")
        assert f"Frage 3 von {STEPS}" in page.body and f"Ihre Antwort: {THIRD_ANSWER}" in page.body
        resumed.workshop.moderate("next")
        page = phone.answer(resumed, phone.get(f"{resumed.join_path}/q"), "5")
        answers = _saved(tmp_path / "ws", "jan-roth.yaml")["answers"]
        assert list(answers.values()) == ["2", "4", "5"]
    finally:
        resumed.stop()
    # slp score and slp report read the folder as it is; the manifest is no answer file.
    scored = runner.invoke(app, ["score", str(tmp_path / "ws"), "--format", "json"])
    assert scored.exit_code == 0, scored.output
    assert [r["respondent"]["name"] for r in json.loads(scored.stdout)] == ["Jan Roth"]
    reported = runner.invoke(app, ["report", str(tmp_path / "ws"), "--format", "md"])
    assert reported.exit_code == 0 and "Lindenau" in reported.stdout
    assert runner.invoke(app, ["validate", str(tmp_path / "ws")]).exit_code == 0


def test_a_room_nobody_joined_yet_opens_again_after_a_restart(served, tmp_path):
    # The QR code is on the projector before anyone joins; a restart then must keep it valid, as the
    # quit line's "slp serve --resume" promises (it said "no answer files to resume", exit 3).
    server = served()
    server.workshop.moderate("next")
    tokens = (server.workshop.room.join_token, server.workshop.room.presenter_token)
    server.stop()
    assert not list((tmp_path / "ws").glob("*.yaml"))

    resumed = LiveServer(Workshop.resume(tmp_path / "ws", None, None), MANY)
    try:
        assert (resumed.workshop.room.join_token, resumed.workshop.room.presenter_token) == tokens
        assert resumed.workshop.state.mode == "moderated" and resumed.workshop.state.position == 1
        assert resumed.workshop.state.questionnaire.id == "slp-quickcheck" and resumed.workshop.state.partnership == "Lindenau"
        phone = Phone(resumed.port)
        page = phone.join(resumed, "Eva Lang", "gemeinde")
        phone.answer(resumed, page, "2")
        assert list(_saved(tmp_path / "ws", "eva-lang.yaml")["answers"].values()) == ["2"]
    finally:
        resumed.stop()


def test_resuming_an_unjoined_room_checks_its_questionnaire(served, tmp_path):
    served().stop()
    manifest = tmp_path / "ws" / "slp-workshop.json"
    saved = json.loads(manifest.read_text(encoding="utf-8"))
    with pytest.raises(InvalidInputError, match="slp-readiness"):
        Workshop.resume(tmp_path / "ws", "en", "slp-readiness")
    manifest.write_text(json.dumps({**saved, "version": "9.9"}), encoding="utf-8")
    with pytest.raises(InvalidInputError, match="9.9"):
        Workshop.resume(tmp_path / "ws", "en", None)
    manifest.write_text(json.dumps({**saved, "questionnaire": "no-such-questionnaire"}), encoding="utf-8")
    with pytest.raises(InvalidInputError, match="no-such-questionnaire"):
        Workshop.resume(tmp_path / "ws", "en", None)
    # The folder stays free for the next try: a failed resume leaves no lock behind.
    manifest.write_text(json.dumps(saved), encoding="utf-8")
    Workshop.resume(tmp_path / "ws", "en", None).close()


BAD_TOKENS = ["", "x", "..", "%2e%2e", "../p", "null", "undefined"]


def test_a_wrong_or_missing_token_gets_nothing_but_404(served, tmp_path):
    server = served()
    phone = Phone(server.port)
    join, presenter = server.workshop.room.join_token, server.workshop.room.presenter_token
    rng = random.Random(12)
    near = [join[:-1], join + "A", join[:-1] + ("A" if join[-1] != "A" else "B"), join.upper(), presenter[:10], presenter + "/"]
    near += ["".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") for _ in range(32)) for _ in range(10)]
    for token in BAD_TOKENS + near:
        for path in (f"/w/{token}/", f"/w/{token}/q", f"/w/{token}/version", f"/w/{token}/static/serve.js", f"/p/{token}/", f"/p/{token}/panel"):
            reply = phone.get(path)
            assert reply.status == 404, path
            _assert_headers(reply.headers)
            assert join not in reply.body and presenter not in reply.body
        for path in (f"/w/{token}/join", f"/w/{token}/answer", f"/p/{token}/moderate"):
            assert phone.post(path, {"csrf": "x", "name": "Eve", "side": "stadt", "action": "next"}, follow=False).status == 404
    # The join token does not open the presenter, nor the presenter token the phones.
    assert phone.get(f"/p/{join}/").status == 404 and phone.get(f"/w/{presenter}/").status == 404
    assert server.workshop.state.seats == [] and server.workshop.state.position == 0


def test_no_directory_listing_and_no_path_from_the_request_reaches_the_disk(served, tmp_path):
    server = served()
    phone = Phone(server.port)
    (tmp_path / "ws" / "secret.txt").write_text("nope", encoding="utf-8")
    base = server.join_path
    for path in ["/", "/w/", "/p/", "/static/", f"{base}/static/", f"{base}/static/..", f"{base}/static/../../slp-workshop.json",
                 f"{base}/static/%2e%2e%2fslp-workshop.json", f"{base}/static/secret.txt", f"{base}/static/serve.css%00.js",
                 f"{base}/../../ws/secret.txt", f"{base}/slp-workshop.json", f"{base}/static/base.html.j2", "/etc/passwd"]:
        reply = phone.get(quote(path, safe="/%."))
        assert reply.status == 404, path
        assert "nope" not in reply.body and "join_token" not in reply.body and "<a href" not in reply.body
    js = phone.get(f"{base}/static/serve.js")
    assert js.status == 200 and js.headers["content-type"].startswith("text/javascript")
    _assert_headers(js.headers)


def test_forms_without_their_csrf_token_are_refused(served, tmp_path):
    server = served()
    eve, anna = Phone(server.port), Phone(server.port)
    page = eve.get(f"{server.join_path}/")
    _assert_headers(page.headers)
    # No token, a made-up one, and the token of another browser's join form.
    for fields in ({"name": "Eve", "side": "stadt"}, {"csrf": "0" * 40, "name": "Eve", "side": "stadt"}):
        assert eve.post(f"{server.join_path}/join", fields, follow=False).status == 403
    other = anna.get(f"{server.join_path}/").csrf()
    assert eve.post(f"{server.join_path}/join", {"csrf": other, "name": "Eve", "side": "stadt"}, follow=False).status == 403
    # A form sent from another site's page.
    cross = eve.request("POST", f"{server.join_path}/join", f"csrf={page.csrf()}&name=Eve&side=stadt".encode(), {"Origin": "http://evil.example"})
    assert cross.status == 403
    assert server.workshop.state.seats == []
    # Joined: answers need this participant's own token; another participant's does not do.
    anna_page = anna.join(server, "Anna", "stadt")
    eve_page = eve.join(server, "Eve", "land")
    stolen = eve.post(f"{server.join_path}/answer", {"csrf": anna_page.csrf(), "step": eve_page.step(), "value": "1"}, follow=False)
    assert stolen.status == 403
    assert eve.post(f"{server.join_path}/answer", {"step": eve_page.step(), "value": "1"}, follow=False).status == 403
    presenter = Phone(server.port)
    assert presenter.post(f"{server.presenter_path}/moderate", {"action": "next"}, follow=False).status == 403
    assert presenter.post(f"{server.presenter_path}/moderate", {"csrf": anna_page.csrf(), "action": "next"}, follow=False).status == 403
    assert server.workshop.state.position == 0
    assert _saved(tmp_path / "ws", "eve.yaml")["answers"] == {}


def test_oversized_bodies_names_and_notes_are_bounded(served, tmp_path):
    server = served()
    phone = Phone(server.port)
    page = phone.get(f"{server.join_path}/")
    huge = phone.post(f"{server.join_path}/join", {"csrf": page.csrf(), "name": "A" * MAX_BODY, "side": "stadt"}, follow=False)
    assert huge.status == 413 and server.workshop.state.seats == []
    lying = phone.request("POST", f"{server.join_path}/join", b"x", {"Content-Length": "1", "Transfer-Encoding": ""})
    assert lying.status in (400, 403)
    page = phone.join(server, "B" * (MAX_NAME + 40), "stadt")
    assert server.workshop.state.seats[0].participant.name == "B" * MAX_NAME
    page = phone.answer(server, page, "3", note="N" * (MAX_NOTE * 3))
    (note,) = [a["note"] for a in _saved(tmp_path / "ws", f"{'b' * MAX_NAME}.yaml")["answers"].values()]
    assert note == "N" * MAX_NOTE
    # A value that is not on the scale, several values for one question, an unknown step: refused, nothing saved.
    step = page.step()
    for fields in ([("value", "7")], [("value", "1"), ("value", "2")], [("value", "../../x")]):
        reply = phone.post(f"{server.join_path}/answer", [("csrf", page.csrf()), ("step", step), *fields])
        assert "Bitte eine der Antworten wählen." in reply.body
    assert len(_saved(tmp_path / "ws", f"{'b' * MAX_NAME}.yaml")["answers"]) == 1


def test_joins_and_answers_are_rate_limited(served, tmp_path):
    server = served(limits=Limits())
    statuses = []
    for n in range(14):
        statuses.append(Phone(server.port).join(server, f"P{n}", "stadt").status)
    assert statuses[:10] == [200] * 10 and 429 in statuses[10:]
    assert len(server.workshop.state.seats) == statuses.count(200)


HOSTILE = [
    "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'; DROP TABLE x; --", "../../etc/passwd",
    "..\\..\\windows\\system32", "/absolute/path", "C:\\Users\\x", "name\x00with nul", "\u202eevil\u202c", "{{ 7*7 }}",
    "{% raw %}x", "[bold]rich[/bold]", "&amp;&lt;", "line\nbreak", "\x1b[2Jclear", "..", ".", "CON", "slp-workshop.json",
]


def _hostile_strings(count: int, seed: int) -> list[str]:
    """The classics above and generated mixes of markup, quotes, separators and control characters."""
    rng = random.Random(seed)
    pieces = ["<", ">", "\"", "'", "&", "/", "\\", "..", "<script>", "</script>", "javascript:", "{{", "}}", "\x00", "\x7f",
              "\u0085", "\u2028", "é", "ß", "漢", "😀", " ", "%2e", "%00", "onload=", "`", "$(", ";"]
    return HOSTILE + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(count)]


def test_hostile_names_and_notes_are_escaped_everywhere_and_never_become_paths(served, tmp_path):
    server = served("self")
    folder = tmp_path / "ws"
    before = {p.name for p in tmp_path.iterdir()}
    presenter = Phone(server.port)
    for n, text in enumerate(_hostile_strings(30, seed=7)):
        phone = Phone(server.port)
        page = phone.join(server, text, "stadt")
        assert page.status == 200, text
        seat = server.workshop.state.seats[n]
        assert "<script" not in page.body.split("<main>", 1)[1].replace("&lt;script", "")
        page = phone.answer(server, page, "3", note=text)
        assert "<script>" not in page.body
        # The file name is a slug inside the folder; the file holds the name and note as cleaned, read back exactly.
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.yaml", seat.file) and (folder / seat.file).is_file()
        saved = _saved(folder, seat.file)
        assert saved["respondent"]["name"] == seat.participant.name
        assert all("\x00" not in c and "\n" not in c for c in saved["respondent"]["name"])
        (answer,) = saved["answers"].values()
        note = answer.get("note", "") if isinstance(answer, dict) else ""
        assert "\x00" not in note and "\x1b" not in note
    shown = presenter.get(f"{server.presenter_path}/").body
    assert "<script>alert(1)</script>" not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    # Text, never markup or a template: the name appears as typed, not run.
    assert "<img src=x" not in shown and "<td>{{ 7*7 }}</td>" in shown and "<td>49</td>" not in shown
    # Nothing was written outside the workshop folder, and inside it only answer files, locks and the manifest.
    assert {p.name for p in tmp_path.iterdir()} == before
    assert all(p.suffix == ".yaml" or p.name in ("slp-workshop.json", ".slp-assess.lock") or p.name.endswith(".lock") for p in folder.iterdir())


def test_slp_serve_without_the_extra_says_how_to_install_it(monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "starlette" else real(name, *a))
    result = runner.invoke(app, ["serve", "--out", "x"])
    assert result.exit_code == 3
    assert result.stderr == "error: slp serve needs starlette: install with: pip install 'slp-assess[serve]'\n"


def test_slp_serve_usage_errors(tmp_path):
    assert runner.invoke(app, ["serve"]).exit_code == 3
    assert runner.invoke(app, ["serve", "--out", str(tmp_path / "w"), "--mode", "chaos"]).exit_code == 3
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "anna.yaml").write_text("x: 1\n", encoding="utf-8")
    taken = runner.invoke(app, ["serve", "--out", str(tmp_path / "taken"), "--partnership", "L", "--lang", "en"])
    assert taken.exit_code == 3 and "already holds a workshop: continue it with" in taken.stderr


def test_the_load_benchmark_runs_and_loses_nothing():
    # The figures go to benchmarks/README.md by hand; here only that it works and counts on disk.
    import subprocess
    import sys

    bench = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_serve.py"
    done = subprocess.run([sys.executable, str(bench), "--participants", "4", "--timeout", "60", "--json"],
                          capture_output=True, text=True, timeout=120, check=True)
    figures = json.loads(done.stdout)
    assert figures["files"] == 4 and figures["errors"] == []
    assert figures["answers_sent"] == 4 * STEPS and figures["answers_on_disk"] == figures["answers_sent"] and figures["lost"] == 0
