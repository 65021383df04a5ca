"""slp import --map: the map's ``values`` are checked as a whole before any row is converted; every wrong
group, key or open point is named with the map's line, exit 2, and nothing is written."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app
from survey_sheets import write_csv

VERDICT = Path(__file__).parent / "fixtures" / "verdict" / "questionnaire.yaml"
runner = CliRunner()

TABLE = [["Wer", "Partnerschaft", "Gemeinsame Ziele.", "Phase", "Mehrfach"],
         ["Kreisverwaltung", "Elbtal", "stimme zu", "Anfang", "Konkurrenz um Flächen; Förderabhängigkeit"],
         ["Stadt", "Elbtal", "stimme voll zu", "Findung", "Förderabhängigkeit"]]
COLUMNS = ('columns:\n  Wer: respondent.role\n  Partnerschaft: partnership\n  "Gemeinsame Ziele.": discovery.goals.shared\n'
           "  Phase: context.phase\n  Mehrfach: context.barriers\n")
GOOD = {"agreement": {"stimme zu": "4", "stimme voll zu": "5"}, "respondent.role": {"Kreisverwaltung": "landkreis"},
        "context.phase": {"Anfang": "findung"}}
# (group, text, key, what the problem says): each a mistake a person makes writing a map by hand.
FAULTS = [
    ("agreemnt", "stimme zu", "4", "values.agreemnt: no scale, choice question or respondent.role of this name (hint: did you mean 'agreement'?"),
    ("agreement", "stimme voll zu", "7", "values.agreement: '7' (for 'stimme voll zu') is not a key of scale 'agreement'"),
    ("agreement", "stimme voll zu", "trifft voll zu", "is not a key of scale 'agreement' (hint: did you mean '5'?"),
    ("agreement", "stimme voll zu", None, "values.agreement: 'stimme voll zu' has no key yet (UNMATCHED)"),
    ("respondent.role", "Kreisverwaltung", "landkreiss", "'landkreiss' (for 'Kreisverwaltung') is not a key of the side question (hint: did you mean 'landkreis'?"),
    ("respondent.role", "Kreisverwaltung", "Kreisverwaltung", "is not a key of the side question"),
    ("context.phase", "Anfang", "keine_ahnung", "values.context.phase: 'keine_ahnung' (for 'Anfang') is not a key of context question 'context.phase'"),
    ("context.barriers", "Konkurrenz um Flächen", "konkurenz", "is not a key of context question 'context.barriers' (hint: did you mean 'konkurrenz'?"),
    ("contxt.phase", "Anfang", "findung", "values.contxt.phase: no scale, choice question or respondent.role of this name (hint: did you mean 'context.phase'?"),
]


def _map_text(values: dict[str, dict[str, str | None]]) -> tuple[str, dict[tuple[str, str], int]]:
    lines = COLUMNS.splitlines() + ["values:"]
    where: dict[tuple[str, str], int] = {}
    for group, entries in values.items():
        lines.append(f"  {group}:")
        where[group, ""] = len(lines)
        for text, key in entries.items():
            lines.append(f'    "{text}": {"null" if key is None else repr(key)}')
            where[group, text] = len(lines)
    return "\n".join(lines) + "\n", where


def test_a_good_map_imports(tmp_path):
    sheet = write_csv(tmp_path / "hand.csv", TABLE)
    text, _ = _map_text(GOOD)
    (tmp_path / "map.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["import", str(sheet), "-q", str(VERDICT), "--map", str(tmp_path / "map.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert len(list((tmp_path / "out").iterdir())) == 2


@pytest.mark.parametrize("seed", range(12))
def test_every_wrong_value_entry_is_named_with_its_map_line_and_nothing_is_written(tmp_path, seed):
    rng = random.Random(seed)
    # One fault per entry: a second on the same entry would replace the first.
    chosen = list({(f[0], f[1]): f for f in rng.sample(FAULTS, rng.randrange(1, 4))}.values())
    values = {group: dict(entries) for group, entries in GOOD.items()}
    for group, text, key, _ in chosen:
        values.setdefault(group, {})[text] = key
    text, where = _map_text(values)
    map_file = tmp_path / "map.yaml"
    map_file.write_text(text, encoding="utf-8")
    sheet = write_csv(tmp_path / "hand.csv", TABLE)
    result = runner.invoke(app, ["import", str(sheet), "-q", str(VERDICT), "--map", str(map_file), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    for group, entry, _, says in chosen:
        line = where[group, ""] if "no scale, choice question" in says else where[group, entry]
        assert any(f"{map_file}:{line}: " in x and says in x for x in lines), (says, line, lines)
    assert len(lines) == len(chosen), lines
    assert not (tmp_path / "out").exists()


def test_values_for_a_free_text_question_are_refused(tmp_path):
    from slp_assess import api
    from slp_assess.errors import InvalidInputError

    q = api.load_questionnaire("slp-readiness")
    free = next(c.id for c in q.context if c.type == "text")
    map_file = tmp_path / "map.yaml"
    map_file.write_text(f'columns: {{}}\nvalues:\n  {free}:\n    "x": y\n', encoding="utf-8")
    sheet = write_csv(tmp_path / "s.csv", [["slp_side", "slp_partnership"], ["stadt", "Elbtal"]])
    with pytest.raises(InvalidInputError) as info:
        api.import_responses(sheet, q, map_file)
    assert [p.format() for p in info.value.problems][0].startswith(f"{map_file}:3: values.{free}: {free!r} is a free-text question")
