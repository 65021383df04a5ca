"""A user template that loops without end or builds a huge value is stopped: one line, exit 3, output kept.

A seeded generator writes templates that nest loops (stopped by the time limit, set low here),
repeat a string or list far beyond any report, or raise a number to a power of millions of bits,
each placed at a random line among ordinary template lines. Small uses of ``*`` and ``**`` still work.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from slp_assess.cli.app import app

runner = CliRunner()
REPORT_FIXTURES = Path(__file__).parent / "fixtures" / "report"
ARGS = ["report", str(REPORT_FIXTURES / "elbtal"), "-q", str(REPORT_FIXTURES / "questionnaire.yaml")]
ORDINARY = ["# {{ report.meta.partnership }}", "{{ report.respondent_count }}", "text", "{% for f in report.factors() %}{{ f.id }} {% endfor %}"]


KINDS = ["loops", "string", "string-left", "list", "tuple", "power", "center", "indent", "wordwrap", "format", "percent",
         "str.format", "str.format-nested", "percent-starred"]


def _bomb(rng: random.Random, kind: str) -> tuple[str, str]:
    big = rng.choice([10**8, 10**9, 12_345_678, 2**40])
    return kind, {
        "loops": "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}",
        "string": f'{{{{ "x" * {big} }}}}',
        "string-left": f"{{{{ {big} * 'ab' }}}}",
        "list": f"{{{{ ([0] * {big}) | length }}}}",
        "tuple": f"{{% set t = (1, 2) * {big} %}}{{{{ t | length }}}}",
        "power": f"{{{{ {rng.choice([3, 9, 10**6])} ** {rng.choice([10**6, 10**8, 2**40])} }}}}",
        "center": f'{{{{ "x" | center({big}) }}}}',
        "indent": f'{{{{ "ab" | indent(width={big}, first=true) }}}}',
        "wordwrap": f'{{{{ "a b" | wordwrap({big}) | length }}}}',
        "format": f'{{{{ "%.{big}f" | format(1.5) }}}}',
        "percent": f'{{{{ "%{big}d" % 7 }}}}',
        "str.format": f'{{{{ "{{:>{big}}}".format(7) }}}}',
        "str.format-nested": f'{{{{ "{{:>{{w}}}}".format(7, w={big}) }}}}',
        "percent-starred": f'{{{{ "%*d" % ({big}, 7) }}}}',
    }[kind]


@pytest.mark.parametrize("seed", range(2 * len(KINDS)))  # every kind twice, each at a random place
def test_runaway_user_templates_are_stopped(tmp_path, monkeypatch, seed):
    rng = random.Random(seed)
    monkeypatch.setattr("slp_assess.report.templated.USER_TEMPLATE_SECONDS", 0.5)
    kind, bomb = _bomb(rng, KINDS[seed % len(KINDS)])
    lines = [rng.choice(ORDINARY) for _ in range(rng.randint(0, 5))]
    line = rng.randint(0, len(lines))
    lines.insert(line, bomb)
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    target.write_text("the earlier report\n", encoding="utf-8")
    result = runner.invoke(app, [*ARGS, "--template-dir", str(folder), "-o", str(target)])
    assert result.exit_code == 3, (kind, result.output)
    assert result.stderr.startswith(f"error: template report.md.j2 line {line + 1} "), (kind, result.stderr)
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]
    assert target.read_text(encoding="utf-8") == "the earlier report\n"


def test_small_repetition_and_powers_still_work(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text(
        '{{ 2 ** 10 }} {{ "ab" * 3 }} {{ 3 * "c" }} {{ [1] * 2 }} {{ 2.5 * 2 }} {{ "x" | center(5) }}|'
        '{{ "%.2f" | format(1.5) }} {{ "%3d" % 7 }} {{ "{:>3}".format(7) }} {{ "a b" | wordwrap(40) }} {{ 7 % 3 }}'
        ' {{ "%d" % 123456789012 }} {{ "{}".format(123456789012) }} {{ 123456789012 % 7 }}\n', encoding="utf-8")
    result = runner.invoke(app, [*ARGS, "--template-dir", str(folder)])
    assert result.exit_code == 0, result.output
    # Markdown output squeezes runs of spaces: center(5) and "%3d" leave one on each side.
    assert result.stdout == f"1024 ababab ccc [1, 1] 5.0  x |1.50  7  7 a b 1 123456789012 123456789012 {123456789012 % 7}\n"
