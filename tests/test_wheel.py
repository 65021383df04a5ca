"""The wheel carries its data: installed into a fresh venv, `slp` works from any directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_installs_and_scores_from_outside_the_repository(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(REPO)],
        check=True,
        cwd=tmp_path,
    )
    [wheel] = dist.glob("slp_assess-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True, cwd=tmp_path)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    answers = elsewhere / "answers.yaml"
    template = subprocess.run(
        [str(env_dir / "bin" / "slp"), "template", "slp-quickcheck", "--lang", "en"],
        check=True, cwd=elsewhere, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""},
    ).stdout
    # Answer every item with the scale's first key, then score it.
    lines = []
    for line in template.splitlines():
        stripped = line.strip()
        if line.startswith("  ") and stripped.endswith(":") and not stripped.startswith("#") and "." in stripped:
            in_answers = "context." not in stripped
            lines.append(f"{line} n/a" if in_answers else line)
        else:
            lines.append(line)
    answers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    example = REPO / "examples" / "quickcheck-lindenau.yaml"
    shutil.copy(example, elsewhere / "lindenau.yaml")
    result = subprocess.run(
        [str(env_dir / "bin" / "slp"), "score", "answers.yaml", "lindenau.yaml", "--format", "json"],
        cwd=elsewhere, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": ""},
    )
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert records[0]["overall"]["score"] is None  # all n/a: no data
    assert records[1]["questionnaire"]["id"] == "slp-quickcheck"
    assert records[1]["overall"]["score"] is not None
    installed = subprocess.run(
        [str(python), "-c", "import slp_assess.resources as r; print(r.data_dir('questionnaires'))"],
        cwd=elsewhere, capture_output=True, text=True, check=True,
    ).stdout
    assert str(env_dir) in installed
