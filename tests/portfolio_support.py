"""Seeded answer files of many partnerships for the portfolio tests (the report-mini questionnaire)."""

from __future__ import annotations

import errno
import os
import random
from collections.abc import Callable
from pathlib import Path

import yaml

REPORT_FIXTURES = Path(__file__).parent / "fixtures" / "report"
QUESTIONNAIRE = REPORT_FIXTURES / "questionnaire.yaml"
ITEMS = {
    "discovery.goals.shared": "12345", "discovery.goals.actors": "12345", "success.eye_level.equal_say": "12345",
    "success.eye_level.city_dominates": "12345", "success.rules.agreed": "12345", "financing.transparency.costs": "12345",
    "financing.transparency.benefits": "12345",
}
NAMES = ["Elbtal", "elbtal", "Élbtal", "Elbtal.", "<b>Nord</b>", "index", "Index", "=Heide", "Auental & Co", "x" * 120]


def write_answers(folder: Path, rng: random.Random, partnerships: list[str]) -> None:
    for number, partnership in enumerate(partnerships):
        for side in rng.sample(["stadt", "land"], rng.randint(1, 2)):
            answers: dict[str, object] = {item: rng.choice(keys + "n") for item, keys in ITEMS.items()}
            answers = {item: "n/a" if value == "n" else value for item, value in answers.items()}
            answers["success.leadership.anchored"] = rng.choice(["no", "partly", "yes"])
            data = {"questionnaire": "report-mini", "version": "1.0", "partnership": partnership,
                    "respondent": {"name": f"P{number}", "role": side}, "date": "2026-03-19", "answers": answers}
            (folder / f"{number:03d}-{side}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def fsync_refusing(folder: Path, name: str) -> Callable[[int], None]:
    """``os.fsync`` failing with EIO for the temporary file of ``folder / name``, in whichever process or thread writes it."""
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        written = Path(f"/proc/self/fd/{fd}").readlink()
        if written.parent == folder and written.name.startswith(f".{name}."):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real_fsync(fd)

    return fsync
