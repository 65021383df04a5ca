"""`slp migrate` and `slp assess --resume --migrate` carry answers over through the questionnaire's mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from slp_assess.cli import app, load_commands

load_commands()
runner = CliRunner()

AGREEMENT = {"options": [{"key": str(k), "points": k, "label": {"de": f"S{k}", "en": f"S{k}"}} for k in range(1, 6)]}
YES_NO = {"options": [{"key": k, "points": p, "label": {"de": k, "en": k}} for k, p in (("no", 0), ("partly", 1), ("yes", 2))]}
STATUS = {"options": [{"key": str(k), "points": k, "label": {"de": f"Status {k}", "en": f"status {k}"}} for k in range(5)]}
SOURCE = "Findungsphase: Bestimmung von gemeinsamen Zielen"


def _item(item_id: str, scale: str) -> dict:
    return {"id": item_id, "text": {"de": item_id, "en": item_id}, "scale": scale, "source": SOURCE}


def _questionnaire(version: str, items: list[dict], scales: dict, context_id: str, **extra) -> dict:
    return {
        "id": "mig", "version": version, "title": {"de": "M", "en": "M"}, "description": {"de": "M", "en": "M"},
        "scales": scales,
        "sections": [{"id": "s", "title": {"de": "S", "en": "S"}, "factors": [{"id": "s.f", "title": {"de": "F", "en": "F"}, "items": items}]}],
        "context": [{"id": context_id, "text": {"de": "Phase?", "en": "Phase?"}, "type": "choice",
                     "options": [{"key": k, "label": {"de": k, "en": k}} for k in ("findung", "aufbau")]}],
        **extra,
    }


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    old = _questionnaire("1.0", [_item("s.f.kept", "agreement"), _item("s.f.old_name", "agreement"), _item("s.f.yes_no", "yes_no"),
                                 _item("s.f.gone", "agreement"), _item("s.f.unlisted", "agreement")],
                         {"agreement": AGREEMENT, "yes_no": YES_NO}, "context.stage")
    new = _questionnaire("2.0", [_item("s.f.kept", "agreement"), _item("s.f.new_name", "agreement"), _item("s.f.status", "status")],
                         {"agreement": AGREEMENT, "status": STATUS}, "context.phase", migrations=[{
                             "from": "1.0",
                             "items": {
                                 "s.f.kept": "keep",
                                 "s.f.old_name": {"to": "s.f.new_name"},
                                 # "partly" cannot be placed on the status scale honestly: left out on purpose.
                                 "s.f.yes_no": {"to": "s.f.status", "values": {"no": "0", "yes": "3"}},
                                 "s.f.gone": {"drop": {"de": "in zwei Fragen aufgeteilt", "en": "split into two questions"}},
                             },
                             "context": {"context.stage": {"to": "context.phase"}},
                         }])
    paths = {"old": tmp_path / "old.yaml", "new": tmp_path / "new.yaml"}
    paths["old"].write_text(yaml.safe_dump(old, allow_unicode=True), encoding="utf-8")
    paths["new"].write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")
    answers = tmp_path / "answers"
    answers.mkdir()
    paths["anna"] = answers / "anna.yaml"
    paths["anna"].write_text(
        'questionnaire: mig\nversion: "1.0"\npartnership: P\nrespondent: {name: Anna, role: Landkreis}\nanswers:\n'
        '  s.f.kept: "4"\n  s.f.old_name: {value: "2", note: "Nur mündlich besprochen."}\n  s.f.yes_no: "yes"\n'
        '  s.f.gone: "5"\n  s.f.unlisted: n/a\ncontext:\n  context.stage: aufbau\n', encoding="utf-8")
    paths["ben"] = answers / "ben.yaml"
    paths["ben"].write_text(
        'questionnaire: mig\nversion: "1.0"\nanswers:\n  s.f.yes_no: {value: partly, note: "Nur für ein Projekt."}\n', encoding="utf-8")
    return paths


def _migrate(paths: dict[str, Path], *args: str):
    return runner.invoke(app, ["migrate", *args, "-q", str(paths["old"]), "-q", str(paths["new"]), "--lang", "en"])


def test_migrate_keeps_renames_rescales_and_lists_what_is_dropped(setup):
    original = setup["anna"].read_bytes()
    result = _migrate(setup, str(setup["anna"]))
    assert result.exit_code == 0, result.output
    assert "version 1.0 → 2.0: 1 kept, 2 renamed, 1 re-scaled, 2 dropped" in result.stdout
    assert "renamed: context.stage → context.phase" in result.stdout
    assert "renamed: s.f.old_name → s.f.new_name" in result.stdout and "re-scaled: s.f.yes_no → s.f.status" in result.stdout
    assert "dropped: s.f.gone – split into two questions" in result.stdout
    assert "dropped: s.f.unlisted – the question no longer exists" in result.stdout
    backup = setup["anna"].with_name("anna.yaml.v1-0.bak")
    assert backup.read_bytes() == original and "original kept as" in result.stdout
    data = yaml.safe_load(setup["anna"].read_text(encoding="utf-8"))
    assert data["version"] == "2.0" and data["respondent"]["role"] == "landkreis"
    assert data["answers"] == {"s.f.kept": "4", "s.f.new_name": {"value": "2", "note": "Nur mündlich besprochen."}, "s.f.status": "3"}
    assert data["context"] == {"context.phase": "aufbau"}
    valid = runner.invoke(app, ["validate", str(setup["anna"]), "-q", str(setup["new"])])
    assert valid.exit_code == 0, valid.output


def test_a_value_that_cannot_be_mapped_keeps_its_note(setup):
    result = _migrate(setup, str(setup["ben"]))
    assert result.exit_code == 0, result.output
    assert "dropped: s.f.yes_no – the answer does not fit the new scale" in result.stdout
    data = yaml.safe_load(setup["ben"].read_text(encoding="utf-8"))
    assert data["answers"] == {"s.f.status": {"note": "Nur für ein Projekt."}}


def test_dry_run_changes_nothing_and_current_files_are_left_alone(setup):
    before = setup["anna"].read_bytes()
    result = _migrate(setup, "--dry-run", str(setup["anna"].parent))
    assert result.exit_code == 0, result.output
    assert "Dry run: no file was changed." in result.stdout and "1 re-scaled" in result.stdout
    assert setup["anna"].read_bytes() == before
    assert sorted(p.name for p in setup["anna"].parent.iterdir()) == ["anna.yaml", "ben.yaml"]
    assert _migrate(setup, str(setup["anna"])).exit_code == 0
    again = _migrate(setup, str(setup["anna"]))
    assert "already version 2.0" in again.stdout


def test_an_invalid_file_is_reported_and_the_others_are_migrated(setup):
    bad = setup["anna"].parent / "bad.yaml"
    bad.write_text('questionnaire: mig\nversion: "1.0"\nanswers:\n  s.f.kept: "9"\n', encoding="utf-8")
    result = _migrate(setup, str(setup["anna"].parent))
    assert result.exit_code == 2
    assert "bad.yaml:4" in result.stderr and "'9' is not an option" in result.stderr
    assert yaml.safe_load(setup["anna"].read_text(encoding="utf-8"))["version"] == "2.0"
    assert bad.read_text(encoding="utf-8").startswith("questionnaire: mig")  # untouched, no backup
    assert not bad.with_name("bad.yaml.v1-0.bak").exists()


def test_an_unknown_target_version_is_a_usage_error(setup):
    result = _migrate(setup, "--to", "3.0", str(setup["anna"]))
    assert result.exit_code == 3
    assert "available in version 2.0, not 3.0" in result.stderr


def test_assess_resume_migrate_uses_the_same_mapping(setup):
    result = runner.invoke(app, ["assess", str(setup["new"]), "--resume", str(setup["anna"]), "--migrate", "--lang", "en"],
                           input="q\n", env={"NO_COLOR": "1", "COLUMNS": "120"})
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(setup["anna"].read_text(encoding="utf-8"))
    assert data["answers"]["s.f.new_name"] == {"value": "2", "note": "Nur mündlich besprochen."}
    assert data["answers"]["s.f.status"] == "3"
    assert "s.f.gone" in " ".join(result.stdout.split())


def _with_heir(setup: dict[str, Path], heir: str | None) -> None:
    """The new version of ``setup`` with ``s.f.gone``'s note going to ``heir``."""
    new = yaml.safe_load(setup["new"].read_text(encoding="utf-8"))
    move = new["migrations"][0]["items"]["s.f.gone"]
    if heir is not None:
        move["note_to"] = heir
    setup["new"].write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")


def test_the_note_of_a_dropped_item_goes_to_the_item_named_by_note_to(setup):
    _with_heir(setup, "s.f.kept")
    setup["anna"].write_text(
        'questionnaire: mig\nversion: "1.0"\nanswers:\n  s.f.kept: {value: "4", note: "Eigene Notiz."}\n'
        '  s.f.gone: {value: "5", note: "Im Kreistag vertagt."}\n', encoding="utf-8")
    result = _migrate(setup, str(setup["anna"]))
    assert result.exit_code == 0, result.output
    assert "dropped: s.f.gone – split into two questions (its note now stands with s.f.kept)" in result.stdout
    data = yaml.safe_load(setup["anna"].read_text(encoding="utf-8"))
    # The dropped answer's value is not carried over; both notes are kept, one per line, in the old file's order.
    assert data["answers"] == {"s.f.kept": {"value": "4", "note": "Eigene Notiz.\nIm Kreistag vertagt."}}


def test_a_note_no_item_takes_is_named_as_not_carried_over(setup):
    setup["anna"].write_text(
        'questionnaire: mig\nversion: "1.0"\nanswers:\n  s.f.gone: {value: "5", note: "Im Kreistag vertagt."}\n'
        '  s.f.unlisted: {note: "Fehlt ganz."}\n  s.f.kept: "4"\n', encoding="utf-8")
    result = runner.invoke(app, ["migrate", "-q", str(setup["old"]), "-q", str(setup["new"]), "--lang", "de", str(setup["anna"])])
    assert result.exit_code == 0, result.output
    lost = "(die Notiz wird nicht übernommen, keine Frage der neuen Version nimmt sie auf; sie bleibt in der Originaldatei)"
    assert f"entfallen: s.f.gone – in zwei Fragen aufgeteilt {lost}" in result.stdout
    assert f"entfallen: s.f.unlisted – die Frage gibt es nicht mehr {lost}" in result.stdout
    assert "Im Kreistag vertagt." in setup["anna"].with_name("anna.yaml.v1-0.bak").read_text(encoding="utf-8")


@pytest.mark.parametrize(("move", "error"), [
    ({"drop": {"de": "weg", "en": "gone"}, "note_to": "s.f.nowhere"}, "item 's.f.nowhere' does not exist in version 2.0"),
    ({"to": "s.f.kept", "note_to": "s.f.kept"}, "`note_to` goes with `drop`"),
])
def test_validate_checks_note_to(setup, move, error):
    new = yaml.safe_load(setup["new"].read_text(encoding="utf-8"))
    new["migrations"][0]["items"]["s.f.gone"] = move
    setup["new"].write_text(yaml.safe_dump(new, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(setup["new"])])
    assert result.exit_code == 2
    assert error in result.stderr and "new.yaml:" in result.stderr and "note_to" in result.stderr


@pytest.mark.parametrize("questionnaire_id", ["slp-readiness", "slp-quickcheck"])
def test_no_note_is_lost_carrying_the_bundled_questionnaires_over(questionnaire_id):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from slp_assess.loading import QuestionnaireCatalog
    from slp_assess.migration import migrate_answers
    from slp_assess.models.answers import AnswerFile

    catalog = QuestionnaireCatalog.with_files([])
    current = catalog.get(questionnaire_id, None)
    old = catalog.get(questionnaire_id, "1.0")
    assert current is not None and old is not None and current.version != "1.0"
    old_items = [item for _, item in old.items()]

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.tuples(st.sampled_from(old_items), st.booleans(), st.text(alphabet="abc xyzäß", min_size=1, max_size=8)),
                    unique_by=lambda t: t[0].id))
    def carried(noted):
        answers = {
            item.id: {"value": old.scales[item.scale].options[0].key if with_value else None, "note": f"{item.id} {text}"}
            for item, with_value, text in noted
        }
        result = migrate_answers(AnswerFile.model_validate({"questionnaire": questionnaire_id, "version": "1.0", "answers": answers}),
                                 current)
        kept = [line for a in result.answers.answers.values() if a.note for line in a.note.split("\n")]
        assert sorted(kept) == sorted(a["note"] for a in answers.values())
        assert not any(d.note_lost for d in result.dropped)

    carried()
