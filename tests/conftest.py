"""Shared fixtures: paths to committed fixture files, a loaded mini questionnaire, a bound on waiting."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from slp_assess.cli import load_commands
from slp_assess.loading import QuestionnaireCatalog, load_questionnaire_file
from slp_assess.models.questionnaire import Questionnaire

# CliRunner tests drive `app` directly, so every command must be registered on it.
load_commands()

REPO = Path(__file__).resolve().parents[1]
CORE_FIXTURES = Path(__file__).parent / "fixtures" / "core"
# A worker pool test that waits longer than this fails instead of hanging the suite.
WAIT_BOUND_SECONDS = 60


@pytest.fixture
def core_fixtures() -> Path:
    return CORE_FIXTURES


@pytest.fixture
def mini() -> Questionnaire:
    return load_questionnaire_file(CORE_FIXTURES / "mini.yaml")


@pytest.fixture
def mini_catalog() -> QuestionnaireCatalog:
    return QuestionnaireCatalog.with_files([CORE_FIXTURES / "mini.yaml"])


@pytest.fixture
def bounded() -> Iterator[None]:
    """Fail the test (instead of hanging the suite) if it runs longer than WAIT_BOUND_SECONDS."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still waiting after {WAIT_BOUND_SECONDS} s: the pool waits for a dead worker")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(WAIT_BOUND_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
