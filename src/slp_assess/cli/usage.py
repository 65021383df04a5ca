"""A mistake on the command line: one line, exit 3, in the language of the session it would have started.

Click words its usage errors in English. The planners' commands say every error in English, but
``slp assess`` and ``slp serve`` start a workshop, whose errors are in the session's language (its
``--lang``, else ``SLP_LANG``, else German): a German session prints no English line, not even for
a mistyped option. Click's exceptions carry what went wrong (the option, the parameter, the extra
words), so the German line is made from those, not translated from the English text.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from typing import NoReturn

import typer
from typer._click.exceptions import BadOptionUsage, BadParameter, MissingParameter, NoArgsIsHelpError, NoSuchOption
from typer._click.exceptions import UsageError as ClickUsageError

from slp_assess import i18n
from slp_assess.errors import ExitCode
from slp_assess.oneline import one_line

# The commands that start a workshop session, whose every line is in the session's language.
SESSION_COMMANDS = ("assess", "serve")

_EXTRA_ARGUMENTS = re.compile(r"Got unexpected extra argument\(s\) \((?P<words>.*)\)", re.DOTALL)
_REQUIRES = re.compile(r"Option .* requires (?:an argument|(?P<n>\d+) arguments)\.", re.DOTALL)
_NOT_ONE_OF = re.compile(r"is not one of (?P<choices>.*?)\.?$", re.DOTALL)

# The words this process was started with (``SlpGroup.main`` sets them): click does not always say
# which command a mistake belongs to.
invocation: list[str] = []


def usage_error(exc: ClickUsageError) -> NoReturn:
    """Print ``exc`` as one line on stderr and exit with ``ExitCode.USAGE``.

    Click would print the usage, a hint and a framed box: several lines, where every other error is
    one. A request for help without arguments (``no_args_is_help``) is no error and goes on to click.
    """
    if isinstance(exc, NoArgsIsHelpError):
        exc.exit_code = ExitCode.USAGE
        raise exc
    command = _command_path(exc)
    words = command.split()
    lang = _session_language() if len(words) > 1 and words[1] in SESSION_COMMANDS else "en"
    text = _german_text(exc) if lang == "de" else _english_text(exc)
    sys.stderr.write(i18n.message("cli.usage_error", lang, text=one_line(text), command=command) + "\n")
    raise typer.Exit(ExitCode.USAGE)


def _command_path(exc: ClickUsageError) -> str:
    """``slp`` and the command the mistake belongs to, as one would type it for its help."""
    path = []
    ctx = exc.ctx
    while ctx is not None:  # command_path would hold a group's arguments (``slp questionnaires [FILE]... show``)
        path.append(ctx.info_name or "")
        ctx = ctx.parent
    if not path:
        # An option's missing value is found before its command's context exists.
        from slp_assess.cli import COMMAND_MODULES

        path = [word for word in invocation if word in COMMAND_MODULES][:1] + ["slp"]
    return " ".join(reversed([name for name in path if name])) or "slp"


def _session_language() -> str:
    """``--lang`` as given on the command line, else what ``app.status_language`` says (``SLP_LANG``, else German)."""
    from slp_assess.cli.app import status_language  # app imports this module

    wanted = None
    for n, word in enumerate(invocation):
        if word == "--lang" and n + 1 < len(invocation):
            wanted = invocation[n + 1]
        elif word.startswith("--lang="):
            wanted = word.split("=", 1)[1]
    return status_language(wanted)


def _english_text(exc: ClickUsageError) -> str:
    # Click lists the choices of a missing option on lines of their own ("Choose from:\n\txlsform,\n\t...")
    # and typer passes pydantic's "Value error, " on: as one line, these read as the sentence they are.
    text = exc.format_message().replace(":\n\t", ": ").replace(",\n\t", ", ")
    return text.replace(": Value error, ", ": ")


def _german_text(exc: ClickUsageError) -> str:
    if isinstance(exc, NoSuchOption):
        text = f"unbekannte Option {exc.option_name}"
        return f"{text} (möglich: {', '.join(sorted(exc.possibilities))})" if exc.possibilities else text
    if isinstance(exc, MissingParameter):
        return f"{_hint(exc)} fehlt"
    if isinstance(exc, BadParameter):
        return f"ungültiger Wert für {_hint(exc)}{_german_reason(exc.message)}"
    if isinstance(exc, BadOptionUsage):
        needs = _REQUIRES.match(exc.message)
        if needs:
            count = needs.group("n")
            return f"die Option {exc.option_name} braucht {f'{count} Werte' if count else 'einen Wert'}"
        if exc.message.endswith("does not take a value."):
            return f"die Option {exc.option_name} nimmt keinen Wert"
        return f"die Option {exc.option_name} ist so nicht zu verwenden"
    extra = _EXTRA_ARGUMENTS.fullmatch(exc.message)
    if extra:
        return f"überzählige Angabe(n): {extra.group('words')}"
    return "der Aufruf ist so nicht zu verstehen"


def _hint(exc: BadParameter) -> str:
    hint: Sequence[str] | str | None = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if hint is None:
        return "eine Angabe"
    return hint if isinstance(hint, str) else " / ".join(repr(x) for x in hint)


def _german_reason(message: str) -> str:
    if "valid integer" in message:
        return ": eine ganze Zahl angeben"
    choices = _NOT_ONE_OF.search(message)
    if choices:
        return f": erlaubt sind {choices.group('choices')}"
    return ""
