"""Rich table output for a terminal."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from slp_assess.i18n import message, pick
from slp_assess.loading import QuestionnaireCatalog
from slp_assess.models.results import FileError, ScoreResult
from slp_assess.output.interface import Record, ScoreFormat
from slp_assess.rounding import format_score

LEVEL_STYLES = {"ready": "green", "partly": "yellow", "not_ready": "red"}

HEADERS = {
    "de": ["Datei", "Partnerschaft", "Person (Seite)", "Gesamt", "Stufe", "Schwächster Faktor", "Blockaden"],
    "en": ["File", "Partnership", "Respondent (side)", "Overall", "Level", "Weakest factor", "Blockers"],
}


class TableFormat(ScoreFormat):
    """One row per file; with a single file, a second table lists every factor."""

    def __init__(self, lang: str, catalog: QuestionnaireCatalog | None = None) -> None:
        self.lang = lang
        self.catalog = catalog or QuestionnaireCatalog()

    def _level(self, result: ScoreResult, level_id: str | None) -> Text:
        if level_id is None:
            return Text(message("no_data", self.lang), style="dim")
        q = self.catalog.get(result.questionnaire.id, result.questionnaire.version)
        level = next((lv for lv in q.levels if lv.id == level_id), None) if q else None
        return Text(pick(level.label, self.lang) if level else level_id, style=LEVEL_STYLES.get(level_id, ""))

    def _factor_title(self, result: ScoreResult, factor_id: str) -> str:
        q = self.catalog.get(result.questionnaire.id, result.questionnaire.version)
        factor = next((f for _, f in q.factors() if f.id == factor_id), None) if q else None
        return pick(factor.title, self.lang) if factor else factor_id

    def write(self, records: Iterable[Record], stream: TextIO) -> None:
        """Print the tables to ``stream``."""
        console = Console(file=stream, highlight=False)
        rows = list(records)
        table = Table(*HEADERS.get(self.lang, HEADERS["en"]))
        for record in rows:
            if isinstance(record, FileError):
                # The problems themselves go to stderr, one line each, where they can be read whole.
                invalid = "ungültig, siehe Fehlermeldung" if self.lang == "de" else "invalid, see the error message"
                table.add_row(Path(record.file).name, "", "", "", Text(invalid, style="red"), "", "")
                continue
            scored = [f for f in record.factors if f.score is not None]
            weakest = min(scored, key=lambda f: f.score or 0.0) if scored else None
            table.add_row(
                Path(record.file).name,
                record.partnership,
                f"{record.respondent.name or ''} ({record.respondent.role})".strip(),
                _number(record.overall.score, self.lang),
                self._level(record, record.overall.level),
                self._factor_title(record, weakest.id) if weakest else "",
                str(len(record.overall.blockers)) if record.overall.blockers else "",
            )
        console.print(table)
        results = [r for r in rows if isinstance(r, ScoreResult)]
        if len(rows) == 1 and results:
            self._factor_table(console, results[0])
            for blocker in results[0].overall.blockers:
                label = "Blockade" if self.lang == "de" else "Blocker"
                console.print(Text(f"{label}: {blocker.item}", style="bold red"))

    def _factor_table(self, console: Console, result: ScoreResult) -> None:
        headers = ("Faktor", "Punkte", "Stufe", "Bewertet") if self.lang == "de" else ("Factor", "Score", "Level", "Scored")
        table = Table(*headers)
        for factor in result.factors:
            table.add_row(
                self._factor_title(result, factor.id),
                _number(factor.score, self.lang),
                self._level(result, factor.level),
                f"{factor.scored}/{factor.items}",
            )
        console.print(table)


def _number(value: float | None, lang: str) -> str:
    return format_score(value, lang)
