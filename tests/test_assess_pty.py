"""The real `slp assess` in a pseudo-terminal: a whole quick-check, Ctrl-C half-way, --resume to the end.

The expected score is computed here from the questionnaire's scale points, independently of scoring.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from pty_support import spawn_in_terminal, texts_in

pexpect = pytest.importorskip("pexpect")

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
QUICKCHECK = REPO / "questionnaires" / "slp-quickcheck.yaml"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1756339200"})
    return env


def _spawn(args: list[str], columns: int, cwd: Path, log: io.StringIO):
    child = spawn_in_terminal(
        sys.executable, ["-m", "slp_assess", "assess", *args],
        cwd=str(cwd), env=_env(), dimensions=(40, columns), encoding="utf-8", timeout=30,
    )
    child.logfile_read = log
    return child


def _spawn_shell(command: str, columns: int, cwd: Path, log: io.StringIO):
    """Run a command line exactly as printed, through the user's shell."""
    child = spawn_in_terminal("/bin/sh", ["-c", command], cwd=str(cwd), env=_env(), dimensions=(40, columns), encoding="utf-8", timeout=30)
    child.logfile_read = log
    return child


def _screen(log: io.StringIO) -> str:
    return ANSI.sub("", log.getvalue()).replace("\r", "")


def _resume_command(screen: str, marker: str) -> str:
    """The command the interrupt hint names; rich may wrap the hint's words, never the command."""
    flat = " ".join(screen.split())
    command = flat.rsplit(marker, 1)[1].strip()
    assert any(line.strip().endswith(command) for line in screen.split("\n")), "the command is broken across lines"
    return command


def _too_wide(lines: list[str], columns: int, *commands: str) -> list[str]:
    """Lines wider than the terminal, but for a command to paste alone when it is itself wider
    (nothing can fit it; the terminal wraps it only on screen, and it still copies as one line)."""
    return [line for line in lines if len(line) > columns and not (line.strip() in commands and len(line.strip()) > columns)]


def _typed(options: list[dict], index: int) -> str:
    """What a participant types for an option: the key on a scale numbered by its keys (0–4, 1–5), else its position."""
    keys = [str(o["key"]) for o in options]
    numbered = all(k.isdigit() for k in keys) and [int(k) for k in keys] == list(range(int(keys[0]), int(keys[0]) + len(keys)))
    return keys[index] if numbered else str(index + 1)


def _shown(value: float) -> float:
    """Half up to one decimal, as the docs state it, computed from the decimal text of the value."""
    return float(Decimal(repr(value)).quantize(Decimal("1e-9")).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _plan(questionnaire: dict) -> tuple[list[str], float]:
    """One typed line per step (items, then context) and the overall score those answers must give.

    Context questions are answered with their first option, so the phase is the first one listed in
    the phase question; factors expected from a later phase do not count.
    """
    lines: list[str] = []
    factor_scores: list[tuple[float, float]] = []
    phases = questionnaire.get("phases")
    phase_question = next((c for c in questionnaire.get("context", []) if phases and c["id"] == phases["question"]), None)
    phase = phase_question["options"][0]["key"] if phase_question else None
    n = 0
    for section in questionnaire["sections"]:
        for factor in section["factors"]:
            weighted: list[tuple[float, float]] = []
            for item in factor["items"]:
                options = questionnaire["scales"][item["scale"]]["options"]
                if n % 6 == 5 and not item.get("required", False):
                    lines.append("n")
                else:
                    index = (n * 3 + 1) % len(options)
                    points = [float(o["points"]) for o in options]
                    value = (points[index] - min(points)) / (max(points) - min(points))
                    if item.get("reverse", False):
                        value = 1 - value
                    weighted.append((float(item.get("weight", 1.0)), value))
                    lines.append(_typed(options, index))
                n += 1
            due = phase is None or "expected_from" not in factor or (
                phases["order"].index(factor["expected_from"]) <= phases["order"].index(phase)
            )
            if weighted and due:
                score = _shown(100 * sum(w * v for w, v in weighted) / sum(w for w, _ in weighted))
                factor_scores.append((float(factor.get("weight", 1.0)), score))
    for question in questionnaire.get("context", []):
        lines.append({"text": "Lindenau und Kreis Ahrbach", "choice": "1"}.get(question.get("type", "text"), "1 2"))
    overall = _shown(sum(w * s for w, s in factor_scores) / sum(w for w, _ in factor_scores))
    return lines, overall


def _answer(child, lines: list[str], first: int, total: int) -> None:
    for number, line in enumerate(lines, start=first):
        child.expect_exact(f"{number}/{total}")
        child.expect_exact("> ")
        child.sendline(line)


@pytest.mark.skipif(not QUICKCHECK.exists(), reason="questionnaires/slp-quickcheck.yaml not there yet")
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_quickcheck_with_ctrl_c_and_resume(tmp_path, columns):
    questionnaire = yaml.safe_load(QUICKCHECK.read_text(encoding="utf-8"))
    lines, expected = _plan(questionnaire)
    total = len(lines)
    half = total // 2
    out = tmp_path / "anna.yaml"
    log = io.StringIO()

    child = _spawn(["slp-quickcheck", "--out", out.name, "--partnership", "Lindenau", "--respondent", "Anna Weber", "--role", "stadt", "--lang", "en"], columns, tmp_path, log)
    child.expect_exact("Every answer is saved at once to")
    _answer(child, lines[:half], 1, total)
    child.expect_exact(f"{half + 1}/{total}")
    child.expect_exact("> ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(saved["answers"]) == half
    # The hint names a command that works in this shell, though `slp` is not on its PATH.
    command = _resume_command(_screen(log), f"Saved to {out.name}. Resume with:")
    assert command.endswith(f"assess --resume {out.name}")

    child = _spawn_shell(command, columns, tmp_path, log)
    child.expect_exact(f"Resuming: {half} of {total} questions are answered.")
    _answer(child, lines[half:], half + 1, total)
    child.expect_exact("Result")
    child.expect_exact(f"{total} of {total} questions answered")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    screen = _screen(log)
    assert "Traceback" not in screen
    # Everything fits the terminal, the resume hint on stderr included, and no word of the result is cut.
    scoring = _resume_command(screen, "score with:")  # the last line, also never broken
    assert scoring.endswith(f"score {out.name}")
    assert not _too_wide(screen.split("\n"), columns, command, scoring)
    _assert_no_cut_words(screen.split("── Result ──", 1)[1], questionnaire, "en", ["Anna", "Weber"])

    scored = subprocess.run(
        [sys.executable, "-m", "slp_assess", "score", str(out), "--format", "json"],
        capture_output=True, text=True, env=_env(), check=True,
    )
    result = json.loads(scored.stdout)[0]
    assert result["overall"]["score"] == expected
    assert result["respondent"] == {"name": "Anna Weber", "organisation": None, "role": "stadt"}


WORD = re.compile(r"[^\W\d_¹]+")


def _vocabulary(questionnaire: dict, lang: str, names: list[str]) -> set[str]:
    """Every word the questionnaire and the tool's texts hold in ``lang``, and the participants' names."""
    from slp_assess.i18n import MESSAGES

    words: set[str] = {word for text in texts_in(questionnaire, lang) for word in WORD.findall(text)}
    for texts in MESSAGES.values():
        words.update(WORD.findall(texts.get(lang, "")))
    for name in names:
        words.update(WORD.findall(name))
    return words


def _assert_no_cut_words(region: str, questionnaire: dict, lang: str, names: list[str]) -> None:
    """A word cut at the line end leaves pieces that are no word of any text shown."""
    # The hints name the command that runs slp here, e.g. /path/.venv/bin/python -m slp_assess.
    command_words = set(WORD.findall(sys.executable)) | {"m", "slp", "assess"}
    vocabulary = _vocabulary(questionnaire, lang, names) | command_words | {"score", "yaml", "n", "a", "anna", "ws"}
    pieces = {w for w in WORD.findall(region)} - vocabulary
    assert not pieces, f"cut or unknown words: {sorted(pieces)}"


SEATS = ["Anna Weber:stadt", "Jan Roth:land", "Eva Öz:stadt", "Ole Bauer:land", "Kim Ay:sonstige"]
# Per seat, where on a scale of n options the answer lies (city high, rural low): as a fraction of n - 1.
POSITIONS = [1.0, 0.0, 0.75, 0.25, 0.5]
# On yes/partly/no scales the answer is typed as its German label.
YES_NO = ["ja", "nein", "ja", "nein", "teilweise"]
YES_NO_KEYS = {"ja": "yes", "nein": "no", "teilweise": "partly"}


def _group_lines(questionnaire: dict) -> tuple[list[str], list[dict[str, str]]]:
    """One typed line per step and, per seat, the answer keys those lines must leave in its file."""
    lines: list[str] = []
    expected: list[dict[str, str]] = [{} for _ in SEATS]
    for section in questionnaire["sections"]:
        for factor in section["factors"]:
            for item in factor["items"]:
                options = questionnaire["scales"][item["scale"]]["options"]
                if {o["key"] for o in options} == {"yes", "partly", "no"}:
                    lines.append(" ".join(YES_NO))
                    keys = [YES_NO_KEYS[token] for token in YES_NO]
                else:
                    indices = [round(p * (len(options) - 1)) for p in POSITIONS]
                    lines.append(" ".join(_typed(options, i) for i in indices))
                    keys = [options[i]["key"] for i in indices]
                for seat, key in enumerate(keys):
                    expected[seat][item["id"]] = key
    for question in questionnaire.get("context", []):
        lines.append({"text": "Lindenau und Kreis Ahrbach", "choice": "1"}.get(question.get("type", "text"), "1 2"))
    return lines, expected


@pytest.mark.skipif(not QUICKCHECK.exists(), reason="questionnaires/slp-quickcheck.yaml not there yet")
@pytest.mark.parametrize("columns", [60, 80])
def test_german_group_session_keeps_the_seating_order_after_resume_and_ends_with_the_group_view(tmp_path, columns):
    questionnaire = yaml.safe_load(QUICKCHECK.read_text(encoding="utf-8"))
    lines, expected = _group_lines(questionnaire)
    total, half = len(lines), len(lines) // 2
    log = io.StringIO()
    child = _spawn(["slp-quickcheck", "--participants", ",".join(SEATS), "--partnership", "Lindenau", "--out", "ws"], columns, tmp_path, log)
    child.expect_exact("Jede Antwort wird sofort gespeichert in")
    _answer(child, lines[:2], 1, total)
    # A note by Jan (seat 2) and one for the whole session, both at question 3.
    child.expect_exact(f"3/{total}")
    child.expect_exact("> ")
    child.sendline("+")
    child.expect_exact("Wessen Notiz (0–5): ")
    child.sendline("2")
    child.expect_exact("(leer = Notiz entfernen): ")
    child.sendline("Der Kreistag hat noch nicht entschieden")
    child.expect_exact("Notiz gespeichert; die Antwort steht noch aus.")
    child.sendline("+")
    child.expect_exact("Wessen Notiz (0–5): ")
    child.sendline("0")
    child.expect_exact("(leer = Notiz entfernen): ")
    child.sendline("Bürgermeisterin kommt später dazu")
    child.expect_exact("Notiz gespeichert.")
    child.sendline(lines[2])
    _answer(child, lines[3:half], 4, total)
    child.expect_exact(f"{half + 1}/{total}")
    child.expect_exact("> ")
    child.sendintr()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    first = _screen(log)
    assert "Unterbrochen – alle Antworten bis hierher sind gespeichert." in first
    command = _resume_command(first, "Gespeichert in ws. Fortsetzen mit:")
    assert command.endswith("assess --resume ws")

    child = _spawn_shell(command, columns, tmp_path, log)
    child.expect_exact(f"Fortsetzung: {half} von {total} Fragen sind beantwortet.")
    _answer(child, lines[half:], half + 1, total)
    child.expect_exact("Gruppenergebnis")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    screen = _screen(log)
    assert "Traceback" not in screen
    # What the terminal echoes of a typed line is the terminal's to wrap; everything drawn fits.
    drawn = [line for line in screen.split("\n") if not line.startswith(("> ", "Notiz (leer = Notiz entfernen): "))]
    scoring = _resume_command(screen, "auswerten mit:")
    assert scoring.endswith("score ws")
    assert not _too_wide(drawn, columns, command, scoring)
    assert screen.split("Fortsetzung:", 1)[1].count("Anna Weber · Jan Roth · Eva Öz · Ole Bauer · Kim Ay") == total - half - len(questionnaire["context"])
    # German throughout: not one of the English lines of the tool.
    for english in ("saved to", "Resume with", "Result", "Please", "questions answered", "Key requirements", "Note"):
        assert english not in screen

    # The seating order survived the restart: each file holds exactly what was typed in its seat.
    folder = tmp_path / "ws"
    files = ["anna-weber.yaml", "jan-roth.yaml", "eva-oez.yaml", "ole-bauer.yaml", "kim-ay.yaml"]
    for name, answers in zip(files, expected, strict=True):
        saved = yaml.safe_load((folder / name).read_text(encoding="utf-8"))["answers"]
        assert {k: (v["value"] if isinstance(v, dict) else v) for k, v in saved.items()} == answers, name
    third = questionnaire["sections"][0]["factors"][2]["items"][0]["id"]
    notes = {name: yaml.safe_load((folder / name).read_text(encoding="utf-8"))["answers"][third] for name in files}
    assert notes["jan-roth.yaml"] == {"value": expected[1][third], "note": "Der Kreistag hat noch nicht entschieden"}
    assert all(not isinstance(v, dict) for name, v in notes.items() if name != "jan-roth.yaml")
    manifest = json.loads((folder / "slp-workshop.json").read_text(encoding="utf-8"))
    assert [p["file"] for p in manifest["participants"]] == files
    assert manifest["notes"] == [{"item": third, "text": "Bürgermeisterin kommt später dazu"}]

    # The group view: sides with names, per factor the mean and each side's mean, gaps, single voices, blockers.
    view = " ".join(screen.split("── Gruppenergebnis ──", 1)[1].split())
    assert "Stadt (2): Anna Weber, Eva Öz" in view and "ländlich (2): Jan Roth, Ole Bauer" in view
    assert "Sonstige (1): Kim Ay" in view and "¹ Sonstige: Kim Ay" in view
    scored = subprocess.run(
        [sys.executable, "-m", "slp_assess", "score", str(folder), "--format", "json"],
        capture_output=True, text=True, env=_env(), check=True,
    )
    by_name = {r["respondent"]["name"]: r for r in json.loads(scored.stdout)}
    first_factor = questionnaire["sections"][0]["factors"][0]
    per_person = {name: next(f["score"] for f in r["factors"] if f["id"] == first_factor["id"]) for name, r in by_name.items()}
    city = _shown((per_person["Anna Weber"] + per_person["Eva Öz"]) / 2)
    rural = _shown((per_person["Jan Roth"] + per_person["Ole Bauer"]) / 2)
    mean = _shown(sum(per_person.values()) / 5)
    german = lambda v: f"{v:.1f}".replace(".", ",")  # noqa: E731
    assert f"Ø {german(mean)} · Stadt {german(city)} · ländlich {german(rural)} · Sonstige {german(_shown(per_person['Kim Ay']))}¹" in view
    assert f"Unterschied {german(_shown(abs(city - rural)))} !" in view
    assert "Wahrnehmungsunterschiede (20 Punkte und mehr)" in view
    assert "Nicht erfüllte Kernanforderungen (unter 50 %)" in view and "nicht erfüllt aus Sicht von: ländlich" in view
    _assert_no_cut_words(screen.split("── Ergebnis ──", 1)[1], questionnaire, "de", [s.split(":")[0] for s in SEATS] + ["ws"])

    # slp report reads the folder as it is: the session's note once, Jan's note once, every person counted.
    report = subprocess.run(
        [sys.executable, "-m", "slp_assess", "report", str(folder), "--format", "md"],
        capture_output=True, text=True, env=_env(), check=True,
    ).stdout
    assert report.count("Bürgermeisterin kommt später dazu") == 1
    assert report.count("Der Kreistag hat noch nicht entschieden") == 1
    assert "Notizen der Sitzung" in report
