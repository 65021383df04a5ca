"""The level legend of a report names the numbers where the levels start, as scores are shown.

Scores are shown and decided to the tenth, while a questionnaire may set a threshold such as 62.5 or
33.35. A legend that rounds it to a whole number ("from 63", "from 33") puts a score shown as 62.5 in a
band it is not in. Thresholds are generated (whole, one, two and six decimals); every number the legend
and the method section of the Markdown and HTML reports name must be the first score shown at that level.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.scoring import ScoringPlan

runner = CliRunner()
LABELS = ("Lzero", "Lone", "Ltwo", "Lthree")
# "Lone (ab 33,4)", "Lone (from 33.4)", "Lone (unter 33,4)", "Lone (below 33.4)"
LEGEND = re.compile(r"(L[a-z]+) \((ab|from|unter|below) ([0-9]+(?:[.,][0-9])?)\)")
# Method section: "**Lone** (33,4 bis unter 62,5 Punkte)", "**Lzero** (62.5 points or more)", ...
# The profile chart's scale marks: <text x="…" y="11" font-size="10.5" text-anchor="middle" fill="#4d5661">62,5</text>
TICK = re.compile(r'<text x="[0-9.]+" y="11" font-size="10.5" text-anchor="middle" fill="#4d5661">([^<]*)</text>')
METHOD = re.compile(r"\*\*(L[a-z]+)\*\* \(([0-9]+(?:[.,][0-9])?)(?: bis unter | to below )?([0-9]+(?:[.,][0-9])?)?")


def _threshold(rng: random.Random) -> float:
    decimals = rng.choice((0, 1, 1, 2, 6))
    value = round(rng.uniform(1, 99), decimals)
    return value + 0.05 if decimals == 1 and rng.random() < 0.3 else value  # x.x5: halfway between two tenths


def _case(rng: random.Random, folder: Path) -> tuple[Path, Path, list[float]]:
    thresholds = sorted({round(_threshold(rng), 6) for _ in range(rng.randint(1, 3))}, reverse=True) + [0]
    levels = [{"id": f"l{n}", "threshold": t, "label": {"de": LABELS[n], "en": LABELS[n]}} for n, t in enumerate(thresholds)]
    doc = {
        "id": "legend", "version": "1.0", "title": {"de": "L", "en": "L"}, "description": {"de": "L", "en": "L"},
        "levels": levels,
        "scales": {"s": {"options": [{"key": str(k), "points": k, "label": {"de": str(k), "en": str(k)}} for k in range(5)]}},
        "sections": [{"id": "s", "title": {"de": "S", "en": "S"}, "factors": [{
            "id": "f", "title": {"de": "F", "en": "F"},
            "items": [{"id": "f.a", "text": {"de": "A", "en": "A"}, "scale": "s", "source": "paper"}],
        }]}],
    }
    folder.mkdir()
    questionnaire = folder / "q.yaml"
    questionnaire.write_text(yaml.safe_dump(doc), encoding="utf-8")
    answers = folder / "a.yaml"
    answers.write_text(yaml.safe_dump({"questionnaire": "legend", "version": "1.0", "partnership": "P",
                                       "respondent": {"name": "A", "role": "stadt"}, "answers": {"f.a": str(rng.randrange(5))}}))
    return questionnaire, answers, thresholds


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _starts_at(plan: ScoringPlan, level_id: str, shown: float) -> bool:
    """``shown`` is the lowest score (to the tenth) at ``level_id``."""
    return plan.level(shown) == level_id and (shown == 0 or plan.level(round(shown - 0.1, 1)) != level_id)


def test_the_legend_names_the_first_score_shown_at_each_level(tmp_path):
    rng = random.Random(20260522)
    for case in range(12):
        questionnaire_file, answers, thresholds = _case(rng, tmp_path / f"c{case}")
        questionnaire = Questionnaire.model_validate(yaml.safe_load(questionnaire_file.read_text()))
        plan = ScoringPlan(questionnaire)
        level_of = {LABELS[n]: f"l{n}" for n in range(len(thresholds))}
        for fmt, lang in (("md", "de"), ("md", "en"), ("html", "de"), ("html", "en")):
            result = runner.invoke(app, ["report", str(answers), "-q", str(questionnaire_file), "-f", fmt, "--lang", lang])
            assert result.exit_code == 0, result.output
            legend = LEGEND.findall(result.stdout)
            method = METHOD.findall(result.stdout) if fmt == "md" else []
            assert legend and (method or fmt == "html"), result.stdout
            for label, word, number in legend:
                level = level_of[label]
                if word in ("ab", "from"):
                    assert _starts_at(plan, level, _number(number)), (thresholds, fmt, lang, label, number)
                else:  # the lowest level: "below" the first number of the next one up
                    above = f"l{len(thresholds) - 2}"
                    assert _starts_at(plan, above, _number(number)), (thresholds, fmt, lang, label, number)
            for label, low, high in method:
                assert _starts_at(plan, level_of[label], _number(low)), (thresholds, lang, label, low)
                if high:
                    assert _starts_at(plan, f"l{int(level_of[label][1:]) - 1}", _number(high)), (thresholds, lang, label, high)
            if fmt == "html":
                # The profile's scale marks, at each threshold, print it as the report prints numbers.
                ticks = TICK.findall(result.stdout)
                assert ticks and all(("." not in tick) if lang == "de" else ("," not in tick) for tick in ticks), ticks
                for tick in ticks:
                    value = _number(tick)
                    assert value in (0, 100) or _starts_at(plan, plan.level(value) or "", value), (thresholds, lang, ticks)
                assert len(ticks) == len(set(thresholds) | {0, 100}), (thresholds, ticks)
