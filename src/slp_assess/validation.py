"""Semantic checks that need the whole document; every problem is collected, none stops the rest."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator
from typing import Any

from slp_assess.errors import Problem
from slp_assess.models.answers import AnswerFile
from slp_assess.models.questionnaire import NOT_APPLICABLE, LocalizedText, Questionnaire, Scale, version_order
from slp_assess.oneline import bare, dotted, listed, quoted
from slp_assess.yamlio import YamlDocument

Location = tuple[str | int, ...]


def _problem(doc: YamlDocument, loc: Location, message: str, hint: str = "") -> Problem:
    where = doc.locate(loc)
    return Problem(doc.path, where.line, message, hint, dotted(where.written))


def _localized_texts(q: Questionnaire) -> Iterator[tuple[Location, LocalizedText]]:
    yield ("title",), q.title
    yield ("description",), q.description
    for li, level in enumerate(q.levels):
        yield ("levels", li, "label"), level.label
        if level.description:
            yield ("levels", li, "description"), level.description
    for name, scale in q.scales.items():
        if scale.label:
            yield ("scales", name, "label"), scale.label
        for oi, option in enumerate(scale.options):
            yield ("scales", name, "options", oi, "label"), option.label
    for si, section in enumerate(q.sections):
        yield ("sections", si, "title"), section.title
        if section.intro:
            yield ("sections", si, "intro"), section.intro
        for fi, factor in enumerate(section.factors):
            floc: Location = ("sections", si, "factors", fi)
            yield (*floc, "title"), factor.title
            if factor.short_title:
                yield (*floc, "short_title"), factor.short_title
            if factor.description:
                yield (*floc, "description"), factor.description
            for level_id, steps in factor.recommendations.items():
                for ri, step in enumerate(steps):
                    yield (*floc, "recommendations", level_id, ri, "text"), step.text
            for ii, item in enumerate(factor.items):
                yield (*floc, "items", ii, "text"), item.text
                if item.help:
                    yield (*floc, "items", ii, "help"), item.help
    for ci, question in enumerate(q.context):
        yield ("context", ci, "text"), question.text
        if question.help:
            yield ("context", ci, "help"), question.help
        for oi, choice in enumerate(question.options):
            yield ("context", ci, "options", oi, "label"), choice.label


def _ids(q: Questionnaire) -> Iterator[tuple[Location, str]]:
    for si, section in enumerate(q.sections):
        yield ("sections", si, "id"), section.id
        for fi, factor in enumerate(section.factors):
            yield ("sections", si, "factors", fi, "id"), factor.id
            for ii, item in enumerate(factor.items):
                yield ("sections", si, "factors", fi, "items", ii, "id"), item.id
    for ci, question in enumerate(q.context):
        yield ("context", ci, "id"), question.id


def check_questionnaire(q: Questionnaire, doc: YamlDocument) -> list[Problem]:
    """Return every structural problem of a questionnaire that pydantic alone cannot see."""
    problems: list[Problem] = []
    add = problems.append

    first_seen: dict[str, Location] = {}
    for loc, ident in _ids(q):
        if ident in first_seen:
            where = doc.line_of(first_seen[ident])
            add(_problem(doc, loc, f"duplicate id {quoted(ident)} (first used at line {where})", "give every id a unique name"))
        else:
            first_seen[ident] = loc

    languages = set(q.languages)
    if q.default_language not in languages:
        add(_problem(doc, ("default_language",), f"default language {quoted(q.default_language)} is not in languages", "add it to `languages`"))
    for loc, text in _localized_texts(q):
        missing = sorted(languages - text.keys())
        if missing:
            add(_problem(doc, loc, f"missing translation: {', '.join(missing)}", "add the text in every language of `languages`"))
        empty = sorted(lang for lang, value in text.items() if not value.strip())
        if empty:
            add(_problem(doc, loc, f"empty text for {', '.join(empty)}", "write the text or remove the language"))

    for name, scale in q.scales.items():
        keys = [o.key for o in scale.options]
        for oi, key in enumerate(keys):
            if key == NOT_APPLICABLE:
                add(_problem(doc, ("scales", name, "options", oi, "key"), "option key 'n/a' is reserved for 'cannot judge'", "choose another key"))
            elif keys.index(key) != oi:
                add(_problem(doc, ("scales", name, "options", oi, "key"), f"duplicate option key {quoted(key)}", "give every option a unique key"))
        if scale.min_points == scale.max_points:
            add(_problem(doc, ("scales", name), "all options have the same points, so the scale cannot discriminate", "give options different points"))

    previous: float | None = None
    level_ids: list[str] = []
    for li, level in enumerate(q.levels):
        if level.id in level_ids:
            add(_problem(doc, ("levels", li, "id"), f"duplicate level id {quoted(level.id)}", "give every level a unique id"))
        level_ids.append(level.id)
        if previous is not None and level.threshold >= previous:
            add(_problem(doc, ("levels", li, "threshold"), f"threshold {level.threshold:g} is not below the previous level's {previous:g}", "list levels from the highest threshold down"))
        previous = level.threshold
    if q.levels and min(lv.threshold for lv in q.levels) != 0:
        add(_problem(doc, ("levels",), "the lowest level must have threshold 0", "set the last level's threshold to 0"))
    top = q.ordered_levels()[0].id if q.levels else None

    if not q.sections:
        add(_problem(doc, ("sections",), "questionnaire has no sections", "add at least one section with factors and items"))
    for si, section in enumerate(q.sections):
        if not section.factors:
            add(_problem(doc, ("sections", si), f"section {quoted(section.id)} has no factors", "add a factor or remove the section"))
        for fi, factor in enumerate(section.factors):
            floc: Location = ("sections", si, "factors", fi)
            if not factor.items:
                add(_problem(doc, floc, f"factor {quoted(factor.id)} has no items", "add an item or remove the factor"))
            for level_id in factor.recommendations:
                if level_id not in level_ids:
                    add(_problem(doc, (*floc, "recommendations", level_id), f"recommendations for unknown level {quoted(level_id)}", f"use one of: {', '.join(level_ids)}"))
                elif level_id == top:
                    add(_problem(doc, (*floc, "recommendations", level_id), f"recommendations for the top level {quoted(level_id)} are never shown", "remove them"))
            for ii, item in enumerate(factor.items):
                if item.scale not in q.scales:
                    known = ", ".join(sorted(q.scales)) or "none defined"
                    add(_problem(doc, (*floc, "items", ii, "scale"), f"unknown scale {quoted(item.scale)}", f"use one of: {known}"))

    problems += _check_phases(q, doc)
    problems += _check_migrations(q, doc)
    for ci, question in enumerate(q.context):
        keys = [o.key for o in question.options]
        if question.type != "text" and not keys:
            add(_problem(doc, ("context", ci), f"{question.type} question {quoted(question.id)} has no options", "add options or make it type: text"))
        if question.type == "text" and keys:
            add(_problem(doc, ("context", ci, "options"), "a text question cannot have options", "remove them or use type: choice"))
        if len(set(keys)) != len(keys):
            add(_problem(doc, ("context", ci, "options"), "duplicate option keys", "give every option a unique key"))
    return problems


def _check_phases(q: Questionnaire, doc: YamlDocument) -> list[Problem]:
    problems: list[Problem] = []
    order = q.phases.order if q.phases else []
    if q.phases:
        question = next((c for c in q.context if c.id == q.phases.question), None)
        if question is None or question.type != "choice":
            problems.append(_problem(doc, ("phases", "question"), f"phases.question {quoted(q.phases.question)} is not a choice context question", "name a context question of type: choice"))
        else:
            missing = [p for p in order if p not in {o.key for o in question.options}]
            if missing:
                problems.append(_problem(doc, ("phases", "order"), f"phase(s) {', '.join(missing)} are not options of {quoted(question.id)}", "add them as options of the phase question"))
        if len(set(order)) != len(order):
            problems.append(_problem(doc, ("phases", "order"), "a phase is listed twice", "list every phase once"))
    for si, section in enumerate(q.sections):
        for fi, factor in enumerate(section.factors):
            if factor.expected_from is not None and factor.expected_from not in order:
                hint = f"use one of: {', '.join(order)}" if order else "declare `phases` first"
                problems.append(_problem(doc, ("sections", si, "factors", fi, "expected_from"), f"unknown phase {quoted(factor.expected_from)}", hint))
    return problems


def _check_migrations(q: Questionnaire, doc: YamlDocument) -> list[Problem]:
    problems: list[Problem] = []
    items = q.item_index()
    context = {c.id for c in q.context}
    for mi, migration in enumerate(q.migrations):
        if migration.from_version == q.version:
            problems.append(_problem(doc, ("migrations", mi, "from"), f"a migration from version {bare(q.version)} to itself", "name an earlier version"))
        for old_id, move in migration.items.items():
            loc: Location = ("migrations", mi, "items", old_id)
            target = items.get(move.to or old_id)
            if move.note_to is not None and move.drop is None:
                problems.append(_problem(doc, (*loc, "note_to"), "`note_to` goes with `drop`: a moved item takes its note along", "remove `note_to` or drop the item"))
            elif move.note_to is not None and move.note_to not in items:
                problems.append(_problem(doc, (*loc, "note_to"), f"item {quoted(move.note_to)} does not exist in version {bare(q.version)}", "name an item of this version"))
            if move.drop is not None:
                if move.to is not None or move.values is not None:
                    problems.append(_problem(doc, loc, "a dropped item cannot also move", "keep either `drop` or `to`/`values`"))
                continue
            if target is None:
                problems.append(_problem(doc, loc, f"item {quoted(move.to or old_id)} does not exist in version {bare(q.version)}", "name an item of this version or drop it"))
                continue
            keys = {o.key for o in q.scales[target.scale].options} if target.scale in q.scales else set()
            bad = sorted(v for v in (move.values or {}).values() if v not in keys | {NOT_APPLICABLE})
            if bad:
                problems.append(_problem(doc, (*loc, "values"), f"{listed(bad)} not in the scale of {quoted(target.id)}", f"use: {listed(sorted(keys), bare, None)}"))
        for old_id, move in migration.context.items():
            if move.note_to is not None:
                problems.append(_problem(doc, ("migrations", mi, "context", old_id, "note_to"), "context answers have no notes", "remove `note_to`"))
            if move.drop is None and (move.to or old_id) not in context:
                problems.append(_problem(doc, ("migrations", mi, "context", old_id), f"context question {quoted(move.to or old_id)} does not exist in version {bare(q.version)}", "name a context question of this version or drop it"))
    return problems


def check_answers(answers: AnswerFile, q: Questionnaire, doc: YamlDocument, known_versions: Collection[str] = ()) -> list[Problem]:
    """Return every problem of an answer file measured against its questionnaire.

    ``known_versions``: the versions of the questionnaire that are loaded or bundled (see
    ``QuestionnaireCatalog.versions``); ``slp migrate`` is suggested only from one of them or from
    a version the questionnaire's migrations name.
    """
    problems: list[Problem] = []
    add = problems.append
    if answers.version != q.version:
        add(_version_problem(answers.version, q, doc, known_versions))
    items = q.item_index()
    for item_id, answer in answers.answers.items():
        loc: Location = ("answers", item_id)
        item = items.get(item_id)
        if item is None:
            add(_problem(doc, loc, f"unknown item id {quoted(item_id)} for questionnaire {quoted(q.id)}", _did_you_mean(item_id, list(items), "check the spelling against `slp template`")))
        elif answer.value is None:
            continue
        elif answer.value == NOT_APPLICABLE:
            if item.required:
                add(_problem(doc, loc, f"item {quoted(item_id)} is required and cannot be answered n/a", "choose an option of its scale"))
        elif q.scales[item.scale].option(answer.value) is None:
            add(_problem(doc, loc, f"{quoted(answer.value)} is not an option of scale {quoted(item.scale)}", _option_hint(answer.value, q.scales[item.scale], not item.required)))
    context = {c.id: c for c in q.context}
    for question_id, value in answers.context.items():
        loc = ("context", question_id)
        question = context.get(question_id)
        if question is None:
            add(_problem(doc, loc, f"unknown context question {quoted(question_id)}", _did_you_mean(question_id, list(context), "check the spelling against `slp template`")))
            continue
        chosen = _as_list(value)
        keys = {o.key for o in question.options}
        if question.type == "choice" and isinstance(value, list):
            add(_problem(doc, loc, "this question takes a single choice", "give one option key"))
        unknown = [c for c in chosen if question.type != "text" and c not in keys]
        if unknown:
            guess = _did_you_mean(str(unknown[0]), sorted(keys), "", cutoff=0.6)
            add(_problem(doc, loc, f"unknown option(s) {listed(unknown)}", f"{guess + '; ' if guess else ''}use: {listed(sorted(keys), bare, None)}"))
    return problems


def _version_problem(version: str, q: Questionnaire, doc: YamlDocument, known_versions: Collection[str]) -> Problem:
    current = bare(q.version)
    message = f"questionnaire {quoted(q.id)} is version {current}, the file says {quoted(version)}"
    migrations = {m.from_version for m in q.migrations}
    if version in migrations or (version in known_versions and migrations):
        return _problem(doc, ("version",), message, f"set version: \"{current}\" or run `slp migrate` to carry the file over to version {current}")
    if version in known_versions:
        return _problem(doc, ("version",), message, f"set version: \"{current}\" or use the matching questionnaire")
    versions: list[str] = sorted({*known_versions, *migrations, q.version}, key=version_order)
    known = listed(versions, bare, None)
    return _problem(doc, ("version",), f"{message}, a version it does not know (known: {known})",
                    f"set version: to the version the answers were given to (e.g. \"{current}\"), or pass that version of the questionnaire with --questionnaire")


def _did_you_mean(word: str, known: list[str], otherwise: str, cutoff: float = 0.85) -> str:
    # Dotted ids share long prefixes, so only a near miss (a typo) is suggested; short keys may differ more.
    close = difflib.get_close_matches(word, known, n=1, cutoff=cutoff)
    return f"did you mean {quoted(close[0])}?" if close else otherwise


def _option_hint(value: str, scale: Scale, allow_na: bool) -> str:
    """Name the key whose label was written ("ja" -> yes), or the closest key, then every key."""
    keys = [o.key for o in scale.options]
    listing = f"use one of: {listed(keys, bare, None)}{', n/a' if allow_na else ''}"
    wanted = value.strip().casefold()
    by_label = next((o.key for o in scale.options if any(label.casefold() == wanted for label in o.label.values())), None)
    if by_label is not None:
        return f"{quoted(value)} is the label of option {quoted(by_label)}: write {bare(by_label)}; {listing}"
    guess = _did_you_mean(value, keys, "", cutoff=0.6)
    return f"{guess} {listing}" if guess else listing


def _as_list(value: Any) -> list[str]:
    return list(value) if isinstance(value, list) else [value]
