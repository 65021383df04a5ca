"""A German `slp assess` session prints no English line, whatever goes wrong.

Each case runs the command (CliRunner) into one failure with the session in German: the default
language, or a resumed file's. Every line it prints must be free of English words, taken from the
English texts of ``i18n.MESSAGES`` and a list of the words the tool's English errors use. That
holds for the validator's detail of a file the session cannot read too: it follows, indented and
in German, below a German line that names the file (``assess.checks_german``); only its location,
the file's own keys as written (``respondent.role``), is not a word of the session. The one
exception left is the last resort for an error of code outside the session with no wording of
its own: its detail may follow, indented, below a German line announcing it as English („auf Englisch“).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

import slp_assess.atomic
import slp_assess.cli.report
from slp_assess.assess import lock as lock_module
from slp_assess.cli import app
from slp_assess.i18n import MESSAGES
from slp_assess.sides import SIDES

runner = CliRunner()
MINI = str(Path(__file__).parent / "fixtures" / "core" / "mini.yaml")
ENV = {"NO_COLOR": "1", "COLUMNS": "200", "SOURCE_DATE_EPOCH": "1756339200"}
NEW = ["--partnership", "Lindenau", "--respondent", "Anna Weber", "--role", "stadt"]
GROUP = ["--partnership", "Lindenau", "--participants", "Anna:stadt,Jan:land"]
# A whole mini session: five items, the phase, the partners.
FULL = "4\n2\n2\nn\n5\n2\nLindenau und Ahrbach\n"
GROUP_FULL = "4 3\n2 2\n2 1\nn 4\n5 5\n2\nLindenau und Ahrbach\n"

_WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


GERMAN = set().union(*(_words(t["de"]) for t in MESSAGES.values()))
# Words of the tool's English errors (errors.py, loading, atomic, lock, report) that no German text uses.
ENGLISH = (set().union(*(_words(t["en"]) for t in MESSAGES.values())) | {
    "error", "cannot", "create", "file", "folder", "unknown", "wrote", "missing", "answers", "this", "the",
    "is", "not", "of", "use", "lock", "questionnaire", "option", "scale", "unreadable", "manifest", "hint",
    "exists", "permission", "denied", "directory", "such", "suffix", "format", "name", "too", "long", "write",
    "needs", "or", "and", "listed", "twice", "participant", "interrupted", "saved", "stopped", "report",
}) - GERMAN - {"slp", "assess", "json", "utf", "pdf", "chromium", "google", "chrome", "debian", "ubuntu", "macos"} - set(SIDES)


# "  FILE:LINE: KEY.PATH: message": the file's keys as written are where, not what, the line says.
_PROBLEM_LOCATION = re.compile(r"^(\s+\S+:\d+: )[^\s:]+: ")


def _english_lines(output: str, *known: str) -> list[str]:
    """Lines holding an English word, ignoring paths, quoted input, the keys a problem is located at
    and the ``known`` strings (file names).

    An indented line below a German headline announcing English detail is that detail: allowed.
    """
    found: list[str] = []
    detail_allowed = False
    for line in output.splitlines():
        if line.startswith("  ") and detail_allowed:
            continue
        detail_allowed = line.rstrip().endswith("(auf Englisch):")
        shown = _PROBLEM_LOCATION.sub(r"\1", line)
        for text in sorted(known, key=len, reverse=True):
            shown = shown.replace(text, " ")
        shown = re.sub(r"'[^']*'|\S*[/.=]\S*|--[a-z-]+", " ", shown)
        if _words(shown) & ENGLISH:
            found.append(line)
    return found


def _run(*args: str, input: str = "", cwd: Path | None = None, env: dict[str, str] | None = None):
    previous = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(app, ["assess", *args], input=input, env={**ENV, **(env or {})})
    finally:
        os.chdir(previous)


def _saved(folder: Path, *extra: str, group: bool = False) -> Path:
    """A German session with one answer, saved: a file, or with ``group`` a folder of two."""
    target = folder / ("ws" if group else "anna.yaml")
    result = _run(MINI, "--out", str(target), *(GROUP if group else NEW), *extra, input="4 3\nq\n" if group else "4\nq\n")
    assert result.exit_code == 0, result.output
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# Each case: what to set up in a folder (and with monkeypatch), the command's arguments, its exit code,
# and a German phrase the error must hold.
Case = Callable[[Path, pytest.MonkeyPatch], list[str]]


def _old_version(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    _edit(path := _saved(tmp), 'version: "1.0"', 'version: "0.9"')
    return [MINI, "--resume", str(path)]


def _other_questionnaire(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    return ["slp-quickcheck", "--resume", str(_saved(tmp))]


def _participant_missing(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    (folder := _saved(tmp, group=True)).joinpath("jan.yaml").unlink()
    return [MINI, "--resume", str(folder)]


def _not_an_option(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    _edit(path := _saved(tmp), '"4"', '"9"')
    return [MINI, "--resume", str(path)]


def _not_yaml(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    _edit(path := _saved(tmp), "answers:", "answers: [")
    return [MINI, "--resume", str(path)]


def _manifest(content: bytes) -> Case:
    def case(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
        (folder := _saved(tmp, group=True)).joinpath("slp-workshop.json").write_bytes(content)
        return [MINI, "--resume", str(folder)]
    return case


def _listed_twice(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    manifest = (folder := _saved(tmp, group=True)) / "slp-workshop.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["participants"] = [{"file": "anna.yaml"}, {"file": "anna.yaml"}]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    return [MINI, "--resume", str(folder)]


def _read_only(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    # As root a read-only folder is writable: the lock file's open is refused instead, as the kernel would.
    real_open = os.open

    def refuse(path, flags, *args):
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args)

    mp.setattr(lock_module.os, "open", refuse)
    return [MINI, "--out", str(tmp / "anna.yaml"), *NEW]


def _disk_full(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    mp.setattr(slp_assess.atomic.os, "fsync", full)
    return [MINI, "--out", str(tmp / "anna.yaml"), *NEW]


def _report_interrupted(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    def interrupted(*args: object, **kwargs: object) -> int:
        raise KeyboardInterrupt

    mp.setattr(slp_assess.cli.report, "write_reports", interrupted)
    return [MINI, "--out", str(tmp / "anna.yaml"), *NEW, "--report", str(tmp / "bericht.html")]


PATH_MANIFEST = {"format": "slp-workshop/1", "questionnaire": "mini", "version": "1.0", "partnership": "L", "language": "de",
                 "participants": [{"file": "../x.yaml"}]}


def _answers_as_questionnaire(tmp: Path, mp: pytest.MonkeyPatch) -> list[str]:
    return [str(_saved(tmp)), "--out", str(tmp / "b.yaml"), *NEW]


def _fixed(*args: str) -> Case:
    return lambda tmp, mp: [a.replace("TMP", str(tmp)) for a in args]


CASES: dict[str, tuple[Case, int, str]] = {
    "old version without --migrate": (_old_version, 2, "mit --migrate übernehmen"),
    "another questionnaire": (_other_questionnaire, 2, "nicht 'slp-quickcheck'"),
    "a participant's file is missing": (_participant_missing, 2, "die Antwortdatei dieser Person fehlt"),
    "an answer not on the scale": (_not_an_option, 2, "diese Antwortdatei ist fehlerhaft"),
    "an answer file that is not YAML": (_not_yaml, 2, "diese Antwortdatei ist fehlerhaft"),
    "a manifest that is not JSON": (_manifest(b"{"), 2, "kein gültiges JSON, Zeile 1, Spalte 2"),
    "a manifest that is not UTF-8": (_manifest(b"\xff"), 2, "die Workshop-Datei ist nicht lesbar"),
    "a manifest naming a path": (_manifest(json.dumps(PATH_MANIFEST).encode()), 2, "die Workshop-Datei ist fehlerhaft"),
    "a manifest listing a file twice": (_listed_twice, 2, "zweimal eingetragen"),
    "an unknown questionnaire": (_fixed("nope", "--out", "TMP/a.yaml", *NEW), 3, "den Fragebogen 'nope' gibt es nicht"),
    "an unknown questionnaire on resume": (lambda tmp, mp: ["nope", "--resume", str(_saved(tmp))], 3, "den Fragebogen 'nope' gibt es nicht"),
    "an invalid questionnaire file": (_answers_as_questionnaire, 2, "der Fragebogen ist fehlerhaft"),
    "a folder that cannot be made": (_fixed(MINI, "--out", f"{MINI}/anna.yaml", *NEW), 4, "lässt sich nicht anlegen"),
    "a lock file that cannot be made": (_read_only, 4, "die Sperrdatei"),
    "a full disk": (_disk_full, 4, "kein Platz mehr auf dem Datenträger"),
    "a name too long for a file": (_fixed(MINI, "--out", "TMP/" + "a" * 300 + ".yaml", *NEW), 3, "der Name ist zu lang"),
    "a report suffix": (_fixed(MINI, "--out", "TMP/a.yaml", *NEW, "--report", "TMP/x.docx"), 3, "unbekannte Endung '.docx'"),
    "a PDF without a browser": (_fixed(MINI, "--out", "TMP/a.yaml", *NEW, "--report", "TMP/b.pdf"), 3, "SLP_CHROMIUM auf das Programm setzen"),
    "a browser that cannot print": (_fixed(MINI, "--out", "TMP/a.yaml", *NEW, "--report", "TMP/b.pdf"), 4, "der Bericht"),
    "Ctrl-C while the report is written": (_report_interrupted, 130, "der Bericht wurde nicht geschrieben"),
    "a date that is no date": (_fixed(MINI, "--out", "TMP/a.yaml", *NEW), 3, "SOURCE_DATE_EPOCH='tomorrow' ist keine Zahl"),
    # Worded in German before this change; kept here so that they stay so.
    "a side that does not exist": (_fixed(MINI, "--out", "TMP/a.yaml", "--role", "mars"), 3, "erlaubt sind"),
    "nothing to resume": (_fixed(MINI, "--resume", "TMP/nothing.yaml"), 3, "nichts fortzusetzen"),
}
ENVIRONMENTS = {
    "a PDF without a browser": {"SLP_CHROMIUM": "/no/such/browser"},
    "a browser that cannot print": {"SLP_CHROMIUM": shutil.which("false") or "/bin/false"},
    "a date that is no date": {"SOURCE_DATE_EPOCH": "tomorrow"},
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_german_session_prints_no_english_line(name, tmp_path, monkeypatch):
    setup, code, phrase = CASES[name]
    args = setup(tmp_path, monkeypatch)
    answers = FULL if "report" in name or "browser that cannot" in name else "q\n"
    result = _run(*args, input=answers, env=ENVIRONMENTS.get(name))
    assert result.exit_code == code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert phrase in " ".join(result.output.split())
    assert _english_lines(result.stderr, str(tmp_path), MINI) == []
    assert _english_lines(result.stdout, str(tmp_path), MINI) == []
    first = result.stderr.lstrip("\n").splitlines()[0]
    assert first.startswith(("Fehler: ", "Unterbrochen")), first


def test_the_same_failures_in_an_english_session_stay_english(tmp_path):
    path = _saved(tmp_path, "--lang", "en")
    _edit(path, 'version: "1.0"', 'version: "0.9"')
    old = _run(MINI, "--resume", str(path))
    assert old.stderr == (f"error: {path}: this file answers version '0.9' of 'mini', the questionnaire is version 1.0 "
                          "(hint: add --migrate to keep the answers whose questions still exist)\n")
    report = _run(MINI, "--out", str(tmp_path / "b.yaml"), *NEW, "--lang", "en", "--report", str(tmp_path / "x.docx"))
    assert report.stderr == f"error: --report {tmp_path / 'x.docx'}: unknown suffix '.docx'; use .md, .html, .json, .pdf\n"


@pytest.mark.parametrize("group", [False, True])
def test_a_german_report_is_announced_in_german(group, tmp_path):
    target = tmp_path / ("ws" if group else "anna.yaml")
    report = tmp_path / "bericht.html"
    people = GROUP if group else NEW
    result = _run(MINI, "--out", str(target), *people, "--report", str(report), input=GROUP_FULL if group else FULL)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Bericht geschrieben: {report}\n"
    assert "<html" in report.read_text(encoding="utf-8")
    english = _run(MINI, "--out", str(tmp_path / "en.yaml"), *NEW, "--lang", "en", "--report", str(tmp_path / "r.md"), input=FULL)
    assert english.exit_code == 0 and english.stderr == f"wrote {tmp_path / 'r.md'}\n"


def test_a_missing_browser_is_found_before_the_first_question(tmp_path):
    out = tmp_path / "a.yaml"
    result = _run(MINI, "--out", str(out), *NEW, "--report", str(tmp_path / "b.pdf"), input=FULL,
                  env={"SLP_CHROMIUM": "/no/such/browser"})
    assert result.exit_code == 3
    assert "1/7" not in result.stdout and not out.exists()
