"""Sentences naming a number of participants agree with it: "1 participant", "3 participants"."""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli import app

LINDENAU = sorted((Path(__file__).resolve().parents[1] / "examples" / "lindenau").glob("*.yaml"))
runner = CliRunner()
PEOPLE = {
    "de": lambda n: "1 beteiligte Person" if n == 1 else f"{n} Beteiligte",
    "en": lambda n: "1 participant" if n == 1 else f"{n} participants",
}
# A count glued to the wrong form, in any sentence of the output ("1 of 1 participants", a share, is not one).
WRONG = {"de": re.compile(r"(?<!von )\b1 Beteiligte\b|\b([02-9]|\d\d+) beteiligte Person"),
         "en": re.compile(r"(?<!of )\b1 participants\b|\b([02-9]|\d\d+) participant\b")}


def _folder(root: Path, name: str, count: int, rng: random.Random) -> Path:
    folder = root / name
    folder.mkdir()
    for path in rng.sample(LINDENAU, count):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize("seed", range(8))
def test_compare_and_previous_name_the_number_of_participants_in_agreement(tmp_path, seed):
    rng = random.Random(seed)
    lang, fmt = rng.choice(("de", "en")), rng.choice(("md", "html"))
    old_n, new_n = (1, rng.randrange(1, 9)) if seed % 2 else (rng.randrange(1, 9), 1)
    old = _folder(tmp_path, "old", old_n, rng)
    new = _folder(tmp_path, "new", new_n, rng)
    env = {"SOURCE_DATE_EPOCH": "1775001600"}

    compared = runner.invoke(app, ["compare", str(old), str(new), "--lang", lang, "-f", fmt], env=env)
    assert compared.exit_code == 0, compared.output
    people = PEOPLE[lang]
    assert f"({people(old_n)}) " in compared.stdout and f"({people(new_n)})." in compared.stdout
    assert not WRONG[lang].search(compared.stdout)

    reported = runner.invoke(app, ["report", str(new), "--previous", str(old), "--lang", lang, "-f", fmt], env=env)
    assert reported.exit_code == 0, reported.output
    assert f"({people(old_n)})." in reported.stdout
    wrong = WRONG[lang].search(reported.stdout)
    assert not wrong, reported.stdout[wrong.start() - 300:wrong.end()]
