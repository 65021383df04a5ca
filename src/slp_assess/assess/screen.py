"""The workshop screen: rich panels and tables, readable at 60 columns and on a projector.

Everything a participant reads is taken from the questionnaire or from ``i18n.MESSAGES`` in the
session's language. Colour only ever repeats what the text already says, so ``NO_COLOR`` and
black-and-white projectors lose nothing. Names, notes and questionnaire texts reach rich only as
``Text`` (never parsed as markup) and with control characters shown as escapes, so no typed or
loaded string can change the screen (``slp_assess.terminal``).
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

from rich import box
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from slp_assess.assess.invocation import command
from slp_assess.assess.lineeditor import edits_lines, read_line
from slp_assess.assess.parsing import Invalid, Spread, option_numbers
from slp_assess.assess.session import Session, Step
from slp_assess.assess.signals import waiting_for_input
from slp_assess.assess.store import clean_text
from slp_assess.i18n import MESSAGES, message, pick
from slp_assess.models.questionnaire import NOT_APPLICABLE, Questionnaire
from slp_assess.models.report import AggregateReport, BlockerInfo
from slp_assess.output.table import LEVEL_STYLES
from slp_assess.rounding import format_score
from slp_assess.terminal import plain, print_with_command

PROMPT = "> "


def _tolerant_stdin() -> None:
    # Invalid UTF-8 typed (or piped) must not end the session: it becomes U+FFFD like the rest.
    stdin = sys.stdin
    if getattr(stdin, "errors", None) == "strict" and hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="replace")


def bar(fraction: float, width: int = 10) -> str:
    """A text bar: ``███░░░░░░░`` for 0.3; readable without colour."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def _longest_word(texts: list[str]) -> int:
    return max((len(word) for text in texts for word in text.split()), default=1)


def chunk_lines(chunks: list[str], width: int, indent: str = "") -> list[str]:
    """``chunks`` joined by `` · `` into lines of at most ``width``, broken only between chunks."""
    lines: list[str] = []
    line = ""
    for chunk in chunks:
        candidate = f"{line} · {chunk}" if line else indent + chunk
        if line and len(candidate) > max(20, width):
            lines.append(line)
            candidate = indent + chunk
        line = candidate
    return [*lines, line] if line else lines


class Screen:
    """Draws the session for one language on one console and reads typed lines from it."""

    def __init__(self, console: Console, questionnaire: Questionnaire, lang: str) -> None:
        self.console = console
        self.q = questionnaire
        self.lang = lang

    def t(self, key: str, **values: object) -> str:
        """A tool text in the session's language."""
        return message(key, self.lang, **values)

    def ask(self, prompt: str = PROMPT) -> str:
        """Read one typed line; EOFError when input ends (closed terminal, end of a pipe).

        Lone surrogates (undecodable input) come back as U+FFFD, since no answer file can hold them.
        """
        _tolerant_stdin()
        try:
            with waiting_for_input():  # where a closed terminal or SIGTERM ends the session (signals.py)
                typed = read_line(prompt) if edits_lines(self.console.file) else self.console.input(Text(prompt))
                line = clean_text(typed)
        except OSError as exc:  # a terminal that went away mid-read
            raise EOFError from exc
        if not sys.stdin.isatty():
            # Piped answers are not echoed by a terminal; show them so a transcript reads like a session.
            self.console.print(plain(line), highlight=False)
        return line

    def say(self, text: str, style: str = "") -> None:
        """One line of feedback."""
        self.console.print(plain(text, style))

    def say_command(self, text: str, command: str, style: str = "") -> None:
        """One line of feedback that ends in a command to paste, which is never broken."""
        print_with_command(self.console, text, command, style)

    def hint(self, invalid: Invalid) -> None:
        """The short hint for input that means nothing here."""
        self.say(self.t(invalid.hint, **invalid.values), "yellow")

    # -- panels ---------------------------------------------------------------------------------
    def welcome(self, session: Session, saving_to: str) -> None:
        """Title, purpose, size, keys and where answers go."""
        minutes = self.q.minutes or max(1, math.ceil(len(session.steps) * 0.75))
        body: list[Text] = [
            plain(pick(self.q.description, self.lang)),
            Text(""),
            Text(self.t("assess.size", questions=len(session.steps), minutes=minutes), style="bold"),
            *(Text(line) for line in chunk_lines(self.t("assess.keys").split(" · "), self.console.width - 4)),
        ]
        if session.group:
            names = " · ".join(s.participant.name for s in session.sheets)
            example = " ".join(str(3 + (k % 2)) for k in range(len(session.sheets)))
            body.append(plain(self.t("assess.group_order", names=names, example=example), "cyan"))
        body.append(plain(self.t("assess.saving_to", path=saving_to), "dim"))
        self.console.print(Panel(Group(*body), title=plain(pick(self.q.title, self.lang)), title_align="left"))

    def section(self, step: Step) -> None:
        """The short panel that opens a section, drawn from the paper."""
        if step.kind == "context":
            self.console.print(Panel(Text(self.t("assess.context_title")), border_style="blue"))
            return
        assert step.section is not None
        intro = pick(step.section.intro, self.lang)
        title = pick(step.section.title, self.lang)
        if intro:
            self.console.print(Panel(plain(intro), title=plain(title), title_align="left", border_style="blue"))
        else:
            self.console.print(Panel(plain(title, "bold"), border_style="blue"))

    def question(self, session: Session, step: Step) -> None:
        """Progress, factor, question, the numbered options and the answer given so far."""
        c = self.console
        c.rule(Text(f"{step.number}/{len(session.steps)}"), style="dim")
        part = pick(step.section.title, self.lang) if step.section else self.t("assess.context_title")
        progress = f"{bar(step.section_number / step.section_size)} {step.section_number}/{step.section_size}"
        c.print(Text.assemble(plain(part, "bold blue"), "  ", (progress, "blue")))
        if session.reoffering:
            c.print(Text(self.t("assess.reoffer"), style="magenta"))
        if step.item is not None:
            self._item(session, step)
        else:
            self._context(session, step)

    def _item(self, session: Session, step: Step) -> None:
        assert step.item is not None and step.factor is not None
        item = step.item
        c = self.console
        c.print(plain(f"{self.t('assess.factor')}: {pick(step.factor.title, self.lang)}", "dim"))
        text = plain(pick(item.text, self.lang), "bold")
        if item.critical:
            text.append(f"  [{self.t('assess.critical')}]", style="red")
        c.print(text)
        scale = self.q.scales[item.scale]
        options = Table.grid(padding=(0, 2))
        for number, option in zip(option_numbers(scale), scale.options, strict=True):
            options.add_row(Text(str(number), style="bold cyan"), plain(pick(option.label, self.lang)))
        if not item.required:
            options.add_row(Text("n", style="bold cyan"), plain(self.t("not_applicable")))
        c.print(options)
        if any(v is not None for v in session.values(step)):
            answer = " ".join(self._answer_label(item.scale, v) for v in session.values(step))
            c.print(plain(self.t("assess.current", answer=answer), "green"))
        for who, note in session.notes(step):
            if who is None:
                c.print(plain(self.t("assess.note_session", note=note), "green"))
            elif session.group:
                c.print(plain(self.t("assess.note_of", name=session.sheets[who].participant.name, note=note), "green"))
            else:
                c.print(plain(self.t("assess.note", note=note), "green"))
        if session.group:
            names = " · ".join(s.participant.name for s in session.sheets)
            c.print(plain(names, "cyan"))
        self.keys(self.t("assess.keys_short").split(" · "))

    def keys(self, chunks: list[str], indent: str = "", style: str = "dim") -> None:
        """Short chunks joined by `` · ``, wrapped only between chunks so that no key is parted from its word."""
        for line in chunk_lines(chunks, self.console.width, indent):
            self.console.print(plain(line, style))

    def _answer_label(self, scale_id: str, value: str | None) -> str:
        if value is None:
            return "-"
        if value == NOT_APPLICABLE:
            return f"n ({self.t('not_applicable')})"
        scale = self.q.scales[scale_id]
        number, option = next((n, o) for n, o in zip(option_numbers(scale), scale.options, strict=True) if o.key == value)
        return f"{number} ({pick(option.label, self.lang)})"

    def _context(self, session: Session, step: Step) -> None:
        assert step.question is not None
        question = step.question
        c = self.console
        c.print(plain(pick(question.text, self.lang), "bold"))
        if question.type == "text":
            c.print(Text(self.t("assess.free_text"), style="dim"))
        else:
            options = Table.grid(padding=(0, 2))
            for number, option in enumerate(question.options, start=1):
                options.add_row(Text(str(number), style="bold cyan"), plain(pick(option.label, self.lang)))
            c.print(options)
            if question.type == "multiple_choice":
                c.print(Text(self.t("assess.several"), style="dim"))
        current = session.sheets[0].context.get(step.id)
        if current is not None:
            answer = ", ".join(current) if isinstance(current, list) else current
            c.print(plain(self.t("assess.current", answer=answer), "green"))
        self.keys(self.t("assess.keys_context").split(" · "))

    def help(self, step: Step) -> None:
        """Help text and the passage of the paper the question derives from."""
        source = step.item or step.question
        assert source is not None
        body = [plain(pick(source.help, self.lang) or self.t("assess.no_help"))]
        if step.item is not None:
            body += [Text(""), Text(f"{self.t('assess.source')}:", style="bold"), plain(step.item.source, "italic")]
        self.console.print(Panel(Group(*body), border_style="cyan"))

    def spread(self, step: Step, spread: Spread) -> None:
        """A group's answers at a glance: a mini histogram, the range, and a flag when far apart."""
        assert step.item is not None
        scale = self.q.scales[step.item.scale]
        peak = max(spread.counts) or 1
        histogram = Table.grid(padding=(0, 1))
        for number, option, count in zip(option_numbers(scale), scale.options, spread.counts, strict=True):
            label = pick(option.label, self.lang)
            histogram.add_row(Text(str(number), style="bold"), Text("■" * count + " " * (peak - count), style="cyan"), Text(str(count)), plain(label, "dim"))
        facts = []
        if spread.low is not None:
            facts.append(self.t("assess.spread", low=spread.low, high=spread.high))
        if spread.not_applicable:
            facts.append(self.t("assess.spread_na", count=spread.not_applicable))
        if spread.missing:
            facts.append(self.t("assess.spread_missing", count=spread.missing))
        body: list[Table | Text] = [histogram, Text(" · ".join(facts))]
        if spread.disagreement:
            body.append(Text(self.t("assess.disagree"), style="bold yellow"))
        self.console.print(Panel(Group(*body), border_style="yellow" if spread.disagreement else "dim"))

    # -- the end --------------------------------------------------------------------------------
    def summary(self, session: Session, report: AggregateReport, paths: list[Path]) -> None:
        """Overall score and level, the prioritised short list, factors with bars and levels, blockers."""
        c = self.console
        c.rule(self.t("assess.summary"))
        c.print(self.t("assess.answered", done=session.answered_count(), total=len(session.steps)))
        overall = report.overall
        score = format_score(overall.score, self.lang)
        headline = Text(self.t("assess.overall", score=score, level=self._level(overall.level).plain), style="bold")
        headline.stylize(LEVEL_STYLES.get(overall.level or "", ""))
        c.print(Panel(headline))
        self._priorities(report)
        if report.respondent_count > 1:
            self._group_view(report)
        else:
            self._factors(report)
        if overall.blockers:
            c.print(Text(self.t("assess.blockers"), style="bold red"))
            for blocker in overall.blockers:
                c.print(plain(f"• {blocker.text}"))
                if report.respondent_count > 1:
                    c.print(plain(f"  {self._blocker_evidence(blocker)}", "red"))
        for path in paths:
            scoring = command("score", path)
            self.say_command(self.t("assess.result_file", path=path, command=scoring), scoring, "dim")

    def _level(self, level_id: str | None) -> Text:
        if level_id is None:
            return Text(message("no_data", self.lang), style="dim")
        level = next((lv for lv in self.q.levels if lv.id == level_id), None)
        return plain(pick(level.label, self.lang) if level else level_id, style=LEVEL_STYLES.get(level_id, ""))

    def _priorities(self, report: AggregateReport) -> None:
        if not report.priorities:
            return
        c = self.console
        c.print(Text(self.t("assess.priorities"), style="bold"))
        # A grid keeps every wrapped line of an entry indented under its text, not under its number.
        grid = Table.grid(padding=(0, 1))
        grid.add_column(no_wrap=True)
        grid.add_column()
        for p in report.priorities:
            body = Text.assemble(plain(p.factor_title, "bold"), f" ({format_score(p.score, self.lang)})")
            for b in p.blockers:
                body.append("\n")
                body.append_text(plain(f"– {b.text} ({format_score(b.score, self.lang)} %)", "red"))
            if p.recommendation:
                body.append("\n")
                body.append_text(plain(p.recommendation.text))
            grid.add_row(f"{p.rank}.", body)
        c.print(grid)

    def _factors(self, report: AggregateReport) -> None:
        factors = report.factors()
        levels = [self._level(f.level).plain for f in factors]
        # Columns never narrower than their longest word, so that rich wraps between words and never inside one.
        table = Table(box=box.SQUARE if self.console.width >= 70 else box.SIMPLE_HEAD, padding=(0, 1))
        table.add_column(self.t("assess.col.factor"), min_width=_longest_word([f.title for f in factors]))
        table.add_column("", no_wrap=True)
        table.add_column(self.t("assess.col.score"), no_wrap=True)
        table.add_column(self.t("assess.col.level"), min_width=_longest_word(levels))
        table.add_column(self.t("assess.col.scored"), no_wrap=True)
        for factor in factors:
            title = plain(factor.title)
            if not factor.due:
                title.append(f" ({self.t('assess.not_due')})", style="dim")
            scored = sum(1 for i in factor.items if i.score is not None)
            table.add_row(
                title,
                Text(bar((factor.score or 0) / 100, 8), style=LEVEL_STYLES.get(factor.level or "", "dim")),
                format_score(factor.score, self.lang),
                self._level(factor.level),
                f"{scored}/{len(factor.items)}",
            )
        self.console.print(table)

    def _short_side(self, side: str) -> str:
        key = f"role_short.{side}"
        return self.t(key) if key in MESSAGES else side

    def _group_view(self, report: AggregateReport) -> None:
        """Per factor the group's mean, each side's mean and the gap; then gaps and single voices.

        One short block per factor rather than a wide table, so that it reads the same at 60
        columns as on a projector and no word is ever cut.
        """
        c = self.console
        c.rule(self.t("assess.group_view"))
        for side in report.roles:
            names = ", ".join(r.label for r in report.respondents if r.role == side.role)
            c.print(plain(self.t("assess.side_people", side=self._short_side(side.role), n=side.n, names=names)))
        for factor in report.factors():
            title = plain(factor.title, "bold")
            if not factor.due:
                title.append(f" ({self.t('assess.not_due')})", style="dim")
            title.append(" – ")
            title.append_text(self._level(factor.level))
            c.print(title)
            parts = [self.t("assess.mean", score=format_score(factor.score, self.lang))]
            parts += [
                self.t("assess.side_mean", side=self._short_side(g.role), score=format_score(g.score, self.lang))
                + ("¹" if g.single_voice else "")
                for g in factor.groups
            ]
            if factor.gap is not None:
                parts.append(self.t("assess.gap_points", points=format_score(factor.gap.points, self.lang)) + (" !" if factor.gap.flagged else ""))
            self.keys(parts, indent="  ", style="")
        gaps = report.summary.gaps
        c.print(Text(self.t("assess.gaps"), style="bold yellow"))
        if not gaps and not report.summary.critical_gaps:
            c.print(plain(self.t("assess.no_gaps")))
        for gap in gaps:
            c.print(plain("• " + self.t(
                "assess.gap_line", factor=gap.title, points=format_score(gap.points, self.lang),
                low=self._short_side(gap.low.role), low_score=format_score(gap.low.score, self.lang),
                high=self._short_side(gap.high.role), high_score=format_score(gap.high.score, self.lang),
            )))
        # A key requirement's gap between partner sides, single voices included (``aggregate.critical_sides``).
        for critical in report.summary.critical_gaps:
            if critical.low is None or critical.high is None:
                continue
            c.print(plain("• " + self.t(
                "assess.critical_gap_line", item=critical.text, points=format_score(critical.points, self.lang),
                low=self._short_side(critical.low.role), low_score=format_score(critical.low.score, self.lang),
                high=self._short_side(critical.high.role), high_score=format_score(critical.high.score, self.lang),
            )))
        single = [g for g in report.groups if g.single_voice]
        # A side of two may have one voice on a factor (the other left it blank): its ¹ needs the key too.
        marked = any(g.single_voice for factor in report.factors() for g in factor.groups)
        if single or marked:
            c.print(Text(self.t("assess.single_voices"), style="bold"))
            for g in single:
                names = ", ".join(r.label for r in report.respondents if r.role == g.role)
                c.print(plain(f"¹ {self.t('assess.single_voice_line', side=self._short_side(g.role), names=names)}"))

    def _blocker_evidence(self, blocker: BlockerInfo) -> str:
        if blocker.sides:
            sides = ", ".join(f"{self._short_side(s.role)} {format_score(s.score, self.lang)} %" for s in blocker.sides)
            return self.t("assess.blocker_sides", sides=sides)
        return self.t("assess.blocker_all", score=format_score(blocker.score, self.lang))
