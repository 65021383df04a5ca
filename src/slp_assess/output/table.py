"""Rich table output for a terminal.

Every text from a file (names, notes, file names, questionnaire texts) goes in as ``rich.text.Text``,
never as markup, so ``[entwurf]`` stays visible and ``[/]`` or ``[link=…]`` do nothing; control
characters are shown as ``\\x1b``, so a name cannot send escape sequences to the terminal. Columns wrap
their text and fold a word only when nothing else fits (see ``fit``); nothing is cut off with "…".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.text import Text

from slp_assess.i18n import message, pick, side_label
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.questionnaire import Questionnaire
from slp_assess.models.results import Blocker, FileError, ScoreResult
from slp_assess.output.distinct import distinct_names, short_paths
from slp_assess.output.fit import Spec, fitted_table
from slp_assess.output.interface import EncodedRecord, Record, ScoreFormat
from slp_assess.rounding import format_score
from slp_assess.terminal import plain

LEVEL_STYLES = {"ready": "green", "partly": "yellow", "not_ready": "red"}

HEADERS = {
    lang: [*first, message("score.not_met", lang)] for lang, first in {
        "de": ["Datei", "Partnerschaft", "Person (Seite)", "Gesamt", "Stufe", "Schwächster Faktor"],
        "en": ["File", "Partnership", "Respondent (side)", "Overall", "Level", "Weakest factor"],
    }.items()
}
QUESTIONNAIRE_HEADER = {"de": "Fragebogen", "en": "Questionnaire"}
FACTOR_HEADERS = {"de": ["Faktor", "Punkte", "Stufe", "Bewertet"], "en": ["Factor", "Score", "Level", "Scored"]}
TEXTS = {
    "invalid": {"de": "ungültig, siehe Fehlermeldung", "en": "invalid, see the error message"},
    "blocker": {"de": "Nicht erfüllte Kernanforderung", "en": "Key requirement not met"},
}


def files_shown(files: Iterable[str]) -> dict[str, str]:
    """Each file as the table shows it: the bare name, or as much of its path as tells it apart."""
    short = short_paths(files)
    shown = distinct_names(short.values())
    return {file: shown[name] for file, name in short.items()}


def user_text(value: str, style: str = "") -> Text:
    """A string from a file as plain terminal text: no markup, control and bidi characters made visible."""
    return plain(value, style)


class TableFormat(ScoreFormat):
    """One row per file; with a single file, a second table lists every factor, then the blockers."""

    def __init__(self, lang: str, catalog: QuestionnaireCatalog | None = None) -> None:
        self.lang = lang
        self.catalog = catalog or QuestionnaireCatalog()
        # How the rows being written show their files and names (see ``output.distinct``).
        self._files: dict[str, str] = {}
        self._names: dict[str, str] = {}

    def _text(self, key: str) -> str:
        return TEXTS[key].get(self.lang, TEXTS[key]["en"])

    def _questionnaire(self, result: ScoreResult) -> Questionnaire | None:
        return self.catalog.get(result.questionnaire.id, result.questionnaire.version)

    def _level(self, result: ScoreResult, level_id: str | None) -> Text:
        if level_id is None:
            return Text(message("no_data", self.lang), style="dim")
        q = self._questionnaire(result)
        level = next((lv for lv in q.levels if lv.id == level_id), None) if q else None
        return user_text(pick(level.label, self.lang) if level else level_id, style=LEVEL_STYLES.get(level_id, ""))

    def _factor_title(self, result: ScoreResult, factor_id: str) -> str:
        q = self._questionnaire(result)
        factor = next((f for _, f in q.factors() if f.id == factor_id), None) if q else None
        return pick(factor.title, self.lang) if factor else factor_id

    def _blocker_line(self, result: ScoreResult, blocker: Blocker) -> Text:
        q = self._questionnaire(result)
        item = q.item_index().get(blocker.item) if q else None
        detail = [f"{format_score(blocker.score, self.lang)} %", *(side_label(s, self.lang) for s in blocker.sides)]
        line = Text(f"{self._text('blocker')}: ", style="bold red")
        line.append(user_text(pick(item.text, self.lang) if item else blocker.item))
        line.append(f" ({', '.join(detail)})")
        return line

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Print the tables to ``stream``."""
        console = Console(file=stream, highlight=False)
        rows = list(records)
        results = [r for r in rows if isinstance(r, ScoreResult)]
        headers = HEADERS.get(self.lang, HEADERS["en"])
        # One partnership (a single file, a partnership's folder) is named once above the table.
        partnerships = {r.partnership for r in results}
        shared = partnerships.pop() if len(partnerships) == 1 and len(results) == len(rows) else None
        specs = [
            Spec(headers[0]), Spec(headers[1]), Spec(QUESTIONNAIRE_HEADER.get(self.lang, QUESTIONNAIRE_HEADER["en"])),
            Spec(headers[2]), Spec(headers[3], numeric=True), Spec(headers[4], keep_words=True), Spec(headers[5]),
            Spec(headers[6], numeric=True),
        ]
        self._files = files_shown(r.file for r in rows)
        self._names = distinct_names([*(r.partnership for r in results), *(r.respondent.name for r in results if r.respondent.name)])
        cells = [self._row(record) for record in rows]
        # The questionnaire only where rows of two or more meet (a partnership's quick check and full
        # assessment in one folder would otherwise be two rows that look alike); the partnership only
        # where it is not named above the table.
        dropped = {2} if len({(r.questionnaire.id, r.questionnaire.version) for r in results}) < 2 else set()
        if shared is not None:
            dropped.add(1)
        specs = [spec for i, spec in enumerate(specs) if i not in dropped]
        cells = [[cell for i, cell in enumerate(row) if i not in dropped] for row in cells]
        title = Text(f"{headers[1]}: ").append(user_text(self._names[shared])) if shared is not None else None
        console.print(fitted_table(console, specs, cells, title))
        if len(rows) == 1 and results:
            self._factor_table(console, results[0])
            for blocker in results[0].overall.blockers:
                console.print(self._blocker_line(results[0], blocker))

    def _row(self, record: Record) -> list[Text]:
        if isinstance(record, FileError):
            # The problems themselves go to stderr, one line each, where they can be read whole.
            return [user_text(self._files[record.file]), Text(), Text(), Text(), Text(), Text(self._text("invalid"), style="red"),
                    Text(), Text()]
        assert not isinstance(record, EncodedRecord)  # the table does not accept them
        scored = [f for f in record.factors if f.score is not None]
        weakest = min(scored, key=lambda f: f.score or 0.0) if scored else None
        return [
            user_text(self._files[record.file]),
            user_text(self._names[record.partnership]),
            user_text(f"{record.questionnaire.id} {record.questionnaire.version}"),
            user_text(self._person(record)),
            Text(format_score(record.overall.score, self.lang)),
            self._level(record, record.overall.level),
            user_text(self._factor_title(record, weakest.id)) if weakest else Text(),
            Text(str(len(record.overall.blockers)) if record.overall.blockers else ""),
        ]

    def _person(self, record: ScoreResult) -> str:
        """``name (side)``; a partnership's row has its respondents' sides (``stadt+landkreis``), each as a word,
        and how many answered more than once (``PartnershipScore.repeated_respondents``)."""
        sides = "+".join(side_label(side, self.lang) for side in record.respondent.role.split("+"))
        person = f"{self._names[record.respondent.name]} ({sides})" if record.respondent.name else f"({sides})"
        if repeated := getattr(record, "repeated_respondents", 0):
            person += f"; {message('score.repeated_short', self.lang, n=repeated)}"
        return person

    def _factor_table(self, console: Console, result: ScoreResult) -> None:
        headers = FACTOR_HEADERS.get(self.lang, FACTOR_HEADERS["en"])
        specs = [Spec(headers[0]), Spec(headers[1], numeric=True), Spec(headers[2], keep_words=True), Spec(headers[3], numeric=True)]
        cells = [
            [
                user_text(self._factor_title(result, factor.id)), Text(format_score(factor.score, self.lang)),
                self._level(result, factor.level), Text(f"{factor.scored}/{factor.items}"),
            ]
            for factor in result.factors
        ]
        console.print(fitted_table(console, specs, cells))


