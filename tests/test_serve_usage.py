"""`slp serve` refuses what it cannot do in one line, with exit 3, in the workshop's language."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app

pytest.importorskip("starlette", reason="slp serve needs the serve extra: pip install 'slp-assess[serve]'")

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "german", "english"),
    [
        (["--mode", "chaos", "--out", "ws", "--partnership", "L"], "--mode 'chaos': erlaubt sind moderated oder self", "--mode 'chaos': use moderated or self"),
        (["--resume", "ws", "--out", "ws"], "--out und --partnership weglassen", "leave out --out and --partnership"),
        (["--partnership", "L"], "--out ORDNER fehlt", "--out FOLDER is needed"),
        (["--out", "ws"], "--partnership NAME fehlt", "--partnership NAME is needed"),
        (["--out", "afile", "--partnership", "L"], "afile ist eine Datei", "afile is a file"),
        (["--resume", "nowhere"], "nowhere: diesen Workshop-Ordner gibt es nicht", "nowhere: no such workshop folder to resume"),
        (["--resume", "empty"], "empty: keine Antwortdateien (*.yaml) zum Fortsetzen", "empty: no answer files (*.yaml) to resume"),
    ],
)
def test_usage_errors_in_the_workshops_language(tmp_path, monkeypatch, args, german, english):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    for lang, expected, label in (("de", german, "Fehler: "), ("en", english, "error: ")):
        result = runner.invoke(app, ["serve", "slp-quickcheck", *args, "--lang", lang, "--port", "0"], input="")
        assert result.exit_code == 3, result.output
        assert result.stderr.startswith(label) and expected in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "empty"]  # nothing was made


@pytest.mark.parametrize("lang", ["fr", "DE", "en-GB"])
def test_an_unknown_language_is_refused_as_by_every_other_command(tmp_path, monkeypatch, lang):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["serve", "slp-quickcheck", "--out", "ws", "--partnership", "L", "--lang", lang, "--port", "0"], input="")
    assert result.exit_code == 3, result.output
    assert result.stderr == f"error: unknown language {lang!r}: use one of de, en\n"
    assert list(tmp_path.iterdir()) == []  # nothing was made


def test_an_unknown_questionnaire_is_named_in_the_workshops_language(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for lang, expected in (("de", "Fehler: den Fragebogen 'nope' gibt es nicht"), ("en", "error: unknown questionnaire 'nope'")):
        result = runner.invoke(app, ["serve", "nope", "--out", "ws", "--partnership", "L", "--lang", lang, "--port", "0"], input="")
        assert result.exit_code == 3, result.output
        assert result.stderr.startswith(expected), result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    default = runner.invoke(app, ["serve", "nope", "--out", "ws", "--partnership", "L", "--port", "0"], input="", env={"SLP_LANG": ""})
    assert default.stderr.startswith("Fehler: den Fragebogen 'nope' gibt es nicht"), default.stderr
    assert list(tmp_path.iterdir()) == []  # nothing was made
