"""Every error about an input file is one line, whatever the file holds, in every output it reaches.

A fuzzing pass found values from the user's files embedded raw in messages (``the file says 2.0``
without quotes, ``unknown side '…'`` as written): a version, side, item id, option, key or cell
holding a line break, carriage return, tab, NEL/LS/PS, an escape sequence or a bidi control, or a
very long text, made a multi-line or terminal-breaking message, and reached JSON, JSONL and CSV error
records and the API's problems raw. Here seeded generated values go into every place of answer
files, questionnaires and survey sheets that a message names, through every command that reports
problems of input files: each error line is one line without control characters, of bounded length,
and still names the value (as ``oneline.quoted`` shows it).
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from slp_assess import api
from slp_assess.cli import app
from slp_assess.errors import InvalidInputError
from slp_assess.loading import load_questionnaire, load_questionnaire_file
from slp_assess.oneline import bare, quoted
from survey_sheets import kobo_table, respondents, write_csv

runner = CliRunner()
ENV = {"NO_COLOR": "1", "COLUMNS": "100", "SOURCE_DATE_EPOCH": "1756339200"}
MINI = Path(__file__).parent / "fixtures" / "core" / "mini.yaml"
VERDICT = Path(__file__).parent / "fixtures" / "verdict" / "questionnaire.yaml"
QUICK = load_questionnaire("slp-quickcheck")
SEEDS = range(6)

# What splits a line or acts on a terminal: C0 (tab, LF, CR, ESC, ...), DEL, C1 (NEL, CSI), the Unicode
# line and paragraph separators, and the bidi controls.
NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
BREAKERS = ["\n", "\r", "\r\n", "\t", "\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x1b[31m", "\x1b]0;title\x07", "\x7f",
            "\x9b2J", "\u202e", "\u2066", "\u2067", "\u200f", "\u061c", "\x00", "\x08", "\u200b", "\ufeff"]
WORDS = ["Stadt", "Ärger", "x", "teilweise", "Lindenau", "ja", "2.0", "discovery.goals", "中文", "😀", "‚zitiert‘", "'", '"', "\\", "n/a"]
# A message names a few values, each cut to about 80 characters: far below what an uncut value makes.
LONGEST_LINE = 900


def hostile(rng: random.Random) -> str:
    """A value no field accepts: words with line breaks, controls or bidi marks among them; a third very long."""
    pieces = [rng.choice(WORDS) for _ in range(rng.randint(1, 4))]
    for _ in range(rng.randint(1, 3)):
        pieces.insert(rng.randint(0, len(pieces)), rng.choice(BREAKERS))
    text = "".join(pieces)
    return text * rng.randint(300, 1500) if rng.random() < 0.33 else text


def dq(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: every character that is not printable as an escape."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char.isprintable():
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}")
    return '"' + "".join(out) + '"'


@dataclass
class Inputs:
    """A folder of bad files made from one seed, and how each value must appear in the errors about it."""

    folder: Path
    questionnaire: Path  # an own questionnaire given with --questionnaire (its version is hostile)
    semantic: Path  # an answer file with a hostile value in every field a check names
    expected: dict[str, list[str]] = field(default_factory=dict)  # file name -> texts the errors must contain
    # The values of semantic.yaml the file format itself refuses: all that `slp migrate` checks before migrating.
    format_level: list[str] = field(default_factory=list)

    def all_expected(self, *names: str) -> list[str]:
        return [text for name, texts in self.expected.items() if not names or name in names for text in texts]

    def answer_files(self) -> list[str]:
        """The errors about the answer files (a questionnaire among them is only "not an answer file")."""
        return self.all_expected(*(name for name in self.expected if name != "questionnaire.yaml"))


def make_inputs(tmp_path: Path, seed: int) -> Inputs:
    rng = random.Random(seed)
    folder = tmp_path / "answers"
    folder.mkdir()
    v = {name: hostile(rng) for name in ("version", "role", "item", "option", "context", "choice", "top", "qid", "duplicate",
                                         "tagged", "at", "own_version", "option_key")}
    item = QUICK.items()[0][1].id
    choice = next(c.id for c in QUICK.context if c.type == "choice")
    files = {
        "semantic.yaml": (
            f"questionnaire: slp-quickcheck\nversion: {dq(v['version'])}\npartnership: Lindenau\n"
            f"respondent: {{name: Anna, role: {dq(v['role'])}}}\n"
            f"answers:\n  ? {dq(v['item'])}\n  : \"3\"\n  {item}: {dq(v['option'])}\n"
            f"context:\n  ? {dq(v['context'])}\n  : x\n  {choice}: {dq(v['choice'])}\n? {dq(v['top'])}\n: x\n",
            [quoted(v[k]) for k in ("version", "role", "item", "option", "context", "choice", "top")],
        ),
        "unknown-questionnaire.yaml": (f"questionnaire: {dq(v['qid'])}\nversion: \"2.0\"\n", [quoted(v["qid"])]),
        "duplicate.yaml": (f"questionnaire: slp-quickcheck\nversion: \"2.0\"\nanswers:\n  ? {dq(v['duplicate'])}\n  : \"3\"\n"
                           f"  ? {dq(v['duplicate'])}\n  : \"4\"\n", [quoted(v["duplicate"])]),
        "tagged.yaml": (f"questionnaire: slp-quickcheck\nversion: \"2.0\"\ndate: !!int {dq(v['tagged'])}\n", [quoted(v["tagged"], 40)]),
        "at.yaml": (f"questionnaire: {dq('slp-quickcheck@' + v['at'])}\nversion: \"2.0\"\n",
                    [quoted("slp-quickcheck@" + v["at"]), quoted(v["at"])]),
        "own.yaml": ("questionnaire: mini\nversion: \"1.0\"\nanswers: {}\n", [bare(v["own_version"])]),
    }
    text = MINI.read_text(encoding="utf-8")
    files["questionnaire.yaml"] = (
        text.replace('{key: "no",', f"{{key: {dq(v['option_key'])},", 1).replace("{key: partly,", f"{{key: {dq(v['option_key'])},", 1),
        [quoted(v["option_key"])],
    )
    for name, (content, _) in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    own = tmp_path / "own.yaml"
    own.write_text(text.replace('version: "1.0"', f"version: {dq(v['own_version'])}", 1), encoding="utf-8")
    assert load_questionnaire_file(own).version == v["own_version"]
    expected = {name: texts for name, (_, texts) in files.items()}
    return Inputs(folder, own, folder / "semantic.yaml", expected, [quoted(v["role"]), quoted(v["top"])])


def assert_lines(texts: list[str], expected: list[str]) -> None:
    """Each text is one line without a control character, not too long; together they name every expected value."""
    for text in texts:
        assert not NOT_ONE_LINE.search(text), ascii(text)
        assert len(text) <= LONGEST_LINE, (len(text), text[:200])
    joined = "\n".join(texts)
    missing = [value for value in expected if value not in joined]
    assert not missing, (missing, joined[:3000])


def cell_problems(cells: list[str]) -> list[str]:
    """The problems a spreadsheet's error cell joins with "; " (``api.score_row``), one by one."""
    return [problem for cell in cells if cell for problem in re.split(r"; (?=line \d+: )", cell)]


def run(*args: str, text: str = ""):
    return runner.invoke(app, list(args), input=text, env=ENV)


def stderr_lines(result) -> list[str]:
    # splitlines, not split("\n"): NEL, LS, PS or a lone CR left in a message would split it here too.
    return result.stderr.splitlines()


@pytest.fixture(params=SEEDS)
def inputs(request, tmp_path: Path) -> Inputs:
    return make_inputs(tmp_path, request.param)


def test_validate(inputs: Inputs) -> None:
    result = run("validate", str(inputs.folder), "-q", str(inputs.questionnaire))
    assert result.exit_code == 2
    errors = stderr_lines(result)
    assert len([e for e in errors if e.startswith("error: ")]) >= len(inputs.expected) + 5
    assert_lines(errors, inputs.all_expected())


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "table"])
def test_score_records_and_stderr(inputs: Inputs, fmt: str) -> None:
    result = run("score", str(inputs.folder), "-q", str(inputs.questionnaire), "--format", fmt)
    assert result.exit_code == 2
    assert_lines(stderr_lines(result), inputs.answer_files())
    lines = result.stdout.splitlines()
    files = len(inputs.expected)
    if fmt in ("json", "jsonl"):
        records = [json.loads(line.rstrip(",")) for line in lines if line not in ("[", "]")]
        assert len(records) == files  # one record a line: nothing in a message broke one
        assert_lines([text for r in records for e in r["errors"] for text in (e["message"], e["hint"])], inputs.answer_files())
    elif fmt == "csv":
        assert len(lines) == files + 1
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert_lines(cell_problems([row["error"] for row in rows]), inputs.answer_files())
    else:
        assert not NOT_ONE_LINE.search(result.stdout.replace("\n", ""))


def test_score_xlsx_and_excel_csv(inputs: Inputs, tmp_path: Path) -> None:
    book = tmp_path / "scores.xlsx"
    assert run("score", str(inputs.folder), "-q", str(inputs.questionnaire), "--format", "xlsx", "-o", str(book)).exit_code == 2
    sheet = load_workbook(book)["respondents"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    errors = [row[header.index("error")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(errors) == len(inputs.expected)
    assert_lines(cell_problems(errors), inputs.answer_files())
    excel = run("score", str(inputs.folder), "-q", str(inputs.questionnaire), "--format", "csv", "--csv-dialect", "excel-de")
    assert len(excel.stdout.splitlines()) == len(inputs.expected) + 1


def test_report_compare_and_migrate(inputs: Inputs, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text((Path(__file__).resolve().parents[1] / "examples" / "quickcheck-lindenau.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    reported = run("report", str(inputs.folder), "--format", "md", "-q", str(inputs.questionnaire), "--lang", "en")
    assert reported.exit_code == 2, reported.output
    assert_lines(stderr_lines(reported), inputs.answer_files())
    migrated = run("migrate", str(inputs.folder), "--dry-run", "-q", str(inputs.questionnaire), "--lang", "en")
    assert migrated.exit_code == 2, migrated.output
    others = [name for name in inputs.expected if name not in ("semantic.yaml", "questionnaire.yaml", "own.yaml")]
    assert_lines(stderr_lines(migrated), inputs.all_expected(*others) + inputs.format_level)
    compared = run("compare", str(inputs.semantic), str(good), "--lang", "en")
    assert compared.exit_code == 2
    assert_lines(stderr_lines(compared), inputs.all_expected("semantic.yaml"))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_resuming_a_broken_file(inputs: Inputs, lang: str) -> None:
    """``slp assess --resume`` and ``slp serve --resume``: the session's line, then the file's problems, one line each."""
    resumed = run("assess", "--resume", str(inputs.semantic), "--lang", lang, text="q\n")
    assert resumed.exit_code == 2
    assert_lines(stderr_lines(resumed), inputs.format_level)
    pytest.importorskip("starlette", reason="slp serve needs the serve extra")
    workshop = inputs.folder.parent / "workshop"
    workshop.mkdir()
    workshop.joinpath("anna.yaml").write_bytes(inputs.semantic.read_bytes())
    served = run("serve", "--resume", str(workshop), "--lang", lang, "--port", "0")
    assert served.exit_code == 2
    assert_lines(stderr_lines(served), inputs.format_level)


def test_the_api_problems(inputs: Inputs) -> None:
    records = api.score_files([inputs.folder], [inputs.questionnaire])
    assert_lines([text for r in records for e in r["errors"] for text in (e["message"], e["hint"])], inputs.answer_files())
    with pytest.raises(InvalidInputError) as raised:
        api.aggregate([inputs.semantic])
    problems = raised.value.problems
    assert_lines([text for p in problems for text in (p.message, p.hint, p.location)], inputs.all_expected("semantic.yaml"))
    assert_lines(str(raised.value).split("\n"), inputs.all_expected("semantic.yaml"))


@pytest.mark.parametrize("seed", SEEDS)
def test_import_names_hostile_cells_and_columns_in_one_line(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    q = load_questionnaire_file(VERDICT)
    table = kobo_table(api.export_survey(q, "xlsform"), q, respondents(q, 4, seed=seed))
    items = [i for i, h in enumerate(table[0]) if h.rsplit("/", 1)[-1] in q.item_index()]
    side = next(i for i, h in enumerate(table[0]) if h.endswith("slp_side"))
    # No NUL: a sheet with one is refused as a whole ("a damaged file?"), before any cell is read.
    cells = [hostile(rng).replace("\x00", "") + "x" for _ in range(3)]
    table[1][rng.choice(items)], table[2][side], table[3][rng.choice(items)] = cells
    column = hostile(rng).replace("\x00", "") + "y"
    table[0].append(column)
    for row in table[1:]:
        row.append("")
    sheet = write_csv(tmp_path / "responses.csv", table)
    result = run("import", str(sheet), "--questionnaire", str(VERDICT), "-o", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 2, result.output
    # A sheet's cells are read without the white space around them, its column names with white space runs as one space.
    assert_lines(stderr_lines(result), [quoted(cell.strip()) for cell in cells] + [quoted(" ".join(column.split()))])


@pytest.mark.parametrize(("command", "what"), [("migrate", "an answer file"), ("validate", "an answer file")])
def test_a_file_that_is_not_a_mapping_is_named_for_what_it_should_be(tmp_path, command, what):
    (tmp_path / "list.yaml").write_text("- 1\n- 2\n", encoding="utf-8")
    result = runner.invoke(app, [command, str(tmp_path / "list.yaml")], env=ENV)
    assert result.exit_code == 2
    assert f"list.yaml:1: not {what}: expected a YAML mapping at the top" in result.stderr
