"""`slp questionnaires`: list the bundled (and given) questionnaires, or show one's structure."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from typer.core import TyperGroup

from slp_assess.cli.app import app
from slp_assess.oneline import quoted

if TYPE_CHECKING:
    from rich.tree import Tree

    from slp_assess.models.questionnaire import Questionnaire



class _FilesOrSubcommand(TyperGroup):
    """A group whose own FILE... argument would swallow `show`: the files end where a subcommand name stands.

    `slp questionnaires [FILE]... show ID` (the usage line click prints) gives the files to `show`,
    which then finds ``ID`` among them as among the bundled questionnaires.
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]  # typer passes its Context
        """Route `show ...` to the subcommand, the FILE arguments before it to the group."""
        ctx.allow_interspersed_args = True  # `slp questionnaires FILE --format json`
        at = self._subcommand_at(args)
        if at is None:
            return super().parse_args(ctx, args)
        super().parse_args(ctx, args[:at])
        ctx._protected_args, ctx.args = args[at:at + 1], args[at + 1:]
        return ctx.args

    def _subcommand_at(self, args: list[str]) -> int | None:
        for index, arg in enumerate(args):
            if arg == "--":
                return None
            if arg in self.commands and (index == 0 or args[index - 1] not in _VALUE_OPTIONS):
                return index
        return None


# The group's options that take a value: the word after them is that value, never a subcommand.
_VALUE_OPTIONS = ("--format", "-f")
# Where the list's FILE arguments wait for `show`: ``ctx.meta`` is shared by a context and its children.
_GIVEN_FILES = "slp_assess.questionnaires.files"
# The group's --lang (`slp questionnaires --lang en show ID`), for `show` when it has none of its own.
_GIVEN_LANG = "slp_assess.questionnaires.lang"


questionnaires_app = typer.Typer(cls=_FilesOrSubcommand, help="List questionnaires, or show one's structure.", no_args_is_help=False)
app.add_typer(questionnaires_app, name="questionnaires")


class ListFormat(StrEnum):
    """Output of the list."""

    TABLE = "table"
    JSON = "json"


_COLUMNS = ("id", "version", "languages", "items", "factors", "minutes", "source")


def _row(q: Questionnaire, source: str) -> dict[str, object]:
    return {
        "id": q.id,
        "version": q.version,
        "languages": list(q.languages),
        "items": len(q.items()),
        "factors": len(q.factors()),
        "minutes": q.minutes,
        "source": source,
    }


@questionnaires_app.callback(invoke_without_command=True)
def list_questionnaires(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(None, metavar="FILE", help="Questionnaire files to list besides the bundled ones."),
    output_format: ListFormat = typer.Option(ListFormat.TABLE, "--format", "-f", metavar="FORMAT", help="table or json."),
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", metavar="LANG", help="Language of the table: de or en; default: German."),
) -> None:
    """List bundled and given questionnaires: id, version, languages, items, factors, minutes.

    `slp questionnaires show ID_OR_PATH` prints one questionnaire's structure; `slp questionnaires
    FILE... show ID` finds ID among the given files too.
    """
    from slp_assess.i18n import check_language, message

    if lang is not None:
        check_language(lang)
    if ctx.invoked_subcommand is not None:
        ctx.meta[_GIVEN_FILES] = list(files or [])
        ctx.meta[_GIVEN_LANG] = lang
        return
    from slp_assess.loading import load_questionnaire_file
    from slp_assess.resources import bundled_questionnaires

    rows = [_row(load_questionnaire_file(path), "bundled") for path in bundled_questionnaires().values()]
    rows += [_row(load_questionnaire_file(path), str(path)) for path in files or []]
    if output_format is ListFormat.JSON:  # for programs: keys and "bundled" as they are in every language
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    from slp_assess.cli.app import status_language
    from slp_assess.terminal import plain

    language = status_language(lang)
    table = Table(show_edge=False)
    for column in _COLUMNS:
        # An id cut short ("slp-quickc…") cannot be typed back: the other columns wrap instead.
        table.add_column(message(f"questionnaires.{column}", language), no_wrap=column in ("id", "version"))
    bundled = message("questionnaires.bundled", language)
    for row in rows:
        table.add_row(
            plain(row["id"]), plain(row["version"]), plain(", ".join(row["languages"])),  # type: ignore[arg-type]
            str(row["items"]), str(row["factors"]), "" if row["minutes"] is None else str(row["minutes"]),
            bundled if row["source"] == "bundled" else plain(row["source"]),
        )
    Console(highlight=False).print(table)


@questionnaires_app.command("show")
def show(
    ctx: typer.Context,
    questionnaire: str = typer.Argument(..., metavar="ID_OR_PATH", help="Bundled questionnaire id or a questionnaire file."),
    lang: str | None = typer.Option(None, "--lang", envvar="SLP_LANG", metavar="LANG", help="de or en; default: the questionnaire's default language."),
) -> None:
    """Print a questionnaire's structure: sections, factors, items with scale and markers.

    ID_OR_PATH is a bundled id (`slp-readiness`, `slp-readiness@1.0`), a questionnaire file, or the id
    of a file given before `show` (`slp questionnaires FILE show ID`).

    Markers after an item: key requirement (Kernanforderung: caps the level when it scores low),
    reverse (umgepolt: a negative statement), required (Pflichtfrage: n/a not accepted).
    """
    from rich.console import Console

    from slp_assess.errors import UsageError
    from slp_assess.i18n import check_language
    from slp_assess.loading import QuestionnaireCatalog, load_questionnaire

    if lang is not None:
        check_language(lang)
    given = QuestionnaireCatalog.with_files(ctx.meta.get(_GIVEN_FILES, []))
    q = given.get(questionnaire) or load_questionnaire(questionnaire)
    language = lang or ctx.meta.get(_GIVEN_LANG) or q.default_language
    if language not in q.languages:
        raise UsageError(f"questionnaire {quoted(q.id)} has no language {quoted(language)}: use one of {', '.join(q.languages)}")
    Console(highlight=False).print(structure_tree(q, language))


def structure_tree(q: Questionnaire, lang: str) -> Tree:
    """The questionnaire as a rich tree: sections -> factors -> items.

    Every text from the file goes in as plain Text, so ``[...]`` in a title is shown, not parsed.
    """
    from rich.text import Text
    from rich.tree import Tree

    from slp_assess.i18n import message, pick
    from slp_assess.terminal import plain

    minutes = f", {q.minutes} min" if q.minutes else ""
    root = Tree(Text.assemble(plain(pick(q.title, lang), "bold"), plain(f" ({q.id} {q.version}{minutes})")))
    for section in q.sections:
        branch = root.add(Text.assemble(plain(pick(section.title, lang), "bold"), " ", plain(section.id, "dim")))
        for factor in section.factors:
            weight = f" ×{factor.weight:g}" if factor.weight != 1 else ""
            leaf = branch.add(Text.assemble(plain(pick(factor.title, lang) + weight), " ", plain(factor.id, "dim")))
            for item in factor.items:
                line = plain(pick(item.text, lang))
                for name, style, on in (
                    ("critical", "red", item.critical), ("reverse", "yellow", item.reverse), ("required", "cyan", item.required),
                ):
                    if on:
                        line.append(f" [{message(f'questionnaires.{name}', lang)}]", style=style)
                keys = "/".join(o.key for o in q.scales[item.scale].options)
                line.append_text(plain(f" {item.id} · {item.scale} ({keys})", "dim"))
                leaf.add(line)
    if q.context:
        context = root.add(Text(message("questionnaires.context", lang), style="bold"))
        for question in q.context:
            context.add(Text.assemble(plain(pick(question.text, lang)), " ", plain(f"{question.id} · {question.type}", "dim")))
    return root
