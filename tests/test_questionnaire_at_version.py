"""``questionnaire: ID@VERSION`` in an answer file is ``questionnaire: ID`` with ``version: VERSION``, for every version.

``slp-readiness@1.0`` was accepted while ``slp-readiness@2.0`` (the current version) was an unknown
questionnaire, and ``slp migrate`` took a ``slp-readiness@1.0`` file for one already at its current
version. Each bundled version, and each version of a questionnaire given with ``--questionnaire``, is
checked here through every command that reads answer files: the file naming ``ID@VERSION`` gives what
the same file naming ``ID`` gives, and one whose ``version:`` says otherwise is refused in one line.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from slp_assess.cli import app
from slp_assess.errors import InvalidInputError
from slp_assess.loading import load_questionnaire, load_questionnaire_file
from slp_assess.models.questionnaire import Questionnaire, split_reference
from slp_assess.resources import bundled_questionnaires
from slp_assess.sides import SIDES

runner = CliRunner()
ENV = {"NO_COLOR": "1", "COLUMNS": "100", "SOURCE_DATE_EPOCH": "1756339200"}
MINI = Path(__file__).parent / "fixtures" / "core" / "mini.yaml"
BUNDLED = sorted((q.id, q.version) for q in map(load_questionnaire, bundled_questionnaires()))
# An own questionnaire in two versions, given with --questionnaire: 0.9 is an earlier one.
OWN = [("mini", "0.9"), ("mini", "1.0")]


def _own_files(folder: Path) -> list[Path]:
    folder.mkdir(exist_ok=True)
    older = folder / "mini-0.9.yaml"
    older.write_text(MINI.read_text(encoding="utf-8").replace('version: "1.0"', 'version: "0.9"', 1), encoding="utf-8")
    assert load_questionnaire_file(older).version == "0.9"
    return [older, MINI]


def _questionnaire(qid: str, version: str, given: list[Path]) -> Questionnaire:
    if not given:
        return load_questionnaire(qid if load_questionnaire(qid).version == version else f"{qid}@{version}")
    return next(q for q in map(load_questionnaire_file, given) if q.version == version)


def _answers(q: Questionnaire, rng: random.Random, named: str, version: str) -> str:
    """A valid answer file of ``q`` with random answers, naming its questionnaire ``named``."""
    context: dict[str, object] = {}
    for question in q.context:
        keys = [o.key for o in question.options]
        if question.type == "text":
            context[question.id] = "Stadt Lindenau"
        elif question.type == "choice":
            context[question.id] = rng.choice(keys)
        else:
            context[question.id] = rng.sample(keys, rng.randint(1, len(keys)))
    data = {
        "questionnaire": named, "version": version, "partnership": "Lindenau",
        "respondent": {"name": "Anna Weber", "role": rng.choice(SIDES)}, "date": "2026-03-18", "language": "de",
        "answers": {item.id: rng.choice([o.key for o in q.scales[item.scale].options]) for _, item in q.items()},
        "context": context,
    }
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _pair(tmp_path: Path, qid: str, version: str, given: list[Path], seed: int) -> tuple[Path, Path]:
    """The same answers twice, in folders ``plain`` (``questionnaire: ID``) and ``named`` (``ID@VERSION``)."""
    q = _questionnaire(qid, version, given)
    files = []
    for folder, named in (("plain", qid), ("named", f"{qid}@{version}")):
        path = tmp_path / folder / "anna.yaml"
        path.parent.mkdir()
        path.write_text(_answers(q, random.Random(seed), named, version), encoding="utf-8")
        files.append(path)
    return files[0], files[1]


def _run(*args: str, text: str = ""):
    return runner.invoke(app, list(args), input=text, env=ENV)


def _same(plain, named, plain_path: Path, named_path: Path) -> None:
    """Both runs ended alike and printed the same, but for the folder's name."""
    assert (named.exit_code, named.stdout, named.stderr) == (
        plain.exit_code, plain.stdout.replace(str(plain_path), str(named_path)), plain.stderr.replace(str(plain_path), str(named_path)),
    )


def _cases() -> list[tuple[str, str, bool]]:
    return [(qid, version, False) for qid, version in BUNDLED] + [(qid, version, True) for qid, version in OWN]


@pytest.mark.parametrize(("qid", "version", "own"), _cases(), ids=lambda v: str(v))
def test_id_at_version_reads_as_id_with_that_version(tmp_path: Path, qid: str, version: str, own: bool) -> None:
    given = _own_files(tmp_path / "questionnaires") if own else []
    options = [arg for path in given for arg in ("--questionnaire", str(path))]
    current = max(v for q, v in [*BUNDLED, *OWN] if q == qid and (own or (q, v) in BUNDLED))
    plain, named = _pair(tmp_path, qid, version, given, seed=len(qid) + int(float(version) * 10))

    for command in (["validate"], ["score", "--format", "json"], ["score", "--format", "csv"], ["report", "--format", "json", "--lang", "en"]):
        results = [_run(*command, str(path.parent), *options) for path in (plain, named)]
        assert results[0].exit_code == 0, results[0].output
        _same(*results, plain.parent, named.parent)
    scored = json.loads(_run("score", str(named), *options, "--format", "json").stdout)[0]
    assert scored["questionnaire"] == {"id": qid, "version": version}

    compared = _run("compare", str(plain), str(named), *options, "--format", "json", "--lang", "en")
    assert compared.exit_code == 0, compared.output
    assert {f["direction"] for f in json.loads(compared.stdout)["factors"]} <= {"unchanged", "no_data"}

    # slp migrate: the current version stays as it is, an earlier one is carried over, alike for both spellings.
    before = named.read_bytes()
    migrated = [_run("migrate", str(path), *options, "--lang", "en") for path in (plain, named)]
    _same(*migrated, plain.parent, named.parent)
    assert migrated[1].exit_code == 0, migrated[1].output
    if version == current:
        assert f"already version {version}" in migrated[1].stdout and named.read_bytes() == before
    else:
        assert f"version {version} → {current}" in migrated[1].stdout
        assert named.read_bytes() == plain.read_bytes()  # the migrated file names the id alone
        assert yaml.safe_load(named.read_text(encoding="utf-8"))["questionnaire"] == qid


@pytest.mark.parametrize(("qid", "version", "own"), _cases(), ids=lambda v: str(v))
def test_resuming_a_file_named_with_its_version(tmp_path: Path, qid: str, version: str, own: bool) -> None:
    """``slp assess --resume`` and ``slp serve --resume`` treat ``ID@VERSION`` as ``ID`` with that version."""
    given = _own_files(tmp_path / "questionnaires") if own else []
    plain, named = _pair(tmp_path, qid, version, given, seed=7)
    reference = str(next(p for p in given if load_questionnaire_file(p).version == version)) if own else f"{qid}@{version}"

    # Without a questionnaire: the current one, as for `questionnaire: ID` (another version needs --migrate).
    resumed = [_run("assess", "--resume", str(path), "--lang", "en", text="q\n") for path in (plain, named)]
    assert resumed[0].exit_code == resumed[1].exit_code, (resumed[0].output, resumed[1].output)
    assert resumed[1].stderr == resumed[0].stderr.replace(str(plain), str(named))
    if not own and version != load_questionnaire(qid).version:
        assert resumed[1].exit_code == 2 and f"this file answers version '{version}' of '{qid}'" in resumed[1].stderr
    elif not own:
        assert resumed[1].exit_code == 0, resumed[1].output
    # Named with that version: continued in it.
    for path in (plain, named):
        done = _run("assess", reference, "--resume", str(path), "--lang", "en", text="q\n")
        assert done.exit_code == 0, done.output
        saved = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert (saved["questionnaire"], saved["version"]) == (qid, version)

    pytest.importorskip("starlette", reason="slp serve needs the serve extra")
    from slp_assess.serve.room import Workshop

    room = Workshop.resume(named.parent, "en", reference)
    try:
        assert (room.state.questionnaire.id, room.state.questionnaire.version) == (qid, version)
    finally:
        room.close()


@pytest.mark.parametrize("seed", range(4))
def test_a_version_after_at_that_the_file_contradicts_is_one_line(tmp_path: Path, seed: int) -> None:
    """``slp-readiness@1.0`` with ``version: "2.0"``: refused by every command in one line saying what to write."""
    rng = random.Random(seed)
    qid, version = rng.choice(BUNDLED)
    other = rng.choice([v for q, v in BUNDLED if q == qid and v != version] + ["9.9", "1.0.0", "2", version + " "])
    plain, named = _pair(tmp_path, qid, version, [], seed)
    named.write_text(named.read_text(encoding="utf-8").replace(f"version: '{version}'", f"version: '{other}'", 1), encoding="utf-8")
    line = next(n for n, text in enumerate(named.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("version:"))
    expected = (f"{named}:{line}: version: questionnaire '{qid}@{version}' names version '{version}', the file says {other!r} "
                f"(hint: write questionnaire: {qid} and set version: to the version the answers were given to)")
    for command in (["validate"], ["score", "--format", "table"], ["report", "--format", "md"], ["migrate", "--dry-run"], ["compare", str(plain)]):
        result = _run(*command, str(named), "--lang", "en") if command[0] != "validate" else _run(*command, str(named))
        assert result.exit_code == 2, (command, result.output)
        errors = [text for text in result.stderr.splitlines() if text.startswith("error: ")]
        assert errors == [f"error: {expected}"], (command, result.stderr)
    for fmt in ("json", "jsonl"):
        records = [json.loads(text) for text in _run("score", str(named), "--format", fmt).stdout.splitlines() if text.strip() not in ("[", "]")]
        assert [r["errors"] for r in records] == [[{"line": line, "message": expected.split(f":{line}: ", 1)[1].split(" (hint: ")[0],
                                                    "hint": f"write questionnaire: {qid} and set version: to the version the answers were given to"}]]
    resumed = _run("assess", "--resume", str(named), "--lang", "en", text="q\n")
    assert resumed.exit_code == 2 and resumed.stderr == f"error: {expected}\n"


@pytest.mark.parametrize(("qid", "version"), BUNDLED)
def test_commands_taking_a_questionnaire_id_take_every_bundled_version(qid: str, version: str) -> None:
    template = _run("template", f"{qid}@{version}", "--lang", "en")
    assert template.exit_code == 0, template.output
    data = yaml.safe_load(template.stdout)
    assert (data["questionnaire"], data["version"]) == (qid, version)
    shown = _run("questionnaires", "show", f"{qid}@{version}", "--lang", "en")
    assert shown.exit_code == 0 and f"({qid} {version}" in shown.stdout, shown.output
    unknown = _run("template", f"{qid}@9.9")
    assert unknown.exit_code == 3 and unknown.stderr.startswith(f"error: questionnaire '{qid}' has no version '9.9': use one of ")


def test_split_reference() -> None:
    assert split_reference("slp-readiness@1.0") == ("slp-readiness", "1.0")
    assert split_reference("slp-readiness") == ("slp-readiness", None)
    for odd in ("slp-readiness@", "@1.0", "@"):
        assert split_reference(odd) == (odd, None)


def test_the_api_reads_id_at_version_alike(tmp_path: Path) -> None:
    from slp_assess import api

    qid, version = BUNDLED[0]
    plain, named = _pair(tmp_path, qid, version, [], seed=3)
    records = [api.score_files([path.parent]) for path in (plain, named)]
    assert [{**r, "file": ""} for r in records[0]] == [{**r, "file": ""} for r in records[1]]
    bad = tmp_path / "bad.yaml"
    shutil.copyfile(named, bad)
    bad.write_text(bad.read_text(encoding="utf-8").replace(f"{qid}@{version}", f"{qid}@0.1", 1), encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        api.aggregate([bad])
    assert [p.message for p in raised.value.problems] == [f"questionnaire '{qid}@0.1' names version '0.1', the file says '{version}'"]
