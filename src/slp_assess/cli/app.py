"""The typer application and the single boundary that maps errors to exit codes."""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Iterable
from typing import Any, NoReturn, TextIO

import typer
from typer._click.core import Context
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from slp_assess import __version__, i18n
from slp_assess.cli import usage
from slp_assess.errors import INTERRUPTED_LINE, ExitCode, InvalidInputError, OutputError, SlpError
from slp_assess.i18n import check_language
from slp_assess.oneline import listed, one_line, quoted


class Verbosity:
    """How chatty the commands are on stderr; set once by the root options."""

    quiet = False
    verbose = False


def log(message: str) -> None:
    """A progress message on stderr (never stdout, which may carry a machine format); off with --quiet."""
    if not Verbosity.quiet:
        sys.stderr.write(one_line(message) + "\n")


def status_language(lang: str | None = None) -> str:
    """The language of a command's status lines: its ``--lang``, else ``SLP_LANG`` (which ``slp --lang``
    sets), else German, the tool's default; a language the tool does not speak is German too."""
    return i18n.error_language(lang or os.environ.get("SLP_LANG"))


def wrote(path: object, lang: str) -> None:
    """Log that ``path`` was written, in ``lang``."""
    log(i18n.message("cli.wrote", lang, path=path))


def repeated_line(partnership: str, questionnaire: str, people: int, lang: str) -> None:
    """Log that ``people`` answered more than once for a partnership (``slp_assess.repeated``)."""
    log(i18n.message("cli.repeated", lang, partnership=quoted(partnership), questionnaire=questionnaire, n=people))


def similar_lines(names: list[str], lang: str) -> None:
    """Log each set of partnership names that differ only in case, spaces or punctuation (``portfolio.similar_partnerships``)."""
    if len(names) < 2:
        return  # and plain `slp score` never imports the report models behind the grouping
    from slp_assess.portfolio import similar_partnerships

    for alike in similar_partnerships(names):
        log(i18n.message("cli.similar_partnerships", lang, names=listed(alike, most=None)))


def debug(message: str) -> None:
    """A detail on stderr, only with --verbose."""
    if Verbosity.verbose and not Verbosity.quiet:
        sys.stderr.write(one_line(message) + "\n")


def print_error(exc: SlpError) -> None:
    """Write an error to stderr, one line per problem; file names and quoted input shown as written, never run.

    An error with a headline prints it first; its problems follow indented, without the label.
    """
    label = "Fehler" if exc.language == "de" else "error"
    hint_label = "Hinweis" if exc.language == "de" else "hint"
    lines = [problem.format(hint_label) for problem in exc.problems] if isinstance(exc, InvalidInputError) else [str(exc)]
    if exc.headline is not None:
        sys.stderr.write(f"{label}: {one_line(exc.headline)}\n")
        sys.stderr.writelines(f"  {one_line(line)}\n" for line in lines)
    else:
        sys.stderr.writelines(f"{label}: {one_line(line)}\n" for line in lines)


# --- standard output and error ------------------------------------------------------------------
# Every command writes through ``sys.stdout`` and ``sys.stderr`` (rich consoles included). Wrapping
# them for the run of the CLI tells a full disk on stdout apart from any other ``OSError``, and a
# reader that stopped reading (``slp score DIR | head``, also ``2>&1 | head``) apart from a failure,
# without each command catching its own.


class StreamError(OutputError):
    """Standard output (or error) cannot be written: a full disk, a lost device."""

    def __init__(self, name: str, exc: OSError) -> None:
        super().__init__(f"cannot write {name}: {exc.strerror or exc}")


class ClosedPipe(Exception):  # noqa: N818 - an event, not an error: the reader is gone
    """The reader of standard output closed the pipe.

    Deliberately not an ``OSError``: click would turn a ``BrokenPipeError`` into exit code 1.
    """


class GuardedStream:
    """A text stream passing everything to ``stream``; a failed write raises ``StreamError`` or ``ClosedPipe``.

    After the first failure the descriptor points to ``/dev/null``, so that what is still buffered
    goes quietly when Python flushes stdout at exit instead of printing "Exception ignored ...".
    """

    def __init__(self, stream: TextIO, name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            self._fail(exc)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            self._fail(exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _fail(self, exc: OSError) -> NoReturn:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass  # not a real descriptor (output captured in memory): nothing is flushed at exit
        if isinstance(exc, BrokenPipeError):
            raise ClosedPipe from None
        raise StreamError(self._name, exc) from None


class SlpGroup(TyperGroup):
    """Command group whose ``main`` and ``invoke`` are the one place exceptions become exit codes."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the group's own options; usage errors are one line and exit with code 3."""
        # Here, not in __init__: typer appends the completion options after building the group.
        tidy_help(self)
        try:
            return super().make_context(*args, **kwargs)
        except ClickUsageError as exc:
            usage.usage_error(exc)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Run the CLI with guarded standard output and error (``GuardedStream``).

        A closed pipe (``slp score DIR | head``) ends the run quietly with exit code 0: the reader
        stopped reading on purpose, and every line it read is complete. A failed write to standard
        output (a full disk) is one line and exit code 4, also for ``--help`` and ``--version``.
        """
        given: Iterable[str] | None = kwargs.get("args", args[0] if args else None)
        usage.invocation[:] = sys.argv[1:] if given is None else list(given)
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = GuardedStream(stdout, "standard output")
        sys.stderr = GuardedStream(stderr, "standard error")
        try:
            try:
                return super().main(*args, **kwargs)
            finally:
                sys.stdout.flush()
        except ClosedPipe:
            sys.exit(ExitCode.OK)
        except SlpError as exc:  # raised while parsing, before a command runs: --version, --help
            print_error(exc)
            sys.exit(exc.exit_code)
        finally:
            sys.stdout, sys.stderr = stdout, stderr

    def invoke(self, ctx: Any) -> Any:
        """Run a command; our errors print one line each and exit with their code."""
        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:
            usage.usage_error(exc)
        except SlpError as exc:
            print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write(f"\n{INTERRUPTED_LINE}\n" if sys.stderr.isatty() else f"{INTERRUPTED_LINE}\n")
            raise typer.Exit(ExitCode.INTERRUPTED) from None


def tidy_help(command: Any) -> None:
    """Help texts that read well at any width, in typer's rich and plain layouts alike.

    Docstring paragraphs become one line each, so the help re-wraps them instead of keeping the
    source's line breaks, and a command's summary is never cut short; values are shown by their
    metavar (``LANG``, ``FILE``), never as ``<str>`` or ``<bool>`` type markers; flags show none.
    """
    if command.help:
        paragraphs = [" ".join(p.split()) for p in inspect.cleandoc(command.help).split("\n\n")]
        command.help = "\n\n".join(paragraphs)
        # In the list of commands: the whole first paragraph, where click would cut it off with "...".
        command.short_help = command.short_help or paragraphs[0]
    help_option = command.get_help_option(Context(command))  # made on first use, then kept
    for param in [*command.params, *([help_option] if help_option else [])]:
        if getattr(param, "is_flag", False):
            param.metavar = ""
        elif param.metavar is None:
            param.metavar = param.name.upper()
        if param.param_type_name == "argument" and hasattr(param, "display_type_rich"):
            # typer shows an argument's Python type next to its name whatever its metavar.
            param.display_type_rich = lambda ctx: None
    for sub in getattr(command, "commands", {}).values():
        tidy_help(sub)


app = typer.Typer(
    cls=SlpGroup,
    name="slp",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
)


def _show_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"slp-assess {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    quiet: bool = typer.Option(False, "--quiet", help="Only errors on stderr; no progress or 'wrote' messages."),
    verbose: bool = typer.Option(False, "--verbose", help="More detail on stderr (files found, workers used)."),
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", metavar="LANG", help="de or en for every command (same as SLP_LANG); a command's own --lang wins."),
) -> None:
    """Readiness assessment for urban-rural partnerships (Stadt-Land-Partnerschaften).

    Exit codes: 0 ok, 1 a score is below --fail-under, 2 invalid input, 3 usage error,
    4 output cannot be written, 5 a worker process died, 130 interrupted.
    """
    Verbosity.quiet, Verbosity.verbose = quiet, verbose
    if lang is not None:
        source = ctx.get_parameter_source("lang")
        if source is not None and source.name != "ENVIRONMENT":
            # SLP_LANG is checked by the commands that speak a language; `slp validate` does not care.
            check_language(lang)
        # Commands read SLP_LANG as the default of their own --lang; they parse after this runs.
        previous = os.environ.get("SLP_LANG")
        os.environ["SLP_LANG"] = lang
        ctx.call_on_close(lambda: _restore_env("SLP_LANG", previous))


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
