"""Every workbook the tool writes (`slp score -f xlsx`, `slp export --to xlsform`) is the same bytes for
the same input, whatever the clock says: its document dates and zip entry dates come from
SOURCE_DATE_EPOCH, else a fixed day.

The clock is moved by replacing the time sources openpyxl and zipfile read (no sleeping): the
workbooks written at two different fake times must not differ.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import types
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.cli.app import app

REPO = Path(__file__).resolve().parents[1]
LINDENAU = REPO / "examples" / "lindenau"
runner = CliRunner()
_REAL_LOCALTIME = time.localtime
_DATES = re.compile(r"<dcterms:(created|modified)[^>]*>([^<]*)</dcterms:")


def _set_clock(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Make openpyxl and zipfile believe it is ``seconds`` after 1970."""

    class _Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return dt.datetime.fromtimestamp(seconds, tz or dt.UTC).replace(tzinfo=tz)

    import openpyxl.packaging.core
    import openpyxl.writer.excel

    fake_datetime = types.SimpleNamespace(datetime=_Clock, timezone=dt.timezone)
    monkeypatch.setattr(openpyxl.writer.excel, "datetime", fake_datetime)
    monkeypatch.setattr(openpyxl.packaging.core, "datetime", fake_datetime)
    # zipfile dates an entry by time.localtime(time.time()), or by a file's mtime through localtime.
    fake_time = types.SimpleNamespace(time=lambda: seconds, localtime=lambda *_: _REAL_LOCALTIME(seconds))
    monkeypatch.setattr(zipfile, "time", fake_time)


def _score_xlsx(out: Path, *extra: str) -> bytes:
    result = runner.invoke(app, ["score", str(LINDENAU), *extra, "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _export_xlsform(out: Path) -> bytes:
    result = runner.invoke(app, ["export", "slp-quickcheck", "--to", "xlsform", "-o", str(out), "--force"])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def _stamps(data: bytes) -> tuple[dict[str, str], set[tuple[int, ...]]]:
    """The document dates of docProps/core.xml and the set of zip entry dates."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        core = archive.read("docProps/core.xml").decode()
        return dict(_DATES.findall(core)), {info.date_time for info in archive.infolist()}


@pytest.mark.parametrize("write", [_score_xlsx, _export_xlsform], ids=["score", "export"])
@pytest.mark.parametrize("epoch", [None, "1700000000"])
def test_workbooks_do_not_change_with_the_clock(tmp_path, monkeypatch, write, epoch):
    if epoch is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    _set_clock(monkeypatch, 1_000_000_000)
    first = write(tmp_path / "a.xlsx")
    _set_clock(monkeypatch, 1_900_000_000)
    second = write(tmp_path / "b.xlsx")
    assert first == second
    day = "2023-11-14" if epoch else "1980-01-01"
    assert _stamps(first) == ({"created": f"{day}T00:00:00Z", "modified": f"{day}T00:00:00Z"}, {(*map(int, day.split("-")), 0, 0, 0)})


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(epoch=st.integers(min_value=0, max_value=4_102_444_800))  # 1970 to 2100
def test_the_dates_are_the_day_of_source_date_epoch(tmp_path, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    dates, entries = _stamps(_score_xlsx(tmp_path / "s.xlsx"))
    assert dates == {"created": f"{day}T00:00:00Z", "modified": f"{day}T00:00:00Z"}
    # A zip entry cannot be dated before 1980: earlier days give 1980-01-01.
    assert entries == {max((day.year, day.month, day.day, 0, 0, 0), (1980, 1, 1, 0, 0, 0))}
