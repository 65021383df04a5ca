"""`slp assess`: the interactive workshop assessment (logic in ``slp_assess.assess``)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from slp_assess.cli.app import app
from slp_assess.errors import ExitCode
from slp_assess.oneline import quoted

if TYPE_CHECKING:
    from rich.console import Console

    from slp_assess.assess.workshop import Unsaved, Workshop


@app.command()
def assess(
    questionnaire: str | None = typer.Argument(None, help="Bundled questionnaire id or a questionnaire file; default: slp-readiness (on --resume: the file's)."),
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", help="de or en; default: the questionnaire's default language."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Answer file to write (group mode: a folder); default: derived from names and date."),
    partnership: str | None = typer.Option(None, "--partnership", help="Name of the partnership; asked for if missing."),
    respondent: str | None = typer.Option(None, "--respondent", help="Who answers; asked for if missing."),
    role: str | None = typer.Option(None, "--role", help="Side of the partnership: stadt, landkreis, gemeinde, land or other (sonstige); asked for if missing."),
    participants: str | None = typer.Option(None, "--participants", help='Group mode: "Anna Weber:stadt,Jan Roth:land,..."; one answer file each.'),
    resume: Path | None = typer.Option(None, "--resume", help="Continue a saved answer file (or a group's folder) at its first open question."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing answer files."),
    migrate: bool = typer.Option(False, "--migrate", help="On --resume, carry answers over to a newer questionnaire version."),
    report: Path | None = typer.Option(None, "--report", help="At the end, also write a report (.md, .html, .json or .pdf, by suffix)."),
) -> None:
    """Run the assessment in a workshop; every answer is saved at once.

    Keys at each question: number = answer, n = cannot judge, ? = help, b = back, s = later,
    + = note, q = save and quit. Exit codes: 0 done or quit with q, 2 invalid file to resume,
    3 usage error, 4 the answers could not be saved (the session went on; at its end an emergency
    copy was written, and the last lines name it and how to resume from it), 130 interrupted by
    Ctrl-C, a closed terminal (SIGHUP), SIGTERM or end of input (everything is saved).
    """
    # Imported here so that other commands (`score --format json`) start without rich.
    from rich.console import Console

    from slp_assess.assess.signals import ended_like_ctrl_c
    from slp_assess.assess.start import Options, prepare
    from slp_assess.assess.wording import in_session_language
    from slp_assess.assess.workshop import Ending, Interrupted, Unsaved, resume_command, resume_hint
    from slp_assess.errors import OutputError, SlpError
    from slp_assess.i18n import error_language, message
    from slp_assess.terminal import plain, print_with_command

    console = Console(highlight=False)
    # Lines on stderr wrap at words like the screen does, and speak the session's language.
    errors = Console(stderr=True, highlight=False)
    options = Options(questionnaire, lang, out, partnership, respondent, role, participants, resume, force, migrate)
    with ended_like_ctrl_c():
        try:
            # What --report needs is checked before the first question, not after the last answer.
            workshop, notices = prepare(options, console, check=lambda said: _check_report(report, said))
        except (KeyboardInterrupt, EOFError):
            errors.print()
            errors.print(plain(message("assess.nothing_saved", error_language(lang))))
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        said = workshop.session.language
        try:
            ending = workshop.run(notices)
        except Interrupted as stop:
            # After SIGHUP the terminal may be gone, and a second Ctrl-C may come: everything is saved.
            with contextlib.suppress(OutputError, KeyboardInterrupt):
                print_with_command(errors, resume_hint(stop.target, stop.language, workshop.resume_with),
                                   resume_command(stop.target, workshop.resume_with))
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Unsaved as lost:
            with contextlib.suppress(OutputError, KeyboardInterrupt):
                _tell_unsaved(errors, lost, workshop.resume_with)
            raise typer.Exit(ExitCode.CANNOT_WRITE) from None
        except SlpError as exc:
            raise in_session_language(exc, said) from None
    if report is not None and ending is Ending.COMPLETE:
        _write_report(workshop, report, said)


def _check_report(report: Path | None, lang: str) -> None:
    """Refuse a --report the session could not write at its end: an unknown suffix, a PDF without a browser."""
    if report is None:
        return
    from slp_assess.cli.report import choose_format
    from slp_assess.errors import UsageError
    from slp_assess.i18n import message
    from slp_assess.report import ReportFormat

    try:
        chosen = choose_format(None, str(report))
    except UsageError:
        suffixes = ", ".join(f.suffix for f in ReportFormat)
        raise UsageError(message("assess.report_suffix", lang, path=report, suffix=quoted(report.suffix), suffixes=suffixes)).in_language(lang) from None
    if chosen is ReportFormat.PDF:
        from slp_assess.report.pdf import find_browser

        try:
            find_browser()
        except UsageError:
            raise UsageError(message("assess.no_browser", lang, path=report)).in_language(lang) from None


def _write_report(workshop: Workshop, report: Path, lang: str) -> None:
    """The report of the finished session; its lines (wrote, failed, interrupted) in the session's language."""
    from slp_assess.assess.checks_german import german_error
    from slp_assess.assess.wording import cannot_write, reworded
    from slp_assess.cli.app import log
    from slp_assess.cli.report import write_reports
    from slp_assess.errors import SlpError
    from slp_assess.i18n import message
    from slp_assess.loading import QuestionnaireCatalog

    answered = workshop.session.questionnaire
    catalog = QuestionnaireCatalog(extra={answered.id: answered})
    try:
        write_reports([workshop.target], catalog, None, str(report), lang,
                      announce=lambda path: log(message("assess.report_written", lang, path=path)))
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{message('assess.report_interrupted', lang)}\n")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    except SlpError as exc:
        if isinstance(exc.__context__, OSError) or lang == "en" or exc.language is not None:
            raise cannot_write(report, exc, lang) from None
        # Not a write the system refused: a browser that failed to print.
        german = german_error(str(exc))
        if german is None:
            raise exc.with_headline(message("assess.report_failed", lang, path=report), lang) from None
        raise reworded(exc, message("assess.report_not_written", lang, path=report, reason=german), lang) from None


def _tell_unsaved(errors: Console, lost: Unsaved, questionnaire: str | None = None) -> None:
    """Where the emergency copy is and how to resume from it; without one, the files' text itself."""
    from slp_assess.assess.workshop import resume_command
    from slp_assess.i18n import message
    from slp_assess.terminal import plain, print_with_command

    errors.print()
    if lost.copy is not None:
        command = resume_command(lost.copy, questionnaire)
        print_with_command(errors, message("assess.rescued", lost.language, path=lost.target, copy=lost.copy, command=command), command, "bold")
        return
    errors.print(plain(message("assess.rescue_failed", lost.language, path=lost.target), "bold"))
    for name, text in lost.texts:
        errors.print(plain(f"--- {name}"))
        for line in text.splitlines():
            errors.print(plain(line), soft_wrap=True)
