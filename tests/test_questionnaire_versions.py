"""Earlier questionnaire versions stay bundled, so old answer files score exactly as they did."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli.app import app
from slp_assess.loading import QuestionnaireCatalog, load_questionnaire
from slp_assess.resources import bundled_questionnaires, data_dir

runner = CliRunner()
V1 = Path(__file__).parent / "fixtures" / "v1"

# Scored with slp-readiness / slp-quickcheck 1.0 before version 2.0 existed (commit 43330f0).
PINNED = {
    "readiness-katrin-berger.yaml": {
        "questionnaire": {"id": "slp-readiness", "version": "1.0"},
        "overall": {"score": 64.6, "level": "partly", "blockers": [], "phase": None},
        "sections": {"discovery": 75.0, "success": 65.1, "financing": 66.7, "organisation": 57.6},
        "factors": {
            "discovery.goals": 75.0, "discovery.actors": 62.5, "discovery.scope": 87.5, "success.eye_level": 75.0,
            "success.pros_cons": 62.5, "success.conflict_rules": 50.0, "success.win_win": 75.0,
            "success.consensus_results": 50.0, "success.capacity": 83.3, "success.leadership": 58.3,
            "financing.binding_rules": 66.7, "financing.transparency": 75.0, "financing.burden_benefit": 58.3,
            "organisation.bottom_up": 75.0, "organisation.structure": 62.5, "organisation.responsibilities": 62.5,
            "organisation.communication": 62.5, "organisation.acceptance": 50.0, "organisation.agreement": 33.3,
        },
    },
    "quickcheck-miriam-oeztuerk.yaml": {
        "questionnaire": {"id": "slp-quickcheck", "version": "1.0"},
        "overall": {"score": 65.3, "level": "partly", "blockers": [], "phase": None},
        "sections": {"discovery": 75.0, "success": 63.3, "financing": 58.3, "organisation": 66.7},
        "factors": {
            "discovery.goals": 75.0, "discovery.actors": 75.0, "discovery.scope": 75.0, "success.eye_level": 75.0,
            "success.pros_cons": 75.0, "success.conflict_rules": 50.0, "success.win_win": 75.0,
            "success.consensus_results": 50.0, "success.capacity": 50.0, "success.leadership": 62.5,
            "financing.binding_rules": 50.0, "financing.transparency": 75.0, "financing.burden_benefit": 50.0,
            "organisation.bottom_up": 75.0, "organisation.structure": 50.0, "organisation.responsibilities": 75.0,
            "organisation.communication": 75.0, "organisation.acceptance": 75.0, "organisation.agreement": 50.0,
        },
    },
}


@pytest.mark.parametrize("questionnaire_id", ["slp-readiness", "slp-quickcheck"])
def test_version_1_0_ships_beside_the_current_version(questionnaire_id):
    bundled = bundled_questionnaires()
    assert f"{questionnaire_id}@1.0" in bundled and questionnaire_id in bundled
    old = QuestionnaireCatalog().get(questionnaire_id, "1.0")
    assert old is not None and (old.id, old.version) == (questionnaire_id, "1.0")
    assert load_questionnaire(f"{questionnaire_id}@1.0").version == "1.0"


# SHA-256 of the 1.0 files as released (questionnaires/slp-*.yaml at commit 43330f0).
RELEASED_1_0 = {
    "slp-readiness@1.0.yaml": "b4ec1164c9b4d74173754d9c0421a60cf20faa16c73bdf7d7471f74857176b2c",
    "slp-quickcheck@1.0.yaml": "5992b7602d7c954491bd300e4bebfcf7833272d2c794b9d4738c1066599298fd",
}


@pytest.mark.parametrize("name", sorted(RELEASED_1_0))
def test_version_1_0_files_are_byte_for_byte_the_release(name):
    # Old results are reproducible only while the 1.0 files stay exactly as released: never edit them.
    data = (data_dir("questionnaires") / name).read_bytes()
    assert hashlib.sha256(data).hexdigest() == RELEASED_1_0[name]


@pytest.mark.parametrize("name", sorted(PINNED))
def test_a_1_0_answer_file_scores_as_it_did_before_version_2_0(name):
    result = runner.invoke(app, ["score", str(V1 / name), "--format", "json"])
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)
    expected = PINNED[name]
    assert record["questionnaire"] == expected["questionnaire"]
    assert record["overall"] == expected["overall"]
    assert {s["id"]: s["score"] for s in record["sections"]} == expected["sections"]
    assert {f["id"]: f["score"] for f in record["factors"]} == expected["factors"]


# ------------------------------------------------------------------- migration mapping 1.0 -> 2.0


def _mapping(questionnaire_id: str):
    new = load_questionnaire(questionnaire_id)
    old = load_questionnaire(f"{questionnaire_id}@1.0")
    [migration] = [m for m in new.migrations if m.from_version == "1.0"]
    return old, new, migration


@pytest.mark.parametrize("questionnaire_id", ["slp-readiness", "slp-quickcheck"])
def test_the_mapping_names_every_1_0_item_and_context_question(questionnaire_id):
    old, _, migration = _mapping(questionnaire_id)
    assert list(migration.items) == [item.id for _, item in old.items()]
    assert list(migration.context) == [c.id for c in old.context]


@pytest.mark.parametrize("questionnaire_id", ["slp-readiness", "slp-quickcheck"])
def test_every_mapped_answer_lands_on_an_option_that_means_the_same(questionnaire_id):
    old, new, migration = _mapping(questionnaire_id)
    old_items, new_items = old.item_index(), new.item_index()
    for old_id, move in migration.items.items():
        if move.drop is not None:
            assert move.drop["de"].strip() and move.drop["en"].strip(), old_id
            continue
        before, after = old_items[old_id], new_items[move.to or old_id]
        old_scale, new_scale = old.scales[before.scale], new.scales[after.scale]
        if move.values is None:
            # `keep` and plain renames need the same keys with the same points, or the answers change meaning.
            assert [(o.key, o.points) for o in old_scale.options] == [(o.key, o.points) for o in new_scale.options], old_id
            assert before.reverse == after.reverse, old_id
            continue
        assert set(move.values) <= {o.key for o in old_scale.options}, old_id
        assert set(move.values.values()) <= {o.key for o in new_scale.options}, old_id
        # A better old answer never maps to a worse new one.
        ranked = sorted(move.values, key=lambda key: old_scale.option(key).points)
        mapped = [new_scale.option(move.values[key]).points for key in ranked]
        assert mapped == sorted(mapped), old_id
    for old_id, move in migration.context.items():
        target = next(c for c in new.context if c.id == (move.to or old_id))
        source = next(c for c in old.context if c.id == old_id)
        assert {o.key for o in source.options} <= {o.key for o in target.options}, old_id


def test_the_1_0_stage_question_becomes_the_phase_question():
    _, new, migration = _mapping("slp-readiness")
    assert migration.context["context.stage"].to == new.phases.question == "context.phase"
