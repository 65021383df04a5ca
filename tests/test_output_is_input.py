"""`-o` naming a file the command reads is a usage error (exit 3) that leaves the file as it was.

A seeded generator spells the same file many ways (relative, absolute, with ``./`` and ``..``, a
symbolic link, a hard link), as an answer file given by name, one inside a folder given, a
questionnaire, and the earlier assessment of ``--previous``, for `slp report`, `score` and `compare`.
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli.app import app

runner = CliRunner()
REPORT_FIXTURES = Path(__file__).parent / "fixtures" / "report"


def _spelling(rng: random.Random, target: Path, root: Path) -> str:
    kind = rng.choice(["relative", "absolute", "dots", "symlink", "hardlink"])
    if kind == "relative":
        return os.path.relpath(target)
    if kind == "absolute":
        return str(target.resolve())
    if kind == "dots":
        return str(target.parent / ".." / target.parent.name / "." / target.name)
    link = root / f"link-{rng.randrange(10**6)}{target.suffix}"
    link.symlink_to(target) if kind == "symlink" else os.link(target, link)
    return str(link)


def _commands(root: Path, rng: random.Random) -> list[tuple[list[str], Path]]:
    """(arguments before ``-o``, the input file ``-o`` will name)."""
    answers, earlier = root / "elbtal", root / "elbtal-2025"
    questionnaire = root / "questionnaire.yaml"
    inside = rng.choice(sorted(answers.iterdir()))
    one = rng.choice(sorted(answers.iterdir()))
    q = ["-q", str(questionnaire)]
    fmt = ["--format", rng.choice(["md", "html", "json"])]
    return [
        (["report", str(answers), *q, *fmt], inside),
        (["report", str(one), *q, *fmt], one),
        (["report", str(answers), *q, *fmt], questionnaire),
        (["report", str(answers), *q, "--previous", str(earlier), *fmt], rng.choice(sorted(earlier.iterdir()))),
        (["score", str(answers), *q, "--format", rng.choice(["json", "csv", "jsonl"])], inside),
        (["score", str(one), *q, "--format", "json"], one),
        (["compare", str(earlier), str(answers), *q, *fmt], inside),
        (["compare", str(earlier), str(answers), *q, *fmt], questionnaire),
    ]


@pytest.mark.parametrize("seed", range(6))
def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.chdir(tmp_path)
    for name in ("elbtal", "elbtal-2025", "questionnaire.yaml"):
        source = REPORT_FIXTURES / name
        shutil.copytree(source, tmp_path / name) if source.is_dir() else shutil.copy(source, tmp_path / name)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for args, target in _commands(tmp_path, rng):
        output = _spelling(rng, target, tmp_path)
        result = runner.invoke(app, [*args, "-o", output])
        assert result.exit_code == 3, (args, output, result.output)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"error: -o {output} is a file this command reads"), result.stderr
        assert "Traceback" not in result.output
        assert {p: p.read_bytes() for p in before} == before, (args, output)
        assert not list(tmp_path.rglob("*.tmp"))


def test_another_existing_file_is_still_replaced(tmp_path):
    out = tmp_path / "bericht.md"
    out.write_text("old", encoding="utf-8")
    args = ["report", str(REPORT_FIXTURES / "elbtal"), "-q", str(REPORT_FIXTURES / "questionnaire.yaml"), "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# ")
