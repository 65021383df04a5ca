"""A seeded random player of `slp assess` in a real pseudo-terminal, checked against ``assess_model``.

One game is one workshop: a new session (one person or a group, German or English), then runs of
the program that each end at random: ``q``, Ctrl-C, SIGTERM, SIGHUP or the end of input, at a
question, at the note prompts or half-way through typing a line; then ``--resume``, until the
questionnaire is done or the game's runs are used up. In each run the player types answers, changes
earlier ones with ``b``, says "cannot judge", skips, asks for help, types lines that mean nothing
and notes of every kind (German, quotes, YAML's special characters, leading blanks, very long ones).

Every line is sent only after its prompt is on the screen, and the next is awaited by what the
screen must show (the question's number, the confirmation of a note), so nothing depends on timing.
After each run the answer files (and a group's ``slp-workshop.json``) must hold exactly what the
model says, `slp validate` must accept them and `slp score` must count and score what was answered;
a German run must not print a word that exists only in the tool's English texts.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pexpect
import yaml
from typer.testing import CliRunner

from assess_model import NOT_APPLICABLE, Person, Questionnaire, Record, StepSpec
from pty_support import screen_text, spawn_assess
from slp_assess.cli import app
from slp_assess.i18n import MESSAGES, message

PROMPT = re.compile(r"\r\n(?:\x1b\[[0-9;]*m)*> ")
# Commands at every question (README): a context answer typed as one of these is the command.
COMMANDS = {"?", "b", "s", "+", "q"}
ROLES = {"stadt": "stadt", "land": "land", "Landkreis": "landkreis", "gemeinde": "gemeinde", "sonstige": "other", "other": "other"}

# Pieces of notes and names: German, quotes, YAML's indicators and words it reads as something else,
# rich markup, scripts of other languages, combining marks, Unicode line breaks and invisible marks.
PIECES = (
    "Kreistag", "Bürgermeisterin", "Straße", "Öffnungszeiten", "„Zitat“", '"Anführung"', "'einfach'", "geht's", "Schlüssel: Wert",
    "# kein Kommentar", "- Punkt", "{a: b}", "[x, y]", "| Block", "a>b", "&Anker", "*Alias", "!tag", "%YAML", "@Rathaus",
    "`Tick`", "Rück\\strich", "yes", "no", "null", "~", "true", "3", "n/a", "q", "+", "?", "1.0", "0x1F", "2024-01-01",
    "[bold]rich[/bold]", "[/]", "🙂", "中文", "שלום", "e\u0301", "\u00a0", "\u2028", "\u0085", "\ufeff", "\ufffe",
    "\u202e", "\t", "---", "...", "<b>x</b>", ":", "#", "- ", "{", "}", "|", "'", '"', ",", ";", "  ", "€ 12,50",
)
NAME_PIECES = ("Anna", "Jan", "Eva", "Öz", "Dr.", "Müller-Lüdenscheidt", "O'Neil", '"Kim"', "#1", "{x}", "[b]", "Zoë", "李")


def words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"[^\W\d_]+", text)}


# Words of the tool's English texts that no German text has (nor a questionnaire's German).
ENGLISH_ONLY = (
    set().union(*(words(t["en"]) for t in MESSAGES.values() if "en" in t))
    - set().union(*(words(t["de"]) for t in MESSAGES.values() if "de" in t))
) | {"traceback", "error", "aborted", "usage", "exception"}


def hostile_text(rng: random.Random, long: bool = False) -> str:
    """A line of note text; never with a blank (or the line's edge) on either side of '>', where it could look
    like the prompt at the start of a line of the screen."""
    count = rng.randint(150, 900) if long else rng.randint(1, 6)
    text = "".join(rng.choice(PIECES) + rng.choice(("", " ", " ", "")) for _ in range(count))
    if rng.random() < 0.2:
        text = " " * rng.randint(1, 3) + text
    return re.sub(r">(?=\s|$)", ">x", re.sub(r"(^|\s)>", r"\1x>", text))


def context_text(rng: random.Random) -> str:
    while True:
        text = hostile_text(rng)
        if text.strip() and text.strip().lower() not in COMMANDS:
            return text


@dataclass
class Run:
    """One run of the program: what was typed, what the screen showed, how it ended."""

    language: str
    group: bool
    log: io.StringIO = field(default_factory=io.StringIO)
    typed: list[str] = field(default_factory=list)
    ending: str = "still running"

    def __str__(self) -> str:
        return f"{self.language}, {'group' if self.group else 'one person'}, ended by {self.ending}; typed {self.typed!r}"


class Defect(AssertionError):
    """What the program did differs from the model."""


@dataclass
class Game:
    """One workshop played at random from a seed."""

    q: Questionnaire
    seed: int
    folder: Path
    rng: random.Random = field(init=False)
    record: Record | None = field(init=False, default=None)
    target: Path = field(init=False)
    runs: list[Run] = field(init=False, default_factory=list)
    columns: int = field(init=False)
    # Everything typed in the game, half-typed lines too: a later run shows notes typed in an earlier one.
    typed: list[str] = field(init=False, default_factory=list)
    # What the game went through (endings, moves, kinds of notes), to show what a set of seeds covers.
    covered: set[str] = field(init=False, default_factory=set)
    # A race (an answer and at once the end) is won by the answer or by the end, as the machine's timing
    # has it; what follows would depend on which. The game ends there, so that a seed always plays the same.
    raced: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.columns = self.rng.choice((60, 80, 100, 160))

    # -- the whole game --------------------------------------------------------------------------
    def play(self) -> None:
        """A new session, then resumed ones, until it is complete or the game's runs are used up."""
        group = self.rng.random() < 0.45
        language = self.rng.choice(("de", "en"))
        self.covered.add("group" if group else "one person")
        for _ in range(self.rng.randint(1, 5)):
            self.covered.add(language)
            ending = self._run(group, language)
            self.covered.add(f"ended by {ending}")
            if ending == "complete" or self.raced:
                return
            if self.record is not None and self.rng.random() < 0.15:  # resumed in the other language
                language = "en" if language == "de" else "de"
                self.covered.add("resumed in the other language")

    def transcript(self) -> str:
        """Every run, and the end of the last one's screen: what a failure report needs."""
        runs = "\n".join(f"run {n}: {run}" for n, run in enumerate(self.runs, start=1))
        screen = screen_text(self.runs[-1].log.getvalue())[-2500:] if self.runs else ""
        return f"{runs}\n--- the last screen:\n{screen}"

    def _run(self, group: bool, language: str) -> str:
        run = Run(language, group)
        self.runs.append(run)
        if self.record is None:
            child, record = self._start_new(run, group, language)
        else:
            child, record = self._start_resumed(run, language)
        if child is None:
            run.ending = "an interruption before the first question"
            self._check_files()
            if language == "de":
                self._check_german(run)
            return run.ending
        try:
            run.ending, alternative = self._play_run(child, record, run)
        finally:
            if child.isalive():
                child.terminate(force=True)
        self.raced = alternative is not None
        self.record = self._settle(record, alternative)
        self._check_files()
        if language == "de" and run.ending != "closed":
            self._check_german(run)
        return run.ending

    # -- starting a run ----------------------------------------------------------------------------
    def _spawn(self, run: Run, args: list[str]) -> pexpect.spawn:
        child = spawn_assess([str(self.q.path), *args], self.folder, run.log, self.columns)
        child.delaybeforesend = None  # every line waits for its prompt instead
        return child

    def _start_new(self, run: Run, group: bool, language: str) -> tuple[pexpect.spawn | None, Record]:
        rng = self.rng
        args = ["--lang", language] if language == "en" or rng.random() < 0.7 else []
        partnership = None if rng.random() < 0.3 else hostile_name(rng)
        if partnership is not None:
            args += ["--partnership", partnership]
        if group:
            people = self._group_people()
            spec = ",".join(f"{name}:{role}" for name, role in people)
            args += ["--participants", spec, "--out", "ws"]
            self.target = self.folder / "ws"
            persons = [Person(name.strip(), ROLES[role]) for name, role in people]
        else:
            name = None if rng.random() < 0.3 else hostile_name(rng)
            role = None if rng.random() < 0.3 else rng.choice(list(ROLES))
            args += ["--out", "answers.yaml"]
            args += ["--respondent", name] if name is not None else []
            args += ["--role", role] if role is not None else []
            self.target = self.folder / "answers.yaml"
            persons = [Person(name or "", ROLES[role] if role else "")]
        child = self._spawn(run, args)
        prompts = []
        if partnership is None:
            prompts.append(("assess.prompt.partnership", "partnership"))
        if not group and not persons[0].name:
            prompts.append(("assess.prompt.respondent", "name"))
        if not group and not persons[0].role:
            prompts.append(("assess.prompt.role", "role"))
        for key, what in prompts:
            self.covered.add(f"typed at {key}")
            self._expect_named_prompt(child, message(key, language) + ": ")
            if rng.random() < 0.05:
                self._interrupt(child, run, rng.choice(("intr", "term", "hup")), before_first=True)
                return None, Record(self.q, persons, "", language)
            if what == "role":
                typed = rng.choice(list(ROLES))
                persons[0].role = ROLES[typed]
            else:
                typed = hostile_name(rng)
                if what == "name":
                    persons[0].name = typed.strip()
                else:
                    partnership = typed.strip()
            self._send(child, run, typed)
        record = Record(self.q, persons, partnership or "", language)
        record.start()
        self._expect_question(self._wait(child), record)
        return child, record

    def _group_people(self) -> list[tuple[str, str]]:
        people: list[tuple[str, str]] = []
        while len(people) < self.rng.randint(2, 4):
            name = hostile_name(self.rng, group=True)
            if name.strip() and all(n.strip() != name.strip() for n, _ in people):
                people.append((name, self.rng.choice(list(ROLES))))
        return people

    def _start_resumed(self, run: Run, language: str) -> tuple[pexpect.spawn, Record]:
        assert self.record is not None
        record = self.record.clone()
        args = ["--resume", self.target.name]
        if language != record.language or self.rng.random() < 0.3:
            args += ["--lang", language]
        record.language = language
        record.start()
        child = self._spawn(run, args)
        text = self._expect_prompt_or_end(child, record)
        resumed = message("assess.resumed", language, done=record.answered_count(), total=len(self.q.steps))
        if resumed not in " ".join(text.split()):
            raise Defect(f"the resumed session does not say {resumed!r}")
        return child, record

    # -- one run -----------------------------------------------------------------------------------
    def _play_run(self, child: pexpect.spawn, record: Record, run: Run) -> tuple[str, Record | None]:
        """Actions until the run ends; returns how it ended and, after a race, the record had the line counted."""
        rng = self.rng
        if record.current is None:  # resumed when nothing was left open: the result, and the end
            return "complete", None
        for _ in range(rng.randint(1, 25)):
            step = record.current
            assert step is not None
            if record.reoffering:
                self.covered.add("a skipped question offered again")
            roll = rng.random()
            if roll < 0.04:
                return self._quit(child, record, run), None
            if roll < 0.10:
                ending = rng.choice(("intr", "term", "hup", "eof", "closed"))
                if rng.random() < 0.4 and ending != "eof":
                    self._type_half(child, hostile_text(rng))  # half a line typed, never confirmed
                return self._interrupt(child, run, ending), None
            if roll < 0.13 and step.kind == "item":
                self.covered.add("an answer and at once the end")
                return self._race(child, record, run)
            if roll < 0.25 and step.kind == "item":
                ending = self._note(child, record, run)
                if ending is not None:
                    return ending, None
            elif roll < 0.33:
                self._back(child, record, run)
            elif roll < 0.40:
                self.covered.add("s")
                self._send(child, run, "s")
                record.skip()
                if record.current is None:
                    self._expect_end(child, 0)
                    return "complete", None
                self._expect_question(self._wait(child), record)
            elif roll < 0.44:
                self.covered.add("?")
                self._send(child, run, "?")
                self._expect_no_move(self._wait(child))
            elif roll < 0.46:
                self._disturb(child)
            elif roll < 0.52:
                self._invalid(child, record, run, step)
            elif roll < 0.57:
                self._burst(child, record, run)
                if record.current is None:
                    self._expect_end(child, 0)
                    return "complete", None
            else:
                self._answer(child, record, run, step)
                if record.current is None:
                    self._expect_end(child, 0)
                    return "complete", None
        return self._quit(child, record, run), None

    def _answer(self, child: pexpect.spawn, record: Record, run: Run, step: StepSpec) -> None:
        line, value = self._answer_line(record, step)
        self._send(child, run, line)
        self.covered.add(f"an answer to a {step.context_type if step.kind == 'context' else 'scored'} question")
        if step.kind == "item" and any(step.id in p.values for p in record.people):
            self.covered.add("an answer changed")
        record.take(value)
        if record.current is not None:
            self._expect_question(self._wait(child), record)

    def _burst(self, child: pexpect.spawn, record: Record, run: Run) -> None:
        """Several answers typed (or pasted) at once, before the next question is on the screen."""
        lines: list[str] = []
        shown: list[StepSpec | None] = []
        count = self.rng.randint(2, 4)
        while record.current is not None and len(lines) < count:
            line, value = self._answer_line(record, record.current)
            lines.append(line)
            record.take(value)
            shown.append(record.current)
        child.send("".join(line + "\n" for line in lines))
        self.covered.add("answers typed ahead")
        run.typed += lines
        self.typed += lines
        # Each answer brings the next question (or the end); the last one's is the screen to answer now.
        for step in shown[:-1]:
            assert step is not None
            rules = re.findall(r"─ (\d+)/\d+ ─", self._wait(child))
            if rules != [str(step.number)]:
                raise Defect(f"after a quick answer the screen shows {rules}, not question {step.number}")
        if record.current is not None:
            self._expect_question(self._wait(child), record)

    def _answer_line(self, record: Record, step: StepSpec) -> tuple[str, list[str | None] | str | list[str]]:
        """A valid line for the step and what it records."""
        rng = self.rng
        if step.kind == "context":
            keys = [o.key for o in step.options]
            if step.context_type == "text":
                text = context_text(rng)
                return text, text.strip()
            chosen = rng.sample(range(len(keys)), 1 if step.context_type == "choice" else rng.randint(1, len(keys)))
            tokens = [str(n + 1) if rng.random() < 0.7 else keys[n] for n in chosen]
            value = [keys[n] for n in chosen]
            line = rng.choice((" ", ",", ", ", ";")).join(tokens)
            return line, value[0] if step.context_type == "choice" else value
        values: list[str | None] = []
        tokens: list[str] = []
        while not any(v is not None for v in values):
            values, tokens = [], []
            for _ in record.people:
                token, value = self._item_token(step, record.group)
                tokens.append(token)
                values.append(value)
        separator = rng.choice((" ", "  ", ",", ", ", ";"))
        return rng.choice(("", " ")) + separator.join(tokens) + rng.choice(("", " ")), values

    def _item_token(self, step: StepSpec, group: bool) -> tuple[str, str | None]:
        rng = self.rng
        roll = rng.random()
        if group and roll < 0.15:
            self.covered.add("- (no answer from one person)")
            return "-", None
        if not step.required and roll < 0.3:
            self.covered.add("n (cannot judge)")
            return rng.choice(("n", "N")), NOT_APPLICABLE
        index = rng.randrange(len(step.options))
        option = step.options[index]
        # A one-word label in either language (ja, teilweise, drafted) or a key that is a word (partly).
        spellings = [label for label in option.labels.values() if " " not in label and "/" not in label]
        if not option.key.isdigit() and rng.random() < 0.5:
            spellings.append(option.key)
        if spellings and rng.random() < 0.5:
            word = rng.choice(spellings)
            self.covered.add("an option typed as a word")
            return rng.choice((word, word.upper(), word.capitalize())), option.key
        return step.typed_numbers[index], option.key

    def _invalid(self, child: pexpect.spawn, record: Record, run: Run, step: StepSpec) -> None:
        rng = self.rng
        if step.kind == "item":
            candidates = ["", "   ", "x", "²", "٣", "99", "-1", "3.5", "1,2,3,4,5,6"]
            if step.required:
                candidates.append("n" if not record.group else " ".join("n" for _ in record.people))
            if record.group:
                candidates += ["-" + " -" * (len(record.people) - 1), "1"]
            else:
                candidates += ["-", "1 2"]
            if step.typed_numbers[0] == "1":
                candidates.append("0")
        elif step.context_type == "text":
            candidates = ["", "  ", "+"]
        else:
            candidates = ["", "0", "9", "x", "²", "+"] + (["1 2"] if step.context_type == "choice" else [])
        self.covered.add("a line that means nothing")
        self._send(child, run, rng.choice(candidates))
        self._expect_no_move(self._wait(child))

    def _back(self, child: pexpect.spawn, record: Record, run: Run) -> None:
        self._send(child, run, "b")
        text = self._wait(child)
        if record.back():
            self.covered.add("b")
            self._expect_question(text, record)
        else:
            self.covered.add("b at the first question")
            self._expect_no_move(text)
            if message("assess.first", record.language) not in text:
                raise Defect("b at the first question did not say so")

    def _note(self, child: pexpect.spawn, record: Record, run: Run) -> str | None:
        """``+``: whose note (group), then its text; may end the run half-way. Returns the ending or None."""
        rng = self.rng
        language = record.language
        if rng.random() < 0.15:
            return self._note_typed_ahead(child, record, run)
        self._send(child, run, "+")
        who: int | None = 0
        if record.group:
            prompt = message("assess.prompt.note_who", language, last=len(record.people)) + ": "
            self._expect_named_prompt(child, prompt)
            while rng.random() < 0.2:
                self._send(child, run, rng.choice(("x", str(len(record.people) + 1), "-1", "²", "")))
                self._expect_named_prompt(child, prompt)
            if rng.random() < 0.05:
                self.covered.add("ended at 'whose note'")
                return self._interrupt(child, run, rng.choice(("intr", "term", "hup", "eof")))
            number = 0 if rng.random() < 0.3 else rng.randint(1, len(record.people))  # 0: the session's note
            self._send(child, run, str(number))
            who = number - 1 if number else None
        self._expect_named_prompt(child, message("assess.prompt.note", language) + ": ")
        if rng.random() < 0.08:
            self.covered.add("ended at the note prompt")
            if rng.random() < 0.6:
                self._type_half(child, hostile_text(rng))
            return self._interrupt(child, run, rng.choice(("intr", "term", "hup", "closed")))
        long = rng.random() < 0.1
        step = record.current
        assert step is not None
        noted = step.id in record.people[who].notes if who is not None else any(item == step.id for item, _ in record.session_notes)
        text = "" if rng.random() < (0.4 if noted else 0.1) else hostile_text(rng, long=long)  # empty: the note removed
        self._send(child, run, text)
        key = record.note(who, text)
        self.covered.add(f"{'a long ' if long and text else ''}{key} ({'the session' if who is None else 'one person'})")
        said = self._wait(child)
        if message(key, language) not in said:
            raise Defect(f"after the note {text!r} the screen says {said!r}, not {message(key, language)!r}")
        return None

    def _note_typed_ahead(self, child: pexpect.spawn, record: Record, run: Run) -> None:
        """``+``, whose note and its text typed at once, before their prompts are on the screen."""
        rng = self.rng
        number = 0 if rng.random() < 0.3 else rng.randint(1, len(record.people))
        text = hostile_text(rng)
        lines = ["+", *([str(number)] if record.group else []), text]
        child.send("".join(line + "\n" for line in lines))
        run.typed += lines
        self.typed += lines
        who = (number - 1 if number else None) if record.group else 0
        key = record.note(who, text)
        self.covered.add("a note typed ahead")
        said = self._wait(child)
        if message(key, record.language) not in said:
            raise Defect(f"after the note {text!r} typed ahead the screen says {said!r}")
        return None

    def _disturb(self, child: pexpect.spawn) -> None:
        """At a prompt, the window is resized, or the session is suspended and continued; nothing changes."""
        if self.rng.random() < 0.5:
            self.covered.add("the terminal resized")
            child.setwinsize(40, self.rng.choice((60, 80, 120, 200)))
            return
        # Ctrl-Z as a shell's job control does it; the terminal's own Ctrl-Z would be discarded, since
        # the session pexpect starts has no shell to return to.
        self.covered.add("suspended and continued")
        child.kill(signal.SIGSTOP)
        _, status = os.waitpid(child.pid, os.WUNTRACED)
        if not os.WIFSTOPPED(status):
            raise Defect(f"the session was not suspended (wait status {status})")
        child.kill(signal.SIGCONT)

    def _race(self, child: pexpect.spawn, record: Record, run: Run) -> tuple[str, Record | None]:
        """An answer typed and, at once, the run ended: the answer is saved or not, nothing else changes."""
        step = record.current
        assert step is not None
        line, value = self._answer_line(record, step)
        alternative = record.clone()
        alternative.take(value)
        if alternative.current is None:  # the last answer would end the session: keep it simple
            return self._quit(child, record, run), None
        child.send(line + "\n")
        run.typed.append(line)
        self.typed.append(line)
        ending = self.rng.choice(("intr", "term", "hup"))
        return self._interrupt(child, run, ending), alternative

    def _quit(self, child: pexpect.spawn, record: Record, run: Run) -> str:
        self._send(child, run, "q")
        text = self._expect_end(child, 0)
        hint = message("assess.quit", record.language, path=self.target.name, command="")
        if hint.rstrip() not in " ".join(text.split()):
            raise Defect(f"q did not say {hint!r}")
        return "quit"

    def _interrupt(self, child: pexpect.spawn, run: Run, ending: str, before_first: bool = False) -> str:
        """End the run: Ctrl-C, the end of input (Ctrl-D), SIGTERM, SIGHUP, or the terminal window closed."""
        if ending == "closed":  # the terminal window closed: the kernel hangs up the session
            child.ptyproc.fileobj.close()
            child.ptyproc.fd = -1
            child.ptyproc.closed = True
            _, status = os.waitpid(child.pid, 0)
            child.ptyproc.terminated = True
            code = os.waitstatus_to_exitcode(status)
            if code != 130:
                raise Defect(f"a closed terminal ended with exit code {code}, not 130")
            return ending
        if ending == "intr":
            child.sendintr()
        elif ending == "eof":
            child.sendeof()
        else:
            child.kill(signal.SIGTERM if ending == "term" else signal.SIGHUP)
        text = self._expect_end(child, 130)
        said = message("assess.nothing_saved" if before_first else "assess.interrupted", run.language)
        if said not in " ".join(text.split()):
            raise Defect(f"{ending} did not say {said!r}:\n{text[-1500:]}")
        return ending

    # -- what the screen shows ---------------------------------------------------------------------
    def _type_half(self, child: pexpect.spawn, text: str) -> None:
        """Characters typed without Enter: the run ends before they are confirmed."""
        self.covered.add("ended half-way through a line")
        child.send(text)
        self.typed.append(text)

    def _send(self, child: pexpect.spawn, run: Run, line: str) -> None:
        # The echo of the line is not awaited: readline draws it as it likes (a tab as blanks, a long line
        # with its own escape sequences). What follows is awaited by marks no typed text holds.
        child.send(line + "\n")
        run.typed.append(line)
        self.typed.append(line)

    def _wait(self, child: pexpect.spawn) -> str:
        child.expect(PROMPT)
        return screen_text(child.before)

    def _expect_named_prompt(self, child: pexpect.spawn, prompt: str) -> str:
        child.expect_exact(prompt)
        return screen_text(child.before)

    def _expect_prompt_or_end(self, child: pexpect.spawn, record: Record) -> str:
        if record.current is None:
            return self._expect_end(child, 0)
        text = self._wait(child)
        self._expect_question(text, record)
        return text

    def _expect_end(self, child: pexpect.spawn, code: int) -> str:
        child.expect(pexpect.EOF)
        text = screen_text(child.before)
        child.close()
        if child.exitstatus != code:
            raise Defect(f"exit code {child.exitstatus} (signal {child.signalstatus}), not {code}:\n{text[-3000:]}")
        if "Traceback" in text:
            raise Defect(f"a traceback:\n{text[-3000:]}")
        return text

    def _expect_question(self, text: str, record: Record) -> None:
        step = record.current
        assert step is not None
        rules = re.findall(r"─ (\d+)/(\d+) ─", text)
        if [r[0] for r in rules] != [str(step.number)]:
            raise Defect(f"expected question {step.number}, the screen shows {rules}:\n{text[-2000:]}")
        if step.kind == "item" and any(step.id in p.values for p in record.people):
            labels = " ".join(self._label(step, p.values.get(step.id), record.language) for p in record.people)
            shown = message("assess.current", record.language, answer=labels)
            if shown not in " ".join(text.split()):
                raise Defect(f"question {step.number} does not show {shown!r}:\n{text[-2000:]}")
        if step.kind == "context" and step.id in record.context:
            value = record.context[step.id]
            shown = message("assess.current", record.language, answer=", ".join(value) if isinstance(value, list) else value)
            if step.context_type != "text" and shown not in " ".join(text.split()):
                raise Defect(f"question {step.number} does not show {shown!r}")

    def _label(self, step: StepSpec, value: str | None, language: str) -> str:
        if value is None:
            return "-"
        if value == NOT_APPLICABLE:
            return f"n ({message('not_applicable', language)})"
        index = next(n for n, o in enumerate(step.options) if o.key == value)
        return f"{step.typed_numbers[index]} ({step.options[index].labels[language]})"

    def _expect_no_move(self, text: str) -> None:
        if re.search(r"─ \d+/\d+ ─", text):
            raise Defect(f"a line that moves nothing moved the session:\n{text[-2000:]}")

    # -- after the run -----------------------------------------------------------------------------
    def _settle(self, record: Record, alternative: Record | None) -> Record | None:
        """The record the files are checked against: after a race, the one they match."""
        if not self._exists():
            return None
        if alternative is not None and self._differences(alternative) == [] and self._differences(record) != []:
            return alternative
        return record

    def _exists(self) -> bool:
        return self.target.is_dir() if self.target.name == "ws" else self.target.is_file()

    def _files(self) -> list[Path]:
        if self.target.is_dir():
            manifest = json.loads((self.target / "slp-workshop.json").read_text(encoding="utf-8"))
            return [self.target / seat["file"] for seat in manifest["participants"]]
        return [self.target]

    def _differences(self, record: Record) -> list[str]:
        problems: list[str] = []
        files = self._files()
        if len(files) != len(record.people):
            return [f"{len(files)} files for {len(record.people)} people"]
        for path, person in zip(files, record.people, strict=True):
            saved = yaml.safe_load(path.read_text(encoding="utf-8"))
            expected = record.expected_file(person)
            if saved != expected or list(saved.get("answers") or {}) != list(expected["answers"]):
                problems.append(f"{path.name}: {difference(saved, expected)}")
        if self.target.is_dir():
            manifest = json.loads((self.target / "slp-workshop.json").read_text(encoding="utf-8"))
            if manifest["notes"] != record.expected_manifest_notes():
                problems.append(f"session notes: {difference(manifest['notes'], record.expected_manifest_notes())}")
        return problems

    def _check_files(self) -> None:
        if self.record is None:
            leftovers = sorted(p.name for p in self.folder.iterdir())
            if leftovers:
                raise Defect(f"nothing was answered, yet the folder holds {leftovers}")
            return
        problems = self._differences(self.record)
        if problems:
            raise Defect("the files differ from what was typed:\n" + "\n".join(problems))
        # Nothing else: no lock, no temporary file, no emergency copy.
        folder = self.target if self.target.is_dir() else self.folder
        expected = {p.name for p in self._files()} | ({"slp-workshop.json"} if self.target.is_dir() else set())
        present = {p.name for p in folder.iterdir()}
        if present != expected:
            raise Defect(f"the folder holds {sorted(present)}, expected {sorted(expected)}")
        self._check_commands(self.record)

    def _check_commands(self, record: Record) -> None:
        runner = CliRunner()
        checked = runner.invoke(app, ["validate", "-q", str(self.q.path), *map(str, self._files())])
        if checked.exit_code != 0:
            raise Defect(f"slp validate refuses the saved files:\n{checked.output}")
        scored = runner.invoke(app, ["score", "-q", str(self.q.path), "--format", "json", "--jobs", "1", *map(str, self._files())])
        if scored.exit_code != 0:
            raise Defect(f"slp score refuses the saved files:\n{scored.output}")
        results = {r["file"]: r for r in json.loads(scored.stdout)}
        for path, person in zip(self._files(), record.people, strict=True):
            result = results[str(path)]
            counts, overall = record.expected_scores(person)
            got = {f["id"]: f["scored"] for f in result["factors"]}
            if got != counts or result["overall"]["score"] != overall or result["respondent"]["name"] != person.name:
                raise Defect(f"slp score of {result['file']}: {got} {result['overall']['score']}, expected {counts} {overall}")

    def _check_german(self, run: Run) -> None:
        """No word of the tool's English texts on a German screen, but for what the user typed or named."""
        screen = screen_text(run.log.getvalue())
        own = set().union(*(words(t) for t in self.typed), words(str(self.q.path)), words(sys.executable), words(str(self.folder)), words(self.target.name),
                          *(words(p.name) for p in (self.record.people if self.record else [])),
                          words(self.record.partnership if self.record else ""), {"slp", "assess", "resume", "m", "score"})
        # rich folds a word longer than the line: the pieces of a typed word are the user's too.
        english = {w for w in (words(screen) & ENGLISH_ONLY) - set().union(*map(words, self.q.german_texts)) if not any(w in o for o in own)}
        if english:
            lines = [line for line in screen.splitlines() if words(line) & english]
            raise Defect(f"English words {sorted(english)} in a German session:\n" + "\n".join(lines[:10]))


def hostile_name(rng: random.Random, group: bool = False) -> str:
    """A name as typed: German, quotes, YAML's characters; in group mode without ',' and ':' (the list's own)."""
    name = " ".join(rng.choice(NAME_PIECES) for _ in range(rng.randint(1, 3)))
    if not group and rng.random() < 0.5:
        name += " " + rng.choice(("Schlüssel: Wert", "# x", "- y", "|", "'", "\u2028", "[/]"))
    if rng.random() < 0.2:
        name = " " + name + " "
    return name


def difference(saved: object, expected: object, where: str = "") -> str:
    """Where two loaded files first differ, readable also when a note is thousands of characters long."""
    if isinstance(saved, dict) and isinstance(expected, dict):
        for key in [*expected, *(k for k in saved if k not in expected)]:
            if saved.get(key) != expected.get(key):
                return difference(saved.get(key), expected.get(key), f"{where}.{key}")
        return f"{where}: keys in another order: {list(saved)} != {list(expected)}"
    if isinstance(saved, list) and isinstance(expected, list) and len(saved) == len(expected):
        n = next(n for n, (a, b) in enumerate(zip(saved, expected, strict=True)) if a != b)
        return difference(saved[n], expected[n], f"{where}[{n}]")
    if isinstance(saved, str) and isinstance(expected, str):
        n = next((n for n, (a, b) in enumerate(zip(saved, expected, strict=False)) if a != b), min(len(saved), len(expected)))
        return (f"{where}: saved {len(saved)} characters, typed {len(expected)}; from character {n}: "
                f"saved {saved[n:n + 40]!r}, expected {expected[n:n + 40]!r}")
    return f"{where}: saved {saved!r}, expected {expected!r}"
