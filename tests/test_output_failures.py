"""Output that cannot be written: one line and exit 4; a closed pipe: a quiet exit 0; modes survive.

Every command that writes standard output is run against a full disk and a pipe whose reader is
gone: all of them in this process, some in a subprocess (``/dev/full``, a real pipe).
"""

from __future__ import annotations

import errno
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from slp_assess.atomic import write_text_atomic
from slp_assess.cli import app
from slp_assess.errors import OutputError

REPO = Path(__file__).resolve().parents[1]
CORE = Path(__file__).parent / "fixtures" / "core"
MINI = str(CORE / "mini.yaml")
ANSWERS = [str(CORE / "answers-city.yaml"), str(CORE / "answers-rural.yaml")]
LINDENAU = str(REPO / "examples" / "lindenau")
runner = CliRunner()

# Every way a command writes standard output.
STDOUT_COMMANDS = {
    "score json": ["score", *ANSWERS, "-q", MINI, "--format", "json"],
    "score jsonl": ["score", *ANSWERS, "-q", MINI, "--format", "jsonl"],
    "score csv": ["score", *ANSWERS, "-q", MINI, "--format", "csv"],
    "score table": ["score", *ANSWERS, "-q", MINI, "--format", "table"],
    "score single table": ["score", ANSWERS[0], "-q", MINI, "--format", "table"],
    "report md": ["report", LINDENAU],
    "report html": ["report", LINDENAU, "--format", "html"],
    "compare": ["compare", LINDENAU, LINDENAU],
    "template": ["template", "slp-quickcheck"],
    "schema": ["schema", "answers"],
    "questionnaires": ["questionnaires"],
    "questionnaires show": ["questionnaires", "show", "slp-quickcheck"],
    "validate": ["validate", MINI],
    "version": ["--version"],
    "help": ["--help"],
    "score help": ["score", "--help"],
}


# Run in a subprocess too, so that Python's own flush at exit is part of the test.
IN_SUBPROCESS = ["score jsonl", "score table", "report md", "version"]


class _FailingStdout(io.StringIO):
    """Standard output whose every write fails as a full disk or a closed pipe would."""

    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise self.error

    def isatty(self) -> bool:
        return False


def _in_process(args: list[str], error: OSError, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setattr(sys, "stdout", _FailingStdout(error))
    with pytest.raises(SystemExit) as stop:
        get_command(app).main(args, prog_name="slp")
    return stop.value.code, capsys.readouterr().err


def _slp(args: list[str], stdout: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "slp_assess", *args], stdout=stdout, stderr=subprocess.PIPE, text=True, check=False,
        timeout=120,
    )


@pytest.mark.parametrize("name", STDOUT_COMMANDS)
def test_stdout_on_a_full_disk_is_one_line_and_exit_4(name, monkeypatch, capsys):
    code, stderr = _in_process(STDOUT_COMMANDS[name], OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)), monkeypatch, capsys)
    assert code == 4, stderr
    assert stderr == "error: cannot write standard output: No space left on device\n"


@pytest.mark.parametrize("name", STDOUT_COMMANDS)
def test_a_closed_pipe_ends_quietly_with_exit_0(name, monkeypatch, capsys):
    code, stderr = _in_process(STDOUT_COMMANDS[name], BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)), monkeypatch, capsys)
    assert code == 0, stderr
    assert stderr == ""


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("name", IN_SUBPROCESS)
def test_a_full_disk_in_a_real_process(name):
    with Path("/dev/full").open("w") as full:
        result = _slp(STDOUT_COMMANDS[name], full.fileno())
    assert result.returncode == 4, result.stderr
    assert result.stderr == "error: cannot write standard output: No space left on device\n"


@pytest.mark.parametrize("name", IN_SUBPROCESS)
def test_a_closed_pipe_in_a_real_process(name):
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: every write meets a closed pipe
    try:
        result = _slp(STDOUT_COMMANDS[name], write_end)
    finally:
        os.close(write_end)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no "Exception ignored ... BrokenPipeError" at exit


def test_a_closed_pipe_on_standard_error_too(tmp_path):
    folder = tmp_path / "invalid"
    folder.mkdir()
    for index in range(200):  # every file an error message on stderr
        (folder / f"{index:03d}.yaml").write_text("questionnaire: mini\nversion: [\n", encoding="utf-8")
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "slp_assess", "score", str(folder), "-q", MINI, "--format", "jsonl"],
            stdout=write_end, stderr=write_end, check=False, timeout=120,  # `2>&1 | head -1`
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0


@pytest.mark.parametrize("output_format", ["jsonl", "json", "csv", "table"])
def test_head_reads_one_line_of_a_large_batch(tmp_path, output_format):
    folder = tmp_path / "many"
    folder.mkdir()
    text = (CORE / "answers-city.yaml").read_text(encoding="utf-8")
    for index in range(400):
        (folder / f"{index:03d}.yaml").write_text(text, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "slp_assess", "score", str(folder), "-q", MINI, "--format", output_format, "--jobs", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # what `| head -1` does after its line
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, stderr
    assert stderr == ""


# --- files that cannot be written --------------------------------------------------------------


def _one_error_line(result) -> str:
    assert result.exit_code == 4, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def _portfolio(tmp_path: Path) -> list[str]:
    return [str(REPO / "tests" / "fixtures" / "report" / name) for name in ("elbtal", "nordheide")] + [
        "-q", str(REPO / "tests" / "fixtures" / "report" / "questionnaire.yaml")
    ]


@pytest.mark.parametrize("target", ["results", "/dev/null"])
def test_a_portfolio_into_an_existing_file_is_exit_4(tmp_path, target):
    if target == "results":
        (tmp_path / "results").write_text("keep me", encoding="utf-8")
        target = str(tmp_path / "results")
    line = _one_error_line(runner.invoke(app, ["report", *_portfolio(tmp_path), "-o", target]))
    assert f"into {target}: it is a file, not a folder" in line
    if target.endswith("results"):
        assert (tmp_path / "results").read_text(encoding="utf-8") == "keep me"


def test_one_report_into_dev_null_is_fine():
    assert runner.invoke(app, ["report", LINDENAU, "-o", "/dev/null"]).exit_code == 0
    assert Path("/dev/null").is_char_device()


@pytest.mark.skipif(not Path("/dev/stdout").is_symlink(), reason="needs /dev/stdout")
def test_a_report_to_dev_stdout_goes_down_the_pipe():
    result = _slp(["report", LINDENAU, "-o", "/dev/stdout"], subprocess.PIPE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# ") and result.stderr == "/dev/stdout geschrieben\n"
    assert Path("/dev/stdout").is_symlink()


def _unwritable_targets(tmp_path: Path) -> dict[str, Path]:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    targets = {
        "parent is a file": blocker / "out.md",
        "grandparent is a file": blocker / "sub" / "out.md",
        "no folder can be made here": Path("/proc/slp-assess-test/out.md"),
    }
    # A folder as the target is a usage error before any work (test_output_folders.py); for
    # `slp report -o FOLDER` it is a portfolio.
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    read_only.chmod(0o555)
    if not os.access(read_only, os.W_OK):  # root may write anywhere; then this case says nothing
        targets["read-only folder"] = read_only / "out.md"
    return targets


@pytest.mark.parametrize(
    "command",
    [
        ["report", LINDENAU, "--format", "md", "-o"],
        ["report", *ANSWERS, "-q", MINI, "--format", "md", "-o"],
        ["compare", LINDENAU, LINDENAU, "--format", "md", "-o"],
        ["template", "slp-quickcheck", "--force", "-o"],
        ["schema", "answers", "--force", "-o"],
    ],
)
def test_every_unwritable_output_is_one_line_and_exit_4(tmp_path, command):
    for case, target in _unwritable_targets(tmp_path).items():
        line = _one_error_line(runner.invoke(app, [*command, str(target)]))
        assert "cannot write" in line, case
    leftovers = [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


# --- atomic replacement keeps what the file was ------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mode=st.integers(0, 0o777).map(lambda m: m | 0o600), text=st.text(max_size=200))
def test_replacing_a_file_keeps_its_mode(tmp_path, mode, text):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(mode)
    write_text_atomic(target, text)
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert target.read_bytes() == text.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o077])
def test_a_new_file_gets_the_umask_default(tmp_path, umask):
    previous = os.umask(umask)
    try:
        write_text_atomic(tmp_path / "new.md", "x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o666 & ~umask


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path):
    real_folder, link_folder = tmp_path / "real", tmp_path / "links"
    real_folder.mkdir()
    link_folder.mkdir()
    real = real_folder / "report.html"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = link_folder / "report.html"
    link.symlink_to(real)
    write_text_atomic(link, "new")
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real_folder.iterdir()) == ["report.html"]
    assert sorted(p.name for p in link_folder.iterdir()) == ["report.html"]


def test_a_folder_is_never_replaced(tmp_path):
    with pytest.raises(OutputError, match="it is a folder"):
        write_text_atomic(tmp_path, "x")


def test_the_cli_keeps_the_mode_of_a_report_it_replaces(tmp_path):
    out = tmp_path / "bericht.md"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o604)
    assert runner.invoke(app, ["report", LINDENAU, "-o", str(out)]).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o604
    assert out.read_text(encoding="utf-8").startswith("#")
