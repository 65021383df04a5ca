"""docs/api.md is a worked notebook example; every example in it runs as a doctest from the repository root."""

from __future__ import annotations

import doctest
import sys
from pathlib import Path

import pytest

from slp_assess import api
from slp_assess.errors import UsageError

REPO = Path(__file__).resolve().parents[1]


def test_api_page_examples_run(monkeypatch):
    pytest.importorskip("pandas")
    monkeypatch.chdir(REPO)
    result = doctest.testfile(str(REPO / "docs" / "api.md"), module_relative=False, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted > 20
    assert result.failed == 0


def test_to_dataframe_without_pandas_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # what an environment without pandas looks like to import
    with pytest.raises(UsageError, match=r"pip install 'slp-assess\[pandas\]'"):
        api.to_dataframe([])


def test_score_row_of_an_invalid_file_keeps_its_problems(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("questionnaire: nope\nversion: '1'\n", encoding="utf-8")
    [record] = api.score_files([bad])
    assert api.score_row(record) == {"file": str(bad), "error": record["errors"][0]["message"]}
