"""`slp migrate` and the version hint offer a migration only from a version the questionnaire knows."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from slp_assess.cli.app import app

runner = CliRunner()
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "lindenau" / "andrea-vogt.yaml"
MINI = Path(__file__).parent / "fixtures" / "core" / "mini.yaml"
# Versions no bundled questionnaire has (slp-readiness knows 1.0 and 2.0).
UNKNOWN = st.one_of(st.sampled_from(["9.9", "0.1", "2.1", "1.5", "3", "2.0.1", "beta"]),
                    st.from_regex(r"[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True).filter(lambda v: v not in ("1.0", "2.0")))


def _with_version(tmp_path: Path, version: str) -> Path:
    path = tmp_path / "a.yaml"
    shutil.copyfile(EXAMPLE, path)
    text = path.read_text(encoding="utf-8")
    assert 'version: "2.0"' in text
    path.write_text(text.replace('version: "2.0"', f'version: "{version}"', 1), encoding="utf-8")
    return path


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(UNKNOWN)
def test_migrate_from_an_unknown_version_is_an_error_naming_the_known_ones(tmp_path: Path, version: str) -> None:
    path = _with_version(tmp_path, version)
    before = path.read_bytes()
    result = runner.invoke(app, ["--lang", "en", "migrate", str(path), "--dry-run"])
    assert result.exit_code == 2, result.output
    line = next(n for n, text in enumerate(before.decode().splitlines(), 1) if text.startswith("version:"))
    assert f"{path}:{line}: questionnaire 'slp-readiness' has no version {version!r}" in result.stderr
    assert "(known: 1.0, 2.0)" in result.stderr and "übernommen" not in result.output
    assert result.stderr.count("\n") == 1
    for args in (["migrate", str(path)], ["validate", str(path)]):
        checked = runner.invoke(app, ["--lang", "en", *args])
        assert checked.exit_code == 2 and "slp migrate" not in checked.stderr, checked.output
    assert path.read_bytes() == before and not list(tmp_path.glob("*.bak"))


def test_validate_names_the_known_versions(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--lang", "en", "validate", str(_with_version(tmp_path, "9.9"))])
    assert result.exit_code == 2
    assert ("version: questionnaire 'slp-readiness' is version 2.0, the file says '9.9', a version it does not know (known: 1.0, 2.0) "
            '(hint: set version: to the version the answers were given to (e.g. "2.0"), '
            "or pass that version of the questionnaire with --questionnaire)") in result.stderr


def test_a_version_named_by_a_migration_is_offered(tmp_path: Path) -> None:
    # A questionnaire whose migrations name 0.9, given without its version 0.9: migrating is possible.
    text = MINI.read_text(encoding="utf-8")
    assert "\nmigrations:" not in text
    q = tmp_path / "mini.yaml"
    q.write_text(text.rstrip("\n") + '\nmigrations:\n  - from: "0.9"\n', encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text('questionnaire: mini\nversion: "0.9"\nanswers: {}\n', encoding="utf-8")
    result = runner.invoke(app, ["--lang", "en", "validate", "-q", str(q), str(answers)])
    assert result.exit_code == 2
    assert "or run `slp migrate` to carry the file over to version 1.0" in result.stderr
    migrated = runner.invoke(app, ["--lang", "en", "migrate", "-q", str(q), str(answers), "--dry-run"])
    assert migrated.exit_code == 0, migrated.output
