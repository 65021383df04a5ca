"""The real `slp assess` in a pseudo-terminal: a whole quick-check, Ctrl-C half-way, --resume to the end.

The expected score is computed here from the questionnaire's scale points, independently of scoring.py.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

pexpect = pytest.importorskip("pexpect")

REPO = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
QUICKCHECK = REPO / "questionnaires" / "slp-quickcheck.yaml"


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update({"NO_COLOR": "1", "TERM": "xterm", "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1756339200"})
    return env


def _spawn(args: list[str], columns: int, cwd: Path, log: io.StringIO):
    child = pexpect.spawn(
        sys.executable, ["-m", "slp_assess", "assess", *args],
        cwd=str(cwd), env=_env(), dimensions=(40, columns), encoding="utf-8", timeout=30,
    )
    child.logfile_read = log
    return child


def _shown(value: float) -> float:
    """Half up to one decimal, as the docs state it, computed from the decimal text of the value."""
    return float(Decimal(repr(value)).quantize(Decimal("1e-9")).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _plan(questionnaire: dict) -> tuple[list[str], float]:
    """One typed line per step (items, then context) and the overall score those answers must give.

    Context questions are answered with their first option, so the phase is the first one listed in
    the phase question; factors expected from a later phase do not count.
    """
    lines: list[str] = []
    factor_scores: list[tuple[float, float]] = []
    phases = questionnaire.get("phases")
    phase_question = next((c for c in questionnaire.get("context", []) if phases and c["id"] == phases["question"]), None)
    phase = phase_question["options"][0]["key"] if phase_question else None
    n = 0
    for section in questionnaire["sections"]:
        for factor in section["factors"]:
            weighted: list[tuple[float, float]] = []
            for item in factor["items"]:
                options = questionnaire["scales"][item["scale"]]["options"]
                if n % 6 == 5 and not item.get("required", False):
                    lines.append("n")
                else:
                    index = (n * 3 + 1) % len(options)
                    points = [float(o["points"]) for o in options]
                    value = (points[index] - min(points)) / (max(points) - min(points))
                    if item.get("reverse", False):
                        value = 1 - value
                    weighted.append((float(item.get("weight", 1.0)), value))
                    lines.append(str(index + 1))
                n += 1
            due = phase is None or "expected_from" not in factor or (
                phases["order"].index(factor["expected_from"]) <= phases["order"].index(phase)
            )
            if weighted and due:
                score = _shown(100 * sum(w * v for w, v in weighted) / sum(w for w, _ in weighted))
                factor_scores.append((float(factor.get("weight", 1.0)), score))
    for question in questionnaire.get("context", []):
        lines.append({"text": "Lindenau und Kreis Ahrbach", "choice": "1"}.get(question.get("type", "text"), "1 2"))
    overall = _shown(sum(w * s for w, s in factor_scores) / sum(w for w, _ in factor_scores))
    return lines, overall


def _answer(child, lines: list[str], first: int, total: int) -> None:
    for number, line in enumerate(lines, start=first):
        child.expect_exact(f"{number}/{total}")
        child.expect_exact("> ")
        child.sendline(line)


@pytest.mark.skipif(not QUICKCHECK.exists(), reason="questionnaires/slp-quickcheck.yaml not there yet")
@pytest.mark.parametrize("columns", [60, 80, 120])
def test_quickcheck_with_ctrl_c_and_resume(tmp_path, columns):
    questionnaire = yaml.safe_load(QUICKCHECK.read_text(encoding="utf-8"))
    lines, expected = _plan(questionnaire)
    total = len(lines)
    half = total // 2
    out = tmp_path / "anna.yaml"
    log = io.StringIO()

    child = _spawn(["slp-quickcheck", "--out", str(out), "--partnership", "Lindenau", "--respondent", "Anna Weber", "--role", "stadt", "--lang", "en"], columns, tmp_path, log)
    child.expect_exact("Every answer is saved at once to")
    _answer(child, lines[:half], 1, total)
    child.expect_exact(f"{half + 1}/{total}")
    child.expect_exact("> ")
    child.sendintr()
    child.expect_exact(f"saved to {out}; resume with: slp assess --resume {out}")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    saved = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert len(saved["answers"]) == half

    child = _spawn(["--resume", str(out)], columns, tmp_path, log)
    child.expect_exact(f"Resuming: {half} of {total} questions are answered.")
    _answer(child, lines[half:], half + 1, total)
    child.expect_exact("Result")
    child.expect_exact(f"{total} of {total} questions answered")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    screen = ANSI.sub("", log.getvalue()).replace("\r", "")
    assert "Traceback" not in screen
    # Everything rich draws fits the terminal; the plain resume hint on stderr is left to the terminal to wrap.
    drawn = [line for line in screen.split("\n") if not line.startswith("saved to ")]
    assert max(len(line) for line in drawn) <= columns

    scored = subprocess.run(
        [sys.executable, "-m", "slp_assess", "score", str(out), "--format", "json"],
        capture_output=True, text=True, env=_env(), check=True,
    )
    result = json.loads(scored.stdout)[0]
    assert result["overall"]["score"] == expected
    assert result["respondent"] == {"name": "Anna Weber", "organisation": None, "role": "stadt"}
