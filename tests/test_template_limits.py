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


# Ways of building by a size or by joining that are not operators of their own; each template gets a
# size above the limit, often only just (the limit is 10,000,000).
BUILDERS = {
    "ljust": lambda n: f'{{{{ "x".ljust({n}) | length }}}}',
    "rjust": lambda n: f'{{{{ "x".rjust({n}, "-") | length }}}}',
    "center-method": lambda n: f'{{{{ "x".center({n}) | length }}}}',
    "zfill": lambda n: f'{{{{ "7".zfill({n}) | length }}}}',
    "item-ljust": lambda n: f'{{{{ "x"["ljust"]({n}) | length }}}}',
    "markup-ljust": lambda n: f'{{{{ ("x" | safe).ljust({n}) | length }}}}',
    "expandtabs": lambda n: f'{{{{ ("\t" * 1000).expandtabs({n // 1000 + 1}) | length }}}}',
    "replace-method": lambda n: f'{{{{ ("x" * 1000000).replace("x", "{"y" * (n // 1000000 + 1)}") | length }}}}',
    "replace-filter": lambda n: f'{{{{ ("x" * 1000000) | replace("x", "{"y" * (n // 1000000 + 1)}") | length }}}}',
    "replace-empty": lambda n: f'{{{{ ("x" * 1000000) | replace("", "{"y" * (n // 1000000 + 1)}") | length }}}}',
    "join-method": lambda n: f'{{{{ ("y" * {n // 1000 + 1}).join(range(1001) | map("string")) | length }}}}',
    "join-filter": lambda n: f'{{{{ range(1001) | join("y" * {n // 1000 + 1}) | length }}}}',
    "join-long-items": lambda n: f'{{{{ (["x" * {n // 4 + 1}] * 4) | join | length }}}}',
    "translate": lambda n: f'{{{{ ("x" * 1000).translate({{120: "y" * {n // 1000 + 1}}}) | length }}}}',
    "tilde": lambda n: f'{{{{ (("x" * {n // 2 + 1}) ~ ("y" * {n // 2 + 1})) | length }}}}',
    "tilde-doubling": lambda n: '{% set ns = namespace(s="x" * 1000) %}{% for i in range(20) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}',
    "plus": lambda n: f'{{{{ (("x" * {n // 2 + 1}) + ("y" * {n // 2 + 1})) | length }}}}',
    "plus-lists": lambda n: f'{{{{ (([0] * {n // 2 + 1}) + ([1] * {n // 2 + 1})) | length }}}}',
    "sum-lists": lambda n: f'{{{{ ([[0] * {n // 4 + 1}] * 4) | sum(start=[]) | length }}}}',
    "batch": lambda n: f'{{{{ [1] | batch({n}, 0) | list | length }}}}',
    "slice": lambda n: f'{{{{ [1] | slice({n}) | list | length }}}}',
    "lipsum": lambda n: f'{{{{ lipsum({n // 100}) | length }}}}',
}


@pytest.mark.parametrize("seed", range(2 * len(BUILDERS)))
def test_building_beyond_the_limit_by_a_method_filter_or_concatenation_is_refused(tmp_path, seed):
    rng = random.Random(1000 + seed)
    kind = sorted(BUILDERS)[seed % len(BUILDERS)]
    size = rng.choice([10_000_001, 10_500_000, 12_345_678, 10**8, 5 * 10**9])
    fmt = rng.choice(["md", "html"])
    lines = [rng.choice(ORDINARY) for _ in range(rng.randint(0, 4))]
    line = rng.randint(0, len(lines))
    lines.insert(line, BUILDERS[kind](size))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / f"report.{fmt}.j2").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = runner.invoke(app, [*ARGS, "--template-dir", str(folder), "-f", fmt])
    assert result.exit_code == 3, (kind, size, result.output[:300])
    assert result.stderr.startswith(f"error: template report.{fmt}.j2 line {line + 1} "), (kind, result.stderr)
    assert "at most 10,000,000" in result.stderr and len(result.stderr.splitlines()) == 1, (kind, result.stderr)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_building_up_to_the_limit_still_works(tmp_path, fmt):
    folder = tmp_path / "templates"
    folder.mkdir()
    within = [
        '{{ "x".ljust(10000000) | length }}', '{{ "x".rjust(3, "0") }}', '{{ "7".zfill(3) }}', '{{ "x".center(3) | length }}',
        '{{ ("\t" * 2).expandtabs(4) | length }}', '{{ ("x" * 1000000).replace("x", "y" * 10) | length }}',
        '{{ "abc" | replace("b", "BB") }}', '{{ "a-b".replace("-", "+", 1) }}', '{{ ", ".join(["a", "b"]) }}',
        '{{ [1, 2] | join("/") }}', '{{ (("x" * 5000000) ~ ("y" * 5000000)) | length }}', '{{ "a" ~ 1 ~ "b" }}',
        '{{ "ab" + "cd" }}', '{{ 2 + 3 }}', '{{ [1] + [2] }}', '{{ [[1], [2]] | sum(start=[]) }}', '{{ [1, 2] | sum }}',
        '{{ [1, 2, 3] | batch(2, 0) | list }}', '{{ [1, 2, 3] | slice(2) | list }}', '{{ "abc".translate({98: "BB"}) }}',
        '{{ 7 % 200000 }}', '{{ lipsum(2, false, 3, 4) | length > 0 }}',
    ]
    (folder / f"report.{fmt}.j2").write_text(" ".join(within) + "\n", encoding="utf-8")
    result = runner.invoke(app, [*ARGS, "--template-dir", str(folder), "-f", fmt])
    assert result.exit_code == 0, result.output
    expected = ("10000000 00x 007 3 8 10000000 aBBc a+b a, b 1/2 10000000 a1b abcd 5 [1, 2] [1, 2] 3 "
                "[[1, 2], [3, 0]] [[1, 2], [3]] aBBc 7 True\n")
    assert result.stdout == expected


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
