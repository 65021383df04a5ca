"""The notebook API never reports on fewer respondents than it was given: invalid files are raised or returned."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from slp_assess import api
from slp_assess.errors import InvalidInputError

FIXTURES = Path(__file__).parent / "fixtures" / "report"
QUESTIONNAIRE = FIXTURES / "questionnaire.yaml"
GOOD = sorted((FIXTURES / "elbtal").glob("*.yaml"))

# Kinds of broken answer file, each invalid for a different stage: YAML syntax, the file's shape,
# the questionnaire it names, an item or an answer it gives.
BROKEN = (
    "questionnaire: report-mini\nversion: '1.0'\nanswers: [\n",
    "questionnaire: report-mini\nversion: '1.0'\nanswers:\n  nosuch.item: '4'\n  : x\n",
    "- just\n- a list\n",
    "questionnaire: no-such-questionnaire\nversion: '1.0'\npartnership: X\nanswers: {}\n",
    "",
)


def _broken_from(good: Path, rng: random.Random) -> str:
    """A valid file made invalid: an answer off the scale, or an unknown item."""
    text = good.read_text(encoding="utf-8")
    if rng.random() < 0.5:
        return re.sub(r'discovery\.goals\.shared: "\d"', 'discovery.goals.shared: "9"', text)
    return text + '  discovery.goals.nosuch: "3"\n'


@pytest.mark.parametrize("seed", range(12))
def test_aggregate_raises_the_problems_of_every_invalid_file(tmp_path, seed):
    rng = random.Random(seed)
    folder = tmp_path / "answers"
    folder.mkdir()
    for good in rng.sample(GOOD, rng.randrange(len(GOOD) + 1)):
        shutil.copy(good, folder / good.name)
    bad_names = []
    for index in range(rng.randrange(1, 4)):
        name = f"broken-{index}.yaml"
        text = rng.choice(BROKEN) if rng.random() < 0.6 else _broken_from(rng.choice(GOOD), rng)
        (folder / name).write_text(text, encoding="utf-8")
        bad_names.append(name)
    # The invalid files in a folder of their own, beside a valid one, or alone.
    paths = [folder] if rng.random() < 0.5 else [FIXTURES / "elbtal", folder]

    scored = api.score_files(paths, [QUESTIONNAIRE])
    truly_bad = sorted(Path(r["file"]).name for r in scored if r.get("error"))
    assert truly_bad  # every generated broken file is invalid in some way
    with pytest.raises(InvalidInputError) as caught:
        api.aggregate(paths, [QUESTIONNAIRE])
    named = sorted({Path(problem.file).name for problem in caught.value.problems})
    assert named == truly_bad
    assert set(named) <= set(bad_names)


def test_aggregate_of_valid_files_still_gives_the_report():
    [report] = api.aggregate([FIXTURES / "elbtal"], [QUESTIONNAIRE])
    assert report["respondent_count"] == len(GOOD)


def test_score_files_returns_each_invalid_file_as_an_error_record(tmp_path):
    for index, text in enumerate(BROKEN):
        (tmp_path / f"broken-{index}.yaml").write_text(text, encoding="utf-8")
    records = api.score_files([tmp_path], [QUESTIONNAIRE])
    assert len(records) == len(BROKEN)
    assert all(record["error"] and record["errors"] for record in records)
