"""Shared names and dates, and the progress bar that appears only on a terminal for slow batches."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app, progress
from slp_assess.naming import slug, source_date


def test_slug_and_source_date(monkeypatch):
    assert slug("Jürgen Groß") == "juergen-gross"
    assert slug("Stadt-Land-Partnerschaft Rhön-Grabfeld") == "stadt-land-partnerschaft-rhoen-grabfeld"
    assert slug("ÖPNV & Ärzte") == "oepnv-aerzte"
    assert slug("„…“", "partnership") == "partnership"
    # An umlaut as "u" and a combining diaeresis (macOS file names) is the same umlaut.
    assert slug("Mu\u0308ller") == slug("Müller") == "mueller"
    assert slug("GROẞE") == "grosse"
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date() is None
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1774000000")
    assert source_date() == dt.date(2026, 3, 20)


def test_invalid_source_date_epoch_is_a_usage_error(core_fixtures):
    result = CliRunner().invoke(
        app, ["report", str(core_fixtures / "answers-city.yaml"), "-q", str(core_fixtures / "mini.yaml")],
        env={"SOURCE_DATE_EPOCH": "yesterday"},
    )
    assert result.exit_code == 3
    assert "SOURCE_DATE_EPOCH='yesterday' is not a number of seconds" in result.stderr


def test_no_progress_bar_on_a_pipe():
    bar = progress._LazyBar(10, enabled=False)
    bar.started -= 60  # however long the batch runs
    bar.advance(4)
    assert bar.progress is None


@pytest.mark.parametrize(("elapsed", "shown"), [(0.2, False), (2.0, True)])
def test_progress_bar_appears_only_after_a_second(monkeypatch, elapsed, shown):
    monkeypatch.setattr("sys.stderr", io.StringIO())
    bar = progress._LazyBar(10, enabled=True)
    bar.started -= elapsed
    bar.advance(4)
    try:
        assert (bar.progress is not None) == shown
        if shown:
            assert bar.progress.tasks[0].completed == 4
    finally:
        bar.close()


def test_names_that_differ_only_in_how_their_letters_are_encoded_are_one_name():
    """Canonically equal texts (an umlaut as one character or as a letter and a combining mark) give one
    partnership and one file name, whatever else they hold."""
    import unicodedata

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from slp_assess.models.answers import partnership_name

    letters = st.text(st.sampled_from(list("aouAOUeEinßẞ ü-Åé\u0308\u0301\u030a\u00a0Ǆǅ")), max_size=20)

    @settings(max_examples=300, deadline=None)
    @given(letters)
    def check(text: str) -> None:
        forms = [unicodedata.normalize(form, text) for form in ("NFC", "NFD")]
        assert partnership_name(forms[0]) == partnership_name(forms[1])
        assert slug(forms[0]) == slug(forms[1])

    check()
