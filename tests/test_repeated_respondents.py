"""A person who answered more than once for one partnership is named in its report, never silently counted twice.

A folder of two rounds of a partnership (the example data has ``lindenau/`` and ``lindenau-2025/``) makes
one group per partnership and questionnaire, and a person who took part in both rounds counts twice.
Groups are generated (names written with other spacing and case, namesakes on other sides, nameless
answers) and checked against a plain count; the reports are checked as a planner reads them.
"""

from __future__ import annotations

import html
import json
import random
import unicodedata
from collections import Counter
from pathlib import Path

import yaml
from typer.testing import CliRunner

from slp_assess.aggregate import Assessment, assessment_of
from slp_assess.cli import app
from slp_assess.models.answers import AnswerFile, person_key
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.repeated import repeated_count
from slp_assess.reportdata import build_report

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ENV = {"SOURCE_DATE_EPOCH": "1756339200", "SLP_LANG": "de", "NO_COLOR": "1"}
# People as (first name, surname); each file writes one of them in its own way (see ``_written``).
PEOPLE = (("Anna", "Weber"), ("Jan", "Roth"), ("Katrin", "Berger"), ("Miriam", "Öztürk"), ("K.", "Berger"),
          ("Ma", "Li"), ("", "Li"), ("<b>Kim</b>", "& *Co*"))
TITLES = ("Dr.", "Prof. Dr.", "Dr.-Ing.", "Dipl.-Ing.", "dr", "PROF.")
ADDRESSES = ("Frau", "Herr", "Fr.", "Frau Dr.")  # before a first name only: "Frau Li" is not "Herr Li"
runner = CliRunner()


def _questionnaire() -> Questionnaire:
    text = {"de": "T", "en": "T"}
    return Questionnaire.model_validate({
        "id": "rep", "version": "1.0", "title": text, "description": text,
        "scales": {"agree": {"options": [{"key": str(p), "points": p, "label": {"de": str(p), "en": str(p)}} for p in range(1, 6)]}},
        "sections": [{"id": "s", "title": text, "factors": [{"id": "f", "title": text, "items": [
            {"id": "f.i", "text": text, "scale": "agree", "source": "paper"}]}]}],
    })


def _written(rng: random.Random, person: tuple[str, str]) -> str:
    """The same person as another file may write the name: other case and spaces, a title or form of address
    before it, surname first with a comma, letters composed or decomposed."""
    first, last = person
    title = [rng.choice(TITLES + ADDRESSES if first else TITLES)] if rng.random() < 0.3 else []
    if first and rng.random() < 0.3:
        words = [f"{last},", *title, *first.split()]
    else:
        words = [*title, *first.split(), *last.split()]
    if rng.random() < 0.3:
        words = [w.upper() if rng.random() < 0.5 else w.lower() for w in words]
    text = " " * rng.randint(0, 2) + (" " * rng.randint(1, 3)).join(words) + " " * rng.randint(0, 2)
    return unicodedata.normalize(rng.choice(("NFC", "NFD")), text)


def _group(rng: random.Random, q: Questionnaire) -> tuple[list[Assessment], list[tuple[str, str] | None]]:
    """Answers of a few people, and who wrote each (None: no name)."""
    group: list[Assessment] = []
    who: list[tuple[str, str] | None] = []
    for n in range(rng.randint(1, 12)):
        person = None if rng.random() < 0.15 else rng.choice(PEOPLE)
        name = "" if person is None else _written(rng, person)
        date = f"202{rng.randint(4, 6)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if rng.random() < 0.8 else None
        doc = {"questionnaire": "rep", "version": "1.0", "partnership": "P", "date": date,
               "respondent": {"name": name, "role": rng.choice(("stadt", "landkreis", "gemeinde"))},
               "answers": {"f.i": str(rng.randint(1, 5))}}
        group.append(assessment_of(AnswerFile.model_validate(doc), q, f"{n}.yaml"))
        who.append(person)
    return group, who


def test_generated_groups_name_every_person_who_answered_more_than_once():
    q = _questionnaire()
    for seed in range(300):
        rng = random.Random(seed)
        group, who = _group(rng, q)
        people = Counter((person, a.side) for person, a in zip(who, group, strict=True) if person is not None)
        expected = {key: count for key, count in people.items() if count > 1}
        report = build_report(q, group, lang="de")
        repeated = report.summary.repeated_respondents
        # Each is named as one of the files wrote the name; which person that is, the generator knows.
        spelled = {(person_key(a.answers.respondent.name), a.side): person for person, a in zip(who, group, strict=True) if person}
        assert {(spelled[(person_key(r.name), r.role)], r.role): len(r.dates) for r in repeated} == expected, seed
        for r in repeated:
            dated = [d for d in r.dates if d is not None]
            assert dated == sorted(dated) and r.dates[:len(dated)] == dated, seed  # earliest first, undated last
            assert r.name == r.name.strip() and "  " not in r.name
        assert report.respondent_count == len(group)  # every answer still counts
        # `slp score --group-by` counts from each file's person_key and side, as the report does.
        assert repeated_count((person_key(a.answers.respondent.name), a.side) for a in group) == len(repeated), seed
        anonymous = build_report(q, group, lang="de", anonymize=True).summary.repeated_respondents
        assert [(r.name, r.role, r.dates) for r in anonymous] == [(None, r.role, r.dates) for r in repeated]


def _rounds(folder: Path, partnership: str = "Lindenau") -> None:
    """Two rounds of one partnership in one folder; the hostile name answered in both."""
    for round_, date in (("2025", "2025-10-15"), ("2026", "2026-03-18")):
        for n, (name, side) in enumerate((("<b>Kim</b> & *Co*", "stadt"), (f"Neu {round_}", "landkreis"))):
            path = folder / round_ / f"p{n}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump({
                "questionnaire": "slp-quickcheck", "version": "2.0", "partnership": partnership, "date": date,
                "respondent": {"name": name, "role": side}, "answers": {},
            }, allow_unicode=True), encoding="utf-8")


def test_the_report_names_them_escaped_and_the_index_counts_them(tmp_path):
    _rounds(tmp_path / "in")
    for fmt in ("html", "md", "json"):
        out = tmp_path / fmt
        result = runner.invoke(app, ["report", str(tmp_path / "in"), "-f", fmt, "-o", f"{out}/"], env=ENV)
        assert result.exit_code == 0, result.output
        assert ("'Lindenau' (Schnellcheck Stadt-Land-Partnerschaft): mehrfach geantwortet (gleicher Name, gleiche Seite): 1;"
                in result.stderr)
        report = (out / f"lindenau.{fmt}").read_text(encoding="utf-8")
        if fmt == "json":
            repeated = json.loads(report)["summary"]["repeated_respondents"]
            assert repeated == [{"name": "<b>Kim</b> & *Co*", "role": "stadt", "role_label": "Stadt",
                                 "dates": ["2025-10-15", "2026-03-18"]}]
            [row] = json.loads((out / "index.json").read_text(encoding="utf-8"))["rows"]
            assert row["repeated_respondents"] == 1
            continue
        assert "Mehrfach geantwortet (gleicher Name, gleiche Seite):" in report
        assert "15. Oktober 2025, 18. März 2026" in report
        assert "<b>Kim" not in report  # escaped for where it lands
        shown = html.escape("<b>Kim</b> & *Co*", quote=False) if fmt == "html" else r"&lt;b\>Kim&lt;/b\> &amp; \*Co\*"
        assert f"{shown} (Stadt; 15. Oktober 2025, 18. März 2026)" in report
        index = (out / f"index.{fmt}").read_text(encoding="utf-8")
        assert "⚠ 1 mehrfach geantwortet" in index


def test_an_anonymized_report_gives_only_how_many(tmp_path):
    _rounds(tmp_path / "in")
    result = runner.invoke(app, ["report", str(tmp_path / "in"), "--anonymize", "-f", "md", "--lang", "en"], env=ENV)
    assert result.exit_code == 0, result.output
    assert "One participant answered more than once (same name, same side)." in result.stdout
    assert "'Lindenau' (Urban–rural partnership quick check): answered more than once (same name, same side): 1;" in result.stderr
    assert "Kim" not in result.output


def test_the_example_folder_with_both_rounds_names_the_four_who_answered_twice():
    result = runner.invoke(app, ["report", str(EXAMPLES / "lindenau"), str(EXAMPLES / "lindenau-2025"), "-f", "json"], env=ENV)
    assert result.exit_code == 0, result.output
    repeated = json.loads(result.stdout)["summary"]["repeated_respondents"]
    assert [r["name"] for r in repeated] == ["Dr. Katrin Berger", "Miriam Öztürk", "Sabine Kühn", "Thomas Rehberg"]
    alone = runner.invoke(app, ["report", str(EXAMPLES / "lindenau"), "-f", "json"], env=ENV)
    assert json.loads(alone.stdout)["summary"]["repeated_respondents"] == []


def test_score_group_by_counts_them_and_says_so_on_one_line(tmp_path):
    _rounds(tmp_path / "in", partnership="Linden\x1b[31mau")
    result = runner.invoke(app, ["score", str(tmp_path / "in"), "--group-by", "partnership", "--format", "json"], env=ENV)
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)
    assert row["respondents"] == 4 and row["repeated_respondents"] == 1
    warning = "'Linden\\x1b[31mau' (Schnellcheck Stadt-Land-Partnerschaft): mehrfach geantwortet (gleicher Name, gleiche Seite): 1; jede Antwort zählt mit."
    assert warning in result.stderr and "\x1b" not in result.stderr
    english = runner.invoke(app, ["score", str(tmp_path / "in"), "--group-by", "partnership", "--lang", "en"], env=ENV)
    assert "answered more than once (same name, same side): 1; every answer counts." in english.stderr
    quiet = runner.invoke(app, ["--quiet", "score", str(tmp_path / "in"), "--group-by", "partnership"], env=ENV)
    assert quiet.exit_code == 0 and quiet.stderr == ""
    alone = runner.invoke(app, ["score", str(tmp_path / "in" / "2026"), "--group-by", "partnership", "--format", "json"], env=ENV)
    assert json.loads(alone.stdout)[0]["repeated_respondents"] == 0 and alone.stderr == ""


def test_initials_and_short_names_stay_people_of_their_own():
    assert person_key("Dr. Katrin Berger") == person_key("berger,  KATRIN") == person_key("Katrin Berger, M.A.")
    assert person_key("Prof. Dr.-Ing. Jan Roth") == person_key("Herr Jan Roth") == person_key("Roth, Dipl.-Ing. Jan")
    assert person_key("Miriam O\u0308ztu\u0308rk") == person_key("Miriam Öztürk")
    assert person_key("K. Berger") != person_key("J. Berger")
    assert person_key("Ma Li") != person_key("Li") and person_key("M.A. Li") == person_key("Li")
    assert person_key("Dr.") == "dr."  # a title alone is what was written
    assert person_key("Frau Berger") != person_key("Herr Berger") and person_key("Frau Berger") != person_key("Berger")
    assert person_key("Fr. Dr. Berger") == person_key("Frau Berger") == person_key("Berger, Frau")
    assert person_key("Frau Katrin Berger") == person_key("Katrin Berger")
    assert person_key("") == person_key(None) == person_key("  ") == ""
