"""`slp questionnaires`: the list (table, JSON) and `show` (a tree)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.loading import load_questionnaire

CORE = Path(__file__).parent / "fixtures" / "core"
runner = CliRunner()


def test_list_as_json_includes_given_files():
    result = runner.invoke(app, ["questionnaires", str(CORE / "mini.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.output
    # Earlier versions are bundled beside the current one (slp-readiness@1.0), so a row is an id and a version.
    rows = {(row["id"], row["version"]): row for row in json.loads(result.stdout)}
    readiness = load_questionnaire("slp-readiness")
    assert {("slp-readiness", readiness.version), ("slp-readiness", "1.0"), ("slp-quickcheck", "1.0")} <= set(rows)
    assert rows["slp-readiness", readiness.version] == {
        "id": "slp-readiness", "version": readiness.version, "languages": readiness.languages,
        "items": len(readiness.items()), "factors": len(readiness.factors()), "minutes": readiness.minutes,
        "source": "bundled",
    }
    assert rows["mini", "1.0"]["source"] == str(CORE / "mini.yaml")


def test_list_as_table():
    result = runner.invoke(app, ["questionnaires", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "slp-readiness" in result.stdout and "minutes" in result.stdout


def test_show_prints_the_structure_with_markers():
    result = runner.invoke(app, ["questionnaires", "show", str(CORE / "mini.yaml"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Equal say." in text and "[key requirement]" in text and "[reverse]" in text
    assert text.index("success.eye_level") < text.index("success.eye_level.equal_say")


def test_show_bundled_by_id_and_errors():
    assert runner.invoke(app, ["questionnaires", "show", "slp-quickcheck"]).exit_code == 0
    assert runner.invoke(app, ["questionnaires", "show", "no-such-questionnaire"]).exit_code == 3
    assert runner.invoke(app, ["questionnaires", "show", "slp-quickcheck", "--lang", "fr"]).exit_code == 3
    assert runner.invoke(app, ["questionnaires", str(CORE / "bad-questionnaire.yaml")]).exit_code == 2


REPORT = Path(__file__).parent / "fixtures" / "report" / "questionnaire.yaml"
# (file, id, English title) of the questionnaires a list may be given.
GIVEN = ((CORE / "mini.yaml", "mini", "Mini questionnaire"),
         (REPORT, "report-mini", "Urban–rural partnership readiness (test version)"))


@pytest.mark.parametrize("seed", range(10))
def test_files_before_show_make_their_ids_known(seed):
    """The usage help prints, `slp questionnaires [FILE]... show ID`, in generated arrangements."""
    rng = random.Random(seed)
    given = rng.sample(GIVEN, rng.randrange(1, len(GIVEN) + 1))
    path, qid, title = rng.choice(given)
    files = [str(p) for p, _, _ in given]
    before = ["--format", "json"] if rng.random() < 0.3 else []
    rng.shuffle(files)
    shown = rng.choice((qid, f"{qid}@1.0", str(path)))
    result = runner.invoke(app, ["questionnaires", *before, *files, "show", shown, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(title)


def test_show_after_format_is_the_value_of_format_not_the_subcommand():
    result = runner.invoke(app, ["questionnaires", "--format", "show"])
    assert result.exit_code == 3  # "show" is no list format: click's usage error, not `show` without an id


def test_an_id_that_only_a_given_file_has_is_unknown_without_it():
    result = runner.invoke(app, ["questionnaires", "show", "report-mini"])
    assert result.exit_code == 3
    assert "unknown questionnaire 'report-mini'" in result.stderr


ENGLISH_WORDS = re.compile(r"\b(id|version|languages|items|factors|minutes|source|bundled|critical|reverse|required|context)\b")


@pytest.mark.parametrize("where", ["root", "command", "default"])
def test_the_list_speaks_the_chosen_language(where):
    args = {"root": ["--lang", "de", "questionnaires"], "command": ["questionnaires", "--lang", "de"],
            "default": ["questionnaires"]}[where]
    result = runner.invoke(app, args, env={"SLP_LANG": None, "COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    header, *rows = [line for line in result.stdout.splitlines() if "slp-" in line or "Sprachen" in line]
    assert [word.strip() for word in header.split("┃")] == ["ID", "Version", "Sprachen", "Fragen", "Faktoren", "Min.", "Herkunft"]
    assert len(rows) >= 4 and all(row.rstrip().endswith("mitgeliefert") for row in rows)
    assert not ENGLISH_WORDS.search(result.stdout.replace("slp-", ""))


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("questionnaire", ["slp-readiness", "slp-quickcheck", "slp-readiness@1.0", str(CORE / "mini.yaml")])
def test_show_marks_every_item_in_the_chosen_language(lang, questionnaire):
    items = [item for section in load_questionnaire(questionnaire).sections for factor in section.factors for item in factor.items]
    result = runner.invoke(app, ["--lang", lang, "questionnaires", "show", questionnaire], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    text = result.stdout
    marker = {"de": ("Kernanforderung", "umgepolt", "Pflichtfrage"), "en": ("key requirement", "reverse", "required")}[lang]
    assert text.count(f"[{marker[0]}]") == sum(item.critical for item in items)
    assert text.count(f"[{marker[1]}]") == sum(item.reverse for item in items)
    assert text.count(f"[{marker[2]}]") == sum(item.required for item in items)
    if lang == "de":
        assert not re.search(r"\[(critical|reverse|required)\]", text)
        assert ("Angaben zur Partnerschaft (nicht bewertet)" in text) == bool(load_questionnaire(questionnaire).context)


@pytest.mark.parametrize(("args", "title"), [
    (["questionnaires", "--lang", "en", "show", "slp-quickcheck"], "Urban–rural partnership quick check"),
    (["questionnaires", "--lang", "en", "show", "slp-quickcheck", "--lang", "de"], "Schnellcheck Stadt-Land-Partnerschaft"),
    (["questionnaires", "show", "slp-quickcheck"], "Schnellcheck Stadt-Land-Partnerschaft"),
])
def test_show_follows_the_lang_given_before_it_unless_it_has_its_own(args, title):
    result = runner.invoke(app, args, env={"SLP_LANG": None, "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(title)
