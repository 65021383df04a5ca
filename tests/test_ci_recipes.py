"""The CI recipes in docs/ci run as written: every command but the install line, on the example partnership."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]


def _github_commands() -> list[str]:
    workflow = yaml.safe_load((REPO / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    return [step["run"] for step in workflow["jobs"]["assess"]["steps"] if "run" in step]


def _gitlab_commands() -> list[str]:
    job = yaml.safe_load((REPO / "docs" / "ci" / "gitlab-ci.yml").read_text(encoding="utf-8"))["partnership-readiness"]
    return [*job["before_script"], *job["script"]]


@pytest.fixture
def answers_repo(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "examples" / "lindenau", tmp_path / "answers")
    git = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "answers", "--date", "2026-03-18T12:00:00"], cwd=tmp_path, check=True,
                   env={**os.environ, "GIT_COMMITTER_DATE": "2026-03-18T12:00:00"})
    return tmp_path


def _run(commands: list[str], cwd: Path) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "200"}
    env.pop("SOURCE_DATE_EPOCH", None)
    results = []
    # One shell for the whole job, as GitLab runs its script; GitHub's steps share the exported variable too
    # because each step here is self-contained.
    for command in commands:
        if "pip install" in command:
            assert "slp-assess" in command
            continue
        results.append(subprocess.run(["bash", "-ec", command], cwd=cwd, env=env, capture_output=True, text=True))
    return results


@pytest.mark.parametrize("recipe", [_github_commands, _gitlab_commands], ids=["github", "gitlab"])
def test_recipe_commands_run_on_the_example_partnership(recipe, answers_repo):
    commands = recipe()
    if recipe is _gitlab_commands:
        # GitLab runs the script lines in one shell: keep the exported date with the report lines.
        commands = [" && ".join(c for c in commands if "pip install" not in c)]
    results = _run(commands, answers_repo)
    for result in results:
        assert result.returncode == 0, result.stderr
    reports = answers_repo / "reports"
    names = sorted(p.name for p in reports.iterdir())
    assert names == ["index.html", "index.md", "stadt-land-partnerschaft-lindenau-auental-hohenmoor.html",
                     "stadt-land-partnerschaft-lindenau-auental-hohenmoor.md"]
    assert "18. März 2026" in (reports / "index.md").read_text(encoding="utf-8")


def test_threshold_step_fails_when_the_partnership_is_below(answers_repo):
    threshold_step = _github_commands()[-1]
    assert "--fail-under 50" in threshold_step
    [result] = _run([threshold_step.replace("--fail-under 50", "--fail-under 60")], answers_repo)
    assert result.returncode == 1
    assert "Stadt-Land-Partnerschaft Lindenau-Auental-Hohenmoor" in result.stdout
    assert "52.2" in result.stdout or "52,2" in result.stdout
