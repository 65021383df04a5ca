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


def test_no_docstring_holds_a_control_character():
    """`help()` prints docstrings to a terminal: a ``\\x1b`` written unescaped in one is an escape sequence."""
    import ast
    import re

    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    found = []
    for path in sorted((REPO / "src" / "slp_assess").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                text = ast.get_docstring(node, clean=False)
                if text and control.search(text):
                    found.append(f"{path.relative_to(REPO)}: {getattr(node, 'name', 'module')}")
    assert found == []
