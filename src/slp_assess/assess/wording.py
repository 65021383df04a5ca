"""Errors of `slp assess` in the session's language.

A German session prints no English line: every error the session can meet is worded from
``i18n.MESSAGES``. The validator's problems of a file the session cannot read (a hand-edited answer
file, a broken questionnaire, the workshop manifest) follow a line that names the file and what is
wrong, each worded in German by ``checks_german``, which also words the one-line errors of the code
the session shares (an unreadable ``SOURCE_DATE_EPOCH``, a browser that cannot print the report).
Only, as a last resort, an error from code outside ``slp assess`` that has no wording at all keeps
its English text below a German line announcing it as English (``in_session_language``).
"""

from __future__ import annotations

import copy
import errno
from pathlib import Path

from slp_assess.errors import InvalidInputError, OutputError, Problem, SlpError, UsageError
from slp_assess.i18n import MESSAGES, message
from slp_assess.loading import load_questionnaire_file, resolve_questionnaire
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.oneline import quoted
from slp_assess.resources import bundled_questionnaires


def os_reason(exc: OSError, lang: str) -> str:
    """Why the system refused, in ``lang``: ``keine Berechtigung``; a rare error by its code (``EIO``)."""
    name = errno.errorcode.get(exc.errno or 0, "")
    key = f"oserror.{name}"
    if key in MESSAGES:
        return message(key, lang)
    if lang == "en" and exc.strerror:
        return exc.strerror
    return message("oserror.other", lang, code=name or exc.errno)


def invalid(path: Path | str, key: str, lang: str, line: int | None = None, **values: object) -> InvalidInputError:
    """A one-problem error about ``path`` (exit code 2) worded by ``key``."""
    return InvalidInputError([Problem(str(path), line, message(key, lang, **values))]).in_language(lang)


def cannot_write(path: Path | str, exc: SlpError, lang: str) -> SlpError:
    """A failed atomic write (``slp_assess.atomic`` keeps the system's error as the context) in ``lang``."""
    cause = exc.__context__
    if isinstance(cause, OSError):
        return OutputError(message("assess.cannot_write", lang, path=path, reason=os_reason(cause, lang))).in_language(lang)
    return in_session_language(exc, lang)


def in_session_language(exc: SlpError, lang: str) -> SlpError:
    """``exc`` as a session in ``lang`` prints it: as it is when it is worded in ``lang`` already (or
    English), in German where ``checks_german`` knows its words, else below a headline saying that the
    session stopped (and that the detail is English)."""
    if exc.language is not None or lang == "en":
        return exc
    from slp_assess.assess.checks_german import german_error  # only when a session meets an error

    if isinstance(exc, InvalidInputError):
        return _in_german_below(exc, message("assess.stopped", lang))
    german = german_error(str(exc))
    if german is not None:
        return reworded(exc, german, lang)
    return exc.with_headline(message("assess.failed", lang), lang)


def reworded(exc: SlpError, text: str, lang: str) -> SlpError:
    """``exc`` (of its kind, so with its exit code) saying ``text``, in ``lang``."""
    worded = copy.copy(exc)
    worded.args = (text,)
    return worded.in_language(lang)


def checked_file(exc: InvalidInputError, key: str, lang: str, questionnaire_file: str | None = None,
                 **values: object) -> InvalidInputError:
    """The validator's problems of one file, below a headline in ``lang`` naming the file and what it is.

    English sessions print the problems as every other command does; a German one in German
    (``checks_german``). ``questionnaire_file``: for an answer file, the questionnaire file
    ``slp validate`` needs to check it (see ``questionnaire_file``).
    """
    if lang == "en" or exc.language is not None:
        return exc
    return _in_german_below(exc, message(key, lang, **values), questionnaire_file)


def _in_german_below(exc: InvalidInputError, headline: str, questionnaire_file: str | None = None) -> InvalidInputError:
    """``exc``'s problems worded in German, below a German ``headline``."""
    from slp_assess.assess.checks_german import in_german  # only when a session meets an error

    problems = [in_german(problem, questionnaire_file) for problem in exc.problems]
    return InvalidInputError(problems).with_headline(headline, "de")


def questionnaire_file(reference: str | None) -> str | None:
    """The file a session's questionnaire ``reference`` names, when it is not a bundled one (which
    ``slp validate`` finds by the answer file's id without being told)."""
    if reference is None or reference in bundled_questionnaires() or not Path(reference).is_file():
        return None
    return reference


def questionnaire(reference: str, lang: str) -> Questionnaire:
    """A bundled questionnaire by id, or one from a file, with the errors in ``lang``."""
    try:
        path = resolve_questionnaire(reference)
    except UsageError:
        known = ", ".join(sorted(bundled_questionnaires()))
        raise UsageError(message("assess.unknown_questionnaire", lang, ref=quoted(reference), known=known)).in_language(lang) from None
    try:
        return load_questionnaire_file(path)
    except InvalidInputError as exc:
        raise checked_file(exc, "assess.invalid_questionnaire", lang, ref=path) from None
