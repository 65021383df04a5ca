"""The typer application and the single boundary that maps errors to exit codes."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from slp_assess import __version__
from slp_assess.errors import ExitCode, InvalidInputError, SlpError


class Verbosity:
    """How chatty the commands are on stderr; set once by the root options."""

    quiet = False
    verbose = False


def log(message: str) -> None:
    """A progress message on stderr (never stdout, which may carry a machine format); off with --quiet."""
    if not Verbosity.quiet:
        sys.stderr.write(message + "\n")


def debug(message: str) -> None:
    """A detail on stderr, only with --verbose."""
    if Verbosity.verbose and not Verbosity.quiet:
        sys.stderr.write(message + "\n")


def print_error(exc: SlpError) -> None:
    """Write an error to stderr, one line per problem."""
    if isinstance(exc, InvalidInputError):
        for problem in exc.problems:
            sys.stderr.write(f"error: {problem.format()}\n")
    else:
        sys.stderr.write(f"error: {exc}\n")


class SlpGroup(TyperGroup):
    """Command group whose invoke is the one place exceptions become exit codes."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        """Parse the group's own options; usage errors exit with code 3."""
        try:
            return super().make_context(*args, **kwargs)
        except ClickUsageError as exc:
            exc.exit_code = ExitCode.USAGE
            raise

    def invoke(self, ctx: Any) -> Any:
        """Run a command; our errors print one line each and exit with their code."""
        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:
            exc.exit_code = ExitCode.USAGE
            raise
        except SlpError as exc:
            print_error(exc)
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=SlpGroup,
    name="slp",
    help="Readiness assessment for urban-rural partnerships (Stadt-Land-Partnerschaften).",
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
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", help="de or en for every command (same as SLP_LANG); a command's own --lang wins."),
) -> None:
    """Readiness assessment for urban-rural partnerships (Stadt-Land-Partnerschaften).

    Exit codes: 0 ok, 1 a score is below --fail-under, 2 invalid input, 3 usage error,
    4 output cannot be written, 130 interrupted.
    """
    Verbosity.quiet, Verbosity.verbose = quiet, verbose
    if lang is not None:
        # Commands read SLP_LANG as the default of their own --lang; they parse after this runs.
        previous = os.environ.get("SLP_LANG")
        os.environ["SLP_LANG"] = lang
        ctx.call_on_close(lambda: _restore_env("SLP_LANG", previous))


def _restore_env(name: str, value: str | None) -> None:
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
