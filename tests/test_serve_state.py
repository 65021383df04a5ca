"""The room as a pure state: who sees which question, what may be answered, when a distribution shows."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from slp_assess.serve.security import MAX_BODY, BodyTooLarge, RateLimiter, clean_line, clean_note, csrf_ok, csrf_token, parse_form
from slp_assess.serve.state import Refused, RoomState

DAY = dt.date(2025, 8, 28)


def _room(mini, mode="moderated") -> RoomState:
    return RoomState(mini, "Lindenau", "de", DAY, mode=mode)


def test_moderated_everyone_sees_the_moderators_question_and_only_it_can_be_answered(mini):
    room = _room(mini)
    anna, jan = room.join("t-anna", "anna.yaml", "Anna", "stadt"), room.join("t-jan", "jan.yaml", "Jan", "land")
    first = room.steps[0]
    assert room.step_for(anna) is first and room.step_for(jan) is first
    room.answer(anna, first.id, "4", "eine Notiz")
    assert not room.is_revealed(first)  # Jan has not answered: nobody follows the boss
    with pytest.raises(Refused):
        room.answer(jan, room.steps[1].id, "3")
    room.answer(jan, first.id, "n/a")
    assert room.is_revealed(first)
    dist = room.distribution(first)
    assert dist.counts["4"]["stadt"] == 1 and dist.not_applicable["land"] == 1 and dist.answered == 2
    room.move(1)
    assert room.step_for(anna) is room.steps[1]
    room.reveal()
    assert room.is_revealed(room.steps[1]) and room.answered_count(room.steps[1]) == 0
    room.answer(anna, room.steps[1].id, "2")
    room.answer(anna, room.steps[1].id, "3")  # changed while the question is open
    (files_anna, files_jan) = room.answer_files()
    assert files_anna.answers[first.id].model_dump() == {"value": "4", "note": "eine Notiz"}
    assert files_anna.answers[room.steps[1].id].value == "3" and files_jan.answers[first.id].value == "n/a"
    room.move(-5)
    assert room.position == 0
    room.move(99)
    assert room.position == len(room.steps) - 1
    room.finish()
    assert room.step_for(anna) is None


def test_values_off_the_scale_and_wrong_shapes_are_refused(mini):
    room = _room(mini)
    anna = room.join("t", "a.yaml", "Anna", "stadt")
    step = room.steps[0]
    for value in ["0", "6", "", "yes", ["4"], "../x", "4 "]:
        with pytest.raises(Refused):
            room.answer(anna, step.id, value)
    assert room.answer_files()[0].answers == {}
    context = next(s for s in room.steps if s.kind == "context" and s.question.type == "choice")
    room.move(room.steps.index(context))
    with pytest.raises(Refused):
        room.answer(anna, context.id, ["findung", "umsetzung"])
    room.answer(anna, context.id, "umsetzung")
    assert room.answer_files()[0].context == {context.id: "umsetzung"}


def test_self_paced_walk_with_back_and_skip(mini):
    room = _room(mini, "self")
    anna = room.join("t", "a.yaml", "Anna", "stadt")
    ids = [s.id for s in room.steps]
    room.answer(anna, ids[0], "4")
    assert room.step_for(anna).id == ids[1]
    room.skip(anna, ids[1])
    room.back(anna)
    assert room.step_for(anna).id == ids[1]
    room.answer(anna, ids[1], "2")
    while (step := room.step_for(anna)) is not None:
        value = "Lindenau" if step.question is not None and step.question.type == "text" else (
            step.question.options[0].key if step.question is not None else room.questionnaire.scales[step.item.scale].options[0].key)
        room.answer(anna, step.id, value)
    assert anna.session.done and anna.answered == len(ids)


def test_a_token_finds_only_its_own_seat(mini):
    room = _room(mini)
    rng = random.Random(3)
    tokens = ["".join(rng.choice("abcdef0123456789") for _ in range(32)) for _ in range(20)]
    seats = [room.join(t, f"p{n}.yaml", f"P{n}", "stadt") for n, t in enumerate(tokens)]
    for token, seat in zip(tokens, seats, strict=True):
        assert room.seat(token) is seat
        assert room.seat(token[:-1]) is None and room.seat(token + "0") is None
    assert room.seat(None) is None and room.seat("") is None


def test_csrf_tokens_are_bound_to_purpose_and_owner():
    token = csrf_token("s3cret", "answer", "participant-1")
    assert csrf_ok("s3cret", "answer", "participant-1", token)
    assert not csrf_ok("s3cret", "answer", "participant-2", token)
    assert not csrf_ok("s3cret", "join", "participant-1", token)
    assert not csrf_ok("other", "answer", "participant-1", token)
    assert not csrf_ok("s3cret", "answer", None, token) and not csrf_ok("s3cret", "answer", "participant-1", None)


def test_user_text_is_cleaned_and_bounded():
    rng = random.Random(5)
    alphabet = "ab <>&\"'\x00\x07\x1b\x7f\x85\u2028\u2029\ud800\n\r\t é漢😀"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 90)))
        line, note = clean_line(text, 60), clean_note(text, 40)
        assert len(line) <= 60 and len(note) <= 40
        assert not any(c in line for c in "\x00\x07\x1b\x7f\x85\u2028\u2029\ud800\n\r\t")
        assert not any(c in note for c in "\x00\x07\x1b\x7f\x85\u2028\u2029\ud800\r\t")
    assert clean_line("  Anna \n Weber ", 60) == "Anna Weber"
    assert clean_note("erste\r\nzweite", 60) == "erste\nzweite"


def test_forms_are_bounded_and_parsed_as_lists():
    assert parse_form(b"value=1&value=2&note=a%20b") == {"value": ["1", "2"], "note": ["a b"]}
    assert parse_form(b"name=%FF") == {"name": ["\ufffd"]}
    with pytest.raises(BodyTooLarge):
        parse_form(b"x" * (MAX_BODY + 1))


def test_rate_limiter_refills_over_time():
    now = [0.0]
    limiter = RateLimiter(3, 1.0, clock=lambda: now[0])
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # another client has its own bucket
    now[0] = 1.0
    assert limiter.allow("a") and not limiter.allow("a")
