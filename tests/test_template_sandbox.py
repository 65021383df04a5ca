"""User templates (`slp report --template-dir`) cannot reach out, change anything, or crash the tool.

Every hostile or broken template ends with exit 3 and one line naming the template file and line.
"""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import TemplateRuntimeError
from jinja2.exceptions import SecurityError
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.report.environment import fill
from slp_assess.report.texts import TEXTS

FIXTURES = Path(__file__).parent / "fixtures" / "report"
ANSWERS = str(FIXTURES / "elbtal")
QUESTIONNAIRE = str(FIXTURES / "questionnaire.yaml")
SECRET = "s3cr3t-from-the-environment"
runner = CliRunner()


def _report(template_dir: Path, fmt: str = "md"):
    env = {"SOURCE_DATE_EPOCH": "1775001600", "SLP_SECRET": SECRET}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SLP_SECRET", SECRET)  # in os.environ itself, where a template would look
        return runner.invoke(app, ["report", ANSWERS, "-q", QUESTIONNAIRE, "--format", fmt, "--template-dir", str(template_dir)], env=env)


# (template text, what the error line must say); the failing line is marked with a leading ">".
HOSTILE = {
    "mutate the text table": ["x", "> {{ t.update(generator='{generator.__class__}') }}"],
    "set an item of the text table": ["> {% set _ = t.__setitem__('generator', '{generator.__init__}') %}"],
    "copy and change the texts": ["> {% set x = t.copy() %}{% set _ = x.update(a=1) %}"],
    "format string reaching globals": ["a", "b", "> {{ '{0.__class__.__init__.__globals__}'.format(report) }}"],
    "format_map": ["> {{ '{x.__class__}'.format_map({'x': report}) }}"],
    "cycler globals": ["> {{ cycler.__init__.__globals__.os.environ.SLP_SECRET }}"],
    "lipsum globals": ["> {{ lipsum.__globals__['os'].environ['SLP_SECRET'] }}"],
    "say globals": ["> {{ say.__globals__ }}"],
    "side closure": ["> {{ side.__closure__ }}"],
    "template context": ["> {{ self._TemplateReference__context }}"],
    "class chain": ["> {{ report.__class__.__mro__[1].__subclasses__() }}"],
    "pydantic machinery": ["> {{ report.model_config }}"],
    "pydantic copy": ["> {{ report.meta.model_copy(update={'partnership': 'x'}) }}"],
    "append to report data": ["> {{ report.sections.append(1) }}"],
    "clear a dict": ["> {{ levels.clear() }}"],
    "runtime error": ["ok", "", "> {{ 1 / 0 }}"],
    "undefined variable": ["> {{ no_such_variable }}"],
    "wrong type for a filter": ["> {{ report.overall.score | num('x') }}"],
    "unknown text": ["> {{ say('no_such_text') }}"],
    "text without its value": ["> {{ say('generator') }}"],
    "syntax error": ["ok", "> {% for %}"],
    "include outside the folder": ["> {% include '../outside.md.j2' %}"],
    "include an absolute path": ["> {% include '/etc/passwd' %}"],
    "recursion": ["> {% macro m() %}{{ m() }}{% endmacro %}", "{{ m() }}"],
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_user_templates_exit_3_naming_template_and_line(tmp_path, name):
    lines = HOSTILE[name]
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith(">"))
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text("\n".join(t.removeprefix("> ") for t in lines) + "\n", encoding="utf-8")
    (tmp_path / "outside.md.j2").write_text(SECRET, encoding="utf-8")
    result = _report(folder)
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"error: template report.md.j2 line {line} ({folder / 'report.md.j2'}): ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    assert SECRET not in result.output


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_failing_user_template_leaves_the_output_file_as_it_was(tmp_path, name):
    # With -o FILE the report is rendered straight into a temporary file: a template failing half-way
    # must still give the one-line error, and neither a half report nor a temporary file.
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.md.j2").write_text("\n".join(t.removeprefix("> ") for t in HOSTILE[name]) + "\n", encoding="utf-8")
    target = tmp_path / "out" / "report.md"
    target.parent.mkdir()
    target.write_text("the earlier report\n", encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": "1775001600"}
    result = runner.invoke(app, ["report", ANSWERS, "-q", QUESTIONNAIRE, "--template-dir", str(folder), "-o", str(target)], env=env)
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("error: template report.md.j2 line ") and len(result.stderr.splitlines()) == 1
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]
    assert target.read_text(encoding="utf-8") == "the earlier report\n"


def test_an_error_in_an_included_partial_names_the_partial(tmp_path):
    (tmp_path / "partials").mkdir()
    (tmp_path / "report.md.j2").write_text("# {{ t.report_title }}\n{% include 'partials/x.md.j2' %}\n")
    (tmp_path / "partials" / "x.md.j2").write_text("fine\n{{ report.overall.score // 0 }}\n")
    result = _report(tmp_path)
    assert result.exit_code == 3
    assert f"template partials/x.md.j2 line 2 ({tmp_path / 'partials' / 'x.md.j2'}): ZeroDivisionError" in result.stderr


def test_a_symlink_out_of_the_template_folder_is_refused(tmp_path):
    folder = tmp_path / "templates"
    (folder / "partials").mkdir(parents=True)
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    (folder / "partials" / "x.md.j2").symlink_to(secret)
    (folder / "report.md.j2").write_text("a\n{% include 'partials/x.md.j2' %}\n")
    result = _report(folder)
    assert result.exit_code == 3 and SECRET not in result.output
    assert f"template report.md.j2 line 2 ({folder / 'report.md.j2'}): template 'partials/x.md.j2' is a link to {secret}" in result.stderr
    # The report template itself as a link out of the folder.
    (folder / "report.md.j2").unlink()
    (folder / "report.md.j2").symlink_to(secret)
    result = _report(folder)
    assert result.exit_code == 3 and SECRET not in result.output
    assert "template report.md.j2: template 'report.md.j2' is a link to" in result.stderr


def test_links_inside_the_folder_and_a_linked_folder_still_work(tmp_path):
    real = tmp_path / "real"
    (real / "partials").mkdir(parents=True)
    (real / "partials" / "title.md.j2").write_text("{{ report.meta.partnership }}")
    (real / "partials" / "alias.md.j2").symlink_to(real / "partials" / "title.md.j2")
    (real / "report.md.j2").write_text("{% include 'partials/alias.md.j2' %} {{ say('generator', generator='{0.__class__}') }}\n")
    linked = tmp_path / "linked"
    linked.symlink_to(real)
    result = _report(linked)
    assert result.exit_code == 0, result.output
    # A value with braces is printed as it is, never formatted again.
    assert result.stdout.startswith("Stadt-Land-Partnerschaft Elbtal Erstellt mit {0.")


def test_the_bundled_templates_still_render_around_a_user_partial(tmp_path):
    (tmp_path / "partials").mkdir()
    result = _report(tmp_path, "html")
    assert result.exit_code == 0, result.output
    assert "<html" in result.stdout


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_every_bundled_text_has_plain_fields_only(lang):
    for key, text in TEXTS[lang].items():
        fields = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
        assert fill(text, dict.fromkeys(fields, "X")) == text.format(**dict.fromkeys(fields, "X")), key


class Tripwire:
    """A value that records any access beyond being turned into text."""

    touched: list[str] = []

    def __str__(self) -> str:
        return "V"

    def __getattr__(self, name: str) -> object:
        Tripwire.touched.append(name)
        return self

    def __getitem__(self, key: object) -> object:
        Tripwire.touched.append(f"[{key}]")
        return self

    def __format__(self, spec: str) -> str:
        Tripwire.touched.append(f":{spec}")
        return "F"

    def __repr__(self) -> str:
        Tripwire.touched.append("repr")
        return "R"


_NAME = st.sampled_from(["score", "level", "x", "generator", "_", "__class__", "environ"])
_REACH = st.sampled_from([
    ".__class__", ".__init__.__globals__", "[0]", "[os]", "['x']", "!r", "!s", "!a", ":>10", ":{x}", ":%s",
    ".environ", "[__globals__][os]", "!",
])
_LITERAL = st.text(st.characters(exclude_characters="{}"), max_size=8)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.tuples(_LITERAL, _NAME, st.one_of(st.just(""), _REACH)), min_size=1, max_size=5), tail=_LITERAL)
def test_generated_format_attacks_never_reach_into_a_value(parts, tail):
    sentence = "".join(f"{literal}{{{name}{reach}}}" for literal, name, reach in parts) + tail
    values = {name: Tripwire() for _, name, _ in parts}
    Tripwire.touched.clear()
    if all(reach == "" for _, _, reach in parts):
        assert fill(sentence, values) == "".join(f"{literal}V" for literal, _, _ in parts) + tail
    else:
        with pytest.raises(SecurityError):
            fill(sentence, values)
    assert Tripwire.touched == []


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="{}[].!:0ax_ ", max_size=20))
def test_any_braces_either_fill_plain_fields_or_refuse(sentence):
    Tripwire.touched.clear()
    try:
        fill(sentence, {"a": Tripwire(), "x": Tripwire()})
    except (SecurityError, TemplateRuntimeError):
        pass
    assert Tripwire.touched == []


def test_the_environment_is_not_left_changed(tmp_path):
    before = {lang: dict(texts) for lang, texts in TEXTS.items()}
    (tmp_path / "report.md.j2").write_text("{{ t.update(generator='x') }}")
    assert _report(tmp_path).exit_code == 3
    assert dict(TEXTS) == before and os.environ.get("SLP_SECRET") is None


def test_slp_compare_reports_a_failing_user_template_the_same_way(tmp_path):
    (tmp_path / "compare.md.j2").write_text("{{ say('compare_intro') }}\n", encoding="utf-8")
    result = runner.invoke(app, ["compare", ANSWERS, ANSWERS, "-q", QUESTIONNAIRE, "--template-dir", str(tmp_path)])
    assert result.exit_code == 3, result.output
    assert result.stderr.startswith(f"error: template compare.md.j2 line 1 ({tmp_path / 'compare.md.j2'}): say() needs a value for {{")
