"""What `slp score` says on stderr about invalid files: each problem on one line with the file, the
line and what to fix, exactly as `slp validate` says it, in every output format.

The invalid files are generated (seeded) from the examples: a misspelt item id (a near miss the
validator suggests the right id for) or an answer that is no option of the item's scale.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli.app import app

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples" / "lindenau").glob("*.yaml"))
runner = CliRunner()
_ANSWER = re.compile(r'^(  )([a-z_]+\.[a-z_]+\.[a-z_]+): "(\d)"$')
_NOT_AN_OPTION = ["ja", "nein", "vielleicht", "5", "-1", "viel", "x"]


def _broken(rng: random.Random, text: str) -> str:
    """The answer file with one to three answers spoilt."""
    lines = text.split("\n")
    plain = [n for n, line in enumerate(lines) if _ANSWER.match(line)]
    for n in rng.sample(plain, rng.randint(1, 3)):
        indent, item, value = _ANSWER.match(lines[n]).groups()
        if rng.random() < 0.5:
            cut = rng.randrange(len(item.rsplit(".", 1)[1]))  # a letter of the item's own id goes missing
            head, own = item.rsplit(".", 1)
            lines[n] = f'{indent}{head}.{own[:cut] + own[cut + 1:]}: "{value}"'
        else:
            lines[n] = f'{indent}{item}: "{rng.choice(_NOT_AN_OPTION)}"'
    return "\n".join(lines)


@pytest.fixture(scope="module")
def broken_files(tmp_path_factory) -> list[str]:
    rng = random.Random(20260318)
    folder = tmp_path_factory.mktemp("broken")
    files = []
    for number in range(12):
        path = folder / f"{number:02d}-{EXAMPLES[number % len(EXAMPLES)].name}"
        path.write_text(_broken(rng, EXAMPLES[number % len(EXAMPLES)].read_text(encoding="utf-8")), encoding="utf-8")
        files.append(str(path))
    return files


def _error_lines(stderr: str) -> list[str]:
    return sorted(line for line in stderr.splitlines() if line.startswith("error: "))


@pytest.mark.parametrize("options", [["-f", "json"], ["-f", "jsonl"], ["-f", "csv"], ["-f", "table"],
                                     ["-f", "json", "--group-by", "partnership"]])
def test_score_names_what_to_fix_as_validate_does(broken_files, options):
    validated = runner.invoke(app, ["validate", *broken_files])
    expected = _error_lines(validated.stderr)
    assert validated.exit_code == 2 and len(expected) >= len(broken_files)
    # Every spoilt answer has a fix the validator names: the id meant, or the options of the scale.
    assert all(re.search(r":\d+: .* \(hint: (did you mean '|use one of: )", line) for line in expected), expected
    scored = runner.invoke(app, ["score", *broken_files, *options])
    assert scored.exit_code == 2
    assert _error_lines(scored.stderr) == expected
