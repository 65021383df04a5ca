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
NAMES = ("Anna Weber", "Jan Roth", "Dr. Katrin Berger", "Öztürk, Miriam", "<b>Kim</b> & *Co*")
runner = CliRunner()


def _questionnaire() -> Questionnaire:
    text = {"de": "T", "en": "T"}
    return Questionnaire.model_validate({
        "id": "rep", "version": "1.0", "title": text, "description": text,
        "scales": {"agree": {"options": [{"key": str(p), "points": p, "label": {"de": str(p), "en": str(p)}} for p in range(1, 6)]}},
        "sections": [{"id": "s", "title": text, "factors": [{"id": "f", "title": text, "items": [
            {"id": "f.i", "text": text, "scale": "agree", "source": "paper"}]}]}],
    })


def _written(rng: random.Random, name: str) -> str:
    """The same name as another file may write it: other case, other spaces."""
    words = name.split()
    if rng.random() < 0.3:
        words = [w.upper() if rng.random() < 0.5 else w.lower() for w in words]
    return " " * rng.randint(0, 2) + (" " * rng.randint(1, 3)).join(words) + " " * rng.randint(0, 2)


def _group(rng: random.Random, q: Questionnaire) -> list[Assessment]:
    group = []
    for n in range(rng.randint(1, 12)):
        name = "" if rng.random() < 0.15 else _written(rng, rng.choice(NAMES))
        date = f"202{rng.randint(4, 6)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}" if rng.random() < 0.8 else None
        doc = {"questionnaire": "rep", "version": "1.0", "partnership": "P", "date": date,
               "respondent": {"name": name, "role": rng.choice(("stadt", "landkreis", "gemeinde"))},
               "answers": {"f.i": str(rng.randint(1, 5))}}
        group.append(assessment_of(AnswerFile.model_validate(doc), q, f"{n}.yaml"))
    return group


def test_generated_groups_name_every_person_who_answered_more_than_once():
    q = _questionnaire()
    for seed in range(300):
        rng = random.Random(seed)
        group = _group(rng, q)
        people = Counter((" ".join(a.answers.respondent.name.split()).casefold(), a.side)
                         for a in group if a.answers.respondent.name.strip())
        expected = {key: count for key, count in people.items() if count > 1}
        report = build_report(q, group, lang="de")
        repeated = report.summary.repeated_respondents
        assert {(r.name.casefold(), r.role): len(r.dates) for r in repeated} == expected, seed
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
