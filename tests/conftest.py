"""Shared fixtures: paths to committed fixture files and a loaded mini questionnaire."""

from __future__ import annotations

from pathlib import Path

import pytest

from slp_assess.cli import load_commands
from slp_assess.loading import QuestionnaireCatalog, load_questionnaire_file
from slp_assess.models.questionnaire import Questionnaire

# CliRunner tests drive `app` directly, so every command must be registered on it.
load_commands()

REPO = Path(__file__).resolve().parents[1]
CORE_FIXTURES = Path(__file__).parent / "fixtures" / "core"


@pytest.fixture
def core_fixtures() -> Path:
    return CORE_FIXTURES


@pytest.fixture
def mini() -> Questionnaire:
    return load_questionnaire_file(CORE_FIXTURES / "mini.yaml")


@pytest.fixture
def mini_catalog() -> QuestionnaireCatalog:
    return QuestionnaireCatalog.with_files([CORE_FIXTURES / "mini.yaml"])
