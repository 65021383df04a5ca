"""The pure parts of `slp assess`: input parsing, spread, the session's moves, writing and migrating files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from slp_assess.assess import store
from slp_assess.assess.parsing import (
    Answer,
    Command,
    ContextAnswer,
    Invalid,
    Participant,
    parse_context_line,
    parse_item_line,
    parse_participants,
    spread,
)
from slp_assess.assess.session import Session, Sheet, sheet_from
from slp_assess.loading import QuestionnaireCatalog, load_answer_file
from slp_assess.models.questionnaire import Item
from slp_assess.scoring import score_answers

DAY = dt.date(2025, 8, 28)


def _item(q, item_id):
    return q.item_index()[item_id]


def _session(q, *names: str) -> Session:
    people = names or ("Anna",)
    return Session(q, [Sheet(Participant(n, "stadt")) for n in people], "Lindenau", "de", DAY)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("4", Answer(("4",))),
        (" 5 ", Answer(("5",))),
        ("n", Answer(("n/a",))),
        ("N", Answer(("n/a",))),
        ("?", Command("?")),
        ("B", Command("b")),
        ("s", Command("s")),
        ("+", Command("+")),
        ("q", Command("q")),
        ("6", Invalid("hint.option", {"token": "6", "first": "1", "last": "5"})),
        ("0", Invalid("hint.option", {"token": "0", "first": "1", "last": "5"})),
        ("ja", Invalid("hint.option", {"token": "ja", "first": "1", "last": "5"})),
        ("", Invalid("hint.empty", {"first": "1", "last": "5"})),
        ("4 5", Invalid("hint.one_answer", {"first": "1", "last": "5"})),
    ],
)
def test_item_line(mini, line, expected):
    item = _item(mini, "success.eye_level.equal_say")
    assert parse_item_line(line, item, mini.scales[item.scale]) == expected


def test_numbers_follow_the_displayed_order_and_word_keys_are_accepted(mini):
    item = _item(mini, "success.leadership.anchored")
    scale = mini.scales["yes_partly_no"]
    assert parse_item_line("1", item, scale) == Answer(("no",))
    assert parse_item_line("3", item, scale) == Answer(("yes",))
    assert parse_item_line("Partly", item, scale) == Answer(("partly",))


def test_required_items_refuse_cannot_judge(mini):
    item = _item(mini, "financing.transparency.benefits")
    assert parse_item_line("n", item, mini.scales["agreement"]) == Invalid("hint.required")


def test_group_line(mini):
    item = _item(mini, "success.eye_level.equal_say")
    scale = mini.scales["agreement"]
    assert parse_item_line("4 3 n 5", item, scale, 4) == Answer(("4", "3", "n/a", "5"))
    assert parse_item_line("4,3, -", item, scale, 3) == Answer(("4", "3", None))
    assert parse_item_line("4 3", item, scale, 3) == Invalid("hint.group_count", {"expected": 3, "got": 2})
    assert parse_item_line("- -", item, scale, 2) == Invalid("hint.group_all_abstain")
    assert parse_item_line("4 9", item, scale, 2) == Invalid("hint.option", {"token": "9", "first": "1", "last": "5"})
    assert parse_item_line("b", item, scale, 3) == Command("b")


def test_context_lines(mini):
    stage, partners = mini.context
    assert parse_context_line("2", stage) == ContextAnswer("umsetzung")
    assert parse_context_line("findung", stage) == ContextAnswer("findung")
    assert parse_context_line("1 2", stage) == Invalid("hint.single_choice")
    assert parse_context_line("7", stage) == Invalid("hint.choice", {"token": "7", "last": 2})
    assert parse_context_line("Stadt Lindenau, Kreis Ahrbach", partners) == ContextAnswer("Stadt Lindenau, Kreis Ahrbach")
    assert parse_context_line("  ", partners) == Invalid("hint.empty_context")
    several = stage.model_copy(update={"type": "multiple_choice"})
    assert parse_context_line("2, 1 2", several) == ContextAnswer(["umsetzung", "findung"])


def test_spread_counts_range_and_disagreement(mini):
    scale = mini.scales["agreement"]
    s = spread(["4", "1", "n/a", None, "4"], scale)
    assert s.counts == (1, 0, 0, 2, 0)
    assert (s.low, s.high, s.not_applicable, s.missing) == (1, 4, 1, 1)
    assert s.disagreement
    assert not spread(["3", "4"], scale).disagreement
    nobody = spread(["n/a"], scale)
    assert (nobody.low, nobody.high, nobody.disagreement) == (None, None, False)


def test_participants_spec():
    assert parse_participants("Anna Weber:stadt, Jan Roth:LAND,Eva") == [
        Participant("Anna Weber", "stadt"), Participant("Jan Roth", "land"), Participant("Eva", "other"),
    ]
    assert parse_participants("Anna:city") == Invalid("hint.participant_role", {"entry": "Anna:city", "roles": "stadt, landkreis, gemeinde, land, other"})
    assert parse_participants("Eva:Sonstige,Ole:landkreis") == [Participant("Eva", "other"), Participant("Ole", "landkreis")]
    assert parse_participants("Anna,Anna") == Invalid("hint.participant_twice", {"name": "Anna"})
    assert parse_participants(" , ") == Invalid("hint.participant_none")


def test_walk_answer_back_skip_and_reoffer(mini):
    s = _session(mini)
    ids = [step.id for step in s.steps]
    assert ids[-2:] == ["context.stage", "context.partners"] and len(ids) == 7
    s.answer(("4",))
    s.skip()
    assert s.current.id == "success.leadership.anchored"
    assert s.back() and s.current.id == "success.eye_level.city_dominates"
    assert s.back() and s.current.id == "success.eye_level.equal_say"
    assert not s.back()
    s.answer(("5",))  # changed; moves on to the next open step, the skipped one
    assert s.current.id == "success.eye_level.city_dominates"
    s.skip()
    for _ in range(3):
        s.answer(("3",))
    s.answer_context("findung")
    s.skip()
    assert s.reoffering and s.open_skipped() == ["success.eye_level.city_dominates", "context.partners"]
    assert s.current.id == "success.eye_level.city_dominates"
    s.answer(("2",))
    s.skip()  # left open for good
    assert s.done and s.answered_count() == 6
    (answers,) = s.answer_files()
    assert list(answers.answers) == [
        "success.eye_level.equal_say", "success.eye_level.city_dominates", "success.leadership.anchored",
        "financing.transparency.costs", "financing.transparency.benefits",
    ]
    assert answers.answers["success.eye_level.equal_say"].value == "5"
    assert answers.context == {"context.stage": "findung"}


def test_notes_wait_for_the_answer_and_survive_a_changed_answer(mini):
    s = _session(mini)
    s.add_note("vor der Antwort")
    assert s.note(s.current) == "vor der Antwort"
    s.answer(("2",))
    s.back()
    s.add_note("Stadt sieht das anders")
    s.answer(("3",))
    (answers,) = s.answer_files()
    assert answers.answers["success.eye_level.equal_say"].model_dump() == {"value": "3", "note": "Stadt sieht das anders"}
    s.back()
    s.add_note("")
    assert s.answer_files()[0].answers["success.eye_level.equal_say"].note is None


def test_group_answers_go_to_each_sheet_and_context_is_shared(mini):
    s = _session(mini, "Anna", "Jan")
    assert s.group
    s.answer(("4", None))
    files = s.answer_files()
    assert "success.eye_level.equal_say" in files[0].answers
    assert "success.eye_level.equal_say" not in files[1].answers
    assert s.is_answered(s.steps[0])


def test_resume_position_is_the_first_open_step(mini):
    s = _session(mini)
    s.answer(("4",))
    s.skip()
    s.answer(("1",))
    resumed = Session(mini, [sheet_from(a) for a in s.answer_files()], "Lindenau", "de", DAY)
    assert resumed.current.id == "success.eye_level.city_dominates"
    resumed.answer(("2",))
    assert resumed.current.id == "financing.transparency.costs"


def test_written_file_validates_and_scores(mini, mini_catalog, tmp_path):
    s = _session(mini)
    for value in ("5", "1", "yes"):
        s.answer((value,))
    s.add_note('Kosten: "offen"\nzweite Zeile')
    s.answer(("n/a",))
    path = tmp_path / "a.yaml"
    store.save(path, s.answer_files()[0])
    text = path.read_text(encoding="utf-8")
    assert 'success.leadership.anchored: "yes"' in text
    assert 'financing.transparency.costs: {value: "n/a", note: "Kosten: \\"offen\\"\\nzweite Zeile"}' in text
    answers, _ = load_answer_file(path, mini_catalog)
    assert answers.answers["financing.transparency.costs"].note == 'Kosten: "offen"\nzweite Zeile'
    assert score_answers(answers, mini).overall.score == pytest.approx(100.0)


def test_migration_keeps_answers_whose_questions_still_exist(mini):
    s = _session(mini)
    s.answer(("4",))
    s.answer(("2",))
    old = s.answer_files()[0].model_copy(update={"version": "0.9"})
    old = old.model_copy(update={"answers": {**old.answers, "gone.item": old.answers["success.eye_level.equal_say"]}})
    newer = mini.model_copy(update={"version": "2.0"})
    migrated, dropped = store.migrate(old, newer)
    assert migrated.version == "2.0"
    assert list(migrated.answers) == ["success.eye_level.equal_say", "success.eye_level.city_dominates"]
    assert dropped == ["gone.item"]


def test_file_names(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1756339200")
    assert store.session_date() == DAY
    assert store.default_out("slp-quickcheck", "Jürgen Groß", DAY) == Path("slp-quickcheck-juergen-gross-2025-08-28.yaml")
    assert store.default_out("mini", "", DAY) == Path("slp-mini-anonymous-2025-08-28.yaml")
    assert store.participant_files(Path("d"), ["Anna", "anna", "ANNA"]) == [Path("d/anna.yaml"), Path("d/anna-2.yaml"), Path("d/anna-3.yaml")]


def test_catalog_is_not_needed_for_resume_of_a_bundled_questionnaire():
    assert QuestionnaireCatalog().get("slp-quickcheck") is not None


def test_a_note_before_the_answer_is_saved_at_once(mini, mini_catalog, tmp_path):
    s = _session(mini)
    s.add_note("Erst nach der Kreistagssitzung beurteilbar")
    path = tmp_path / "note-only.yaml"
    (sheet,) = s.answer_files()
    store.save(path, sheet)
    assert 'success.eye_level.equal_say: {note: "Erst nach der Kreistagssitzung beurteilbar"}' in path.read_text(encoding="utf-8")
    reloaded, q = load_answer_file(path, mini_catalog)
    assert reloaded.answers["success.eye_level.equal_say"].note == "Erst nach der Kreistagssitzung beurteilbar"
    # A note alone is no answer: the item stays open for resume and is not scored.
    assert not s.is_answered(s.current)
    assert score_answers(reloaded, q).factors[0].scored == 0


def test_a_scale_numbered_by_its_keys_is_typed_by_its_keys():
    # A status scale 0–4 shows and takes 0–4, so screen, answer file and template say the same.
    from slp_assess.assess.parsing import option_numbers
    from slp_assess.models.questionnaire import Scale

    status = Scale.model_validate({"options": [{"key": str(k), "points": k, "label": {"de": f"S{k}"}} for k in range(5)]})
    item = Item.model_validate({"id": "a.b", "text": {"de": "T"}, "scale": "status", "source": "S"})
    assert option_numbers(status) == ["0", "1", "2", "3", "4"]
    assert parse_item_line("0", item, status) == Answer(("0",))
    assert parse_item_line("4", item, status) == Answer(("4",))
    assert parse_item_line("5", item, status) == Invalid("hint.option", {"token": "5", "first": "0", "last": "4"})
    words = Scale.model_validate({"options": [{"key": k, "points": p, "label": {"de": k}} for k, p in (("no", 0), ("yes", 1))]})
    assert option_numbers(words) == ["1", "2"] and parse_item_line("2", item, words) == Answer(("yes",))
