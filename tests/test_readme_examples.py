"""What the README shows a command printing is what it prints: the end of a quick-check in `slp assess`."""

from __future__ import annotations

import calendar
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# One answer per question of slp-quickcheck 2.0, in the order asked, then the context questions (phase
# "Verstetigung", two barriers, one topic, two free texts): the answers behind the README's excerpt.
ITEM_ANSWERS = "2 3 1 4 3 3 3 4 2 4 2 3 3 3 2 4 3 3 1 3 3 4 4 3".split()
CONTEXT_ANSWERS = ["4", "1 2", "3", "Stadt Lindenau, Landkreis Auental", "LEADER"]


def _readme_excerpt() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("The end of a quick-check as it appears on screen")
    block = readme[readme.index("```text\n", start) + len("```text\n"):]
    return block[:block.index("```")].splitlines()


def _elided(line: str) -> bool:
    """A line the README shortens to "…" (a list entry or a table row left out)."""
    return line.strip("│ ") == "…" or set(line) <= set("│ …")


def test_the_quickcheck_result_in_the_readme_is_what_slp_assess_prints(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("LINES",)}
    env.update({"NO_COLOR": "1", "COLUMNS": "80", "PYTHONIOENCODING": "utf-8", "SLP_CACHE_DIR": "off",
                "SOURCE_DATE_EPOCH": str(calendar.timegm((2026, 3, 18, 12, 0, 0)))})
    env.pop("SLP_LANG", None)
    # As after the README's set-up: `slp` on PATH, so the closing hint names it (not "python -m slp_assess").
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    typed = "\n".join([*ITEM_ANSWERS, *CONTEXT_ANSWERS]) + "\n"
    command = [sys.executable, "-m", "slp_assess", "assess", "slp-quickcheck", "--lang", "de", "--partnership", "Lindenau",
               "--respondent", "Anna Weber", "--role", "stadt"]
    done = subprocess.run(command, input=typed, capture_output=True, text=True, encoding="utf-8", env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "slp-quickcheck-anna-weber-2026-03-18.yaml").is_file()
    printed = [line.rstrip() for line in done.stdout.splitlines()]
    shown = [line.rstrip() for line in _readme_excerpt() if not _elided(line)]
    assert len(shown) > 25
    # Every line the README shows appears in the output, in the README's order; "…" stands for lines left out.
    at = 0
    for line in shown:
        assert line in printed[at:], (line, "\n".join(printed[-120:]))
        at = printed.index(line, at) + 1
    # The first line after the rule and the last ones follow each other directly, as shown.
    result = printed.index(shown[0])
    assert printed[result:result + 5] == shown[:5]
    assert printed[-4:] == shown[-4:]
