"""`slp report --anonymize` leaves out every free text that may name people, in every format and path.

Generated partnerships answer the free-text context questions with texts that carry a marker word each; an
anonymized report (single file, portfolio, --previous, the HTML a PDF is printed from) holds none of them,
while the counts of the chosen options stay. With --keep-notes the texts are printed, which shows the
markers would be found if they leaked.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app

runner = CliRunner()
ENV = {"SOURCE_DATE_EPOCH": "1774000000"}
QUESTIONNAIRES = ("slp-quickcheck", "slp-readiness")
FILLERS = ("Ansprechpartnerin", "Tel. 0151 2345678", "Herr Dr.", "<b>", "*kursiv*", "„zitiert“", "|", "\\", "Straße 5")


def _marker(rng: random.Random) -> str:
    return "Zq" + "".join(rng.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))


def _free_text(rng: random.Random, markers: list[str]) -> str:
    marker = _marker(rng)
    markers.append(marker)
    words = [*rng.sample(FILLERS, rng.randint(0, 3)), marker]
    rng.shuffle(words)
    return " ".join(words)


def _write_partnerships(folder: Path, rng: random.Random, kinds: list[str]) -> tuple[list[str], dict[str, dict[str, int]]]:
    """A partnership of one to three people per questionnaire of ``kinds``; the markers written and the
    barrier counts per partnership."""
    markers: list[str] = []
    barriers: dict[str, dict[str, int]] = {}
    for n, kind in enumerate(kinds):
        q = api.load_questionnaire(kind)
        name = f"Partnerschaft {n}"
        counted = barriers.setdefault(name, {})
        for person in range(rng.randint(1, 3)):
            context: dict[str, Any] = {}
            for question in q.context:
                if question.type == "text" and rng.random() < 0.8:
                    context[question.id] = _free_text(rng, markers)
                elif question.id == "context.barriers":
                    chosen = [o.key for o in question.options if rng.random() < 0.4]
                    context[question.id] = chosen
                    for key in chosen:
                        counted[key] = counted.get(key, 0) + 1
            items = [item for _, item in q.items()]
            answers = {item.id: rng.choice(q.scales[item.scale].options).key for item in rng.sample(items, 5)}
            doc = {
                "questionnaire": q.id, "version": q.version, "partnership": name, "date": "2026-03-18",
                "respondent": {"name": f"Person {person}", "role": rng.choice(["stadt", "landkreis", "gemeinde"])},
                "answers": answers, "context": context,
            }
            (folder / f"p{n}-{person}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return markers, barriers


def _leaked(text: str, markers: list[str]) -> list[str]:
    return [m for m in markers if m in text]


@pytest.fixture(params=[11, 22, 33])
def generated(request, tmp_path) -> tuple[Path, Path, list[str], dict[str, dict[str, int]]]:
    rng = random.Random(request.param)
    now, earlier = tmp_path / "now", tmp_path / "earlier"
    now.mkdir()
    earlier.mkdir()
    kinds = [rng.choice(QUESTIONNAIRES) for _ in range(3)]
    markers, barriers = _write_partnerships(now, random.Random(rng.random()), kinds)
    earlier_markers, _ = _write_partnerships(earlier, random.Random(rng.random()), kinds)
    return now, earlier, markers + earlier_markers, barriers


def test_an_anonymized_portfolio_holds_no_free_text_but_the_option_counts(generated, tmp_path):
    now, earlier, markers, barriers = generated
    for fmt in ("md", "html", "json"):
        out = tmp_path / f"out-{fmt}"
        result = runner.invoke(app, ["report", str(now), "--anonymize", "-f", fmt, "-o", f"{out}/",
                                     "--previous", str(earlier)], env=ENV)
        assert result.exit_code == 0, result.output
        for written in out.iterdir():
            assert not _leaked(written.read_text(encoding="utf-8"), markers), written.name
        if fmt == "json":
            for written in out.glob("*.json"):
                report = json.loads(written.read_text(encoding="utf-8"))
                if "context" not in report:
                    continue  # the index
                [question] = [c for c in report["context"] if c["id"] == "context.barriers"]
                counts = {o["key"]: o["count"] for o in question["options"] if o["count"]}
                assert counts == barriers[report["meta"]["partnership"]]
                assert all(c["answers"] == [] for c in report["context"])


@pytest.mark.parametrize("fmt", ["md", "html", "json", "pdf"])
def test_an_anonymized_single_report_holds_no_free_text_unless_the_notes_are_kept(generated, fmt, monkeypatch):
    now, earlier, markers, _ = generated
    # The PDF is the HTML printed by Chromium; what goes to the printer is what is checked here.
    monkeypatch.setattr("slp_assess.report.pdf.html_to_pdf", lambda html, date=None: html.encode("utf-8"))
    one = [str(p) for p in sorted(now.glob("p0-*.yaml"))]
    anonymized = runner.invoke(app, ["report", *one, "--anonymize", "-f", fmt, "--previous", str(earlier)], env=ENV)
    assert anonymized.exit_code == 0, anonymized.output
    assert not _leaked(anonymized.stdout, markers)
    kept = runner.invoke(app, ["report", *one, "--anonymize", "--keep-notes", "-f", fmt], env=ENV)
    assert kept.exit_code == 0, kept.output
    given = [m for p in one for m in markers if m in Path(p).read_text(encoding="utf-8")]
    assert _leaked(kept.stdout, markers) == [m for m in markers if m in given]
    if fmt in ("md", "html", "pdf") and given:
        left_out = "Die Antworten in eigenen Worten sind in einem anonymisierten Bericht weggelassen"
        assert left_out in anonymized.stdout and left_out not in kept.stdout
